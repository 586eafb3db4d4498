"""A network's next phase: starting it from a finished network copies what it says (the
gatherings, their agendas and assignments, the self-assessment rounds, the statistics feeds
that make its indicator set), invites the returning and new municipalities, and each returning
municipality's new strategy starts from the one it adopted, carrying its undone measures over,
once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment import services as assessment_services
from assessment.models import Round
from benchmarking.models import Observation, StatisticsFeed
from community import services
from networks import services as network_services
from networks.models import Invitation, MembershipInvitation, Network, Role
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem, Assignment, Gathering
from strategies import services as strategy_services
from strategies.models import BaselineFigure, Measure, Section, SectionRevision, Strategy
from tests import factories as f
from tests.assessment.helpers import gatherings_of, seed_first_questionnaire
from tests.strategies.helpers import move, section, write

pytestmark = pytest.mark.django_db

NEXT = {"name": "Finnmark, phase 2", "planned_start": date(2011, 8, 15)}
NEXT_END = date(2012, 4, 30)


@pytest.fixture
def finished(world):
    """The world's network as it ends: four gatherings with an edited agenda and an
    assignment, two self-assessment rounds, a feed for its members, Alta's adopted strategy
    with measures in every status, key figures, a co-facilitator; then finished."""
    network, chief = world.network, world.users["chief_executive"]
    gatherings = gatherings_of(network)
    first = gatherings[0]
    item = first.agenda.order_by("position")[1]
    sessions_services.agenda_item_update(
        item=item,
        title="Our own lecture on the key figures",
        kind=item.kind,
        duration_minutes=item.duration_minutes - 15,
        speaker="Kari Nordmann",
    )
    sessions_services.assignment_create(
        gathering=first,
        title="Read your key figures",
        description="Bring three figures that surprised you.",
        due_date=timezone.localdate(first.ends_at) + timedelta(days=20),
        strategy_section="clear_strategy",
    )
    sessions_services.assignment_create(
        gathering=gatherings[2],
        title="Draft the action plan",
        due_date=timezone.localdate(gatherings[2].ends_at) + timedelta(days=30),
    )
    questionnaire = seed_first_questionnaire()
    facilitator = world.users["facilitator"]
    for gathering, year in ((gatherings[0], 2010), (gatherings[3], 2011)):
        assessment_services.round_open(
            network=network, questionnaire=questionnaire, gathering=gathering, year=year,
            user=facilitator,
        )  # fmt: skip
    f.StatisticsFeedFactory(name="KOSTRA free income", network=network, region_codes=[])
    world.co_facilitator = f.facilitator_of(network, email="co@example.org", username="co")

    world.figure = f.IndicatorFactory(code="KOSAG110000", name_en="Free income")
    world.other_figure = f.IndicatorFactory(code="KOSAG120000", name_en="Net operating result")
    Observation.objects.create(
        indicator=world.figure, municipality=world.municipality, year=2010, value=10.0
    )
    strategy = strategy_services.strategy_start(
        network=network, municipality=world.municipality, user=chief
    )
    write(section(strategy), chief, "We cooperate because we are small.")
    own = strategy_services.section_add(strategy=strategy, title="Broadband", user=chief)
    measures = {}
    for title, status, extra in [
        ("Self-service portal", "under_way", {"progress": 40, "section": section(strategy)}),
        ("Digital mail", "planned", {"indicator": world.figure, "target_year": 2013,
                                     "target_value": 20.0, "section": own}),
        ("Fibre to every school", "delayed", {"starts_on": date(2011, 1, 1),
                                             "due_on": date(2011, 5, 1)}),
        ("Website", "done", {}),
        ("Paper archive scanning", "dropped", {}),
    ]:  # fmt: skip
        measures[title] = strategy_services.measure_save(
            strategy=strategy, data={"title": title, "status": status, "owner": chief, **extra}
        )
    move(strategy, "adopted", user=chief)
    world.previous_strategy, world.measures = strategy, measures
    # Figures published after the strategy started: the next baseline takes the latest.
    Observation.objects.create(
        indicator=world.figure, municipality=world.municipality, year=2011, value=12.5
    )
    Observation.objects.create(
        indicator=world.other_figure, municipality=world.municipality, year=2011, value=-1.5
    )
    Network.objects.filter(pk=network.pk).update(state=Network.State.FINISHED)
    network.refresh_from_db()
    world.newcomer = f.MunicipalityFactory(name="Vardø", region=world.municipality.region)
    return world


def _start(world, user=None, **data):
    return services.next_phase_start(
        network=world.network,
        data={
            **NEXT,
            "planned_end": NEXT_END,
            "returning": [world.municipality, world.neighbour],
            "municipalities": [world.newcomer],
            **data,
        },
        user=user or world.users["facilitator"],
    )


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Network, Gathering, AgendaItem, Assignment, Round, MembershipInvitation, Invitation,
            StatisticsFeed, Strategy, Section, SectionRevision, Measure, BaselineFigure, Role,
        )
    }  # fmt: skip


# --- What is copied -------------------------------------------------------------------------


def test_next_phase_is_a_network_of_the_same_programme_and_region(finished):
    previous = finished.network
    new = _start(finished).network
    assert (new.programme, new.region, new.language) == (
        previous.programme, previous.region, previous.language,
    )  # fmt: skip
    assert new.predecessor == previous
    assert new.phase == previous.phase + 1 == 2
    assert (new.name, new.planned_start, new.planned_end) == (
        NEXT["name"], NEXT["planned_start"], NEXT_END,
    )  # fmt: skip
    assert new.state == Network.State.PLANNED
    assert previous.next_phase == new
    facilitators = Role.objects.filter(network=new, kind=Role.Kind.FACILITATOR)
    assert [r.user for r in facilitators] == [finished.users["facilitator"]]


def test_next_phase_copies_gatherings_and_agendas_into_the_new_period(finished):
    new = _start(finished).network
    old = list(finished.network.gatherings.order_by("number"))
    copies = list(new.gatherings.order_by("number"))
    assert [(g.number, g.title, g.venue) for g in copies] == [
        (g.number, g.title, g.venue) for g in old
    ]
    for before, after in zip(old, copies, strict=True):
        assert new.planned_start <= timezone.localdate(after.starts_at) <= new.planned_end
        assert after.duration == before.duration
        assert (
            timezone.localtime(after.starts_at).time()
            == timezone.localtime(before.starts_at).time()
        )
        assert [(i.position, i.title, i.kind, i.duration_minutes) for i in after.agenda.all()] == [
            (i.position, i.title, i.kind, i.duration_minutes) for i in before.agenda.all()
        ]
        assert not after.agenda.exclude(speaker="").exists()
    assert copies[0].starts_at < copies[1].starts_at < copies[2].starts_at < copies[3].starts_at


def test_next_phase_copies_assignments_due_as_long_after_their_gathering(finished):
    new = _start(finished).network
    rows = []
    for before in Assignment.objects.filter(gathering__network=finished.network).order_by("pk"):
        after = Assignment.objects.get(
            gathering__network=new, gathering__number=before.gathering.number, title=before.title
        )
        assert (after.description, after.strategy_section) == (
            before.description, before.strategy_section,
        )  # fmt: skip
        rows.append(
            (
                (after.due_date - timezone.localdate(after.gathering.ends_at)).days,
                (before.due_date - timezone.localdate(before.gathering.ends_at)).days,
            )
        )
    assert rows == [(20, 20), (30, 30)]
    assert Assignment.objects.filter(gathering__network=new).count() == 2


def test_next_phase_opens_the_rounds_again_at_the_same_gatherings_for_the_new_years(finished):
    result = _start(finished)
    expected = []
    for old in finished.network.assessment_rounds.order_by("year"):
        new_gathering = result.network.gatherings.get(number=old.gathering.number)
        shift = new_gathering.starts_at.year - old.gathering.starts_at.year
        expected.append((old.questionnaire_id, old.gathering.number, old.year + shift, "open"))
    got = [
        (r.questionnaire_id, r.gathering.number, r.year, r.state)
        for r in result.network.assessment_rounds.order_by("year")
    ]
    assert got == expected
    assert [year for _q, _n, year, _s in got] == [2011, 2012]


def test_next_phase_carries_the_indicator_set_through_the_feeds_for_its_members(finished):
    result = _start(finished)
    feed = StatisticsFeed.objects.get(network=result.network)
    old = StatisticsFeed.objects.get(network=finished.network)
    assert feed.name == f"{old.name} – {result.network.name}"
    assert (feed.source, feed.table_id, feed.indicator_codes, feed.years) == (
        old.source, old.table_id, old.indicator_codes, old.years,
    )  # fmt: skip
    assert feed.last_success_at is None


def test_next_phase_invites_returning_and_new_municipalities_and_the_co_facilitator(finished):
    result = _start(finished, returning=[finished.municipality])
    invited = MembershipInvitation.objects.filter(network=result.network)
    assert sorted((i.municipality.name, i.state) for i in invited) == [
        ("Alta", "invited"),
        ("Vardø", "invited"),
    ]
    assert not result.network.memberships.exists()  # nobody joins before their chief accepts
    invitation = Invitation.objects.get(network=result.network)
    assert (invitation.email, invitation.kind) == ("co@example.org", Role.Kind.FACILITATOR)


def test_next_phase_by_an_administrator_still_invites(finished):
    result = _start(finished, user=finished.users["staff"])
    assert result.network.memberships.count() == 0
    assert MembershipInvitation.objects.filter(network=result.network).count() == 3


def test_every_write_of_the_next_phase_is_in_the_audit_log(finished):
    from cemsdi_portal.core.models import AuditEntry

    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    result = _start(finished)
    logged = set(AuditEntry.objects.filter(pk__gt=last).values_list("model", flat=True))
    assert {
        "networks.network", "networks.role", "networks.membershipinvitation",
        "networks.invitation", "sessions_app.gathering", "sessions_app.agendaitem",
        "sessions_app.assignment", "assessment.round", "benchmarking.statisticsfeed",
    } <= logged  # fmt: skip
    ids = {str(g.pk) for g in result.gatherings}
    assert ids == set(
        AuditEntry.objects.filter(model="sessions_app.gathering", object_id__in=ids).values_list(
            "object_id", flat=True
        )
    )


# --- The returning municipality's strategy ----------------------------------------------------


def _joined(world):
    """The next phase started; Alta's chief executive accepted; its strategy started."""
    result = _start(world)
    chief = world.users["chief_executive"]
    invitation = MembershipInvitation.objects.get(
        network=result.network, municipality=world.municipality
    )
    network_services.membership_decide(invitation=invitation, by=chief, accept=True)
    strategy = strategy_services.strategy_start(
        network=result.network, municipality=world.municipality, user=chief
    )
    return result.network, strategy


