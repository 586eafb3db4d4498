"""The community's journey: a chief executive in Portugal, reading the portal in Portuguese,
opens the library of practices, filters it to Norway and to practices that moved their figure,
finds a Norwegian practice (its text marked as Norwegian), takes it up into her action plan
("Use this in our plan") and sees the new measure there; then the Norwegian municipality's
chief executive signs in and sees the adoption on the practice's page, on their action plan
and in their notices. axe-core finds nothing serious or critical at 1280 px, nor on the
library's and the practice's pages at a phone's 390 px, which are no wider than the screen.

The page's words come from the catalogue as it is when the test runs (``_pt``), so the test
reads the buttons and labels in whatever Portuguese the catalogue has, English where it has
none yet; the fields are found by their ids."""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from community import services as community_services
from community.models import Adoption
from networks.models import Role
from strategies import services as strategy_services
from tests import factories as f
from tests.e2e.conftest import assert_accessible, sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

TITLE = "Lederkurs i digital ledelse med hjemmeoppgaver"
WHAT = "Hele ledergruppen tok et kurs i digital ledelse over fire samlinger."
STILL = "Felles postmottak for kommunene"  # a Norwegian practice whose figure fell


def _pt(msgid: str, **values) -> str:
    with translation.override("pt"):
        text = gettext(msgid)
    return text % values if values else text


def _published(strategy, chief, indicator, title, what):
    measure = strategy_services.measure_save(
        strategy=strategy,
        data={
            "title": title,
            "status": "done",
            "indicator": indicator,
            "baseline_year": 2010,
            "target_year": 2011,
            "target_value": 75.0,
        },
    )
    return community_services.practice_publish(
        measure=measure, data={"title": title, "what": what}, user=chief
    )


def _world():
    """Måsøy (Norway) shares its plan with two practices, one whose score rose from 50.0 to
    87.5 and one whose score fell; Évora (Portugal) has started its own strategy."""
    programme = f.ProgrammeFactory(acronym="CEMSDI")
    norway = f.CountryFactory(code="NO", name="Norway")
    portugal = f.CountryFactory(code="PT", name="Portugal")
    masoy = f.MunicipalityFactory(name="Måsøy", region=f.RegionFactory(country=norway))
    evora = f.MunicipalityFactory(name="Évora", region=f.RegionFactory(country=portugal))
    finnmark = f.NetworkFactory(
        programme=programme, name="eKommune Finnmark", language="nb", members=[masoy]
    )
    alentejo = f.NetworkFactory(
        programme=programme, name="eMunicípio Alentejo", language="pt", members=[evora]
    )
    vidar = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, masoy, username="ce-5618", first_name="Vidar",
        last_name="Vik", language="nb",
    )  # fmt: skip
    ana = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, evora, username="chief-pt", first_name="Ana",
        last_name="Carvalho", language="pt",
    )  # fmt: skip
    competence = f.IndicatorFactory(
        code="DM-dm1-competence", name_en="Digital maturity: Competence and capacity"
    )
    post = f.IndicatorFactory(code="KOSTEST-post", name_en="Letters answered on time")
    for indicator, before, after in ((competence, 50.0, 87.5), (post, 80.0, 70.0)):
        for year, value in ((2010, before), (2011, after)):
            f.ObservationFactory(indicator=indicator, municipality=masoy, year=year, value=value)
    source = strategy_services.strategy_start(network=finnmark, municipality=masoy, user=vidar)
    strategy_services.strategy_set_status(strategy=source, status="shared", user=vidar)
    practice = _published(source, vidar, competence, TITLE, WHAT)
    _published(source, vidar, post, STILL, "Kommunene svarer på brev fra ett felles postmottak.")
    plan = strategy_services.strategy_start(network=alentejo, municipality=evora, user=ana)
    return vidar, ana, source, plan, practice, norway


def _context(browser, viewport):
    return browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo", viewport=viewport
    )


def _no_wider_than(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide on a {width} px screen"


def _find_in_library(page: Page, base: str, country) -> None:
    """Open the library and filter it to Norway's practices that moved their figure."""
    page.goto(base + reverse("practice_list"))
    assert page.evaluate("document.documentElement.lang") == "pt"
    page.locator("#id_country").select_option(value=str(country.pk))
    page.locator("#id_moved").check()
    page.locator("form.practice-search button[type=submit]").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_text(STILL)).to_have_count(0)  # its figure fell


def test_a_portuguese_chief_takes_up_a_norwegian_practice_and_norway_sees_it(
    live_server, transactional_db, browser
):
    vidar, ana, source, plan, practice, norway = _world()
    base = live_server.url
    context = _context(browser, DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, base, ana)
        _find_in_library(page, base, norway)
        assert_accessible(page, "the library, filtered")

        page.get_by_role("link", name=TITLE).click()
        expect(page).to_have_url(base + reverse("practice_detail", args=[practice.pk]))
        assert page.evaluate("document.documentElement.lang") == "pt"
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(TITLE)
        assert heading.get_attribute("lang") == "nb"
        what = page.get_by_text(WHAT)
        expect(what).to_be_visible()
        assert what.evaluate("el => el.closest('[lang]').getAttribute('lang')") == "nb"
        assert_accessible(page, "the practice")

        adopt = page.locator("section.practice-adopt")
        expect(adopt.get_by_role("heading", name=_pt("Use this in our plan"))).to_be_visible()
        strategies = adopt.locator("#id_strategy")
        if strategies.locator("option[value='']").count():
            strategies.select_option(value=str(plan.pk))
        adopt.get_by_role("button", name=_pt("Use this in our plan")).click()
        expect(page).to_have_url(re.compile(r"/measures/\d+/"))
        adoption = Adoption.objects.get(practice=practice)
        assert (adoption.strategy, adoption.municipality.name) == (plan, "Évora")

        page.goto(base + reverse("action_plan", args=[plan.pk]))
        row = page.locator(f"#measure-{adoption.measure_id}")
        expect(row).to_contain_text(TITLE)
        assert_accessible(page, "Évora's action plan with the new measure")
    finally:
        context.close()

    phone = _context(browser, PHONE)
    page = phone.new_page()
    try:
        sign_in(page, base, ana)
        _find_in_library(page, base, norway)
        _no_wider_than(page, PHONE["width"])
        assert_accessible(page, "the library on a phone")
        page.goto(base + reverse("practice_detail", args=[practice.pk]))
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        _no_wider_than(page, PHONE["width"])
        assert_accessible(page, "the practice on a phone")
    finally:
        phone.close()

    context = _context(browser, DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, base, vidar)
        assert page.evaluate("document.documentElement.lang") == "nb"
        page.goto(base + reverse("practice_detail", args=[practice.pk]))
        adopters = page.locator("table.practice-adoptions")
        expect(adopters).to_contain_text("Évora")
        assert_accessible(page, "the practice, seen by its source")

        page.goto(base + reverse("action_plan", args=[source.pk]))
        uptake = page.locator(f"#measure-{practice.measure_id} .measure-practice")
        expect(uptake).to_contain_text("Évora (Portugal)")
        link = uptake.get_by_role("link")
        assert link.get_attribute("href") == reverse("practice_detail", args=[practice.pk])
        assert_accessible(page, "the source's action plan")

        page.goto(base + reverse("notices"))
        expect(page.get_by_text(TITLE).first).to_be_visible()
        expect(page.get_by_text("Ana Carvalho").first).to_be_visible()
        assert_accessible(page, "the source's notices")
    finally:
        context.close()
