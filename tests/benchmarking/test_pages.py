"""The key-figure pages: what each person sees, with values worked out by hand from the data;
a missing value shown as missing (never 0); the SVG charts; query counts at two sizes."""

import html as htmllib
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import charts
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator, Observation, ReferenceValue
from benchmarking.readers import ReadOptions
from networks.models import PeerGroup
from strategies import services as strategy_services
from tests import factories as f

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def figures(world):
    """Two indicators for Alta and Hammerfest (the network) and Bodø (another network).

    Free income, 2024: Alta 81,240, Hammerfest 66,605, Bodø 90,000 (2023: Alta 80,000).
    Kindergarten, 2024: Alta missing (".."), Hammerfest 90.5, Bodø a true 0 (2023: Alta 88).
    Alta and Bodø share a peer group.
    """
    world.income = Indicator.objects.create(
        code="KOSAG110000",
        name_en="Free income per inhabitant",
        unit="kr",
        decimals=0,
        higher_is_better=True,
    )
    world.kindergarten = Indicator.objects.create(
        code="KOSandel120000",
        name_en="Children aged 1-2 in kindergarten",
        unit="%",
        decimals=1,
        higher_is_better=True,
    )
    rows = [
        (world.income, world.municipality, 2023, 80000.0, ""),
        (world.income, world.municipality, 2024, 81240.0, ""),
        (world.income, world.neighbour, 2023, 70000.0, ""),
        (world.income, world.neighbour, 2024, 66605.0, ""),
        (world.income, world.other_municipality, 2024, 90000.0, ""),
        (world.kindergarten, world.municipality, 2023, 88.0, ""),
        (world.kindergarten, world.municipality, 2024, None, ".."),
        (world.kindergarten, world.neighbour, 2024, 90.5, ""),
        (world.kindergarten, world.other_municipality, 2024, 0.0, ""),
    ]
    for indicator, municipality, year, value, status in rows:
        Observation.objects.create(
            indicator=indicator, municipality=municipality, year=year, value=value, status=status
        )
    ReferenceValue.objects.create(
        indicator=world.income, area_code="EAK", area_name="Landet", year=2024, value=75000.0
    )
    group = PeerGroup.objects.create(
        country=world.municipality.country, code="EKG13", name="KOSTRA group 13"
    )
    for municipality in (world.municipality, world.other_municipality):
        municipality.peer_group = group
        municipality.save()
    return world


def _parse(markup):
    """An SVG the portal drew, as an XML element (which also proves it well-formed)."""
    return ElementTree.fromstring(markup)  # noqa: S314 (our own markup, not untrusted input)


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _row(html, row_id):
    match = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.DOTALL)
    assert match, row_id
    return match.group(1)


def _text(fragment):
    """The text of some HTML: a line break as a space, other tags dropped, spaces squeezed."""
    text = re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", fragment))
    return " ".join(htmllib.unescape(text).split())


def _cells(row_html):
    """The text of each cell of a table row."""
    return [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.DOTALL)]


def _position_cells(html, indicator):
    """Indicator, value, mean, median, rank, percentile, change, references."""
    return _cells(_row(html, f"indicator-{indicator.pk}"))[:8]


# --- The municipality's position --------------------------------------------------------


def test_position_against_the_network_by_default(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url + "?year=2024")
    assert "Compared with the network: " in html
    assert "(2 municipalities), in 2024." in html
    assert _position_cells(html, figures.income) == [
        "Free income per inhabitant (NOK)",
        "81,240 NOK",
        "73,923",  # (81,240 + 66,605) / 2 = 73,922.5, rounded half up
        "73,923",
        "1 of 2",
        "100",
        "+1,240 since 2023 (better)",
        "Landet: 75,000",
    ]