def test_returning_strategy_starts_from_the_adopted_one_with_its_sections(finished):
    _network, strategy = _joined(finished)
    previous = finished.previous_strategy
    assert strategy.started_from == previous
    assert strategy.status == Strategy.Status.DRAFT
    old = list(previous.sections.order_by("position"))
    new = list(strategy.sections.order_by("position"))
    assert [(s.kind, s.title, s.position, s.body, s.theme_id) for s in new] == [
        (s.kind, s.title, s.position, s.body, s.theme_id) for s in old
    ]
    assert section(strategy).body == "We cooperate because we are small."
    for before, after in zip(old, new, strict=True):
        assert set(after.dla_priorities.values_list("code", flat=True)) == set(
            before.dla_priorities.values_list("code", flat=True)
        )
        (revision,) = after.revisions.all()
        assert (revision.version, after.version, revision.body) == (1, 1, before.body)
        assert revision.copied_from == before.revisions.order_by("-version").first()


def test_returning_strategy_carries_undone_measures_with_their_history(finished):
    _network, strategy = _joined(finished)
    carried = {m.title: m for m in strategy.measures.select_related("carried_from", "section")}
    assert sorted(carried) == ["Digital mail", "Fibre to every school", "Self-service portal"]
    for title, measure in carried.items():
        old = finished.measures[title]
        assert measure.carried_from == old
        assert old.carried_to == measure
        assert (measure.status, measure.progress, measure.owner, measure.starts_on,
                measure.due_on, measure.indicator_id, measure.target_year, measure.target_value
                ) == (old.status, old.progress, old.owner, old.starts_on, old.due_on,
                      old.indicator_id, old.target_year, old.target_value)  # fmt: skip
        if old.section is not None:
            assert measure.section.strategy == strategy
            assert measure.section.title == old.section.title
    assert not strategy.measures.filter(title__in=["Website", "Paper archive scanning"]).exists()


