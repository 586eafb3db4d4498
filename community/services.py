"""Writes of the community of practice: a network's next phase; publishing a measure or section
as a practice, the contact's agreement, curating (feature, merge, retire) and adopting a
practice into another action plan; experts opting in, changing their profile and leaving;
speaker invitations (a facilitator invites a listed expert to speak at a gathering of their
network; the expert accepts, and the talk goes on the agenda through sessions_app's service,
or declines; the facilitator withdraws).

Each write logs itself (``core/audit.py``) in its transaction; each docstring lists its side
effects. Callers have asked ``rules.py`` first; the services ask again where a write gives
access or a refusal must be named. A broken rule raises ``ValidationError`` keyed by the field
at fault, and nothing is saved.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import services as assessment_services
from assessment.models import Round
from benchmarking.models import Observation, StatisticsFeed
from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from networks import services as network_services
from networks.countries import network_zone
from networks.models import MembershipInvitation, Municipality, Network, Role, User
from notices.models import Kind as NoticeKind
from notices.services import notice_publish
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem, Assignment, Gathering
from sessions_app.selectors import schedule_proposal
from strategies.models import Measure, Section, Strategy
from strategies.rules import editors_of, edits_strategy
from strategies.services import LARGEST_VALUE, measure_save

from . import rules
from .models import Adoption, ExpertProfile, Practice, SpeakerInvitation
from .rules import OPEN_STRATEGY, sees_practice
from .selectors import agenda_room_minutes, before_and_after, expert_theme_choices, search_config

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


KEEP = object()  # practice_publish's default: taken from the measure or section


def currency_of(country) -> str:
    """The currency a municipality's costs are given in (the country's; the euro without one)."""
    return country.currency if country is not None else "EUR"


# --- Publishing ---------------------------------------------------------------------------------


def _source(measure: Measure | None, section: Section | None):
    if (measure is None) == (section is None):
        raise ValueError("publish a measure or a section, one of them")
    return measure or section


def _publish_errors(data: dict, strategy: Strategy) -> dict[str, str]:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the practice a title.")
    if not (data.get("what") or "").strip():
        errors["what"] = _("Say what was done: others read it first.")
    cost = data.get("cost")
    if cost is not None and (cost < 0 or not math.isfinite(cost) or cost > LARGEST_VALUE):
        errors["cost"] = _("Give the cost as a positive number, no larger than a thousand billion.")
    contact = data.get("contact")
    if (
        contact is not None
        and not Role.objects.filter(
            user=contact, municipality_id=strategy.municipality_id, kind__in=Role.MUNICIPAL_KINDS
        ).exists()
    ):
        errors["contact"] = _("The contact must be a person of %(name)s.") % {
            "name": strategy.municipality.name
        }
    return errors


def _defaults(source, data: dict) -> dict:
    """What the form left to the source: its DLA priorities, theme, key figure and status."""
    measure = source if isinstance(source, Measure) else None
    section = measure.section if measure is not None else source
    priorities = data.get("dla_priorities", KEEP)
    if priorities is KEEP:
        priorities = list(section.dla_priorities.all()) if section is not None else []
    theme = data.get("theme", KEEP)
    if theme is KEEP:
        theme = source.theme or (section.theme if section is not None else None)
    indicator = data.get("indicator", KEEP)
    if indicator is KEEP:
        indicator = measure.indicator if measure is not None else None
    status = (
        measure.status if measure is not None else data.get("status") or (Measure.Status.UNDER_WAY)
    )
    return {"dla_priorities": priorities, "theme": theme, "indicator": indicator, "status": status}


def _write_search_document(practice: Practice) -> None:
    """The stemmed document of the practice in its language's configuration (PostgreSQL):
    the title weighs most, the texts after it."""
    if connection.vendor != "postgresql":
        return
    config = Value(practice.search_config)
    Practice.objects.filter(pk=practice.pk).update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector("what", "why", "benefit", weight="B", config=config)
    )


@transaction.atomic
def practice_publish(
    *, measure: Measure | None = None, section: Section | None = None, data: dict, user
) -> Practice:
    """Publish the measure (or section) as a practice, or update its practice when it was
    published before. ``data``: title, what, why, cost, benefit, and optionally dla_priorities,
    theme, indicator (default: the source's), status (a section's; a measure's is its own),
    contact (a person of the municipality) and contact_agrees (the publisher agrees to be
    asked, when they name themself).

    The values before and after are read from the key figures (``selectors.before_and_after``),
    never from ``data``; the currency is the municipality's country's. Side effects: the
    search document (PostgreSQL), the audit entry. Raises ``PermissionDenied`` for someone who
    does not edit the strategy."""
    source = _source(measure, section)
    strategy = source.strategy
    if not edits_strategy.test(user, strategy):
        raise PermissionDenied
    errors = _publish_errors(data, strategy)
    if errors:
        raise ValidationError(errors)
    defaults = _defaults(source, data)
    figures = before_and_after(
        municipality_id=strategy.municipality_id,
        indicator=defaults["indicator"],
        strategy=strategy,
        measure=measure,
    )
    lookup = {"measure": measure} if measure is not None else {"section": section}
    practice = Practice.objects.select_for_update().filter(**lookup).first()
    before = audit.snapshot(practice) if practice is not None else None
    old_priorities = (
        sorted(practice.dla_priorities.values_list("pk", flat=True)) if practice else []
    )
    if practice is None:
        practice = Practice(
            **lookup, strategy=strategy, municipality_id=strategy.municipality_id, published_by=user
        )
    contact = data.get("contact")
    if contact is None or contact.pk != practice.contact_id:
        practice.contact_agreed_at = None
    practice.contact = contact
    if contact is not None and contact.pk == user.pk and data.get("contact_agrees"):
        practice.contact_agreed_at = practice.contact_agreed_at or timezone.now()
    practice.title = data["title"].strip()
    practice.what = data["what"].strip()
    practice.why = (data.get("why") or "").strip()
    practice.benefit = (data.get("benefit") or "").strip()
    practice.cost = data.get("cost")
    practice.currency = currency_of(strategy.municipality.country)
    practice.theme = defaults["theme"]
    practice.indicator = defaults["indicator"]
    practice.status = defaults["status"]
    practice.before_year, practice.before_value = figures.before_year, figures.before_value
    practice.after_year, practice.after_value = figures.after_year, figures.after_value
    practice.language = strategy.language
    practice.search_config = search_config(strategy.language)
    try:
        with transaction.atomic():  # a savepoint: two first publishes at once make one
            practice.save()
    except IntegrityError:
        raise ValidationError(
            _("Someone published this just now: open the practice again to change it.")
        ) from None
    practice.dla_priorities.set(defaults["dla_priorities"])
    new_priorities = sorted(p.pk for p in defaults["dla_priorities"])
    extra = (
        {"dla_priorities": [old_priorities, new_priorities]}
        if new_priorities != old_priorities
        else None
    )
    audit.log_change(practice, before=before, extra=extra)
    _write_search_document(practice)
    return practice


@transaction.atomic
def contact_agree(*, practice: Practice, user, agrees: bool) -> Practice:
    """The named contact agrees to be asked about the practice (or takes it back)."""
    if practice.contact_id != user.pk:
        raise PermissionDenied
    before = audit.snapshot(practice)
    practice.contact_agreed_at = timezone.now() if agrees else None
    practice.save(update_fields=["contact_agreed_at", "updated_at"])
    audit.log_change(practice, before=before, fields=["contact_agreed_at"])
    return practice


def practice_source_removed(*, measure: Measure | None = None, section: Section | None = None):
    """A measure or section is being removed (called by ``strategies.hooks`` in the removing
    transaction). A measure that was an adoption takes its adoption row along, logged. The
    practice published from it goes with it, logged, and so do its adoption rows; the measures
    other municipalities made of it stay in their plans. Duplicates merged into it lose their
    target and stay out of the library, retired."""
    if measure is not None:
        # A measure that was itself an adoption: its row goes with it (the cascade), logged.
        taken_up = list(Adoption.objects.filter(measure=measure))
        audit.log_bulk(model=Adoption, objects=taken_up, action=AuditEntry.Action.DELETED)
    practices = list(
        Practice.objects.filter(measure=measure)
        if measure is not None
        else Practice.objects.filter(section=section)
    )
    if not practices:
        return
    adoptions = list(Adoption.objects.filter(practice__in=practices))
    audit.log_bulk(model=Adoption, objects=adoptions, action=AuditEntry.Action.DELETED)
    orphans = list(Practice.objects.filter(merged_into__in=practices))
    if orphans:
        audit.log_bulk(
            model=Practice,
            objects=orphans,
            action=AuditEntry.Action.CHANGED,
            changes={"state": (Practice.State.MERGED, Practice.State.RETIRED)},
        )
        Practice.objects.filter(pk__in=[p.pk for p in orphans]).update(
            state=Practice.State.RETIRED, merged_into=None, retired_at=timezone.now()
        )
    audit.log_bulk(model=Practice, objects=practices, action=AuditEntry.Action.DELETED)
    Practice.objects.filter(pk__in=[p.pk for p in practices]).delete()


# --- Curating -----------------------------------------------------------------------------------


def _curated(practice: Practice, fields: list[str], before: dict) -> Practice:
    practice.save(update_fields=[*fields, "updated_at"])
    audit.log_change(practice, before=before, fields=fields)
    return practice


@transaction.atomic
def practice_feature(*, practice: Practice, user, featured: bool) -> Practice:
    """Feature the practice at the top of the library, or take it off."""
    before = audit.snapshot(practice)
    practice.featured_at = timezone.now() if featured else None
    practice.featured_by = user if featured else None
    return _curated(practice, ["featured_at", "featured_by"], before)


@transaction.atomic
def practice_retire(*, practice: Practice, user, retired: bool) -> Practice:
    """Retire the practice from the library (its page and adoptions stay), or bring it back.
    A merged practice stays merged."""
    if practice.state == Practice.State.MERGED:
        raise ValidationError(_("The practice is merged into another: it cannot be retired."))
    before = audit.snapshot(practice)
    practice.state = Practice.State.RETIRED if retired else Practice.State.PUBLISHED
    practice.retired_at = timezone.now() if retired else None
    return _curated(practice, ["state", "retired_at"], before)


@transaction.atomic
def practice_merge(*, practice: Practice, into: Practice, user) -> Practice:
    """Merge a duplicate into another practice of the same programme: the duplicate's state is
    merged and its page leads to ``into``; its adoptions move to ``into`` (an action plan that
    took up both keeps the one on the duplicate, shown on the target through it), and
    practices merged into the duplicate before now lead to ``into`` too. Logs each row."""
    if into.pk == practice.pk:
        raise ValidationError({"into": _("Choose another practice than this one.")})
    if into.strategy.network.programme_id != practice.strategy.network.programme_id:
        raise ValidationError({"into": _("Choose a practice of the same programme.")})
    if into.state != Practice.State.PUBLISHED:
        raise ValidationError({"into": _("Choose a published practice.")})
    if into.strategy.status not in OPEN_STRATEGY:
        # Its adoptions and its readers would follow it into a draft nobody else may read.
        raise ValidationError({"into": _("Choose a practice of a shared or adopted strategy.")})
    if practice.state == Practice.State.MERGED:
        raise ValidationError({"into": _("The practice is merged already.")})
    taken = into.adoptions.values("strategy_id")
    moving = list(practice.adoptions.exclude(strategy_id__in=taken))
    if moving:
        audit.log_bulk(
            model=Adoption,
            objects=moving,
            action=AuditEntry.Action.CHANGED,
            changes={"practice_id": (practice.pk, into.pk)},
        )
        Adoption.objects.filter(pk__in=[a.pk for a in moving]).update(practice=into)
    earlier = list(practice.merged.all())
    if earlier:
        audit.log_bulk(
            model=Practice,
            objects=earlier,
            action=AuditEntry.Action.CHANGED,
            changes={"merged_into_id": (practice.pk, into.pk)},
        )
        Practice.objects.filter(pk__in=[p.pk for p in earlier]).update(merged_into=into)
    before = audit.snapshot(practice)
    practice.state = Practice.State.MERGED
    practice.merged_into = into
    practice.featured_at = None
    practice.featured_by = None
    return _curated(practice, ["state", "merged_into", "featured_at", "featured_by"], before)


# --- Adopting -----------------------------------------------------------------------------------


def _adoption_refusal(practice: Practice, strategy: Strategy, user) -> str | None:
    if not sees_practice.test(user, practice):
        raise PermissionDenied
    if practice.state != Practice.State.PUBLISHED:
        return _("The practice is no longer in the library: it cannot be taken up.")
    if strategy.municipality_id == practice.municipality_id:
        return _("This is a practice of %(name)s itself: take it up in another municipality.") % {
            "name": strategy.municipality.name
        }
    if not edits_strategy.test(user, strategy):
        return _("You do not edit the action plan of %(name)s.") % {
            "name": strategy.municipality.name
        }
    if Adoption.objects.filter(practice=practice, strategy=strategy).exists():
        return _("The action plan of %(name)s has taken up this practice already.") % {
            "name": strategy.municipality.name
        }
    return None


def suggested_target(*, practice: Practice, strategy: Strategy) -> tuple[int | None, float | None]:
    """A target for the adopter's measure, which they may change: their latest value moved as
    far as the practice moved the source's (else the level the source reached), over as many
    years (at least one) from this year. (None, None) without a key figure."""
    if practice.indicator_id is None:
        return None, None
    latest = (
        Observation.objects.filter(
            indicator_id=practice.indicator_id,
            municipality_id=strategy.municipality_id,
            value__isnull=False,
        )
        .order_by("-year")
        .values_list("value", flat=True)
        .first()
    )
    if practice.before_value is not None and practice.after_value is not None:
        change = practice.after_value - practice.before_value
        value = latest + change if latest is not None else practice.after_value
        span = max(1, (practice.after_year or 0) - (practice.before_year or 0))
    else:
        value, span = practice.after_value or practice.before_value, 2
    if value is None:
        return None, None
    return timezone.localdate().year + span, round(value, practice.indicator.decimals)


def _adopter_baseline_year(practice: Practice, strategy: Strategy) -> int | None:
    """Without a frozen baseline of the figure, the adopter starts from its latest year
    (``measure_save`` reads its value)."""
    if strategy.baseline.filter(indicator_id=practice.indicator_id).exists():
        return None
    return (
        Observation.objects.filter(
            indicator_id=practice.indicator_id,
            municipality_id=strategy.municipality_id,
            value__isnull=False,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


@transaction.atomic
def practice_adopt(
    *,
    practice: Practice,
    strategy: Strategy,
    user,
    target_year: int | None = None,
    target_value: float | None = None,
) -> Adoption:
    """Take the practice up into the strategy's action plan: a new measure (through
    ``strategies.services.measure_save``, so its rules hold) with the practice's title, what
    and why as its description, its benefit as the expected one, its theme and key figure;
    the adopter's own baseline from their key figures, and the target given (else
    ``suggested_target``). An Adoption row links the practice and the measure.

    Refused with a ``ValidationError`` naming why: a plan the user does not edit, their own
    municipality's practice, a practice taken up into that plan already, one retired or
    merged; a practice the user may not read is ``PermissionDenied`` (404 for the views).
    Side effects: the measure's and the adoption's audit entries, and a notice to the
    source strategy's editors."""
    refusal = _adoption_refusal(practice, strategy, user)
    if refusal:
        raise ValidationError({"strategy": refusal})
    description = practice.what
    if practice.why:
        description = f"{practice.what}\n\n{practice.why}"
    data = {
        "title": practice.title,
        "description": description,
        "expected_benefit": practice.benefit,
        "theme": practice.theme,
        "status": Measure.Status.PLANNED,
    }
    if practice.indicator_id is not None:
        if target_year is None and target_value is None:
            target_year, target_value = suggested_target(practice=practice, strategy=strategy)
        if target_value is not None or target_year is not None:
            data.update(
                indicator=practice.indicator,
                target_year=target_year,
                target_value=target_value,
                baseline_year=_adopter_baseline_year(practice, strategy),
            )
    measure = measure_save(strategy=strategy, data=data)
    adoption = Adoption.objects.create(
        practice=practice,
        measure=measure,
        strategy=strategy,
        municipality_id=strategy.municipality_id,
        adopted_by=user,
    )
    audit.log(adoption, AuditEntry.Action.CREATED)
    notice_publish(
        kind=NoticeKind.PRACTICE_ADOPTED,
        event_key=f"adoption:{adoption.pk}",
        recipients=editors_of(practice.strategy),
        actor=user,
        about=practice.title,
        link=reverse("practice_detail", kwargs={"pk": practice.pk}),
        language=practice.strategy.network.language,
        excerpt=strategy.municipality.name,
    )
    return adoption