def test_position_against_the_country_and_the_peer_group(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url + "?compare=country&year=2024")
    assert "Compared with the country: Norway (3 municipalities), in 2024." in html
    assert _position_cells(html, figures.income)[1:6] == [
        "81,240 NOK",
        "79,282",
        "81,240",
        "2 of 3",
        "50",  # mean 237,845 / 3
    ]
    # A true zero counts; Alta's missing value does not: mean and median of 90.5 and 0.
    assert _position_cells(html, figures.kindergarten)[2:4] == ["45.3", "45.3"]
    html = client.get(url + "?compare=peer_group").content.decode()
    assert "Compared with the peer group: KOSTRA group 13 (2 municipalities)" in html
    assert _position_cells(html, figures.income)[1:6] == [
        "81,240 NOK",
        "85,620",
        "85,620",
        "2 of 2",
        "0",
    ]


def test_position_of_an_earlier_year(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["facilitator"], url + "?year=2023")
    assert _position_cells(html, figures.income)[1:7] == [
        "80,000 NOK",
        "75,000",
        "75,000",
        "1 of 2",
        "100",
        "–",
    ]
    assert _position_cells(html, figures.kindergarten)[1] == "88.0 %"


def test_a_missing_value_is_shown_as_missing_not_as_zero(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url + "?year=2024")
    cells = _position_cells(html, figures.kindergarten)
    assert cells[1] == "– missing: not available (..)"
    assert cells[2:7] == ["90.5", "90.5", "–", "–", "–"]  # no rank, percentile or change
    row = _row(html, f"indicator-{figures.kindergarten.pk}")
    assert "2024: missing" in row  # the sparkline's text alternative
    value = re.search(r'<td class="text-end kf-value"[^>]*>(.*?)</td>', row, re.DOTALL).group(1)
    assert not re.search(r"\d", value)


def test_the_comparison_choices_are_the_networks_programme_country_and_peer_group(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url)
    form = re.search(r'<form method="get".*?</form>', html, re.DOTALL).group(0)
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', form)
    assert options == [
        ("latest", "The latest of each"),
        ("2023", "2023"),
        ("2024", "2024"),
        (f"network-{figures.network.pk}", f"the network: {figures.network.name}"),
        (f"programme-{figures.programme.pk}", "the programme: CEMSDI, every country"),
        ("country", "the country: Norway"),
        ("peer_group", "the peer group: KOSTRA group 13"),
        (
            "similar",
            "similar municipalities (not computed yet)",
        ),  # tests/benchmarking/test_similar.py
    ]
    # A network the municipality is not in is not a choice: the default is used instead.
    html = client.get(url + f"?compare=network-{figures.other_network.pk}").content.decode()
    assert f"Compared with the network: {figures.network.name}" in html


def test_position_page_draws_an_svg_bar_with_the_numbers_in_words(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url)
    row = _row(html, f"indicator-{figures.income.pk}")
    svgs = re.findall(r"<svg.*?</svg>", row, re.DOTALL)
    assert len(svgs) == 2  # the bar and the sparkline
    bar = _parse(svgs[0])
    assert bar.get("role") == "img"
    alternative = (
        "Alta 2024: 81,240 NOK. Comparison set: mean 73,923, median 73,923, from 66,605 to 81,240."
    )
    assert bar.get("aria-label") == alternative
    assert bar.find(f"{SVG}title").text == alternative
    spark = _parse(svgs[1])
    assert spark.get("aria-label") == "Alta by year (NOK): 2023: 80,000; 2024: 81,240."


def test_municipality_without_figures_says_so(client, world):
    url = reverse("municipality_keyfigures", args=[world.municipality.pk])
    html = _get(client, world.users["chief_executive"], url)
    assert "There are no key figures for this municipality yet." in html


# --- The network's table ------------------------------------------------------------------


def test_network_table_shows_value_and_rank_in_shaded_cells(client, figures):
    url = reverse("network_keyfigures", args=[figures.network.pk])
    html = _get(client, figures.users["facilitator"], url)
    # Columns by name: kindergarten, then free income.
    alta = _row(html, f"member-{figures.municipality.pk}")
    hammerfest = _row(html, f"member-{figures.neighbour.pk}")
    assert _cells(alta) == [
        "Alta",
        "– missing: not available (..)",
        "81,240 rank 1 of 2",
    ]
    assert _cells(hammerfest) == ["Hammerfest", "90.5 rank 1 of 1", "66,605 rank 2 of 2"]
    assert re.findall(r'<td class="text-end ([\w-]+)">', alta) == ["kf-missing", "kf-shade-4"]
    assert re.findall(r'<td class="text-end ([\w-]+)">', hammerfest) == [
        "kf-shade-4",
        "kf-shade-0",
    ]
    assert "Bodø" not in html


