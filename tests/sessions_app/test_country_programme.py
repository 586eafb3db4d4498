"""The standard programme is each country's: Norway's the seed's, another's the same four
gatherings in its own words, and an administrator adapts a country's in the Django admin."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Country
from sessions_app import selectors, services
from sessions_app.models import StandardProgramme, StandardProgrammeGathering
from sessions_app.programme import STANDARD_PROGRAMME
from tests import factories as f

pytestmark = pytest.mark.django_db


def network_in(code: str, language="en"):
    return f.NetworkFactory(
        region=f.RegionFactory(country=Country.objects.get(code=code)), language=language
    )


def _all_words(programme) -> list[str]:
    return [str(g.title) for g in programme] + [
        str(item.title) for g in programme for item in g.items
    ]


def test_a_portuguese_networks_proposal_uses_portugals_programme():
    drafts = selectors.schedule_proposal(network=network_in("PT"))
    norway = [str(g.title) for g in STANDARD_PROGRAMME]

    titles = [d.title for d in drafts]
    assert "Portugal" in titles[0]
    assert "Norway" not in titles[0]
    assert not any("eKommune" in title for title in titles)
    # The same four gatherings: Norway's titles that do not speak of Norway stay.
    assert titles[1] == norway[1]
    assert titles[0] != norway[0]


def test_norways_proposal_is_the_seeds():
    drafts = selectors.schedule_proposal(network=network_in("NO"))
    assert [d.title for d in drafts] == [str(g.title) for g in STANDARD_PROGRAMME]


def test_a_scheduled_portuguese_gathering_gets_portugals_agenda():
    network = network_in("PT")
    gatherings = services.gathering_schedule(
        network=network, drafts=selectors.schedule_proposal(network=network)
    )
    words = [item.title for g in gatherings for item in g.agenda.all()]
    assert any("Portugal" in title for title in words)
    assert not any("Norway" in title or "eKommune" in title for title in words)


def _admin(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))


def _edit_gathering(client, gathering: StandardProgrammeGathering, *, title, first_item):
    items = list(gathering.items.all())
    data = {
        "programme": gathering.programme_id,
        "number": gathering.number,
        "title": title,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for index, item in enumerate(items):
        data |= {
            f"items-{index}-id": item.pk,
            f"items-{index}-gathering": gathering.pk,
            f"items-{index}-position": item.position,
            f"items-{index}-title": first_item if index == 0 else item.title,
            f"items-{index}-kind": item.kind,
            f"items-{index}-duration_minutes": item.duration_minutes,
        }
    url = reverse("admin:sessions_app_standardprogrammegathering_change", args=[gathering.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_an_administrators_edit_of_italys_programme_shows_in_italy_only(client):
    _admin(client)
    italy = Country.objects.get(code="IT")
    response = client.post(
        reverse("admin:sessions_app_standardprogramme_add"), {"country": italy.pk}
    )
    assert response.status_code == 302
    programme = StandardProgramme.objects.get(country=italy)
    assert programme.gatherings.count() == 4  # the copy to start from
    copied = list(programme.gatherings.order_by("number"))
    assert "Italy" in copied[0].title or "Italia" in copied[0].title

    _edit_gathering(
        client,
        copied[0],
        title="La PA digitale nei comuni italiani",
        first_item="Benvenuto e presentazioni",
    )

    italian = network_in("IT")
    drafts = selectors.schedule_proposal(network=italian)
    assert drafts[0].title == "La PA digitale nei comuni italiani"
    assert drafts[1].title == copied[1].title
    gatherings = services.gathering_schedule(network=italian, drafts=drafts)
    assert gatherings[0].agenda.order_by("position").first().title == "Benvenuto e presentazioni"

    norwegian = selectors.schedule_proposal(network=network_in("NO"))
    assert [d.title for d in norwegian] == [str(g.title) for g in STANDARD_PROGRAMME]
    spanish = selectors.schedule_proposal(network=network_in("ES"))
    assert "La PA digitale" not in spanish[0].title


def test_adapting_again_keeps_the_administrators_words():
    italy = Country.objects.get(code="IT")
    programme = services.standard_programme_adapt(country=italy)
    first = programme.gatherings.get(number=1)
    first.title = "Adapted"
    first.save()
    assert services.standard_programme_adapt(country=italy).gatherings.get(number=1).title == (
        "Adapted"
    )


def test_the_schedule_page_keeps_its_queries_flat_as_the_programme_grows(client):
    network = f.NetworkFactory(
        region=f.RegionFactory(country=Country.objects.get(code="IT")),
        planned_start=date(2010, 9, 1),
    )
    client.force_login(f.facilitator_of(network))
    programme = services.standard_programme_adapt(country=Country.objects.get(code="IT"))
    url = reverse("network_schedule", args=[network.pk])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for gathering in programme.gatherings.all():
        for position in range(20, 23):
            f.StandardProgrammeItemFactory(
                gathering=gathering, position=position, duration_minutes=5
            )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