def test_returning_strategy_baseline_is_the_latest_key_figures(finished):
    _network, strategy = _joined(finished)
    latest = {}
    for o in Observation.objects.filter(municipality=finished.municipality).order_by("year"):
        latest[o.indicator_id] = (o.year, o.value)
    frozen = {
        b.indicator_id: (b.year, b.value) for b in strategy.baseline.filter(comparison="network")
    }
    assert frozen == latest == {
        finished.figure.pk: (2011, 12.5), finished.other_figure.pk: (2011, -1.5),
    }  # fmt: skip
    mail = strategy.measures.get(title="Digital mail")
    assert (mail.baseline_year, mail.baseline_value) == latest[finished.figure.pk]
    old = finished.measures["Digital mail"]
    assert (old.baseline_year, old.baseline_value) == (2010, 10.0)  # its own history stays


def test_an_owner_who_left_the_municipality_is_not_carried(finished):
    old = finished.measures["Self-service portal"]
    staff = f.municipal(Role.Kind.MUNICIPAL_STAFF, finished.municipality)
    Measure.objects.filter(pk=old.pk).update(owner=staff)
    Role.objects.filter(user=staff).delete()
    _network, strategy = _joined(finished)
    assert strategy.measures.get(carried_from=old).owner is None


def test_a_new_municipality_starts_from_the_template(finished):
    result = _start(finished)
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, finished.newcomer)
    invitation = MembershipInvitation.objects.get(
        network=result.network, municipality=finished.newcomer
    )
    network_services.membership_decide(invitation=invitation, by=chief, accept=True)
    strategy = strategy_services.strategy_start(
        network=result.network, municipality=finished.newcomer, user=chief
    )
    assert strategy.started_from is None
    assert not strategy.measures.exists()
    assert all(s.body == "" for s in strategy.sections.all())


