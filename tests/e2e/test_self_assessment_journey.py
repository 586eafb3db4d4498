"""The digital maturity self-assessment in a real browser: the facilitator opens a baseline
round at gathering 1, the chief executives of Alta and Hammerfest answer and submit, the
facilitator closes it, and Alta's chief executive sees the network's scores; a second round
(a second one in the same year is refused on the year) is answered and closed, and the chief
executive sees the movement between the rounds. The scores are key figures: a measure tied to
the overall score after the baseline follows the second round's score on the action plan.
axe-core checks the answer form and the results page, also at a phone's width."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.models import Round
from cemsdi_portal.core.numbers import format_number
from networks.models import Role
from strategies import services as strategy_services
from strategies.models import Measure
from tests import factories as f
from tests.assessment.helpers import gatherings_of, seed_first_questionnaire
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-long-test-password"


def _person(browser, base: str, user) -> Page:
    """A browser context of its own for each person, signed in."""
    context = browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo"
    )
    page = context.new_page()
    sign_in(page, base, user, PASSWORD)
    return page


def _open_round(page: Page, base: str, network, year: int | None = None) -> None:
    page.goto(base + reverse("network_detail", args=[network.pk]))
    page.get_by_role("link", name="Digital maturity", exact=True).click()
    page.get_by_role("link", name="Open a round").click()
    if year is not None:
        page.get_by_label("Year of the key figures").fill(str(year))
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The round is open: the members can answer.")).to_be_visible()


def _answer(page: Page, base: str, network, municipality, level: str, *, check=False) -> None:
    """Answer every question with the level labelled ``level`` and submit."""
    page.goto(base + reverse("network_assessment", args=[network.pk]))
    page.get_by_role("link", name=f"Answer for {municipality.name}").first.click()
    groups = page.locator("fieldset")
    expect(groups.first).to_be_visible()
    if check:
        assert_accessible(page, "the answer form")
    # A partly answered draft is saved; submitting it names what is missing.
    groups.first.get_by_label(level).check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Your answers are saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Submit the answers").click()
    expect(page.get_by_text("Answer every question to submit them.")).to_be_visible()
    for index in range(groups.count()):
        groups.nth(index).get_by_label(level).check()
    page.get_by_role("button", name="Submit the answers").click()
    expect(page.get_by_text("The answers are submitted. Thank you.")).to_be_visible()


def _close(page: Page, base: str, round_: Round) -> None:
    page.goto(base + reverse("round_detail", args=[round_.pk]))
    expect(page.get_by_text("2 submitted")).to_be_visible()
    page.get_by_role("button", name="Close the round").click()
    expect(
        page.get_by_text("The round is closed: the answers are locked and scored.")
    ).to_be_visible()


def test_a_network_assesses_its_digital_maturity_twice(live_server, transactional_db, browser):
    seed_first_questionnaire()  # the flush of a browser test's database takes it away
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest")
    )
    network = f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest]
    )
    gatherings_of(network)
    base = live_server.url
    facilitator = _person(browser, base, f.facilitator_of(network, password=PASSWORD))
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, password=PASSWORD)
    alta_chief = _person(browser, base, chief)
    hammerfest_chief = _person(
        browser, base, f.municipal(Role.Kind.CHIEF_EXECUTIVE, hammerfest, password=PASSWORD)
    )

    # The baseline round, at gathering 1.
    _open_round(facilitator, base, network)
    baseline = Round.objects.get(network=network)
    assert baseline.gathering.number == 1
    _answer(alta_chief, base, network, alta, "Early: a few initiatives, not planned", check=True)
    _answer(hammerfest_chief, base, network, hammerfest, "Under way: planned and partly in place")
    _close(facilitator, base, baseline)

    # Alta's chief executive sees the whole network's scores, Alta marked as their own.
    alta_chief.goto(base + reverse("network_assessment", args=[network.pk]))
    scores = alta_chief.get_by_role("region", name=f"Scores {baseline.year}")
    expect(scores.get_by_role("row", name="Hammerfest")).to_contain_text("50.0")
    expect(scores.get_by_role("row", name="Alta (your municipality)")).to_contain_text("25.0")
    assert_accessible(alta_chief, "the results page")

    # The overall score is a key figure: Alta ties a measure to it, baseline the first round.
    strategy = strategy_services.strategy_start(network=network, municipality=alta, user=chief)
    alta_chief.goto(base + reverse("action_plan", args=[strategy.pk]))
    alta_chief.get_by_role("link", name="Add a measure").click()
    alta_chief.get_by_label("Title").fill("Digital services everywhere")
    alta_chief.get_by_label("Key figure").select_option(label="Digital maturity: overall score")
    alta_chief.get_by_label("Baseline year").fill(str(baseline.year))
    alta_chief.get_by_label("Target year").fill(str(baseline.year + 3))
    alta_chief.get_by_label("Target value").fill("100")
    alta_chief.get_by_role("button", name="Save", exact=True).click()
    expect(alta_chief.get_by_text("The measure is added to the action plan.")).to_be_visible()
    measure = Measure.objects.get()
    assert measure.baseline_value == 25.0  # read from the first round's score

    # A second round in the same year is refused on the year, and opened for the next.
    facilitator.goto(base + reverse("assessment_round_open", args=[network.pk]))
    facilitator.get_by_label("Year of the key figures").fill(str(baseline.year))
    facilitator.get_by_role("button", name="Open the round").click()
    expect(facilitator.get_by_text("there is one round per year").first).to_be_visible()
    _open_round(facilitator, base, network, year=baseline.year + 1)
    second = Round.objects.get(network=network, year=baseline.year + 1)
    assert second.gathering.number == 4
    _answer(alta_chief, base, network, alta, "Established: in place across the municipality")
    _answer(hammerfest_chief, base, network, hammerfest, "Under way: planned and partly in place")
    _close(facilitator, base, second)

    # The movement: Alta went from 25 to 75 points in every theme, Hammerfest stayed at 50.
    alta_chief.goto(base + reverse("network_assessment", args=[network.pk]))
    heading = f"Movement from {baseline.year} to {second.year}"
    expect(alta_chief.get_by_role("heading", name=heading)).to_be_visible()
    movement = alta_chief.get_by_role("region", name="Movement between rounds")
    expect(movement.get_by_role("row", name="Alta (your municipality)")).to_contain_text(
        "75.0 (+50.0)"
    )
    expect(movement.get_by_role("row", name="Hammerfest")).to_contain_text("50.0 (0.0)")

    # The measure follows the second round's score: 25 -> 75 of the way to 100.
    alta_chief.goto(base + reverse("action_plan", args=[strategy.pk]))
    row = alta_chief.locator(f"#measure-{measure.pk}")
    share = format_number((75.0 - 25.0) / (100.0 - 25.0) * 100, 0)
    expect(row).to_contain_text(f"75.0 ({second.year}) → 100.0 ({baseline.year + 3})")
    expect(row).to_contain_text(f"by the key figure: {share} %")
    alta_chief.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(alta_chief, "the results page on a phone")
    for page in (facilitator, alta_chief, hammerfest_chief):
        page.context.close()
