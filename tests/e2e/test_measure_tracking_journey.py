"""A measure that tracks itself, in real browsers: the chief executive ties a measure to a key
figure with a baseline and a target; the network's facilitator imports newer figures through
the upload page (preview, then confirm); the chief executive's action plan then shows the new
value and the progress the data give, and the measure's owner, whose figure moved away from
the target, finds the notice under "New for you" on home.

The refresh is one small function (``refresh_key_figures``): the upload page here; the same
journey through a statistics feed (an administrator's "Fetch now" against a local server
serving SSB's recorded answer, the preview, the apply) is test_feed_refresh_journey.py."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from benchmarking import tasks as benchmarking_tasks
from benchmarking.models import Indicator, Observation
from cemsdi_portal.core.numbers import format_number
from networks.models import Role
from notices.models import Kind, Notice
from strategies import services as strategy_services
from strategies.models import Measure
from tests import factories as f

from .conftest import assert_accessible, sign_in

PASSWORD = "a-long-test-password"
CODE = "KOSandel120000"
BASELINE, TARGET = 84.0, 95.0
TITLE = "Digital søknad om barnehageplass"


def _new_page(browser) -> tuple:
    context = browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo"
    )
    return context, context.new_page()


def refresh_key_figures(page: Page, base: str, tmp_path: Path, rows) -> None:
    """Newer key figures arrive: a facilitator uploads them (a file in the importer's long
    format), reads the preview and confirms it."""
    lines = ["region_code,region_name,indicator,indicator_name,year,value,status"]
    lines += [f"{m.code},{m.name},{CODE},Barn 1-2 år,{year},{value}," for m, year, value in rows]
    upload = tmp_path / "kostra-barnehage-refresh.csv"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.goto(base + reverse("keyfigures_import"))
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Show what would change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#count-new")).to_have_text(str(len(rows)))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(f"{upload.name} is imported.")).to_be_visible()
    benchmarking_tasks.background_join()  # the ranks computed after the commit


def test_a_measure_follows_its_key_figure_after_a_refresh(
    live_server, transactional_db, browser, page: Page, tmp_path
):
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest")
    )
    network = f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest]
    )
    chief = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, alta, first_name="Anne", last_name="Rådmann", password=PASSWORD
    )
    owner = f.municipal(
        Role.Kind.MUNICIPAL_STAFF,
        alta,
        first_name="Stian",
        last_name="Stab",
        password=PASSWORD,
        language="en",
    )
    facilitator = f.facilitator_of(
        network, first_name="Frida", last_name="Fasilitator", password=PASSWORD
    )
    kindergarten = Indicator.objects.create(
        code=CODE, name_en="Children aged 1-2 in kindergarten", unit="%", decimals=1
    )
    for year, value in ((2023, 80.0), (2024, BASELINE)):
        Observation.objects.create(
            indicator=kindergarten, municipality=alta, year=year, value=value
        )
    strategy = strategy_services.strategy_start(network=network, municipality=alta, user=chief)

    # The chief executive ties a measure to the key figure: baseline 2024, target 95 in 2027.
    sign_in(page, live_server.url, chief)
    page.goto(live_server.url + reverse("action_plan", args=[strategy.pk]))
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Owner").select_option(label=str(owner))
    page.get_by_label("Key figure").select_option(label=kindergarten.name_en)
    page.get_by_label("Baseline year").fill("2024")
    page.get_by_label("Target year").fill("2027")
    page.get_by_label("Target value").fill(f"{TARGET:g}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The measure is added to the action plan.")).to_be_visible()
    measure = Measure.objects.get()
    assert (measure.baseline_year, measure.baseline_value) == (2024, BASELINE)
    row = page.locator(f"#measure-{measure.pk}")
    expect(row.locator("td").nth(5)).to_contain_text("84.0 (2024) → 95.0 (2027)")
    expect(row.locator("td").nth(4)).to_contain_text("by the key figure: 0 %")

    # The facilitator brings 2025 (up to 90.0) and 2026 (down again, to 87.0).
    context, facilitator_page = _new_page(browser)
    try:
        sign_in(facilitator_page, live_server.url, facilitator)
        refresh_key_figures(
            facilitator_page, live_server.url, tmp_path, [(alta, 2025, 90.0), (alta, 2026, 87.0)]
        )
    finally:
        context.close()

    # The action plan shows the newest value, the progress from it, and that it fell back.
    page.reload()
    row = page.locator(f"#measure-{measure.pk}")
    share = format_number((87.0 - BASELINE) / (TARGET - BASELINE) * 100, 0)
    figure = row.locator("td").nth(5)
    expect(figure).to_contain_text("87.0 (2026) → 95.0 (2027)")
    expect(figure).to_contain_text(f"{share} % of the way")
    expect(figure).to_contain_text("further from the target than in 2025 (90.0)")
    expect(row.locator("td").nth(4)).to_contain_text(f"by the key figure: {share} %")
    assert_accessible(page, "the action plan after a refresh")

    # The measure's own page: the figure against baseline and target, beside the work's progress.
    page.get_by_role("link", name=f"Edit {TITLE}").click()
    panel = page.locator("#measure-figure")
    expect(panel).to_contain_text("Baseline 84.0 (2024)")
    expect(panel).to_contain_text("Latest value 87.0 (2026)")
    expect(panel).to_contain_text(f"Progress by the key figure {share}")
    assert_accessible(page, "the measure page after a refresh")

    # The owner is told, once, on home.
    (notice,) = Notice.objects.filter(kind=Kind.MEASURE_FIGURE_WORSE)
    assert notice.recipient == owner
    context, owner_page = _new_page(browser)
    try:
        sign_in(owner_page, live_server.url, owner)
        owner_page.goto(live_server.url + reverse("home"))
        new_for_you = owner_page.locator("section", has_text="New for you").first
        told = new_for_you.get_by_role(
            "link", name=f"The key figure of your measure “{TITLE}” moved away from its target."
        )
        expect(told).to_be_visible()
        expect(new_for_you).to_contain_text("87.0 in 2026, after 90.0 in 2025")
        assert_accessible(owner_page, "home with the notice")
        told.click()
        expect(owner_page.locator(f"#measure-{measure.pk}")).to_be_visible()
    finally:
        context.close()
