"""The portal's three journeys, in a real browser, in English and in Norwegian, at a desktop's
and a phone's width (12 runs), with axe-core over every page they visit.

1. A facilitator signs in (by keyboard alone), creates a network of municipalities, schedules
   its four gatherings, edits an agenda item in place, records attendance and downloads the
   calendar file, which is parsed back.
2. A chief executive signs in, reads the municipality's position in key figures, writes two
   strategy sections (the second by keyboard alone) and three measures, one tied to a key
   figure, shares the strategy, and reads the facilitator's comment.
3. The project officer signs in, asks for the programme's review report (by keyboard alone),
   sees it go from queued to ready without a reload, downloads the PDF and finds in it the
   outcome figures computed from the records.

Each run starts in the other language (the browser asks for it) and switches with the
language form in the top bar; labels and texts are looked up in the catalogue, not typed in
Norwegian. A serious or critical axe-core violation on any page fails the run.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from statistics import mean

import icalendar
import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Browser, Page, expect

from benchmarking import charts
from benchmarking.models import Indicator, Observation
from cemsdi_portal.core.numbers import format_hours
from networks import services as network_services
from networks.forms import NetworkForm
from networks.models import Network, Role
from networks.selectors import network_period_warning
from notices.models import Notice
from reports import figures
from reports.models import ReportRequest
from reports.tasks import render_report
from sessions_app import selectors as sessions_selectors
from sessions_app import services as gathering_services
from sessions_app.models import Attendance, Gathering
from sessions_app.selectors import gathering_invitees, training_hours
from strategies import services as strategy_services
from strategies.forms import MeasureForm, SectionForm, StatusForm
from strategies.models import Measure, Section, Strategy
from tests import factories as f

from ..reports.conftest import pdf_text
from .conftest import assert_accessible, assert_focus_visible, tab_to

PASSWORD = "a-long-test-password"
OTHER_LANGUAGE = {"en": "nb", "nb": "en"}
BROWSER_LOCALE = {"en": "en-GB", "nb": "nb-NO"}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}

pytestmark = [
    pytest.mark.parametrize("viewport", list(VIEWPORTS)),
    pytest.mark.parametrize("language", ["en", "nb"]),
]


def _in(language: str, msgid: str, context: str | None = None, **params) -> str:
    """A string of the portal as it reads in ``language``, with its placeholders filled."""
    with translation.override(language):
        text = pgettext(context, msgid) if context else gettext(msgid)
    return text % params if params else text


def _label(language: str, form, name: str) -> str:
    with translation.override(language):
        return str(form.fields[name].label)


def _hours(language: str, value) -> str:
    with translation.override(language):
        return format_hours(value)


@dataclass
class Journey:
    page: Page
    base: str
    language: str
    phone: bool

    def _(self, msgid: str, context: str | None = None, **params) -> str:
        return _in(self.language, msgid, context, **params)

    def field(self, label: str):
        """A form field by its label (crispy forms add "*" to a required field's label)."""
        return self.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))

    def check(self, where: str = "") -> None:
        assert_accessible(self.page, where)

    def expect_heading(self, text: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(text)

    def expect_message(self, text: str) -> None:
        expect(self.page.get_by_role("status").filter(has_text=text)).to_be_visible()

    def switch_language(self) -> None:
        """The browser asked for the other language; switch with the form in the top bar."""
        page, shown = self.page, OTHER_LANGUAGE[self.language]
        expect(page.locator("html")).to_have_attribute("lang", shown)
        self.check("before switching the language")
        if self.phone:
            page.get_by_role("button", name=_in(shown, "Show menu")).click()
        # The chooser changes the language on selection (js/forms.js); its button is for
        # browsers without JavaScript.
        page.get_by_label(_in(shown, "Language"), exact=True).select_option(self.language)
        expect(page.locator("html")).to_have_attribute("lang", self.language)

    def sign_in(self, user, *, by_keyboard: bool = False) -> None:
        page = self.page
        page.goto(self.base + reverse("login"))
        self.switch_language()
        self.check("sign-in page")
        form = AuthenticationForm()
        username = self.field(_label(self.language, form, "username"))
        password = self.field(_label(self.language, form, "password"))
        submit = page.get_by_role("main").get_by_role("button", name=self._("Sign in"))
        if by_keyboard:
            tab_to(page, username)
            page.keyboard.type(user.username)
            page.keyboard.press("Tab")
            expect(password).to_be_focused()
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Tab")
            expect(submit).to_be_focused()
            assert_focus_visible(submit)
            page.keyboard.press("Enter")
        else:
            username.fill(user.username)
            password.fill(PASSWORD)
            submit.click()
        self.expect_heading(self._("Welcome, %(name)s", name=user.get_full_name()))
        self.check("home page")


@pytest.fixture
def journey(browser: Browser, live_server, language, viewport, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    context = browser.new_context(
        locale=BROWSER_LOCALE[OTHER_LANGUAGE[language]],  # the site starts in the other one
        timezone_id="Europe/Oslo",
        reduced_motion="reduce",
        **VIEWPORTS[viewport],
    )
    try:
        yield Journey(context.new_page(), live_server.url, language, viewport == "phone")
    finally:
        context.close()


# --- 1. The facilitator -----------------------------------------------------------------------


def test_facilitator_creates_a_network_schedules_it_and_downloads_its_calendar(
    journey: Journey, transactional_db
):
    page, language, _ = journey.page, journey.language, journey._
    today = timezone.localdate()
    programme = f.ProgrammeFactory(
        acronym="CEMSDI",
        start_date=today - relativedelta(years=1),
        end_date=today + relativedelta(years=2),
    )
    finnmark = f.RegionFactory(code="56", name="Finnmark")
    troms = f.RegionFactory(code="55", name="Troms")
    alta, hammerfest, vadso = (
        f.MunicipalityFactory(code=code, name=name, region=finnmark)
        for code, name in (("5601", "Alta"), ("5603", "Hammerfest"), ("5607", "Vadsø"))
    )
    f.MunicipalityFactory(code="5608", name="Måsøy", region=finnmark)  # not chosen
    tromso = f.MunicipalityFactory(code="5501", name="Tromsø", region=troms)
    earlier = f.NetworkFactory(
        programme=programme, name="eKommune Troms", region=troms, members=[tromso]
    )
    facilitator = f.facilitator_of(
        earlier,
        username="facilitator",
        first_name="Frida",
        last_name="Fasilitator",
        password=PASSWORD,
    )
    chiefs = {
        m: f.municipal(Role.Kind.CHIEF_EXECUTIVE, m, first_name="Chief", last_name=m.name)
        for m in (alta, hammerfest, vadso)
    }
    alta_mayor = f.municipal(Role.Kind.MAYOR, alta, first_name="Mayor", last_name="Alta")
    name = "eKommune Finnmark"
    # Begun a week ago: the first gathering is held by now, and its attendance can be recorded.
    start = today - timedelta(days=7)
    end = start + relativedelta(months=8)

    # Sign in by keyboard alone, and create the network from the home page.
    journey.sign_in(facilitator, by_keyboard=True)
    page.get_by_role("link", name=_("Create a network")).click()
    journey.expect_heading(_("Create a network"))
    journey.check("network form")
    form = NetworkForm(user=facilitator)
    journey.field(_label(language, form, "name")).fill(name)
    journey.field(_label(language, form, "state")).select_option("planned")
    journey.field(_label(language, form, "region")).select_option(label=str(finnmark))
    journey.field(_label(language, form, "planned_start")).fill(start.isoformat())
    journey.field(_label(language, form, "planned_end")).fill(end.isoformat())
    journey.field(_label(language, form, "language")).select_option(language)
    for municipality in (alta, hammerfest, vadso):
        page.get_by_label(f"{municipality.name} ({municipality.code})").check()
    page.get_by_role("button", name=_("Create network")).click()

    journey.expect_heading(name)
    journey.expect_message(_("The network “%(name)s” was created.", name=name))
    journey.check("network page")
    network = Network.objects.get(name=name)
    assert (network.programme, network.region, network.language) == (programme, finnmark, language)
    assert (network.planned_start, network.planned_end) == (start, end)
    # The three are invited; each joins when its chief executive accepts (on their home page,
    # as tests/networks/test_trust.py does through the pages).
    assert set(network.municipalities.all()) == set()
    for invitation in network.membership_invitations.all():
        network_services.membership_decide(
            invitation=invitation, by=chiefs[invitation.municipality], accept=True
        )
    assert set(network.municipalities.all()) == {alta, hammerfest, vadso}
    assert network.roles.filter(user=facilitator, kind=Role.Kind.FACILITATOR).exists()

    # Schedule the four gatherings the standard programme proposes, with a venue for the first.
    page.get_by_role("link", name=_("Gatherings"), exact=True).click()
    journey.expect_heading(_("Gatherings"))
    journey.check("gatherings, none yet")
    page.get_by_role("link", name=_("Schedule the gatherings")).click()
    journey.expect_heading(_("Schedule the four gatherings"))
    journey.check("schedule form")
    proposal = sessions_selectors.schedule_proposal(network=network)
    for draft in proposal:
        group = page.get_by_role("group", name=_("Gathering %(number)s", number=draft.number))
        expect(group.get_by_label(_("Title"))).to_have_value(draft.title)
        expect(group.get_by_label(_("Date"))).to_have_value(
            timezone.localtime(draft.starts_at).date().isoformat()
        )
    # A venue for the first; the last a year after the first, which the method warns about.
    venue = "Thon Hotel Vica, Alta"
    last_day = timezone.localtime(proposal[0].starts_at).date() + relativedelta(months=11)
    page.get_by_role("group", name=_("Gathering %(number)s", number=1)).get_by_label(
        _("Venue")
    ).fill(venue)
    page.get_by_role("group", name=_("Gathering %(number)s", number=4)).get_by_label(
        _("Date")
    ).fill(last_day.isoformat())
    page.get_by_role("button", name=_("Save the schedule")).click()
    with translation.override(language):
        warning = network_period_warning(
            start=timezone.localtime(proposal[0].starts_at).date(), end=last_day
        )
    # The error summary at the top links to the box that keeps the dates, beside the warning.
    summary = page.get_by_role("alert", name=_("There is a problem"))
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_contain_text(warning)
    keep = page.get_by_label(_("Keep these dates anyway"))
    expect(page.get_by_role("alert").filter(has=keep)).to_contain_text(warning)
    journey.check("schedule form, warning")
    assert not Gathering.objects.filter(network=network).exists()
    keep.check()
    page.get_by_role("button", name=_("Save the schedule")).click()

    journey.expect_message(_("The four gatherings are scheduled."))
    journey.check("gatherings, scheduled")
    gatherings = list(Gathering.objects.filter(network=network).order_by("number"))
    assert [(g.number, g.title) for g in gatherings] == [(d.number, d.title) for d in proposal]
    assert gatherings[0].venue == venue
    assert timezone.localtime(gatherings[3].starts_at).date() == last_day
    rows = page.get_by_role("table", name=_("The four gatherings")).locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text(venue)

    # Gathering 1's agenda: shorten and rename an item in place, without a page load.
    first = gatherings[0]
    page.get_by_role("link", name=f"1. {first.title}").click()
    journey.expect_heading(_("Gathering %(number)s: %(title)s", number=1, title=first.title))
    journey.check("gathering page")
    items = list(first.agenda.all())
    edited = items[1]
    new_title = {"en": "The national framework, briefly", "nb": "Det nasjonale rammeverket"}
    new_minutes = edited.duration_minutes - 15
    page.evaluate("window.__journey = 1")  # gone if the page were loaded again
    agenda = page.locator("#agenda")
    agenda.locator(f"#agenda-item-{edited.pk}").get_by_role(
        "link", name=f"{_('Edit')} {edited.title}"
    ).click()
    editor = agenda.locator("form").filter(has=page.get_by_role("button", name=_("Save")))
    expect(editor.get_by_label(_("Title"))).to_have_value(edited.title)
    journey.check("agenda item editor")
    editor.get_by_label(_("Title")).fill(new_title[language])
    editor.get_by_label(_("Minutes")).fill(str(new_minutes))
    editor.get_by_role("button", name=_("Save")).click()
    expect(editor).to_have_count(0)
    expect(page.locator(f"#agenda-item-{edited.pk} td").nth(1)).to_have_text(new_title[language])
    minutes = sum(item.duration_minutes for item in items if item.is_training) - 15
    expect(agenda).to_contain_text(
        _(
            "%(hours)s of training (breaks not counted). Each item starts when the one "
            "before it ends.",
            hours=_hours(language, training_hours(minutes)),
        )
    )
    assert page.evaluate("window.__journey") == 1
    edited.refresh_from_db()
    assert (edited.title, edited.duration_minutes) == (new_title[language], new_minutes)
    journey.check("agenda after the edit")

    # Attendance: Alta's and Hammerfest's chief executives and Alta's mayor came.
    page.get_by_role("link", name=_("Record attendance")).click()
    journey.expect_heading(_("Record attendance"))
    journey.check("attendance form")
    present = {chiefs[alta], chiefs[hammerfest], alta_mayor}
    for person in present:
        page.get_by_label(_("%(name)s was present", name=person.get_full_name())).check()
    page.get_by_label(_("Hours for %(name)s", name=chiefs[hammerfest].get_full_name())).fill("5.5")
    page.get_by_role("button", name=_("Save attendance")).click()
    journey.expect_message(_("Attendance is recorded."))
    journey.check("gathering page, held")
    came = page.get_by_role("region", name=_("Who came"), exact=True).locator("tbody tr")
    expect(came).to_have_count(3)
    yes, no = _("yes"), _("no")
    expect(came.nth(0).locator("td")).to_have_text(["Alta", yes, yes])
    expect(came.nth(2).locator("td")).to_have_text(["Vadsø", no, no])
    invitees = {i.person for i in gathering_invitees(first)}
    assert {(a.person, a.present, a.hours) for a in Attendance.objects.filter(gathering=first)} == {
        (p, p in present, Decimal("5.50") if p == chiefs[hammerfest] else None) for p in invitees
    }

    # The network's gatherings, one held; then the calendar page, and its file read back.
    page.get_by_role("link", name=_("Gatherings"), exact=True).click()
    expect(rows.first.get_by_role("cell").last).to_have_text(_("held"))
    journey.check("gatherings, one held")
    page.get_by_role("link", name=_("Calendar"), exact=True).click()
    journey.expect_heading(_("Calendar"))
    journey.check("calendar page")
    with page.expect_download() as download:
        page.get_by_role("link", name=_("Download the calendar file (.ics)")).click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    for gathering in gatherings:
        gathering.refresh_from_db()
    assert [
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"), str(e.get("location", "")))
        for e in events
    ] == [(f"{name}: {g.number}. {g.title}", g.starts_at, g.ends_at, g.venue) for g in gatherings]
    assert new_title[language] in str(events[0]["description"])


# --- 2. The chief executive -------------------------------------------------------------------

KINDERGARTEN = {"en": "Children aged 1-2 in kindergarten", "nb": "Andel barn 1-2 år i barnehage"}
E_INVOICES = {"en": "Invoices received electronically", "nb": "Fakturaer mottatt elektronisk"}
SECTION_TEXTS = (
    "Alta samarbeider med **Hammerfest** og Vadsø om felles drift.\n\n- Felles IKT\n- Felles kurs",
    "Rådmannen leder arbeidet; en styringsgruppe med IT-sjefene møtes hver måned.",
)
COMMENT = "Godt skrevet! Ta gjerne med innkjøp i samarbeidet."
REPLY = "Takk, vi tar med innkjøp i neste versjon."


def test_chief_executive_reads_key_figures_writes_the_strategy_and_reads_a_comment(
    journey: Journey, transactional_db
):
    page, language, _ = journey.page, journey.language, journey._
    programme = f.ProgrammeFactory(acronym="CEMSDI")
    finnmark = f.RegionFactory(code="56", name="Finnmark")
    alta, hammerfest, vadso = (
        f.MunicipalityFactory(code=code, name=name, region=finnmark)
        for code, name in (("5601", "Alta"), ("5603", "Hammerfest"), ("5607", "Vadsø"))
    )
    network = f.NetworkFactory(
        programme=programme,
        name="eKommune Finnmark",
        region=finnmark,
        language=language,
        members=[alta, hammerfest, vadso],
    )
    facilitator = f.facilitator_of(network, first_name="Frida", last_name="Fasilitator")
    chief = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE,
        alta,
        username="chief",
        first_name="Anne",
        last_name="Rådmann",
        password=PASSWORD,
    )
    staff = f.municipal(Role.Kind.MUNICIPAL_STAFF, alta, first_name="Stian", last_name="Stab")
    kindergarten = Indicator.objects.create(
        code="KOSandel120000",
        name_en=KINDERGARTEN["en"],
        name_nb=KINDERGARTEN["nb"],
        unit="%",
        decimals=1,
        higher_is_better=True,
        category="Barnehage",
    )
    e_invoices = Indicator.objects.create(
        code="KOSefaktura0000",
        name_en=E_INVOICES["en"],
        name_nb=E_INVOICES["nb"],
        unit="%",
        decimals=0,
        higher_is_better=True,
        category="Digitalisering",
    )
    values = {
        kindergarten: {alta: (80.0, 84.0), hammerfest: (85.5, 86.25), vadso: (79.0, 81.0)},
        e_invoices: {alta: (40.0, 55.0), hammerfest: (70.0, 72.0), vadso: (35.0, 62.0)},
    }
    for indicator, by_municipality in values.items():
        for municipality, series in by_municipality.items():
            for year, value in zip((2023, 2024), series, strict=True):
                Observation.objects.create(
                    indicator=indicator, municipality=municipality, year=year, value=value
                )

    journey.sign_in(chief)

    # Where Alta stands against its network in 2024, each figure as computed from the rows.
    page.get_by_role("region", name=_("Your municipality")).get_by_role("link", name="Alta").click()
    journey.expect_heading("Alta")
    journey.check("municipality page")
    page.get_by_role("main").get_by_role("link", name=_("Key figures"), exact=True).click()
    journey.expect_heading(_("Where we stand: key figures"))
    journey.check("key figures")
    ranks = {}
    for indicator, by_municipality in values.items():
        latest = {m: series[-1] for m, series in by_municipality.items()}
        rank = ranks[indicator] = 1 + sum(value > latest[alta] for value in latest.values())
        with translation.override(language):
            value, average = (
                charts.format_number(v, indicator.decimals)
                for v in (latest[alta], mean(latest.values()))
            )
            name = indicator.name
        row = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader").filter(has_text=name)
        )
        cells = row.get_by_role("cell")
        expect(cells.nth(0)).to_contain_text(value)
        expect(cells.nth(1)).to_have_text(average)
        expect(cells.nth(3)).to_have_text(_("%(rank)s of %(total)s", rank=rank, total=len(latest)))
        # Each chart is an image whose text alternative states the numbers.
        charts_in_row = row.get_by_role("img")
        expect(charts_in_row).to_have_count(2)
        expect(charts_in_row.first).to_have_accessible_name(re.compile(re.escape(value)))

    # The ranking of one key figure, Alta marked as the chief executive's own.
    with translation.override(language):
        name = kindergarten.name
    page.get_by_role("rowheader").get_by_role("link", name=name).click()
    journey.expect_heading(name)
    own = page.locator(".kf-own")
    expect(own.get_by_role("rowheader")).to_contain_text("Alta")
    expect(own.get_by_role("cell").first).to_have_text(str(ranks[kindergarten]))
    journey.check("key figure ranking")

    # Start the strategy from the network's strategies, and write two sections.
    page.get_by_role("link", name="CEMSDI", exact=True).click()
    page.get_by_role("link", name=_("Strategies of the network")).click()
    journey.expect_heading(_("eKommune strategies and action plans"))
    journey.check("network strategies")
    page.get_by_role("button", name=_("Start the strategy for %(name)s", name="Alta")).click()
    journey.expect_message(
        _("The strategy is started, and today's key figures are kept as its baseline.")
    )
    strategy = Strategy.objects.get(network=network, municipality=alta)
    journey.expect_heading(strategy.title)
    journey.check("strategy page")
    sections = list(strategy.sections.order_by("position")[:2])
    text_label = _label(language, SectionForm(own_section=False), "body")
    for number, (section, text) in enumerate(zip(sections, SECTION_TEXTS, strict=True)):
        page.get_by_role("link", name=f"{_('Edit')} {section.title}").click()
        journey.expect_heading(section.title)
        journey.check("section editor")
        body = journey.field(text_label)
        if number == 0:
            body.fill(text)
            page.get_by_role("button", name=_("Save"), exact=True).click()
        else:  # by keyboard alone
            tab_to(page, body)
            page.keyboard.insert_text(text)
            save = page.get_by_role("button", name=_("Save"), exact=True)
            tab_to(page, save)
            assert_focus_visible(save)
            page.keyboard.press("Enter")
        journey.expect_message(_("The section is saved."))
        expect(page.locator(f"#s{section.pk} .strategy-text")).to_be_visible()
    expect(page.locator(f"#s{sections[0].pk} .strategy-text strong")).to_have_text("Hammerfest")
    expect(page.locator(f"#s{sections[0].pk} .strategy-text li")).to_have_text(
        ["Felles IKT", "Felles kurs"]
    )
    expect(page.locator(f"#s{sections[1].pk} .strategy-text")).to_have_text(SECTION_TEXTS[1])
    journey.check("strategy page, two sections written")
    assert [s.body for s in Section.objects.filter(pk__in=[s.pk for s in sections])] == list(
        SECTION_TEXTS
    )

    # Three measures; the first tied to the kindergarten figure, with a target.
    measures = [
        ("Digital søknad om barnehageplass", sections[0], "2027-06-30", (kindergarten, 2027, 90)),
        ("Felles IKT-drift med Hammerfest", sections[0], "2027-12-31", None),
        # Already late: the steering group should have met last week.
        (
            "Månedlig styringsgruppemøte",
            sections[1],
            str(timezone.localdate() - timedelta(7)),
            None,
        ),
    ]
    form = MeasureForm(strategy=strategy)
    label = {name: _label(language, form, name) for name in form.fields}
    page.get_by_role("link", name=_("Action plan"), exact=True).click()
    journey.expect_heading(_("Action plan of %(name)s", name="Alta"))
    journey.check("action plan, empty")
    for title, section, due, figure in measures:
        page.get_by_role("link", name=_("Add a measure")).click()
        journey.expect_heading(_("New measure"))
        if figure is not None:
            journey.check("measure form")
        journey.field(label["title"]).fill(title)
        journey.field(label["section"]).select_option(label=section.title)
        journey.field(label["owner"]).select_option(label=str(staff))
        journey.field(label["due_on"]).fill(due)
        if figure is not None:
            indicator, target_year, target_value = figure
            with translation.override(language):
                journey.field(label["indicator"]).select_option(label=indicator.name)
            journey.field(label["target_year"]).fill(str(target_year))
            journey.field(label["target_value"]).fill(str(target_value))
        page.get_by_role("button", name=_("Save"), exact=True).click()
        journey.expect_message(_("The measure is added to the action plan."))
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(3)
    journey.check("action plan, three measures")
    # The tied measure starts from the baseline frozen at the start, and shows the latest
    # figure against its target.
    baseline = values[kindergarten][alta][-1]
    tied = Measure.objects.get(indicator=kindergarten)
    assert (tied.baseline_year, tied.baseline_value, tied.target_value) == (2024, baseline, 90)
    with translation.override(language):
        latest, target = (charts.format_number(v, kindergarten.decimals) for v in (baseline, 90))
    figure_cell = rows.filter(has_text=measures[0][0]).get_by_role("cell").nth(5)
    expect(figure_cell).to_contain_text(f"{latest} (2024)")
    expect(figure_cell).to_contain_text(f"→ {target} (2027)")
    expect(rows.filter(has_text=measures[2][0])).to_contain_text(_("overdue"))
    assert sorted(strategy.measures.values_list("title", flat=True)) == sorted(
        title for title, *_rest in measures
    )

    # Share the strategy with the network.
    page.get_by_role("link", name="Alta", exact=True).click()
    page.get_by_role("link", name=_("Share or adopt")).click()
    journey.expect_heading(_("Status of the strategy"))
    journey.check("status form")
    status_label = _label(language, StatusForm(strategy=strategy), "status")
    journey.field(status_label).select_option(Strategy.Status.SHARED)
    page.get_by_role("button", name=_("Change status")).click()
    journey.expect_message(_("The strategy's status is changed."))
    strategy.refresh_from_db()
    assert strategy.status == Strategy.Status.SHARED

    # The facilitator comments on the first section; the chief executive reloads and reads it.
    strategy_services.section_comment(section=sections[0], user=facilitator, body=COMMENT)
    page.reload()
    comments = page.locator(f"#s{sections[0].pk} .comments")
    expect(comments.get_by_role("heading", name=_("Comments"))).to_be_visible()
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text(facilitator.get_full_name())
    journey.check("strategy page, shared and commented")

    # The chief executive answers in the thread, and the facilitator is told.
    thread = comments.locator("article.comment-thread")
    thread.get_by_label(_("Reply"), exact=True).fill(REPLY)
    thread.get_by_role("button", name=_("Send reply")).click()
    journey.expect_message(_("Your reply is added."))
    expect(thread.locator(".comment-reply")).to_contain_text(REPLY)
    told = Notice.objects.get(kind="reply", recipient=facilitator)
    assert told.excerpt == REPLY
    journey.check("strategy page, with a reply")