def test_network_table_does_not_shade_an_indicator_without_a_better_direction(client, figures):
    figures.income.higher_is_better = None
    figures.income.save()
    url = reverse("network_keyfigures", args=[figures.network.pk])
    html = _get(client, figures.users["facilitator"], url)
    alta = _row(html, f"member-{figures.municipality.pk}")
    assert re.findall(r'<td class="text-end ([\w-]+)">', alta) == ["kf-missing", "kf-neutral"]


# --- The indicator's ranking ----------------------------------------------------------------


def _ranking(html, *municipalities):
    return [_cells(_row(html, f"municipality-{m.pk}")) for m in municipalities]


def test_ranking_lists_only_the_municipalities_the_user_may_see(client, figures):
    url = reverse("indicator_detail", args=[figures.income.pk])
    html = _get(client, figures.users["chief_executive"], url)
    assert _ranking(html, figures.municipality, figures.neighbour) == [
        ["1", "Alta yours", "81,240", "100"],
        ["2", "Hammerfest", "66,605", "0"],
    ]
    assert "Bodø" not in html
    assert '<th scope="row">Landet</th><td class="text-end">75,000</td>' in html


def test_ranking_for_staff_lists_everyone_best_first(client, figures):
    url = reverse("indicator_detail", args=[figures.income.pk])
    html = _get(client, figures.users["staff"], url)
    rows = re.findall(r'<tr id="municipality-(\d+)"', html)
    ids = [figures.other_municipality.pk, figures.municipality.pk, figures.neighbour.pk]
    assert rows == [str(pk) for pk in ids]
    assert _ranking(html, figures.other_municipality)[0] == ["1", "Bodø", "90,000", "100"]
    assert "Learn from the best" not in html  # staff belong to no network or peer group
    # Staff have no municipality of their own: the chart is of the first in the ranking.
    assert "Over the years: Bodø" in html


def test_ranking_puts_missing_last_and_shows_a_true_zero(client, figures):
    url = reverse("indicator_detail", args=[figures.kindergarten.pk])
    html = _get(client, figures.users["staff"], url)
    rows = re.findall(r'<tr id="municipality-(\d+)"', html)
    ids = [figures.neighbour.pk, figures.other_municipality.pk, figures.municipality.pk]
    assert rows == [str(pk) for pk in ids]
    assert _ranking(html, figures.other_municipality, figures.municipality) == [
        ["2", "Bodø", "0.0", "0"],
        ["–", "Alta", "– missing: not available (..)", "–"],
    ]


def test_indicator_page_charts_the_users_own_municipality_over_the_years(client, figures):
    url = reverse("indicator_detail", args=[figures.income.pk])
    html = _get(client, figures.users["chief_executive"], url)
    assert "Over the years: Alta" in html
    svg = _parse(re.search(r"<svg.*?</svg>", html, re.DOTALL).group(0))
    assert svg.get("role") == "img"
    # Beside it the network's median by year: (80,000 + 70,000) / 2 and (81,240 + 66,605) / 2.
    assert svg.get("aria-label") == (
        "Free income per inhabitant, Alta by year (NOK): 2023: 80,000; 2024: 81,240. "
        f"Median of the network {figures.network.name}: 2023: 75,000; 2024: 73,923."
    )