# --- Experts and speaker invitations ----------------------------------------------------------


def _m2m_codes(profile: ExpertProfile) -> dict:
    return {
        "themes": ", ".join(sorted(t.code for t in profile.themes.all())),
        "dla_priorities": ", ".join(sorted(p.code for p in profile.dla_priorities.all())),
    }


@transaction.atomic
def expert_profile_save(
    *, user, listed: bool, summary: str, themes, dla_priorities, languages: list[str]
) -> ExpertProfile:
    """Opt in as an expert, or change one's profile. Refused (``PermissionDenied``) for a
    person who takes part in no programme. ``ValidationError`` names the field when no
    language is chosen, a language or theme is not offered; nothing is saved then.
    Side effects: one audit entry (the profile's fields and its themes, priorities)."""
    if not user.has_perm("community.be_expert"):
        raise PermissionDenied
    errors = {}
    offered = dict(settings.LANGUAGES)
    languages = list(dict.fromkeys(languages))
    unknown = [code for code in languages if code not in offered]
    if unknown:
        errors["languages"] = _("“%(code)s” is not one of the portal's languages.") % {
            "code": unknown[0]
        }
    elif not languages:
        errors["languages"] = _("Choose at least one language you speak in.")
    allowed = {t.pk for t in expert_theme_choices()}
    themes = list(themes)
    if any(t.pk not in allowed for t in themes):
        errors["themes"] = _("Choose themes of the self-assessment's questionnaire only.")
    if errors:
        raise ValidationError(errors)
    profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
    before = audit.snapshot(profile) if profile is not None else None
    before_m2m = _m2m_codes(profile) if profile is not None else {}
    if profile is None:
        profile = ExpertProfile(user=user)
    profile.listed = listed
    profile.summary = summary.strip()
    # In the order the portal lists its languages, whatever order they came in.
    profile.languages = [code for code in offered if code in languages]
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.themes.set(themes)
    profile.dla_priorities.set(dla_priorities)
    after_m2m = _m2m_codes(profile)
    extra = {
        name: [before_m2m.get(name), codes]
        for name, codes in after_m2m.items()
        if before_m2m.get(name) != codes
    }
    if before is None:
        languages = [None, ", ".join(profile.languages)]
        audit.log(profile, AuditEntry.Action.CREATED, {"languages": languages, **extra})
    else:
        audit.log_change(profile, before=before, extra=extra)
    return profile