# --- 3. The project officer -------------------------------------------------------------------


def _held(gathering: Gathering, people: list) -> None:
    """Record that everyone invited came: the gathering counts as held."""
    gathering_services.attendance_record(
        gathering=gathering,
        entries=[
            gathering_services.AttendanceEntry(
                person_id=i.person.pk,
                municipality_id=i.municipality.pk,
                role_kind=i.role_kind,
                present=i.person in people,
            )
            for i in gathering_invitees(gathering)
        ],
    )


def _pilot(programme, name, region, municipalities, *, dla_status, held, language):
    network = f.NetworkFactory(
        programme=programme,
        name=name,
        region=region,
        members=municipalities,
        dla_status=dla_status,
        language=language,
        planned_start=date(2011, 1, 10),
        planned_end=date(2011, 9, 30),
    )
    people = []
    for municipality in municipalities:
        people.append(f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality))
        f.municipal(Role.Kind.MUNICIPAL_STAFF, municipality)
    people.append(f.municipal(Role.Kind.MAYOR, municipalities[0]))
    drafts = sessions_selectors.schedule_proposal(network=network)
    gatherings = gathering_services.gathering_schedule(network=network, drafts=drafts)
    for gathering in gatherings[:held]:
        _held(gathering, people)
    return network


def test_project_officer_follows_the_review_report_and_reads_its_figures(
    journey: Journey, transactional_db
):
    page, language, _ = journey.page, journey.language, journey._
    programme = f.ProgrammeFactory(acronym="CEMSDI", full_title="Citizen eServices")
    finnmark = f.RegionFactory(code="56", name="Finnmark")
    nordland = f.RegionFactory(code="18", name="Nordland")
    finnmark_members = [
        f.MunicipalityFactory(code=code, name=name, region=finnmark)
        for code, name in (("5601", "Alta"), ("5603", "Hammerfest"), ("5607", "Vadsø"))
    ]
    nordland_members = [
        f.MunicipalityFactory(code=code, name=name, region=nordland)
        for code, name in (("1804", "Bodø"), ("1806", "Narvik"))
    ]
    _pilot(
        programme,
        "eKommune Finnmark",
        finnmark,
        finnmark_members,
        dla_status=Network.DlaStatus.INITIATED,
        held=4,
        language=language,
    )
    _pilot(
        programme,
        "eKommune Nordland",
        nordland,
        nordland_members,
        dla_status=Network.DlaStatus.NOT_STARTED,
        held=2,
        language=language,
    )
    officer = f.project_officer_of(
        programme, username="officer", first_name="Olga", last_name="Officer", password=PASSWORD
    )
    colleague = f.project_officer_of(programme, first_name="Kari", last_name="Kollega")
    # A colleague asked for the same report a moment ago: it waits in the queue for a worker.
    queued = f.ReportRequestFactory(
        kind=ReportRequest.Kind.PROGRAMME,
        programme=programme,
        network=None,
        language=language,
        requested_by=colleague,
        status=ReportRequest.Status.QUEUED,
        enqueued_at=timezone.now(),
    )
    queued.requesters.add(colleague)

    journey.sign_in(officer)
    page.get_by_role("region", name=_("Programmes you follow as project officer")).get_by_role(
        "link", name="CEMSDI"
    ).click()
    journey.expect_heading("CEMSDI: Citizen eServices")
    journey.check("programme page")

    # Ask for the review report by keyboard alone; it joins the colleague's request.
    request = page.get_by_role("button", name=_("Request the review report (PDF)"))
    tab_to(page, request)
    assert_focus_visible(request)
    page.keyboard.press("Enter")
    journey.expect_heading(_("Reports"))
    with translation.override(language):
        report_name = str(queued)
    journey.expect_message(
        _(
            "“%(report)s” was already being prepared; your request joins it. This page "
            "shows when it is ready.",
            report=report_name,
        )
    )
    row = page.locator(f"#report-{queued.pk}")
    expect(row.locator(".report-status")).to_have_text(_("Queued"))
    journey.check("reports, queued")
    assert set(queued.requesters.all()) == {colleague, officer}
    assert ReportRequest.objects.count() == 1

    # A worker takes the task; the page picks up the end of the render without a reload.
    page.evaluate("window.__journey = 1")
    render_report.delay(queued.pk)
    link = row.get_by_role("link", name=_("Download PDF"))
    expect(link).to_be_visible(timeout=15_000)
    expect(row.locator(".report-status")).to_contain_text(_("Ready"))
    assert page.evaluate("window.__journey") == 1
    journey.check("reports, ready")

    with page.expect_download() as download:
        link.click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert _("%(acronym)s programme review report", acronym="CEMSDI") in text
    with translation.override(language):
        outcome = figures.programme_outcome(programme=programme)
        rows = figures.outcome_rows(outcome)
        expected = [
            (f"{label}: {network}" if network else label, formats.localize(value))
            for _key, label, network, value in rows
        ]
    # The data is what the test means: two pilots, one of which held all four gatherings.
    assert (outcome.pilot_count, len(outcome.completed)) == (2, 1)
    for label, value in expected:
        assert re.search(rf"{re.escape(label)} {re.escape(str(value))}(?!\d)", text), (
            label,
            value,
        )