def test_a_strategy_moved_back_from_adopted_is_not_started_from(finished):
    strategy_services.strategy_set_status(
        strategy=finished.previous_strategy, status="shared", user=finished.users["chief_executive"]
    )
    _network, strategy = _joined(finished)
    assert strategy.started_from is None
    assert not strategy.measures.exists()


# --- Once -----------------------------------------------------------------------------------


def test_starting_the_next_phase_twice_is_refused_and_makes_nothing(finished):
    first = _start(finished).network
    counts = _counts()
    with pytest.raises(ValidationError) as refused:
        _start(finished, name="Finnmark, phase 2 again")
    assert refused.value.messages == [
        f"{finished.network.name} already continues in {first.name}: a network has one next phase."
    ]
    assert _counts() == counts


def test_undone_measures_are_carried_once(finished):
    network, _strategy = _joined(finished)
    counts = _counts()
    with pytest.raises(ValidationError):
        strategy_services.strategy_start(
            network=network, municipality=finished.municipality,
            user=finished.users["chief_executive"],
        )  # fmt: skip
    assert _counts() == counts
    for old in finished.measures.values():
        assert Measure.objects.filter(carried_from=old).count() <= 1
    assert Measure.objects.filter(carried_from__isnull=False).count() == 3


@pytest.mark.parametrize("state", ["draft", "planned", "running", "withdrawn"])
def test_only_a_finished_network_has_a_next_phase(finished, state):
    Network.objects.filter(pk=finished.network.pk).update(state=state)
    finished.network.refresh_from_db()
    counts = _counts()
    with pytest.raises(ValidationError) as refused:
        _start(finished)
    assert "a next phase starts from a finished network" in refused.value.messages[0]
    assert _counts() == counts


