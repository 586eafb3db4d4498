"""A measure follows its key figure after a statistics-feed refresh, in real browsers.

Bergen's chief executive ties a measure to "Free income per inhabitant" (SSB KOSTRA table
12134, KOSAG110000) with a 2023 baseline and a target. An administrator then adds a feed for
that table and the network's members, presses "Fetch now", and the page (polling with htmx)
shows the preview once the fetch, run after the commit in a thread of the web process as the
embedded setup does without a broker, has asked the statistics office; the administrator
applies it. The chief executive's action plan then shows the 2024 value SSB published and the
progress toward the target that follows from it.

The statistics office is a local HTTP server this test starts (tests/benchmarking/
source_server.py) serving SSB's recorded PxWebApi v2 answer, cut to the selection asked as
PxWeb cuts it; ``SSB_PXWEB_URL`` points at it. Nothing is patched: the portal's connector,
its HTTP client with retries and rate limit, the thread, the importer and the pages are the
real ones. The baseline (2023) and the target are invented for the journey; every figure the
test expects from the refresh is read from the recorded file.
"""

import json
import threading

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from benchmarking import feed_tasks
from benchmarking import tasks as benchmarking_tasks
from benchmarking.feed_models import FeedRun, StatisticsFeed
from benchmarking.models import Indicator, Observation
from cemsdi_portal.core.numbers import format_number
from networks.models import Role
from notices.models import Kind, Notice
from strategies import services as strategy_services
from strategies.models import Measure
from tests import factories as f
from tests.benchmarking.source_server import SourceServer, jsonstat_subset, pxweb_selection
from tests.benchmarking.source_server import recorded as recorded_file

from .conftest import assert_accessible, sign_in

PASSWORD = "a-long-test-password"
KOSTRA = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
BASELINE_YEAR, BASELINE = 2023, 62_000.0  # invented for the journey: the file holds 2024 only
TARGET_YEAR, TARGET = 2027, 70_000.0
TITLE = "Digital innbyggerdialog for bedre skatteinngang"
FETCH_WAIT_MS = 30_000  # the page asks for itself every 3 s while the fetch runs


def _recorded() -> dict:
    """What the test needs to know of the recorded answer, read from it."""
    answer = json.loads(recorded_file(KOSTRA))
    (region_variable,) = answer["role"]["geo"]
    (year_variable,) = answer["role"]["time"]
    (contents_variable,) = answer["role"]["metric"]
    contents = answer["dimension"][contents_variable]["category"]
    (code,) = contents["index"]
    (year,) = answer["dimension"][year_variable]["category"]["index"]
    regions = answer["dimension"][region_variable]["category"]
    # Values are stored in row-major order of ``id``: region is the only dimension over 1.
    assert answer["size"][answer["id"].index(region_variable)] == len(answer["value"])
    values = {region: answer["value"][i] for region, i in regions["index"].items()}
    return {
        "table": answer["extension"]["px"]["tableid"],
        "region_variable": region_variable,
        "code": code,
        "year": int(year),
        "values": values,
        "decimals": contents["unit"][code]["decimals"],
        "unit": contents["unit"][code]["base"],
        "answer": answer,
    }


