"""Every relation to the user model is in the download and has an erasure rule: a model that
gains a relation to people fails here until privacy/ says what becomes of it."""

from django.apps import apps
from django.contrib.auth import get_user_model

from privacy.selectors import COVERED, personal_data
from privacy.services import ON_ERASURE


def relations_to_people() -> set[str]:
    User = get_user_model()
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.related_model is User and not field.auto_created
    }


def test_every_relation_to_people_is_in_the_download():
    assert relations_to_people() - set(COVERED) == set()


def test_every_relation_to_people_has_an_erasure_rule():
    assert relations_to_people() - set(ON_ERASURE) == set()
    assert set(ON_ERASURE.values()) == {"kept", "deleted", "cleared"}


def test_no_covered_relation_is_gone():
    assert set(COVERED) - relations_to_people() == set()
    assert set(ON_ERASURE) - relations_to_people() == set()


def test_every_covered_part_is_in_the_download(world):
    parts = set(personal_data(world.users["chief_executive"]))
    assert set(COVERED.values()) - parts == set()
