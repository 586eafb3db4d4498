"""A chief executive's strategy, in real browsers: write a section, add a measure tied to a key
figure and see its latest value against the target, share the strategy; then the chief
executive and a colleague edit the same section at once, and the second to save sees both
texts, keeps their own, and saves it."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from benchmarking.models import Indicator, Observation
from networks.models import Role
from strategies.models import Measure, Section, Strategy
from tests import factories as f

from .conftest import sign_in

PASSWORD = "a-long-test-password"
SECTION_TEXT = "Alta skal samarbeide med **Hammerfest** om drift.\n\n- Felles IKT\n- Felles kurs"
CHIEF_TEXT = "Alta samarbeider med Hammerfest og Loppa om drift."
STAFF_TEXT = "Alta samarbeider med hele Vest-Finnmark om drift og innkjøp."


def test_chief_executive_writes_plans_shares_and_resolves_a_conflict(
    live_server, transactional_db, browser, page: Page
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
    staff = f.municipal(
        Role.Kind.MUNICIPAL_STAFF, alta, first_name="Stian", last_name="Stab", password=PASSWORD
    )
    kindergarten = Indicator.objects.create(
        code="KOSandel120000", name_en="Children aged 1-2 in kindergarten", unit="%", decimals=1
    )
    for year, value in ((2023, 80.0), (2024, 84.0)):
        Observation.objects.create(
            indicator=kindergarten, municipality=alta, year=year, value=value
        )

    # Sign in and start the strategy from the network's strategies page.
    sign_in(page, live_server.url, chief)
    page.goto(live_server.url + reverse("network_strategies", args=[network.pk]))
    page.get_by_role("button", name="Start the strategy for Alta").click()
    expect(
        page.get_by_text("The strategy is started, and today's key figures are kept")
    ).to_be_visible()
    strategy = Strategy.objects.get(municipality=alta)
    expect(page.get_by_role("heading", level=1)).to_have_text(strategy.title)
    section = strategy.sections.get(kind=Section.Kind.CLEAR_STRATEGY)

    # Write the first section.
    page.get_by_role("link", name=f"Edit {section.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
    page.get_by_label("Text").fill(SECTION_TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The section is saved.")).to_be_visible()
    shown = page.locator(f"#s{section.pk} .strategy-text")
    expect(shown.locator("strong")).to_have_text("Hammerfest")
    expect(shown.locator("li")).to_have_text(["Felles IKT", "Felles kurs"])

    # A year later the key figure has moved: 88.0 in 2025.
    Observation.objects.create(indicator=kindergarten, municipality=alta, year=2025, value=88.0)

    # Add a measure tied to the key figure; the baseline comes from the frozen one.
    page.get_by_role("link", name="Action plan", exact=True).click()
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Title").fill("Digital søknad om barnehageplass")
    page.get_by_label("Strategy section").select_option(label=section.title)
    page.get_by_label("Owner").select_option(label=str(staff))
    page.get_by_label("Due date").fill("2027-06-30")
    page.get_by_label("Key figure").select_option(label=kindergarten.name_en)
    page.get_by_label("Target year").fill("2027")
    page.get_by_label("Target value").fill("95")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The measure is added to the action plan.")).to_be_visible()
    row = page.get_by_role("table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_contain_text("Digital søknad om barnehageplass")
    figure = row.locator("td").nth(5)
    expect(figure).to_contain_text("88.0 (2025)")
    expect(figure).to_contain_text("→ 95.0 (2027)")
    expect(figure).to_contain_text("from 84.0 in 2024")
    measure = Measure.objects.get()
    assert (measure.baseline_year, measure.baseline_value, measure.owner) == (2024, 84.0, staff)

    # Share the strategy with the network.
    page.get_by_role("link", name="Alta", exact=True).click()
    page.get_by_role("link", name="Share or adopt").click()
    page.get_by_label("New status").select_option("shared")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("The strategy's status is changed.")).to_be_visible()
    expect(page.locator(".badge", has_text="Shared with the network").first).to_be_visible()
    strategy.refresh_from_db()
    assert strategy.status == "shared"

    # The chief executive and a colleague open the same section's editor.
    edit_url = live_server.url + reverse("section_edit", args=[section.pk])
    page.goto(edit_url)
    expect(page.get_by_text("Nobody else has this section open.")).to_be_visible()
    context = browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo"
    )
    try:
        colleague = context.new_page()
        sign_in(colleague, live_server.url, staff)
        colleague.goto(edit_url)
        expect(colleague.locator("#presence")).to_contain_text(
            f"{chief.get_full_name()} also has this section open."
        )

        # The chief executive saves first.
        page.get_by_label("Text").fill(CHIEF_TEXT)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("The section is saved.")).to_be_visible()

        # The colleague saves on the old version: both texts, and theirs still in the editor.
        colleague.get_by_label("Text").fill(STAFF_TEXT)
        colleague.get_by_role("button", name="Save", exact=True).click()
        conflict = colleague.get_by_role("alert")
        expect(conflict).to_contain_text("Someone else saved this section while you were writing")
        expect(conflict).to_contain_text(chief.get_full_name())
        expect(colleague.locator("#their-text")).to_have_text(CHIEF_TEXT)
        expect(colleague.get_by_label("Text")).to_have_value(STAFF_TEXT)
        expect(colleague.locator(".diff del").first).to_be_visible()
        section.refresh_from_db()
        assert section.body == CHIEF_TEXT

        # They keep their own text and save it.
        colleague.get_by_role("button", name="Save my text").click()
        expect(colleague.get_by_text("The section is saved.")).to_be_visible()
        expect(colleague.locator(f"#s{section.pk} .strategy-text")).to_have_text(STAFF_TEXT)
    finally:
        context.close()

    section.refresh_from_db()
    assert (section.body, section.version, section.updated_by) == (STAFF_TEXT, 3, staff)
    assert list(section.revisions.order_by("version").values_list("version", "author", "body")) == [
        # A browser sends a textarea's line breaks as CRLF; the text is kept with plain ones.
        (1, chief.pk, SECTION_TEXT),
        (2, chief.pk, CHIEF_TEXT),
        (3, staff.pk, STAFF_TEXT),
    ]
