"""Writes of the community of practice. Each write logs itself (``core/audit.py``) in its
transaction; each docstring lists its side effects. Callers have asked ``rules.py`` first;
the services ask again where a write gives access."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import services as assessment_services
from assessment.models import Round
from benchmarking.models import StatisticsFeed
from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from networks import services as network_services
from networks.countries import network_zone
from networks.models import MembershipInvitation, Municipality, Network, Role, User
from sessions_app.models import AgendaItem, Assignment, Gathering
from sessions_app.selectors import schedule_proposal

Action = AuditEntry.Action


# --- Next phase -------------------------------------------------------------------------------


@dataclass
class NextPhase:
    """What starting a next phase made, for the page that says so."""

    network: Network
    gatherings: list[Gathering] = field(default_factory=list)
    invited: list[MembershipInvitation] = field(default_factory=list)
    facilitators_invited: int = 0
    rounds: list[Round] = field(default_factory=list)
    rounds_left: list[Round] = field(default_factory=list)  # their questionnaire is retired
    feeds: list[StatisticsFeed] = field(default_factory=list)


def next_phase_refused(network: Network) -> str | None:
    """Why no next phase can start from this network (it is not finished, or it has one), or
    None. One query at most."""
    if network.state != Network.State.FINISHED:
        return _(
            "%(network)s is %(state)s: a next phase starts from a finished network. Finish "
            "this one first."
        ) % {"network": network.name, "state": network.get_state_display().lower()}
    following = Network.objects.filter(predecessor=network).first()
    if following is not None:
        return _("%(network)s already continues in %(next)s: a network has one next phase.") % {
            "network": network.name,
            "next": following.name,
        }
    return None


def _check_municipalities(network: Network, returning, new) -> dict[str, str]:
    members = set(network.memberships.values_list("municipality_id", flat=True))
    errors = {}
    strangers = sorted(m.name for m in returning if m.pk not in members)
    if strangers:
        errors["returning"] = _(
            "Only members of %(network)s return to its next phase; these were not: %(names)s."
        ) % {"network": network.name, "names": ", ".join(strangers)}
    country = network.region.country
    foreign = sorted(str(m) for m in new if m.country_id != country.pk)
    if foreign:
        errors["municipalities"] = _("These municipalities lie outside %(country)s: %(names)s.") % {
            "country": country.display_name,
            "names": ", ".join(foreign),
        }
    return errors


@transaction.atomic
def next_phase_start(*, network: Network, data: dict, user: User) -> NextPhase:
    """Start the next phase of a finished network: a new network of the same programme and
    region, its ``phase`` one more, pointing back at this one (``predecessor``).

    ``data``: ``name``, ``planned_start``, ``planned_end`` (the form's; the Network model's
    rules hold: inside the programme's period, the end after the start, a name the programme
    does not have yet), ``returning`` (members of this network) and ``municipalities`` (new
    ones, of the region's country).

    Refused (``ValidationError`` named after the field, nothing made) unless the network is
    finished and has no next phase yet (the one-to-one ``predecessor`` backs it: a second
    start waits on this network's row lock, then is refused). Only its facilitators and
    administrators start it (``PermissionDenied``).

    Side effects, in one transaction and each in the audit log:

    * the network (planned, in the same working language, DLA status and reminder days), with
      the starter as its facilitator (``networks.services.network_create``);
    * a ``MembershipInvitation`` to every returning and new municipality, whoever starts it:
      a new phase is a new commitment, so each chief executive decides as for any invitation
      (an administrator may accept for them);
    * an ``Invitation`` (e-mailed after the commit) to each other active facilitator of this
      network, as a facilitator of the new one;
    * each gathering copied (number, title, venue, its time of day and length) on the day the
      standard schedule proposes in the new period (``sessions_app.selectors
      .schedule_proposal``: spread evenly, off holidays), with its agenda (titles, kinds,
      durations; not the speakers) and its assignments (due as many days after the gathering
      as before);
    * each self-assessment round opened again (``assessment.services.round_open``) at the
      gathering of the same number, for the year as far from that gathering's year as it was
      (one a year per questionnaire); a retired questionnaire's round is left out and listed;
    * each statistics feed that fetched key figures for this network's members copied for the
      new network's, so that the new members' baselines hold the same key figures (see
      ``README``: the network's indicator set).
    """
    network = (
        Network.objects.select_for_update(of=("self",))
        .select_related("programme", "region__country")
        .get(pk=network.pk)
    )
    if not user.has_perm("networks.change_network", network):
        raise PermissionDenied
    if refused := next_phase_refused(network):
        raise ValidationError(refused)
    returning = list(data.get("returning") or [])
    new = list(data.get("municipalities") or [])
    if errors := _check_municipalities(network, returning, new):
        raise ValidationError(errors)
    following = network_services.network_create(
        created_by=user,
        programme=network.programme,
        region=network.region,
        name=(data.get("name") or "").strip(),
        planned_start=data.get("planned_start"),
        planned_end=data.get("planned_end"),
        description=network.description,
        state=Network.State.PLANNED,
        dla_status=network.dla_status,
        language=network.language,
        reminder_days_before=network.reminder_days_before,
        predecessor=network,
        phase=network.phase + 1,
    )
    result = NextPhase(network=following)
    result.invited = _invite_municipalities(following, [*returning, *new], user=user)
    result.facilitators_invited = _invite_facilitators(network, following, user=user)
    copies = _copy_gatherings(network, following)
    result.gatherings = [copy for _old, copy in copies]
    result.rounds, result.rounds_left = _copy_rounds(network, following, copies, user=user)
    result.feeds = _copy_feeds(network, following)
    return result


def _invite_municipalities(
    network: Network, municipalities: Iterable[Municipality], *, user
) -> list[MembershipInvitation]:
    chosen = {m.pk: m for m in municipalities}
    made = MembershipInvitation.objects.bulk_create(
        MembershipInvitation(network=network, municipality=chosen[pk], invited_by=user)
        for pk in sorted(chosen)
    )
    audit.log_bulk(model=MembershipInvitation, objects=made, action=Action.CREATED)
    return made


def _invite_facilitators(previous: Network, network: Network, *, user) -> int:
    others = (
        User.objects.filter(
            is_active=True,
            roles__kind=Role.Kind.FACILITATOR,
            roles__network=previous,
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("pk")
    )
    count = 0
    for person in others:
        network_services.person_invite(
            invited_by=user,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            kind=Role.Kind.FACILITATOR,
            network=network,
            language=person.language or network.language,
        )
        count += 1
    return count


def _copy_gatherings(previous: Network, network: Network) -> list[tuple[Gathering, Gathering]]:
    """(previous gathering, its copy) by number."""
    zone = network_zone(network)
    proposed = {draft.number: draft for draft in schedule_proposal(network=network)}
    old_gatherings = list(
        previous.gatherings.prefetch_related("agenda", "assignments").order_by("number")
    )
    gatherings = []
    for old in old_gatherings:
        day = timezone.localdate(proposed[old.number].starts_at, zone)
        at = timezone.localtime(old.starts_at, zone).time()
        starts_at = timezone.make_aware(datetime.combine(day, at), zone)
        gatherings.append(
            Gathering(
                network=network,
                number=old.number,
                title=old.title,
                venue=old.venue,
                starts_at=starts_at,
                ends_at=starts_at + old.duration,
            )
        )
    gatherings = Gathering.objects.bulk_create(gatherings)
    audit.log_bulk(model=Gathering, objects=gatherings, action=Action.CREATED)
    pairs = list(zip(old_gatherings, gatherings, strict=True))
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            gathering=new,
            position=item.position,
            title=item.title,
            kind=item.kind,
            duration_minutes=item.duration_minutes,
        )
        for old, new in pairs
        for item in old.agenda.all()
    )
    audit.log_bulk(model=AgendaItem, objects=items, action=Action.CREATED)
    assignments = Assignment.objects.bulk_create(
        Assignment(
            gathering=new,
            title=assignment.title,
            description=assignment.description,
            strategy_section=assignment.strategy_section,
            due_date=_due_after(new, days=_days_after(old, assignment.due_date)),
        )
        for old, new in pairs
        for assignment in old.assignments.all()
    )
    audit.log_bulk(model=Assignment, objects=assignments, action=Action.CREATED)
    return pairs


def _days_after(gathering: Gathering, day: date) -> int:
    return max((day - timezone.localdate(gathering.ends_at)).days, 0)


def _due_after(gathering: Gathering, *, days: int) -> date:
    return timezone.localdate(gathering.ends_at) + timedelta(days=days)


def _copy_rounds(previous: Network, network: Network, pairs, *, user) -> tuple[list, list]:
    """The rounds opened again at the copies of their gatherings; those left out."""
    copy_of = {old.pk: new for old, new in pairs}
    opened, left = [], []
    taken: dict[int, set[int]] = {}
    for old in previous.assessment_rounds.select_related("questionnaire", "gathering").order_by(
        "year", "pk"
    ):
        gathering = copy_of.get(old.gathering_id)
        if gathering is None or not old.questionnaire.active:
            left.append(old)
            continue
        shift = (
            timezone.localdate(gathering.starts_at).year
            - timezone.localdate(old.gathering.starts_at).year
        )
        year = old.year + shift
        years = taken.setdefault(old.questionnaire_id, set())
        while year in years:  # key figures are yearly: one round a year
            year += 1
        years.add(year)
        opened.append(
            assessment_services.round_open(
                network=network,
                questionnaire=old.questionnaire,
                gathering=gathering,
                year=year,
                user=user,
            )
        )
    return opened, left


def _copy_feeds(previous: Network, network: Network) -> list[StatisticsFeed]:
    feeds = []
    for feed in StatisticsFeed.objects.filter(network=previous).order_by("pk"):
        name = f"{feed.name} – {network.name}"[: StatisticsFeed._meta.get_field("name").max_length]
        if StatisticsFeed.objects.filter(name=name).exists():
            continue  # copied before under this name (a network renamed back): keep that one
        copy = StatisticsFeed.objects.create(
            name=name,
            source=feed.source,
            table_id=feed.table_id,
            indicator_codes=feed.indicator_codes,
            region_variable=feed.region_variable,
            network=network,
            years=feed.years,
            latest_years=feed.latest_years,
            release_months=feed.release_months,
            release_day=feed.release_day,
            scheduled=feed.scheduled,
        )
        audit.log(copy, Action.CREATED)
        feeds.append(copy)
    return feeds