def test_learn_from_the_best_in_the_users_network_and_peer_group(client, figures):
    # Hammerfest shares its strategy with the network; Alta's own is still a draft.
    neighbour_chief = figures.users["neighbour_chief_executive"]
    shared = strategy_services.strategy_start(
        network=figures.network, municipality=figures.neighbour, user=neighbour_chief
    )
    strategy_services.strategy_set_status(strategy=shared, status="shared", user=neighbour_chief)
    strategy_services.strategy_start(
        network=figures.network,
        municipality=figures.municipality,
        user=figures.users["chief_executive"],
    )
    url = reverse("indicator_detail", args=[figures.income.pk])
    html = _get(client, figures.users["chief_executive"], url)
    sets = re.findall(r'<h3 class="h6">(.*?)</h3>\s*<ol class="kf-best">(.*?)</ol>', html, re.S)
    assert [(title, _cells_of_list(items)) for title, items in sets] == [
        (
            f"In the network {figures.network.name}",
            ["Alta: 81,240 NOK", "Hammerfest: 66,605 NOK · action plan Hammerfest"],
        ),
        # Bodø leads the peer group, but the chief executive of Alta may not see it.
        ("In the peer group KOSTRA group 13", ["Alta: 81,240 NOK"]),
    ]
    keyfigures = reverse("municipality_keyfigures", args=[figures.neighbour.pk])
    assert f'href="{keyfigures}?year=2024">Hammerfest</a>' in html
    assert f'href="{reverse("action_plan", args=[shared.pk])}"' in html


def _cells_of_list(items):
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", items, re.S)]


def test_indicator_page_for_someone_who_sees_no_municipality(client, figures):
    url = reverse("indicator_detail", args=[figures.income.pk])
    html = _get(client, figures.users["no_role"], url)
    assert "There are no figures for this indicator in the municipalities you can see." in html
    assert "Alta" not in html


# --- Links from the existing pages -----------------------------------------------------------


def test_network_and_municipality_pages_link_to_their_key_figures(client, figures):
    user = figures.users["chief_executive"]
    html = _get(client, user, reverse("network_detail", args=[figures.network.pk]))
    assert reverse("network_keyfigures", args=[figures.network.pk]) in html
    html = _get(client, user, reverse("municipality_detail", args=[figures.municipality.pk]))
    assert reverse("municipality_keyfigures", args=[figures.municipality.pk]) in html


# --- The charts -------------------------------------------------------------------------------


def test_position_bar_is_an_accessible_svg_with_escaped_text():
    svg = charts.position_bar(
        value=81240.0,
        mean=73922.5,
        median=73922.5,
        minimum=66605.0,
        maximum=81240.0,
        decimals=0,
        unit="<kr>",
        label='Alta & "Co" <script>',
    )
    assert "<script" not in svg
    element = _parse(svg)  # well-formed XML
    assert element.get("role") == "img"
    assert element.get("viewBox") == "0 0 200 28"
    text = (
        'Alta & "Co" <script>: 81,240 <kr>. Comparison set: mean 73,923, median 73,923, '
        "from 66,605 to 81,240."
    )
    assert element.get("aria-label") == text
    assert element.find(f"{SVG}title").text == text
    # The value sits at the right end of the range (its highest value).
    assert element.find(f"{SVG}circle").get("cx") == "192.0"


def test_position_bar_without_a_value_says_so():
    svg = _parse(charts.position_bar(value=None, mean=2.0, median=2.0, minimum=1.0, maximum=3.0))
    assert svg.get("aria-label") == (
        "Value: no value. Comparison set: mean 2.0, median 2.0, from 1.0 to 3.0."
    )
    assert svg.find(f"{SVG}circle") is None


def test_time_series_breaks_the_line_at_a_missing_year():
    points = [(2020, 1.0), (2021, 2.0), (2022, None), (2023, 3.0), (2024, 4.0)]
    svg = _parse(charts.time_series(points, unit="%", label="Alta"))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "Alta by year (%): 2020: 1.0; 2021: 2.0; 2022: missing; 2023: 3.0; 2024: 4.0."
    )
    assert len(svg.findall(f"{SVG}polyline")) == 2
    assert len(svg.findall(f"{SVG}circle")) == 4
    assert [t.text for t in svg.findall(f"{SVG}text")] == ["2020", "2024", "4.0", "1.0"]


