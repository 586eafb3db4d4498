"""A chief executive finds a key figure in the catalogue, on a desktop and on a 390-pixel
phone: from the navigation, by a search without its accents, to the indicator's page with
its over-time chart and the network's median in the legend. axe-core finds nothing serious,
and nothing is wider than the screen."""

from statistics import median

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from networks.models import Role
from tests import factories as f

from .conftest import axe_violations, describe_violations

PASSWORD = "a-long-test-password"


@pytest.mark.parametrize("width", [1280, 390])
def test_chief_executive_finds_a_key_figure_in_the_catalogue(
    live_server, transactional_db, browser, width
):
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest, vadso = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest", "Vadsø")
    )
    f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest, vadso]
    )
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, password=PASSWORD)
    kindergarten = f.IndicatorFactory(
        code="KOSandel120000",
        name_en="Children aged 1-2 in kindergarten",
        name_nb="Andel barn 1-2 år i barnehage (prosent)",
        unit="prosent",
        category="kindergartens",
    )
    f.IndicatorFactory(code="KOSAG110000", name_en="Free income", unit="kr", category="finances")
    values_by_year = {2023: (84.0, 86.0, 88.0), 2024: (85.4, 90.1, 88.2)}  # Alta, Hammerfest, Vadsø
    for year, values in values_by_year.items():
        for municipality, value in zip((alta, hammerfest, vadso), values, strict=True):
            f.ObservationFactory(
                indicator=kindergarten, municipality=municipality, year=year, value=value
            )

    context = browser.new_context(
        reduced_motion="reduce",
        viewport={"width": width, "height": 844},
        locale="en-GB",
        timezone_id="Europe/Oslo",
    )
    page = context.new_page()

    def fits_and_accessible():
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

    try:
        page.goto(live_server.url + reverse("login"))
        page.locator("#id_username").fill(chief.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()

        navigation = page.get_by_role("navigation", name="Main")
        if width < 768:
            navigation.get_by_role("button", name="Show menu").click()
        navigation.get_by_role("link", name="Key figures").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Key figures")
        expect(page.get_by_role("status")).to_have_text("2 indicators.")
        fits_and_accessible()

        # Searched in Norwegian without its "å": the Norwegian name is searched too.
        page.get_by_role("searchbox", name="Search").fill("BARNEHAGE AR")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("status")).to_have_text("1 of 2 indicators match.")
        row = page.locator(f"#indicator-{kindergarten.pk}")
        expect(row.locator('td[data-label="Unit"]')).to_have_text("%")
        expect(row.locator('td[data-label="Years"]')).to_have_text("2023–2024")
        expect(row.locator('td[data-label="Municipalities"]')).to_have_text("3")
        fits_and_accessible()

        row.get_by_role("link", name="Children aged 1-2 in kindergarten").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Children aged 1-2 in kindergarten"
        )
        chart = page.get_by_role("img", name="Children aged 1-2 in kindergarten, Alta by year")
        own = "; ".join(f"{year}: {values[0]:.1f}" for year, values in values_by_year.items())
        medians = "; ".join(
            f"{year}: {median(values):.1f}" for year, values in values_by_year.items()
        )
        expect(chart).to_have_attribute(
            "aria-label",
            f"Children aged 1-2 in kindergarten, Alta by year (%): {own}. "
            f"Median of the network eKommune Finnmark: {medians}.",
        )
        expect(page.get_by_role("link", name="All key figures of Alta")).to_be_visible()
        fits_and_accessible()
    finally:
        context.close()
