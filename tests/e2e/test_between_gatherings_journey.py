"""Between two gatherings, on a 390-pixel phone: a chief executive answers the invitation to the
next gathering from the home page's to-do list, reads the facilitator's new comment on the
strategy from "New for you", replies in its thread, and brings a measure of the action plan up
to date. On every page axe-core finds nothing serious or critical, and nothing is wider than
the screen."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from networks.models import Role
from notices.models import Kind, Notice
from sessions_app.models import GatheringAnswer
from strategies import services as strategy_services
from strategies.models import Measure, Section, SectionComment, Strategy
from tests import factories as f

from .conftest import assert_accessible

PASSWORD = "a-long-test-password"
WIDTH = 390
COMMENT = "Could Alta and Hammerfest share one service desk for the schools?"
REPLY = "Yes: we talk to Hammerfest next week and bring a proposal to the gathering."


def _fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways at phone width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide on a {WIDTH} px screen"


def _checked(page: Page, where: str) -> None:
    _fits_the_screen(page)
    assert_accessible(page, where)


def test_chief_executive_between_gatherings_on_a_phone(live_server, transactional_db, browser):
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest")
    )
    network = f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest]
    )
    facilitator = f.facilitator_of(network, first_name="Frida", last_name="Fasilitator")
    chief = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE,
        alta,
        username="anne",
        first_name="Anne",
        last_name="Rådmann",
        password=PASSWORD,
    )
    starts_at = timezone.now() + timedelta(days=21)
    gathering = f.GatheringFactory(
        network=network,
        number=2,
        title="Shared services",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=7),
        venue="Alta kulturhus",
        invitations_sent_at=timezone.now() - timedelta(days=7),
    )

    # The strategy as in life: started and shared by the chief executive, then the
    # facilitator comments on a section, which tells the municipality's editors.
    strategy = strategy_services.strategy_start(network=network, municipality=alta, user=chief)
    strategy_services.strategy_set_status(
        strategy=strategy, status=Strategy.Status.SHARED, user=chief
    )
    section = strategy.sections.get(kind=Section.Kind.CLEAR_STRATEGY)
    comment = strategy_services.section_comment(section=section, user=facilitator, body=COMMENT)
    notice = Notice.objects.get(recipient=chief, kind=Kind.COMMENT)
    measure = f.MeasureFactory(
        strategy=strategy, section=section, owner=chief, title="One service desk for schools"
    )

    context = browser.new_context(
        reduced_motion="reduce",
        viewport={"width": WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        timezone_id="Europe/Oslo",
    )
    page = context.new_page()
    try:
        # Sign in on the phone.
        page.goto(live_server.url + reverse("login"))
        page.locator("#id_username").fill(chief.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Anne Rådmann")

        # Home: the next gathering waits for an answer.
        todo = page.locator("section", has=page.locator("#todo-heading"))
        gathering_row = todo.get_by_role("listitem").filter(has_text=gathering.title)
        expect(gathering_row).to_contain_text("You have not answered the invitation yet.")
        _checked(page, "home, before answering")

        # Answer the invitation on the gathering's page.
        gathering_row.get_by_role("link", name="Answer now").click()
        expect(page).to_have_url(
            live_server.url + reverse("gathering_detail", args=[gathering.pk]) + "#answer-heading"
        )
        answering = page.locator("section", has=page.locator("#answer-heading"))
        expect(answering).to_contain_text("You have not answered yet.")
        _checked(page, "gathering, before answering")
        answering.get_by_role("button", name="Yes, I will come").click()
        expect(page.get_by_text("Thank you: you will come.")).to_be_visible()
        answering = page.locator("section", has=page.locator("#answer-heading"))
        expect(answering).to_contain_text("Your answer: I will come.")
        expect(answering.get_by_role("button", name="Yes, I will come")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert GatheringAnswer.objects.filter(
            gathering=gathering, person=chief, answer=GatheringAnswer.Answer.YES
        ).exists()
        _checked(page, "gathering, answered")

        # Back home: the answer is kept, and the facilitator's comment is new.
        page.goto(live_server.url + reverse("home"))
        expect(todo.get_by_role("listitem").filter(has_text=gathering.title)).to_contain_text(
            "You said you will come"
        )
        sentence = f"Frida Fasilitator commented on “{section.title} (Alta)”."
        new_for_you = todo.get_by_role("link", name=sentence)
        expect(new_for_you).to_be_visible()
        expect(todo).to_contain_text(f"“{COMMENT}”")
        _checked(page, "home, a new comment")

        # Open it: the strategy, at the comment; the notice is read.
        new_for_you.click()
        expect(page).to_have_url(
            live_server.url + reverse("strategy_detail", args=[strategy.pk]) + f"#c{comment.pk}"
        )
        thread = page.locator(f"#c{comment.pk}")
        expect(thread).to_be_visible()
        expect(thread).to_contain_text("Frida Fasilitator")
        expect(thread).to_contain_text(COMMENT)
        notice.refresh_from_db()
        assert notice.read_at is not None
        _checked(page, "strategy, the comment")

        # Reply in the thread.
        thread.get_by_label("Reply").fill(REPLY)
        thread.get_by_role("button", name="Send reply").click()
        expect(page.get_by_text("Your reply is added.")).to_be_visible()
        reply = SectionComment.objects.get(parent=comment)
        assert (reply.author, reply.body) == (chief, REPLY)
        shown = page.locator(f"#c{comment.pk} #c{reply.pk}")
        expect(shown).to_contain_text("Anne Rådmann")
        expect(shown).to_contain_text(REPLY)
        told = Notice.objects.get(recipient=facilitator, kind=Kind.REPLY)
        assert (told.actor, told.excerpt, told.read_at) == (chief, REPLY, None)
        assert not Notice.objects.filter(recipient=chief, kind=Kind.REPLY).exists()
        _checked(page, "strategy, replied")

        # The action plan: bring the measure up to date.
        page.locator("#main").get_by_role("link", name="Action plan", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Action plan of Alta")
        _checked(page, "action plan, before the edit")
        page.get_by_role("link", name=f"Edit {measure.title}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Measure: {measure.title}")
        page.get_by_label("Status").select_option(label="Under way")
        page.get_by_label("Progress (%)").fill("40")
        _checked(page, "measure form")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("The measure is saved.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Action plan of Alta")
        row = page.get_by_role("table").locator("tbody tr").filter(has_text=measure.title)
        expect(row.locator('td[data-label="Status"]')).to_have_text("Under way")
        expect(row.locator('td[data-label="Progress"]')).to_contain_text("40 %")
        measure = Measure.objects.get(pk=measure.pk)
        assert (measure.status, measure.progress) == (Measure.Status.UNDER_WAY, 40)
        _checked(page, "action plan, after the edit")
    finally:
        context.close()
