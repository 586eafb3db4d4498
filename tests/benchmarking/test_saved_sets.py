"""A person's own comparison sets: saved, renamed, refilled and deleted by their owner alone,
offered in the comparison chooser of a municipality's key figures, followed by the exports.
Anyone else (a colleague of the same municipality, another network's facilitator, an
administrator) gets 404 and changes nothing; another person's set in the query string is
refused and never shown."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import services
from benchmarking.models import ComparisonSet, Indicator, Observation
from cemsdi_portal.core.models import AuditEntry
from privacy.selectors import personal_data
from tests import factories as f

pytestmark = pytest.mark.django_db

# Free income per inhabitant in 2024.
INCOME = {"Alta": 81240.0, "Hammerfest": 66605.0, "Bodø": 90000.0}


@pytest.fixture
def figures(world):
    world.income = Indicator.objects.create(
        code="KOSAG110000", name_en="Free income per inhabitant", unit="kr", decimals=0,
        higher_is_better=True,
    )  # fmt: skip
    for municipality in (world.municipality, world.neighbour, world.other_municipality):
        Observation.objects.create(
            indicator=world.income,
            municipality=municipality,
            year=2024,
            value=INCOME[municipality.name],
        )
    return world


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _save(world, owner="chief_executive", name="Coast", members=None):
    return services.comparison_set_save(
        owner=world.users[owner],
        name=name,
        municipalities=members if members is not None else [world.other_municipality],
    )


# --- Saving, editing, deleting ----------------------------------------------------------------


def test_a_person_saves_a_set_of_their_own_choosing(client, figures):
    client.force_login(figures.users["chief_executive"])
    response = client.post(
        reverse("comparison_set_create"),
        {
            "name": "  Coastal   towns ",
            "municipalities": [figures.other_municipality.pk, figures.neighbour.pk],
        },
    )
    assert response.status_code == 302
    saved = ComparisonSet.objects.get()
    assert saved.owner == figures.users["chief_executive"]
    assert saved.name == "Coastal towns"
    assert set(saved.municipalities.all()) == {figures.other_municipality, figures.neighbour}
    assert AuditEntry.objects.filter(
        model="benchmarking.comparisonset", object_id=str(saved.pk), action="created"
    ).exists()
    listing = _text(client.get(reverse("comparison_set_list")).content.decode())
    assert "Coastal towns" in listing
    assert "2 municipalities: Bodø, Hammerfest" in listing


def test_a_set_saved_from_the_key_figures_page_is_compared_with_at_once(client, figures):
    client.force_login(figures.users["chief_executive"])
    page = reverse("municipality_keyfigures", args=[figures.municipality.pk]) + "?year=2024"
    html = client.get(page).content.decode()
    new = reverse("comparison_set_create")
    assert f'href="{new}?next=' in html
    response = client.post(
        new, {"name": "Coast", "municipalities": [figures.other_municipality.pk], "next": page}
    )
    saved = ComparisonSet.objects.get()
    assert response["Location"] == page + f"&compare=set-{saved.pk}"
    text = _text(client.get(response["Location"]).content.decode())
    assert "Compared with your set: Coast (2 municipalities), in 2024." in text
    # A "next" off the site is not followed.
    response = client.post(
        new,
        {
            "name": "Other",
            "municipalities": [figures.neighbour.pk],
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("comparison_set_list")


def test_the_form_offers_municipalities_with_the_member_picker(client, figures):
    client.force_login(figures.users["chief_executive"])
    html = client.get(reverse("comparison_set_create")).content.decode()
    assert 'data-member-picker="municipalities"' in html
    assert "js/member-picker.js" in html
    for municipality in (figures.municipality, figures.neighbour, figures.other_municipality):
        assert f'value="{municipality.pk}"' in html
        assert f'data-region="{municipality.region_id}"' in html


def test_a_second_set_of_the_same_name_is_refused_by_the_database_too(figures):
    """The form checks the name first; a save that passes it at the same moment as another
    (a double click) still makes one set, and the second gets the form's message."""
    _save(figures, name="Coast")
    before = (ComparisonSet.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        _save(figures, name="COAST")
    assert "You already have a set named “COAST”" in str(refused.value)
    assert (ComparisonSet.objects.count(), AuditEntry.objects.count()) == before
    _save(figures, owner="mayor", name="Coast")  # another person's own name is theirs


def test_the_owner_renames_refills_and_deletes_a_set(client, figures):
    saved = _save(figures)
    client.force_login(figures.users["chief_executive"])
    url = reverse("comparison_set_edit", args=[saved.pk])
    assert "Coast" in client.get(url).content.decode()
    response = client.post(url, {"name": "North", "municipalities": [figures.neighbour.pk]})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "North"
    assert list(saved.municipalities.all()) == [figures.neighbour]
    entry = AuditEntry.objects.filter(model="benchmarking.comparisonset", action="changed").get()
    assert entry.changes["name"] == ["Coast", "North"]
    response = client.post(reverse("comparison_set_delete", args=[saved.pk]))
    assert response.status_code == 302
    assert not ComparisonSet.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "municipalities": []}, "Choose at least one municipality."),
        ({"name": "   ", "municipalities": ["MUNI"]}, "This field is required."),
        ({"name": "coast", "municipalities": ["MUNI"]}, "You already have a set named"),
        ({"name": "Other", "municipalities": ["999999"]}, "Select a valid choice."),
    ],
)
def test_a_refused_set_says_why_and_changes_nothing(client, figures, data, message):
    _save(figures)
    client.force_login(figures.users["chief_executive"])
    data = {
        **data,
        "municipalities": [
            figures.neighbour.pk if m == "MUNI" else m for m in data["municipalities"]
        ],
    }
    before = (ComparisonSet.objects.count(), ComparisonSet.municipalities.through.objects.count())
    response = client.post(reverse("comparison_set_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    after = (ComparisonSet.objects.count(), ComparisonSet.municipalities.through.objects.count())
    assert after == before


@pytest.mark.parametrize(
    "attacker", ["mayor", "municipal_staff", "neighbour_chief_executive", "facilitator", "staff"]
)
def test_anyone_but_the_owner_gets_404_and_changes_nothing(client, figures, attacker):
    """Even a colleague of the same municipality, and an administrator."""
    saved = _save(figures, members=[figures.neighbour, figures.other_municipality])
    client.force_login(figures.users[attacker])
    edit = reverse("comparison_set_edit", args=[saved.pk])
    delete = reverse("comparison_set_delete", args=[saved.pk])
    assert client.get(edit).status_code == 404
    assert (
        client.post(edit, {"name": "Mine", "municipalities": [figures.neighbour.pk]}).status_code
        == 404
    )
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    saved.refresh_from_db()
    assert saved.name == "Coast"
    assert saved.municipalities.count() == 2
    assert "Coast" not in client.get(reverse("comparison_set_list")).content.decode()


def test_a_set_is_in_its_owners_download_and_goes_with_them(figures):
    from privacy.services import person_erase

    _save(figures)
    _save(figures, owner="mayor", name="Mayor's")
    data = personal_data(figures.users["chief_executive"])
    assert [s["name"] for s in data["comparison_sets"]] == ["Coast"]
    assert data["comparison_sets"][0]["municipalities"] == [
        f"{figures.other_municipality.code} Bodø"
    ]
    assert [s["name"] for s in personal_data(figures.users["mayor"])["comparison_sets"]] == [
        "Mayor's"
    ]
    person_erase(person=figures.users["chief_executive"], erased_by=figures.users["staff"])
    assert list(ComparisonSet.objects.values_list("name", flat=True)) == ["Mayor's"]


# --- The chooser ---------------------------------------------------------------------------


def test_the_chooser_offers_the_persons_own_sets(client, figures):
    mine = _save(figures)
    _save(figures, owner="mayor", name="Mayor's own")
    client.force_login(figures.users["chief_executive"])
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = client.get(url).content.decode()
    form = re.search(r'<form method="get".*?</form>', html, re.DOTALL).group(0)
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', form))
    assert options[f"set-{mine.pk}"] == "your set: Coast"
    assert "Mayor's own" not in html
    html = client.get(url + f"?compare=set-{mine.pk}&year=2024").content.decode()
    text = _text(html)
    # Alta with Bodø: 81,240 and 90,000; Alta ranks 2nd of 2.
    assert "Compared with your set: Coast (2 municipalities), in 2024." in text
    mean = (INCOME["Alta"] + INCOME["Bodø"]) / 2
    assert f"{mean:,.0f}" in text
    assert f'<option value="set-{mine.pk}" selected>' in html


def test_another_persons_set_in_the_query_string_is_refused(client, figures):
    theirs = _save(figures, owner="mayor", name="Mayor's secret set")
    client.force_login(figures.users["chief_executive"])
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = client.get(url + f"?compare=set-{theirs.pk}").content.decode()
    text = _text(html)
    assert "That comparison set is not one of yours" in text
    assert "Mayor's secret set" not in html
    assert f"Compared with the network: {figures.network.name}" in text
    export = reverse("municipality_keyfigures_export", args=[figures.municipality.pk, "csv"])
    text = client.get(export + f"?compare=set-{theirs.pk}").content.decode()
    assert "Mayor's secret set" not in text
    assert figures.network.name in text


def test_the_exports_follow_the_chosen_set(client, figures):
    mine = _save(figures, members=[figures.neighbour, figures.other_municipality])
    client.force_login(figures.users["chief_executive"])
    export = reverse("municipality_keyfigures_export", args=[figures.municipality.pk, "csv"])
    response = client.get(export + f"?compare=set-{mine.pk}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Compared with"] for row in rows] == ["your set: Coast"]
    assert float(rows[0]["Mean"]) == pytest.approx(sum(INCOME.values()) / 3)
    assert rows[0]["Ranked"] == "3"
    assert f"set-{mine.pk}" in response["Content-Disposition"]
    xlsx = client.get(
        reverse("municipality_keyfigures_export", args=[figures.municipality.pk, "xlsx"])
        + f"?compare=set-{mine.pk}"
    )
    assert xlsx.status_code == 200


def test_a_changed_set_changes_the_page_at_once(client, figures):
    mine = _save(figures)
    client.force_login(figures.users["chief_executive"])
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    assert "(2 municipalities)" in _text(
        client.get(url + f"?compare=set-{mine.pk}").content.decode()
    )
    services.comparison_set_save(
        owner=mine.owner,
        name="Coast",
        municipalities=[figures.neighbour, figures.other_municipality],
        comparison_set=mine,
    )
    assert "(3 municipalities)" in _text(
        client.get(url + f"?compare=set-{mine.pk}").content.decode()
    )


# --- Query counts ----------------------------------------------------------------------------


def _grow(world, comparison_set, size):
    """More municipalities in the set and the network, each with a figure."""
    members = list(comparison_set.municipalities.all())
    for _ in range(size):
        member = f.MunicipalityFactory(region=world.municipality.region)
        world.network.municipalities.add(member)
        Observation.objects.create(
            indicator=world.income, municipality=member, year=2024, value=50000.0
        )
        members.append(member)
    services.comparison_set_save(
        owner=comparison_set.owner,
        name=comparison_set.name,
        municipalities=members,
        comparison_set=comparison_set,
    )
    # Another set of the person's, so that the chooser offers more.
    _save(world, name=f"Extra {size}")


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = [
    lambda w, s: (
        reverse("municipality_keyfigures", args=[w.municipality.pk]) + f"?compare=set-{s.pk}"
    ),
    lambda w, s: reverse("municipality_keyfigures", args=[w.municipality.pk]),
    lambda w, s: (
        reverse("municipality_keyfigures_export", args=[w.municipality.pk, "csv"])
        + f"?compare=set-{s.pk}"
    ),
    lambda w, s: reverse("comparison_set_list"),
    lambda w, s: reverse("comparison_set_edit", args=[s.pk]),
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_with_sets_do_not_grow_with_the_set_or_the_data(client, figures, url):
    mine = _save(figures)
    client.force_login(figures.users["chief_executive"])
    _grow(figures, mine, 1)
    small = _count(client, url(figures, mine))
    _grow(figures, mine, 5)
    large = _count(client, url(figures, mine))
    assert small == large