def test_numbers_are_written_as_the_language_writes_them():
    from django.utils import translation

    with translation.override("nb"):
        assert charts.format_number(81240.25, 1) == "81\xa0240,3"
        assert charts.format_number(-0.04, 1) == "0,0"
    assert charts.format_number(1240.0, 0, sign=True) == "+1,240"
    assert charts.format_number(None) == "–"


# --- Query counts -----------------------------------------------------------------------------


def _grow(world, size):
    """More members of the network and the peer group, each with figures for two years."""
    for _ in range(size):
        member = f.MunicipalityFactory(
            region=world.municipality.region, peer_group=world.municipality.peer_group
        )
        world.network.municipalities.add(member)
        for indicator in (world.income, world.kindergarten):
            for year, value in ((2023, 50.0), (2024, None)):
                Observation.objects.create(
                    indicator=indicator,
                    municipality=member,
                    year=year,
                    value=value,
                    status="" if value is not None else ":",
                )
        ReferenceValue.objects.get_or_create(
            indicator=world.income,
            area_code=f"EKG{member.pk}",
            year=2024,
            defaults={"area_name": "Group", "value": 1.0},
        )


def _count(client, url):
    client.get(url)  # a warm-up first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("chief_executive", lambda w: reverse("municipality_keyfigures", args=[w.municipality.pk])),
    (
        "chief_executive",
        lambda w: reverse("municipality_keyfigures", args=[w.municipality.pk]) + "?compare=country",
    ),
    (
        "facilitator",
        lambda w: (
            reverse("municipality_keyfigures", args=[w.municipality.pk])
            + "?compare=peer_group&year=2023"
        ),
    ),
    ("facilitator", lambda w: reverse("network_keyfigures", args=[w.network.pk])),
    ("chief_executive", lambda w: reverse("indicator_detail", args=[w.income.pk])),
    ("staff", lambda w: reverse("indicator_detail", args=[w.kindergarten.pk])),
    (
        "chief_executive",
        lambda w: reverse("municipality_keyfigures_export", args=[w.municipality.pk, "csv"]),
    ),
    (
        "project_officer",
        lambda w: reverse("municipality_keyfigures_export", args=[w.municipality.pk, "xlsx"]),
    ),
    ("facilitator", lambda w: reverse("network_keyfigures_export", args=[w.network.pk, "csv"])),
    ("staff", lambda w: reverse("network_keyfigures_export", args=[w.network.pk, "xlsx"])),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_key_figure_pages_do_not_grow_with_municipalities(client, figures, role, url):
    client.force_login(figures.users[role])
    _grow(figures, 1)
    small = _count(client, url(figures))
    _grow(figures, 4)
    large = _count(client, url(figures))
    assert small == large


def test_position_in_norwegian_writes_numbers_the_norwegian_way(client, figures):
    client.force_login(figures.users["chief_executive"])
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk]) + "?year=2024"
    html = client.get(url, headers={"accept-language": "nb"}).content.decode()
    cells = _position_cells(html, figures.income)
    assert cells[1:4] == ["81 240 kr", "73 923", "73 923"]
    assert "81\xa0240" in html  # grouped with a no-break space
    assert _position_cells(html, figures.kindergarten)[2] == "90,5"


def test_position_page_shows_changed_figures_at_once(client, figures):
    """The page's table is cached until the key figures change: an edit, and an import."""
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    user = figures.users["chief_executive"]
    assert _position_cells(_get(client, user, url), figures.income)[1] == "81,240 NOK"
    observation = Observation.objects.get(
        indicator=figures.income, municipality=figures.municipality, year=2024
    )
    observation.value = 82000.0
    observation.save()
    assert _position_cells(_get(client, user, url), figures.income)[1] == "82,000 NOK"
    data = f"region_code,year,value\n{figures.municipality.code},2024,83500\n".encode()
    options = ReadOptions(indicator_code="KOSAG110000")
    import_apply(import_preview(data, "income.csv", options), allow_unmapped=True)
    assert _position_cells(_get(client, user, url), figures.income)[1] == "83,500 NOK"


