"""A finished network's next phase, on a 390-pixel phone: the facilitator opens the finished
network, starts its next phase from the form (a refused period first, then a good one), lands on
the new network's page that names the phase it continues, and the returning municipality's chief
executive accepts the invitation from home and starts a strategy that carries the undone
measure. On every page axe-core finds nothing serious or critical, and nothing is wider than
the screen."""

from datetime import date

from django.urls import reverse
from playwright.sync_api import Page, expect

from networks.models import Network, Role
from strategies import services as strategy_services
from strategies.models import Strategy
from tests import factories as f

from .conftest import assert_accessible, sign_in

WIDTH = 390


def _checked(page: Page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide on a {WIDTH} px screen"
    assert_accessible(page, where)


def test_facilitator_starts_the_next_phase_on_a_phone(live_server, transactional_db, browser):
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest")
    )
    f.MunicipalityFactory(name="Vardø", region=region)
    network = f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest]
    )
    facilitator = f.facilitator_of(network, username="frida", first_name="Frida")
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, username="anne", first_name="Anne")
    strategy = strategy_services.strategy_start(network=network, municipality=alta, user=chief)
    strategy_services.measure_save(
        strategy=strategy, data={"title": "One service desk for schools", "owner": chief}
    )
    for status in ("shared", "adopted"):
        strategy_services.strategy_set_status(
            strategy=strategy, status=status, user=chief, adopted_on=date(2011, 5, 2),
            decision_reference="PS 12/11",
        )  # fmt: skip
    Network.objects.filter(pk=network.pk).update(state=Network.State.FINISHED)

    context = browser.new_context(
        reduced_motion="reduce", locale="en-GB", viewport={"width": WIDTH, "height": 900}
    )
    page = context.new_page()
    try:
        sign_in(page, live_server.url, facilitator)
        page.goto(live_server.url + reverse("network_detail", args=[network.pk]))
        _checked(page, "the finished network")
        page.get_by_role("link", name="Start the next phase").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Start the next phase")
        _checked(page, "the next phase form")
        page.get_by_label("Planned start").fill("2012-05-01")
        page.get_by_label("Planned end").fill("2012-09-30")
        page.get_by_label("Vardø").check()
        page.get_by_role("button", name="Start the next phase").click()
        expect(page.locator(".error-summary")).to_be_visible()
        _checked(page, "the refused form")
        page.get_by_label("Planned start").fill("2011-08-15")
        page.get_by_label("Planned end").fill("2012-04-30")
        page.get_by_role("button", name="Start the next phase").click()
        expect(page.get_by_text("Phase 2 of")).to_be_visible()
        _checked(page, "the new network")
        page.get_by_role("link", name="eKommune Finnmark", exact=True).click()
        expect(page.get_by_text("Continued in")).to_be_visible()

        context.clear_cookies()
        sign_in(page, live_server.url, chief)
        page.get_by_role("button", name="Join the network").first.click()
        following = Network.objects.get(predecessor=network)
        expect(page.get_by_role("heading", level=1)).to_have_text(following.name)
        page.goto(live_server.url + reverse("network_strategies", args=[following.pk]))
        _checked(page, "the new network's strategies")
        page.get_by_role("button", name="Start the strategy for Alta").click()
        new = Strategy.objects.get(network=following, municipality=alta)
        page.goto(live_server.url + reverse("action_plan", args=[new.pk]))
        expect(page.get_by_text("carried over from the previous phase")).to_be_visible()
        _checked(page, "the carried action plan")
        assert new.started_from == strategy
    finally:
        context.close()
