"""A strategy's sections and measures point to the theme they answer: editable in their forms
(themes of active questionnaires only) and shown on the strategy page and action plan."""

import pytest
from django.urls import reverse

from assessment.models import Theme
from strategies.models import Measure, Section

from .. import factories as f
from ..strategies.helpers import start
from .helpers import seed_first_questionnaire


@pytest.fixture
def themed(world):
    questionnaire = seed_first_questionnaire()
    strategy = start(world, user=world.users["chief_executive"])
    retired = f.ThemeFactory(questionnaire=f.QuestionnaireFactory(active=False), name_en="Old")
    return questionnaire, strategy, retired


def test_a_section_is_tied_to_a_theme_and_the_strategy_page_shows_it(themed, world, client):
    questionnaire, strategy, retired = themed
    section = strategy.sections.get(kind=Section.Kind.SECURITY)
    theme = Theme.objects.get(questionnaire=questionnaire, code="security")
    client.force_login(world.users["chief_executive"])
    url = reverse("section_edit", args=[section.pk])
    form = client.get(url).context["form"]
    assert retired not in form.fields["theme"].queryset
    assert theme in form.fields["theme"].queryset
    saved = client.post(url, {"body": "Vi har et styringssystem.", "version": 0, "theme": theme.pk})
    assert saved.status_code == 302
    section.refresh_from_db()
    assert (section.theme, section.version) == (theme, 1)
    page = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert "Theme: Information security" in page
    refused = client.post(url, {"body": "x", "version": 1, "theme": retired.pk})
    assert refused.status_code == 200
    section.refresh_from_db()
    assert section.theme == theme


def test_a_measure_is_tied_to_a_theme(themed, world, client):
    questionnaire, strategy, retired = themed
    theme = Theme.objects.get(questionnaire=questionnaire, code="inclusion")
    client.force_login(world.users["chief_executive"])
    url = reverse("measure_create", args=[strategy.pk])
    assert retired not in client.get(url).context["form"].fields["theme"].queryset
    data = {"title": "Digital hjelp på biblioteket", "status": "planned", "progress": "0"}
    assert client.post(url, {**data, "theme": theme.pk}).status_code == 302
    assert Measure.objects.get().theme == theme
    plan = client.get(reverse("action_plan", args=[strategy.pk])).content.decode()
    assert "Theme: Social inclusion" in plan
