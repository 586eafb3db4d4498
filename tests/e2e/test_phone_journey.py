"""On a 390-pixel phone: the agenda's buttons are on the screen and large enough to tap, a key
figure's median, rank and percentile are shown, axe-core finds nothing serious, and a refused
form puts the focus on its error summary, whose links lead to the fields."""

from django.urls import reverse
from playwright.sync_api import expect

from networks.models import Role
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from tests import factories as f

from .conftest import axe_violations, describe_violations

PASSWORD = "a-long-test-password"
WIDTH = 390


def _on_screen_and_tappable(locator):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0, (locator, box)
    assert box["x"] + box["width"] <= WIDTH, (locator, box)
    assert box["width"] >= 44, (locator, box)
    assert box["height"] >= 44, (locator, box)


def _no_blocking_violations(page):
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_phone_agenda_key_figures_and_error_summary(live_server, transactional_db, browser):
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest, vadso = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest", "Vadsø")
    )
    network = f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest, vadso]
    )
    facilitator = f.facilitator_of(network, username="facilitator", password=PASSWORD)
    for municipality in (alta, hammerfest, vadso):
        f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
    drafts = sessions_selectors.schedule_proposal(network=network)
    gathering = sessions_services.gathering_schedule(network=network, drafts=drafts)[0]
    indicator = f.IndicatorFactory(name_en="Children aged 1-2 in kindergarten", unit="%")
    for municipality, value in ((alta, 85.4), (hammerfest, 90.1), (vadso, 80.2)):
        f.ObservationFactory(indicator=indicator, municipality=municipality, year=2024, value=value)

    context = browser.new_context(
        reduced_motion="reduce",
        viewport={"width": WIDTH, "height": 844},
        locale="en-GB",
        timezone_id="Europe/Oslo",
    )
    page = context.new_page()
    try:
        # A refused sign-in: the focus is on the summary at the top, not on the page's body.
        page.goto(live_server.url + reverse("login"))
        page.locator("#id_username").fill(facilitator.username)
        page.locator("#id_password").fill("not the password")
        page.locator("#main").get_by_role("button", name="Sign in").click()
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("heading")).to_have_text("There is a problem")

        page.locator("#id_password").fill(PASSWORD)
        page.locator("#main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()

        # The agenda at 390 px: every row's Edit, up, down and Remove are on the screen.
        page.goto(live_server.url + reverse("gathering_detail", args=[gathering.pk]))
        first = gathering.agenda.first()
        row = page.locator(f"#agenda-item-{first.pk}")
        for name in (
            f"Edit {first.title}",
            f"Move up: {first.title}",
            f"Move down: {first.title}",
            f"Remove {first.title}",
        ):
            _on_screen_and_tappable(
                row.get_by_role("button", name=name).or_(row.get_by_role("link", name=name))
            )
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        _no_blocking_violations(page)

        # A refused agenda item, answered in place by htmx: the new summary takes the focus,
        # and its link moves the focus to the field.
        adding = page.locator("form").filter(has_text="Add an item at the end")
        adding.get_by_role("button", name="Add").click()
        summary = page.locator("#agenda [data-error-summary]")
        expect(summary).to_be_focused()
        summary.get_by_role("link", name="Title: This field is required.").click()
        expect(page.locator("#id_title")).to_be_focused()

        # Alta's key figures against the network: median, rank and percentile on the screen.
        page.goto(
            live_server.url
            + reverse("municipality_keyfigures", args=[alta.pk])
            + f"?compare=network-{network.pk}&year=2024"
        )
        line = page.locator(f"#indicator-{indicator.pk}")
        for label, text in (("Median", "85.4"), ("Rank", "2 of 3"), ("Percentile", "")):
            cell = line.locator(f'td[data-label="{label}"]')
            expect(cell).to_be_visible()
            if text:
                expect(cell).to_contain_text(text)
            box = cell.bounding_box()
            assert box["x"] >= 0, (label, box)
            assert box["x"] + box["width"] <= WIDTH, (label, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        _no_blocking_violations(page)
    finally:
        context.close()