def test_position_page_is_computed_once_until_the_figures_change(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    client.force_login(figures.users["chief_executive"])
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    with CaptureQueriesContext(connection) as third:
        client.get(url)
    # The second view reads the table from the cache: no query touches the observations.
    assert not [q for q in second.captured_queries if "benchmarking_observation" in q["sql"]]
    assert len(second.captured_queries) == len(third.captured_queries)


# --- Each figure in its own latest year (the page's default) ---------------------------------


def test_by_default_each_figure_is_shown_in_its_own_latest_year(client, figures):
    """Alta's kindergarten share is missing in 2024 (".."): the page shows its 2023 value,
    compared with the network's values of 2023, and the income of 2024 beside it."""
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url)
    assert '<option value="latest" selected>' in html
    assert "(2 municipalities); each figure in its latest year." in html
    kindergarten = _position_cells(html, figures.kindergarten)
    assert kindergarten[0].endswith("in 2023")
    # In 2023 only Alta of the network has a kindergarten figure: the set is Alta alone.
    assert kindergarten[1:5] == ["88.0 %", "88.0", "88.0", "1 of 1"]
    income = _position_cells(html, figures.income)
    assert income[0].endswith("in 2024")
    assert income[1] == "81,240 NOK"
    assert income[4] == "1 of 2"
    assert f"{figures.kindergarten.pk}/?year=2023" in html  # the line links to its own year


def test_a_year_asked_shows_every_figure_in_that_year(client, figures):
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url + "?year=2024")
    assert '<option value="2024" selected>' in html
    assert '<option value="latest">' in html
    assert not _position_cells(html, figures.kindergarten)[0].endswith("in 2023")


def test_the_export_of_the_latest_figures_gives_each_line_its_year(client, figures):
    import csv
    import io

    client.force_login(figures.users["chief_executive"])
    url = reverse("municipality_keyfigures_export", args=[figures.municipality.pk, "csv"])
    response = client.get(url + "?year=latest")
    assert "keyfigures-alta-latest-" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0] else ","))
    header = rows[0]
    year, code = header.index("Year"), header.index("Indicator code")
    assert {row[code]: row[year] for row in rows[1:]} == {
        "KOSAG110000": "2024",
        "KOSandel120000": "2023",
    }


def test_a_figure_without_a_better_direction_is_ranked_by_value_and_says_so(client, figures):
    """The lowest death rate is not "the worst": a rank without a direction says it follows
    the value, and the page says what that means."""
    figures.income.higher_is_better = None
    figures.income.save()
    url = reverse("municipality_keyfigures", args=[figures.municipality.pk])
    html = _get(client, figures.users["chief_executive"], url + "?year=2024")
    assert _position_cells(html, figures.income)[4] == "1 of 2 by value"
    assert _position_cells(html, figures.kindergarten)[4] == "–"  # missing in 2024
    assert "the rank and the percentile follow the value: 1 is the highest." in html


def test_network_table_shows_each_figure_in_its_latest_year_by_default(client, figures):
    """A self-assessment score of 2011 sits beside the statistics of 2024, its year said in
    its column, ranked among the members' values of 2011; a year asked shows that year's."""
    score = Indicator.objects.create(
        code="DM-dm1-overall", name_en="Digital maturity: overall score", higher_is_better=True
    )
    for municipality, value in ((figures.municipality, 63.1), (figures.neighbour, 32.9)):
        Observation.objects.create(
            indicator=score, municipality=municipality, year=2011, value=value
        )
    url = reverse("network_keyfigures", args=[figures.network.pk])
    html = _get(client, figures.users["facilitator"], url)
    assert '<option value="latest" selected>' in html
    assert f"{score.pk}/?year=2011" in html  # the column's link keeps its year
    alta = _cells(_row(html, f"member-{figures.municipality.pk}"))
    # Columns by name: kindergarten (2024), the score (2011), free income (2024).
    assert alta == [
        "Alta",
        "– missing: not available (..)",
        "63.1 rank 1 of 2",
        "81,240 rank 1 of 2",
    ]
    html = _get(client, figures.users["facilitator"], url + "?year=2024")
    assert "Digital maturity: overall score" not in html
