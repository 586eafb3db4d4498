"""tests/factories.py keeps its word: one factory per model of the project, each making a row
that the model's validation accepts in the fields it fills."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

APPS = {"core", "networks", "sessions_app", "benchmarking", "strategies", "reports", "privacy"}
APPS |= {"hub", "notices", "assessment", "community"}  # hub: the top floor may get models


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # MaterialFactory stores a file


def _factories():
    return [
        f
        for _name, f in inspect.getmembers(factories, inspect.isclass)
        if issubclass(f, factory.django.DjangoModelFactory)
        and f is not factory.django.DjangoModelFactory
    ]


def test_every_model_of_the_project_has_a_factory():
    models = {m for m in apps.get_models() if m._meta.app_label in APPS}
    covered = {f._meta.get_model_class() for f in _factories()}

    assert sorted(m.__name__ for m in models - covered) == []


@pytest.mark.parametrize("made_by", _factories(), ids=lambda f: f.__name__)
def test_each_factory_makes_a_row_its_model_accepts(made_by):
    row = made_by()
    left_empty = [f.name for f in row._meta.fields if f.null and getattr(row, f.attname) is None]

    row.full_clean(exclude=left_empty)  # a nullable field left empty is the model's to allow
    assert type(row).objects.filter(pk=row.pk).exists()
