"""The chief executive's journey in Portuguese, Spanish and Italian: a municipality of a
network that works in the language, its chief executive reading the portal in it, opens home,
the municipality's key figures, the strategy and its action plan. On each page ``<html lang>``
is the language, a known text of the page is in it (read from the catalogue when the test runs,
and not the English: the test fails while the catalogue lacks it), the strategy's text people
wrote is there, and axe-core finds nothing serious or critical; the strategy page at a phone's
390 px is no wider than the screen. And a Norwegian strategy shown to an Italian reader is read
as Norwegian: its text is inside ``lang="nb"``."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from networks.models import Role
from strategies import services as strategy_services
from tests import factories as f
from tests.e2e.conftest import assert_accessible, sign_in

PHONE = 390


@dataclass(frozen=True)
class Pilot:
    language: str
    country: tuple[str, str]  # code, name
    region: str
    municipalities: tuple[str, str, str]
    network: str
    section: str  # the clear strategy section, as the municipality wrote it
    measure: str


PILOTS = {
    "pt": Pilot(
        "pt", ("PT", "Portugal"), "Alentejo", ("Évora", "Beja", "Portalegre"),
        "eMunicípio Alentejo",
        "O município coopera com os vizinhos para oferecer serviços digitais simples.",
        "Balcão único digital para os munícipes",
    ),
    "es": Pilot(
        "es", ("ES", "Spain"), "Extremadura", ("Cáceres", "Badajoz", "Mérida"),
        "eMunicipio Extremadura",
        "El municipio coopera con sus vecinos para ofrecer servicios digitales sencillos.",
        "Sede electrónica común para la ciudadanía",
    ),
    "it": Pilot(
        "it", ("IT", "Italy"), "Emilia-Romagna", ("Modena", "Reggio Emilia", "Parma"),
        "eComune Emilia-Romagna",
        "Il comune collabora con i vicini per offrire servizi digitali semplici.",
        "Sportello digitale unico per i cittadini",
    ),
}  # fmt: skip


def _in(language: str, msgid: str, **values) -> str:
    """The catalogue's translation of ``msgid``; it must be there, not the English."""
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid, f"the {language} catalogue does not translate {msgid!r}"
    return text % values if values else text


def _pilot_world(pilot: Pilot):
    code, name = pilot.country
    country = f.CountryFactory(code=code, name=name)
    region = f.RegionFactory(country=country, name=pilot.region)
    members = [f.MunicipalityFactory(name=n, region=region) for n in pilot.municipalities]
    network = f.NetworkFactory(
        name=pilot.network, region=region, language=pilot.language, members=members
    )
    chief = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, members[0], username=f"chief-{pilot.language}",
        first_name="Ana", last_name="Costa", language=pilot.language,
    )  # fmt: skip
    indicator = f.IndicatorFactory(name_en="Population using e-government services", unit="%")
    for municipality, value in zip(members, (61.5, 55.2, 70.8), strict=True):
        f.ObservationFactory(indicator=indicator, municipality=municipality, value=value)
    strategy = strategy_services.strategy_start(
        network=network, municipality=members[0], user=chief
    )
    section = strategy.sections.get(kind="clear_strategy")
    strategy_services.section_save(
        section=section, user=chief, body=pilot.section, base_version=section.version
    )
    strategy_services.measure_save(
        strategy=strategy, data={"title": pilot.measure, "status": "planned", "progress": 0}
    )
    return members[0], chief, strategy


def _checked(page: Page, language: str, ui_text: str, *written: str, where: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language, where
    expect(page.get_by_text(ui_text, exact=False).first).to_be_visible()
    for text in written:
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    assert_accessible(page, where)


def _context(browser, **options):
    return browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo", **options
    )


@pytest.mark.parametrize("language", ["pt", "es", "it"])
def test_the_chief_executive_reads_key_figures_and_strategy_in_the_language(
    live_server, transactional_db, browser, language
):
    pilot = PILOTS[language]
    municipality, chief, strategy = _pilot_world(pilot)
    assert strategy.language == language  # written in the network's working language
    base = live_server.url
    context = _context(browser)
    page = context.new_page()
    try:
        sign_in(page, base, chief)

        page.goto(base + reverse("home"))
        welcome = _in(language, "Welcome, %(name)s", name=chief.get_full_name())
        _checked(page, language, welcome, strategy.title, where="home")

        page.goto(base + reverse("municipality_keyfigures", args=[municipality.pk]))
        _checked(
            page, language, _in(language, "Where we stand: key figures"), municipality.name,
            where="key figures",
        )  # fmt: skip

        page.goto(base + reverse("strategy_detail", args=[strategy.pk]))
        _checked(
            page, language, _in(language, "Progress of the action plan"), pilot.section,
            where="strategy",
        )  # fmt: skip

        page.get_by_role("link", name=_in(language, "Action plan"), exact=True).click()
        expect(page).to_have_url(base + reverse("action_plan", args=[strategy.pk]))
        plan_heading = _in(language, "Action plan of %(name)s", name=municipality.name)
        _checked(page, language, plan_heading, pilot.measure, where="action plan")
        # The text is in the page's language: nothing marks it as another.
        marked = page.locator("strong", has_text=pilot.measure).evaluate(
            "el => el.closest('[lang]').getAttribute('lang')"
        )
        assert marked == language
    finally:
        context.close()

    phone = _context(browser, viewport={"width": PHONE, "height": 844})
    page = phone.new_page()
    try:
        sign_in(page, base, chief)
        page.goto(base + reverse("strategy_detail", args=[strategy.pk]))
        expect(page.get_by_text(pilot.section)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE, f"{page.url} is {width} px wide on a {PHONE} px screen"
        assert_accessible(page, "strategy on a phone")
    finally:
        phone.close()


def test_a_norwegian_strategy_is_read_as_norwegian_in_an_italian_page(
    live_server, transactional_db, browser
):
    body = "Kommunen samarbeider med nabokommunene om digitale tjenester."
    alta = f.MunicipalityFactory(name="Alta")
    network = f.NetworkFactory(name="eKommune Finnmark", language="nb", members=[alta])
    reader = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, alta, username="chief-it-in-alta", language="it"
    )
    strategy = strategy_services.strategy_start(network=network, municipality=alta, user=reader)
    assert strategy.language == "nb"
    section = strategy.sections.get(kind="clear_strategy")
    strategy_services.section_save(
        section=section, user=reader, body=body, base_version=section.version
    )
    context = _context(browser)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, reader)
        page.goto(live_server.url + reverse("strategy_detail", args=[strategy.pk]))
        assert page.evaluate("document.documentElement.lang") == "it"
        text = page.get_by_text(body)
        expect(text).to_be_visible()
        assert text.evaluate("el => el.closest('[lang]').getAttribute('lang')") == "nb"
        heading = page.locator(f"#s{section.pk}-heading")
        assert heading.get_attribute("lang") == "nb"
        title = page.get_by_role("heading", level=1)
        assert title.get_attribute("lang") == "nb"
        assert_accessible(page, "a Norwegian strategy in an Italian page")
    finally:
        context.close()