@transaction.atomic
def expert_profile_delete(*, user) -> None:
    """Leave the directory: the profile goes (logged before it goes). Invitations already
    sent stay, for the person to answer."""
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is None:
        return
    audit.log(profile, AuditEntry.Action.DELETED)
    profile.delete()


# --- Speaker invitations ------------------------------------------------------------------


def _refuse_gathering(gathering: Gathering, user) -> None:
    if not rules.gatherings_inviting_speakers(user).filter(pk=gathering.pk).exists():
        if gathering.cancelled_at is not None:
            message = _("The gathering is cancelled: choose another.")
        else:
            message = _("The gathering has begun or is over: choose one still ahead.")
        raise ValidationError({"gathering": message})


@transaction.atomic
def speaker_invite(
    *,
    gathering: Gathering,
    profile: ExpertProfile,
    topic: str,
    message: str,
    duration_minutes: int,
    invited_by,
) -> SpeakerInvitation:
    """Invite the expert of ``profile`` to speak at ``gathering`` about ``topic``.

    ``PermissionDenied`` unless ``invited_by`` runs the gathering's network and finds the
    expert. ``ValidationError`` (nothing saved) for oneself, an unlisted profile, a gathering
    begun, over or cancelled, an agenda with no room for the talk, or an expert already
    invited to it. Side effects: one audit entry; a notice to the expert
    (``SPEAKER_INVITED``, linking to the invitation), e-mailed after the commit as they chose.
    """
    if not invited_by.has_perm("community.invite_speaker", gathering):
        raise PermissionDenied
    if not rules.experts_visible_to(invited_by).filter(pk=profile.pk).exists():
        raise PermissionDenied
    expert = profile.user
    if expert.pk == invited_by.pk:
        raise ValidationError(_("You cannot invite yourself as a speaker."))
    if not profile.listed or not expert.is_active:
        raise ValidationError(_("This person is not listed as an expert: they cannot be invited."))
    topic = topic.strip()
    if not topic:
        raise ValidationError({"topic": _("Say what the talk is about.")})
    Gathering.objects.select_for_update().filter(pk=gathering.pk).first()
    _refuse_gathering(gathering, invited_by)
    room = agenda_room_minutes(gathering)
    if duration_minutes > room:
        raise ValidationError(
            {
                "duration_minutes": _(
                    "The agenda has room for %(room)d minutes only. Shorten the talk, or make "
                    "room on the agenda first."
                )
                % {"room": room}
            }
        )
    already = _("%(name)s is already invited to speak at this gathering.") % {"name": expert}
    if gathering.speaker_invitations.filter(
        expert=expert, state__in=SpeakerInvitation.OPEN_STATES
    ).exists():
        raise ValidationError({"gathering": already})
    invitation = SpeakerInvitation(
        gathering=gathering,
        expert=expert,
        topic=topic,
        message=message.strip(),
        duration_minutes=duration_minutes,
        invited_by=invited_by,
    )
    invitation.full_clean(exclude=["gathering", "expert", "invited_by", "agenda_item"])
    try:
        with transaction.atomic():  # two facilitators at once: the constraint decides
            invitation.save()
    except IntegrityError:
        raise ValidationError({"gathering": already}) from None
    audit.log(invitation, AuditEntry.Action.CREATED)
    notice_publish(
        kind=NoticeKind.SPEAKER_INVITED,
        event_key=f"speaker-invitation:{invitation.pk}",
        recipients=[expert],
        actor=invited_by,
        about=gathering.title,
        link=reverse("speaker_invitation", kwargs={"pk": invitation.pk}),
        language=gathering.network.language,
        excerpt=topic,
    )
    return invitation