@pytest.mark.parametrize(
    "role", ["other_facilitator", "chief_executive", "project_officer", "municipal_staff"]
)
def test_only_the_facilitators_start_the_next_phase(finished, role):
    counts = _counts()
    with pytest.raises(PermissionDenied):
        _start(finished, user=finished.users[role])
    assert _counts() == counts


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"planned_start": date(2012, 5, 1), "planned_end": date(2012, 8, 1)}, "planned_end",
         "the network cannot end after it"),
        ({"planned_start": date(2012, 1, 1), "planned_end": date(2011, 9, 1)}, "planned_end",
         "The planned end must come after the planned start."),
        ({"name": "  "}, "name", "This field cannot be blank."),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_makes_nothing(finished, data, field, message):
    counts = _counts()
    with pytest.raises(ValidationError) as refused:
        _start(finished, **data)
    assert message in " ".join(refused.value.message_dict[field])
    assert _counts() == counts


def test_a_name_the_programme_has_is_refused(finished):
    counts = _counts()
    with pytest.raises(ValidationError) as refused:
        _start(finished, name=finished.other_network.name.upper())
    assert "name" in refused.value.message_dict
    assert _counts() == counts


def test_returning_municipalities_must_be_members_and_new_ones_of_the_country(finished):
    counts = _counts()
    portugal = f.CountryFactory(code="PT", name="Portugal")
    abroad = f.MunicipalityFactory(name="Porto", region=f.RegionFactory(country=portugal))
    with pytest.raises(ValidationError) as refused:
        _start(finished, returning=[finished.other_municipality], municipalities=[abroad])
    errors = refused.value.message_dict
    assert "Bodø" in errors["returning"][0]
    assert "Porto" in errors["municipalities"][0]
    assert _counts() == counts


# --- Pages ----------------------------------------------------------------------------------


def _url(world):
    return reverse("network_next_phase", args=[world.network.pk])


def _form(world, **data):
    return {
        "name": NEXT["name"],
        "planned_start": "2011-08-15",
        "planned_end": "2012-04-30",
        "returning": [world.municipality.pk, world.neighbour.pk],
        "municipalities": [world.newcomer.pk],
        **data,
    }


@pytest.mark.parametrize("role", ["facilitator", "staff"])
def test_the_button_shows_on_a_finished_network_only(client, finished, role):
    client.force_login(finished.users[role])
    page = client.get(reverse("network_detail", args=[finished.network.pk])).content.decode()
    assert _url(finished) in page
    assert "Start the next phase" in page
    Network.objects.filter(pk=finished.network.pk).update(state="running")
    page = client.get(reverse("network_detail", args=[finished.network.pk])).content.decode()
    assert _url(finished) not in page


def test_the_form_proposes_every_member_returning(client, finished):
    client.force_login(finished.users["facilitator"])
    response = client.get(_url(finished))
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form.initial["returning"]) == sorted(
        [finished.municipality.pk, finished.neighbour.pk]
    )
    page = response.content.decode()
    assert "data-member-picker" in page
    assert "Vardø" in page


def test_starting_on_the_page_links_the_phases_both_ways(client, finished):
    client.force_login(finished.users["facilitator"])
    response = client.post(_url(finished), _form(finished))
    new = Network.objects.get(predecessor=finished.network)
    assert response.status_code == 302
    assert response.url == reverse("network_detail", args=[new.pk])
    page = client.get(response.url).content.decode()
    previous_url = reverse("network_detail", args=[finished.network.pk])
    assert f'Phase 2 of <a href="{previous_url}">{finished.network.name}</a>' in page
    page = client.get(previous_url).content.decode()
    assert f'Continued in <a href="{response.url}">{new.name}</a>' in page
    assert _url(finished) not in page  # started once: no button


def test_the_programme_page_lists_networks_by_phase(client, finished):
    result = _start(finished)
    client.force_login(finished.users["project_officer"])
    page = client.get(reverse("programme_detail", args=[finished.programme.pk])).content.decode()
    names = [finished.network.name, finished.other_network.name, result.network.name]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    assert f"continues {finished.network.name}" in page