def test_a_measure_follows_its_key_figure_after_a_statistics_feed_refresh(
    live_server, transactional_db, browser, page: Page, settings
):
    ssb = _recorded()
    region = f.RegionFactory(name="Storbyene")
    members = {
        code: f.MunicipalityFactory(code=code, name=name, region=region)
        for code, name in (("0301", "Oslo"), ("4601", "Bergen"), ("5001", "Trondheim"))
    }
    assert set(members) == set(ssb["values"])  # the network's members are the answer's regions
    bergen = members["4601"]
    network = f.NetworkFactory(
        name="Storbynettverket", region=region, language="en", members=list(members.values())
    )
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, bergen, first_name="Berit", last_name="Rådmann")
    owner = f.municipal(
        Role.Kind.MUNICIPAL_STAFF, bergen, first_name="Stein", last_name="Stab", language="en"
    )
    administrator = f.UserFactory(
        first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    free_income = Indicator.objects.create(
        code=ssb["code"],
        name_en="Free income per inhabitant",
        name_nb="Frie inntekter per innbygger",
        unit=ssb["unit"],
        decimals=ssb["decimals"],
    )
    Observation.objects.create(
        indicator=free_income, municipality=bergen, year=BASELINE_YEAR, value=BASELINE
    )
    strategy = strategy_services.strategy_start(network=network, municipality=bergen, user=chief)
    decimals = ssb["decimals"]
    with translation.override("en"):
        baseline_text = format_number(BASELINE, decimals)
        target_text = format_number(TARGET, decimals)

    # The chief executive ties a measure to the key figure: baseline 2023, a target for 2027.
    sign_in(page, live_server.url, chief)
    page.goto(live_server.url + reverse("action_plan", args=[strategy.pk]))
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Owner").select_option(label=str(owner))
    page.get_by_label("Key figure").select_option(label=free_income.name_en)
    page.get_by_label("Baseline year").fill(str(BASELINE_YEAR))
    page.get_by_label("Target year").fill(str(TARGET_YEAR))
    page.get_by_label("Target value").fill(f"{TARGET:g}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The measure is added to the action plan.")).to_be_visible()
    measure = Measure.objects.get()
    assert (measure.baseline_year, measure.baseline_value) == (BASELINE_YEAR, BASELINE)
    row = page.locator(f"#measure-{measure.pk}")
    expect(row.locator("td").nth(5)).to_contain_text(
        f"{baseline_text} ({BASELINE_YEAR}) → {target_text} ({TARGET_YEAR})"
    )
    expect(row.locator("td").nth(4)).to_contain_text("by the key figure: 0 %")

    with SourceServer() as statistics_office:
        answer_now = threading.Event()  # the office answers once the page has shown it waits

        def respond(request):
            answer_now.wait(FETCH_WAIT_MS / 1000)
            return 200, {}, jsonstat_subset(ssb["answer"], pxweb_selection(request))

        statistics_office.respond = respond
        settings.SSB_PXWEB_URL = f"{statistics_office.url}/api/pxwebapi/v2"
        settings.CONNECTOR_BACKOFF_FACTOR = 0

        # The administrator adds the feed: table 12134, KOSAG110000, the network's members.
        context = browser.new_context(
            reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo"
        )
        try:
            admin_page = context.new_page()
            sign_in(admin_page, live_server.url, administrator)
            admin_page.goto(live_server.url + reverse("feed_list"))
            admin_page.get_by_role("link", name="Add a feed").click()
            admin_page.get_by_label("Name").fill("KOSTRA 12134: free income")
            admin_page.get_by_label("Source").select_option("ssb")
            admin_page.get_by_label("Table").fill(ssb["table"])
            admin_page.get_by_label("Indicators").fill(ssb["code"])
            admin_page.get_by_label("Region variable").fill(ssb["region_variable"])
            admin_page.get_by_label("Regions: members of the network").select_option(
                label=network.name
            )
            admin_page.get_by_role("textbox", name="Years", exact=True).fill(str(ssb["year"]))
            admin_page.get_by_role("button", name="Save", exact=True).click()
            expect(
                admin_page.get_by_text("The feed KOSTRA 12134: free income is saved.")
            ).to_be_visible()
            feed = StatisticsFeed.objects.get()
            expect(admin_page.locator("dl.facts")).to_contain_text(
                f"the members of {network.name} (3 codes)"
            )
            assert_accessible(admin_page, "the new feed's page")

            # "Fetch now": the page says a fetch is under way while the office has not
            # answered, then, asking for itself, shows the preview without a reload.
            admin_page.get_by_role("button", name="Fetch now").click()
            expect(admin_page.get_by_text("A fetch is under way.")).to_be_visible()
            expect(admin_page.get_by_role("button", name="Fetch now")).to_be_disabled()
            assert_accessible(admin_page, "the feed's page while it fetches")
            admin_page.evaluate("window.notReloaded = true")
            answer_now.set()
            expect(
                admin_page.get_by_role("heading", name="Fetched: check before applying")
            ).to_be_visible(timeout=FETCH_WAIT_MS)
            assert admin_page.evaluate("window.notReloaded") is True  # htmx swapped it in
            expect(admin_page.get_by_text("A fetch is under way.")).to_have_count(0)
            expect(admin_page.get_by_text("Fetching")).to_have_count(0)  # nothing stale above
            feed_tasks.background_join()
            (run,) = FeedRun.objects.filter(feed=feed)
            assert run.state == FeedRun.State.PREVIEWED, run.message
            (asked,) = statistics_office.requests
            assert asked.path == f"/api/pxwebapi/v2/tables/{ssb['table']}/data"
            assert pxweb_selection(asked)[ssb["region_variable"]] == sorted(members)
            # Bergen's 2024 is new; Oslo and Trondheim too: the indicator is known already.
            expect(admin_page.locator("#count-new")).to_have_text(str(len(ssb["values"])))
            expect(admin_page.locator("#count-indicators-known")).to_have_text("1")
            expect(admin_page.locator("#count-changed")).to_have_text("0")
            assert Observation.objects.count() == 1  # a fetch imports nothing
            assert_accessible(admin_page, "the feed's preview")

            admin_page.get_by_role("button", name="Apply", exact=True).click()
            expect(
                admin_page.get_by_text(
                    "KOSTRA 12134: free income is applied: the fetched figures are saved, all "
                    "of them."
                )
            ).to_be_visible()
            expect(admin_page.get_by_role("heading", name="Latest applied fetch")).to_be_visible()
            applied = admin_page.get_by_role("table", name="What the import changed")
            expect(applied.locator("#count-new")).to_have_text(str(len(ssb["values"])))
            expect(admin_page.locator("#run-message")).to_have_count(0)
            benchmarking_tasks.background_join()  # the ranks computed after the commit
        finally:
            answer_now.set()  # a failed step leaves no fetch waiting on the office
            feed_tasks.background_join(FETCH_WAIT_MS / 1000)
            context.close()

    saved = dict(
        Observation.objects.filter(indicator=free_income, year=ssb["year"]).values_list(
            "municipality__code", "value"
        )
    )
    assert saved == {code: float(value) for code, value in ssb["values"].items()}
    # The figure moved toward the target: its owner is not told it moved away.
    assert not Notice.objects.filter(kind=Kind.MEASURE_FIGURE_WORSE).exists()

    # Bergen's action plan: SSB's 2024 value, and the progress toward the target it gives.
    latest = float(ssb["values"][bergen.code])
    with translation.override("en"):
        latest_text = format_number(latest, decimals)
        share = format_number((latest - BASELINE) / (TARGET - BASELINE) * 100, 0)
    page.reload()
    row = page.locator(f"#measure-{measure.pk}")
    figure = row.locator("td").nth(5)
    expect(figure).to_contain_text(f"{latest_text} ({ssb['year']}) → {target_text} ({TARGET_YEAR})")
    expect(figure).to_contain_text(f"from {baseline_text} in {BASELINE_YEAR}")
    expect(figure).to_contain_text(f"{share} % of the way")
    expect(figure).not_to_contain_text("further from the target")
    expect(row.locator("td").nth(4)).to_contain_text(f"by the key figure: {share} %")
    assert_accessible(page, "the action plan after the feed's refresh")