def _locked(invitation: SpeakerInvitation) -> SpeakerInvitation:
    return (
        SpeakerInvitation.objects.select_for_update()
        .select_related("gathering__network", "expert")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def speaker_invitation_answer(
    *, invitation: SpeakerInvitation, user, accept: bool
) -> SpeakerInvitation:
    """The expert accepts or declines. Only the expert answers (``PermissionDenied`` for
    anyone else, the inviter and administrators included); a decided invitation, or one to a
    gathering begun or cancelled, is refused with a ``ValidationError``.

    Accepting adds the talk at the end of the gathering's agenda (a lecture of the invitation's
    length, the expert as speaker) through ``sessions_app.services.agenda_item_add``, which
    refuses it when the agenda has no room left; the expert then sees the gathering's page.
    Side effects: the agenda item's audit entry and the invitation's."""
    if not rules.is_invited_expert(user, invitation):
        raise PermissionDenied
    invitation = _locked(invitation)
    if invitation.state != SpeakerInvitation.State.SENT:
        raise ValidationError(
            _("This invitation is already %(state)s.")
            % {"state": invitation.get_state_display().lower()}
        )
    gathering = invitation.gathering
    if gathering.cancelled_at is not None or gathering.starts_at <= timezone.now():
        raise ValidationError(_("The gathering is cancelled or has begun: it cannot be answered."))
    before = audit.snapshot(invitation)
    if accept:
        try:
            invitation.agenda_item = sessions_services.agenda_item_add(
                gathering=gathering,
                title=invitation.topic,
                kind=AgendaItem.Kind.LECTURE,
                duration_minutes=invitation.duration_minutes,
                speaker=str(invitation.expert)[:200],
            )
        except ValidationError as exc:
            raise ValidationError(
                _(
                    "The gathering's agenda has no room for the talk any more. Ask the "
                    "facilitator to make room, then accept again."
                )
            ) from exc
        invitation.state = SpeakerInvitation.State.ACCEPTED
    else:
        invitation.state = SpeakerInvitation.State.DECLINED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at", "agenda_item"])
    audit.log_change(invitation, before=before)
    return invitation


@transaction.atomic
def speaker_invitation_withdraw(*, invitation: SpeakerInvitation, user) -> SpeakerInvitation:
    """Whoever runs the gathering's network withdraws a sent or accepted invitation before the
    gathering begins; an accepted talk leaves the agenda (``agenda_item_delete``, logged). The
    expert no longer sees the gathering. ``ValidationError`` once decided otherwise or begun."""
    if not rules.runs_gathering_of_invitation(user, invitation):
        raise PermissionDenied
    invitation = _locked(invitation)
    if invitation.state not in SpeakerInvitation.OPEN_STATES:
        raise ValidationError(
            _("This invitation is already %(state)s.")
            % {"state": invitation.get_state_display().lower()}
        )
    if invitation.gathering.starts_at <= timezone.now():
        raise ValidationError(_("The gathering has begun: the invitation stays as it is."))
    before = audit.snapshot(invitation)
    item = invitation.agenda_item
    invitation.state = SpeakerInvitation.State.WITHDRAWN
    invitation.decided_at = timezone.now()
    invitation.agenda_item = None
    invitation.save(update_fields=["state", "decided_at", "agenda_item"])
    audit.log_change(invitation, before=before)
    if item is not None:
        sessions_services.agenda_item_delete(item=item)
    return invitation