def test_bad_dates_on_the_page_show_the_error_summary_and_make_nothing(client, finished):
    client.force_login(finished.users["facilitator"])
    counts = _counts()
    response = client.post(_url(finished), _form(finished, planned_end="2012-08-01"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert "the network cannot end after it" in page
    assert _counts() == counts


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_facilitator", 404), ("other_chief_executive", 404), ("chief_executive", 403),
     ("mayor", 403), ("project_officer", 403)],
)  # fmt: skip
def test_attackers_cannot_start_the_next_phase(client, finished, role, status):
    client.force_login(finished.users[role])
    counts = _counts()
    assert client.get(_url(finished)).status_code == status
    assert client.post(_url(finished), _form(finished)).status_code == status
    assert _counts() == counts


@pytest.mark.parametrize("state", ["draft", "running"])
def test_a_draft_or_running_network_is_refused_on_the_page(client, finished, state):
    Network.objects.filter(pk=finished.network.pk).update(state=state)
    client.force_login(finished.users["facilitator"])
    counts = _counts()
    response = client.post(_url(finished), _form(finished))
    assert response.status_code == 200
    assert "a next phase starts from a finished network" in response.content.decode()
    assert response.context["form"] is None
    assert _counts() == counts


def test_a_second_start_on_the_page_is_refused_and_makes_nothing(client, finished):
    client.force_login(finished.users["facilitator"])
    client.post(_url(finished), _form(finished))
    counts = _counts()
    response = client.post(_url(finished), _form(finished, name="Another phase 2"))
    assert response.status_code == 200
    assert "a network has one next phase" in response.content.decode()
    assert _counts() == counts


def test_the_carried_measure_is_marked_on_the_action_plan(client, finished):
    _network, strategy = _joined(finished)
    client.force_login(finished.users["chief_executive"])
    page = client.get(reverse("action_plan", args=[strategy.pk])).content.decode()
    assert page.count("carried over from the previous phase") == 3
    history = client.get(reverse("section_history", args=[section(strategy).pk])).content.decode()
    assert "copied from the previous phase" in history


# --- Query counts ---------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(world, size):
    members = [f.MunicipalityFactory(region=world.municipality.region) for _ in range(size)]
    world.network.municipalities.add(*members)
    for _ in range(size):
        f.MunicipalityFactory(region=f.RegionFactory(country=world.municipality.country))


@pytest.mark.parametrize("page", ["form", "new_network", "previous_network", "programme"])
def test_next_phase_pages_make_the_same_queries_at_two_sizes(client, finished, page):
    client.force_login(finished.users["facilitator"])

    def url():
        following = Network.objects.filter(predecessor=finished.network).first()
        return {
            "form": lambda: _url(finished),
            "new_network": lambda: reverse("network_detail", args=[following.pk]),
            "previous_network": lambda: reverse("network_detail", args=[finished.network.pk]),
            "programme": lambda: reverse("programme_detail", args=[finished.programme.pk]),
        }[page]()

    if page != "form":
        _start(finished)
    _grow(finished, 2)
    small = _queries(client, url())
    _grow(finished, 4)
    large = _queries(client, url())
    assert small == large


# --- The rule and its twin ------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["facilitator", "other_facilitator", "chief_executive", "project_officer", "staff"]
)
def test_who_may_start_a_next_phase_agrees_with_its_twin(finished, role):
    from community.rules import may_continue_network, networks_continuable_by

    user = finished.users[role]
    running = f.NetworkFactory(programme=finished.programme, region=finished.network.region)
    Role.objects.create(user=finished.users["facilitator"], kind="facilitator", network=running)
    for network in (finished.network, running, finished.other_network):
        network.refresh_from_db()
        may = may_continue_network.test(user, network)
        assert may == networks_continuable_by(user).filter(pk=network.pk).exists()
    expected = role in ("facilitator", "staff")
    assert may_continue_network.test(user, finished.network) is expected
    _start(finished)
    finished.network.refresh_from_db()
    assert not may_continue_network.test(user, finished.network)
    assert not networks_continuable_by(user).filter(pk=finished.network.pk).exists()
