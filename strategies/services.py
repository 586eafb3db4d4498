"""Writes: starting a strategy, saving sections (with conflict detection), status, comments,
presence and the action plan.

Callers have asked ``rules.py`` first. A broken rule raises ``ValidationError`` keyed by the
field at fault, so that forms show the message on that field and nothing is saved. A save made
on a version that someone else has changed meanwhile raises :class:`EditConflict` instead.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.models import Observation
from benchmarking.selectors import Comparison, municipality_position
from cemsdi_portal.core import audit
from cemsdi_portal.core.audit import log_bulk
from cemsdi_portal.core.bounds import date_out_of_bounds, year_in_bounds, year_out_of_bounds
from cemsdi_portal.core.models import AuditEntry
from cemsdi_portal.core.numbers import format_number
from networks.countries import for_country
from networks.language import language_of
from networks.models import Municipality, Network, NetworkMembership, Role, User
from notices.models import Kind as NoticeKind
from notices.services import notice_publish

from . import hooks
from .models import (
    BaselineFigure,
    DlaPriority,
    Measure,
    Section,
    SectionComment,
    SectionPresence,
    SectionRevision,
    StatusChange,
    Strategy,
)
from .rules import EDITOR_KINDS, TEXT_CLOSED, commenters_of, editors_of, text_open
from .selectors import figure_tracks
from .template import SECTIONS

BASELINE_COMPARISONS = (Comparison.NETWORK, Comparison.COUNTRY, Comparison.PEER_GROUP)


KEEP = object()  # section_save's theme: left as it is


@dataclass
class EditConflict(Exception):
    """The section changed since the editor loaded it. Nothing was saved."""

    section: Section  # as stored now, with the other editor's text
    yours: str  # the text the editor tried to save, to be offered back


# --- Strategy ---------------------------------------------------------------------------------


@transaction.atomic
def strategy_start(*, network: Network, municipality: Municipality, user) -> Strategy:
    """Create the municipality's strategy from the template and freeze its baseline."""
    if not NetworkMembership.objects.filter(network=network, municipality=municipality).exists():
        raise ValidationError(
            {
                "municipality": _("%(name)s is not a member of this network.")
                % {"name": municipality.name}
            }
        )
    if Strategy.objects.filter(network=network, municipality=municipality).exists():
        raise ValidationError(
            {
                "municipality": _("%(name)s has already started its strategy in this network.")
                % {"name": municipality.name}
            }
        )
    with translation.override(network.language):
        title = for_country(
            municipality.country,
            norway=_("eKommune strategy for %(name)s"),
            elsewhere=_("Digital municipality strategy for %(name)s"),
        ) % {"name": municipality.name}
        try:
            with transaction.atomic():  # a savepoint: a second start at the same moment loses
                strategy = Strategy.objects.create(
                    network=network,
                    municipality=municipality,
                    title=title,
                    language=network.language,
                    started_by=user,
                )
                audit.log(strategy, AuditEntry.Action.CREATED)
        except IntegrityError:
            raise ValidationError(
                {
                    "municipality": _("%(name)s has already started its strategy in this network.")
                    % {"name": municipality.name}
                }
            ) from None
        sections = Section.objects.bulk_create(
            Section(strategy=strategy, kind=t.kind, title=str(Section.Kind(t.kind).label),
                    position=position)
            for position, t in enumerate(SECTIONS, start=1)
        )  # fmt: skip
    priorities = {p.code: p for p in DlaPriority.objects.all()}
    links = [
        Section.dla_priorities.through(section_id=section.pk, dlapriority_id=priorities[code].pk)
        for section, template in zip(sections, SECTIONS, strict=True)
        for code in template.dla_priorities
        if code in priorities
    ]
    Section.dla_priorities.through.objects.bulk_create(links)
    given = {
        section.pk: ", ".join(sorted(c for c in template.dla_priorities if c in priorities))
        for section, template in zip(sections, SECTIONS, strict=True)
    }
    log_bulk(
        model=Section,
        objects=sections,
        action=AuditEntry.Action.CREATED,
        changes=lambda s: {"dla_priorities": [None, given[s.pk]]} if given[s.pk] else {},
    )
    baseline_freeze(strategy=strategy)
    return strategy


def baseline_freeze(*, strategy: Strategy) -> None:
    """Keep the municipality's key figures and its position in each comparison set as they
    are now: each indicator in the latest year the municipality has a value for it. The
    strategy and its measures refer to this starting point."""
    latest: dict[int, int] = {}
    for indicator_id, year in (
        Observation.objects.filter(municipality=strategy.municipality, value__isnull=False)
        .order_by("indicator_id", "-year")
        .values_list("indicator_id", "year")
    ):
        latest.setdefault(indicator_id, year)
    figures = []
    for year in sorted(set(latest.values())):
        for comparison in BASELINE_COMPARISONS:
            page = municipality_position(
                municipality=strategy.municipality,
                comparison=comparison,
                network=strategy.network,
                year=year,
            )
            figures += [
                BaselineFigure(
                    strategy=strategy,
                    indicator=row.indicator,
                    comparison=comparison.value,
                    year=year,
                    value=row.value,
                    mean=row.mean,
                    median=row.median,
                    rank=row.rank,
                    count=row.count,
                    percentile=row.percentile,
                )
                for row in page.rows
                if latest.get(row.indicator.pk) == year
            ]
    BaselineFigure.objects.filter(strategy=strategy).delete()
    BaselineFigure.objects.bulk_create(figures)
    before, strategy.baseline_year = strategy.baseline_year, max(latest.values(), default=None)
    Strategy.objects.filter(pk=strategy.pk).update(baseline_year=strategy.baseline_year)
    if before != strategy.baseline_year:
        log_bulk(
            model=Strategy,
            objects=[strategy],
            action=AuditEntry.Action.CHANGED,
            changes={"baseline_year": [before, strategy.baseline_year]},
        )


@transaction.atomic
def strategy_set_language(*, strategy: Strategy, language: str) -> Strategy:
    """Say which language the strategy's text is written in (its sections and action plan
    follow it). Logged with the old and new value; nothing else changes."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": _("%(code)s is not a language of the portal.") % {"code": language}}
        )
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    before = audit.snapshot(strategy)
    strategy.language = language
    strategy.save(update_fields=["language"])
    audit.log_change(strategy, before=before, fields=["language"])
    return strategy


@transaction.atomic
def strategy_set_status(
    *,
    strategy: Strategy,
    status: str,
    user,
    adopted_on: date | None = None,
    decision_reference: str = "",
    note: str = "",
) -> Strategy:
    """Move the strategy between draft, shared and adopted; every move is recorded."""
    strategy = Strategy.objects.select_for_update().select_related("network").get(pk=strategy.pk)
    before = audit.snapshot(strategy)
    if status not in Strategy.Status.values:
        raise ValidationError({"status": _("Choose draft, shared or adopted.")})
    if status == strategy.status:
        raise ValidationError(
            {
                "status": _("The strategy is already %(status)s.")
                % {"status": Strategy.Status(status).label.lower()}
            }
        )
    if status == Strategy.Status.ADOPTED:
        errors = {}
        if adopted_on is None:
            errors["adopted_on"] = _("Give the date the council adopted the strategy.")
        elif adopted_on > timezone.localdate():
            errors["adopted_on"] = _("The adoption date cannot be in the future.")
        elif adopted_on < strategy.network.planned_start:
            errors["adopted_on"] = _(
                "The adoption date is before the network started (%(date)s)."
            ) % {"date": date_format(strategy.network.planned_start, "DATE_FORMAT")}
        if not decision_reference.strip():
            errors["decision_reference"] = _("Give the reference of the council's decision.")
        if errors:
            raise ValidationError(errors)
        strategy.adopted_on = adopted_on
        strategy.decision_reference = decision_reference.strip()
    adopting = status == Strategy.Status.ADOPTED
    change = StatusChange.objects.create(
        strategy=strategy,
        from_status=strategy.status,
        to_status=status,
        changed_by=user,
        note=note.strip(),
        adopted_on=strategy.adopted_on if adopting else None,
        decision_reference=strategy.decision_reference if adopting else "",
    )
    strategy.status = status
    if status != Strategy.Status.ADOPTED:
        # The adoption is history now (kept in the status changes), not the current state.
        strategy.adopted_on, strategy.decision_reference = None, ""
    strategy.save(update_fields=["status", "adopted_on", "decision_reference"])
    audit.log_change(strategy, before=before, fields=["status", "adopted_on", "decision_reference"])
    _shared_notices(strategy, change=change, user=user)
    return strategy


def _shared_notices(strategy: Strategy, *, change: StatusChange, user) -> None:
    """A draft shared with the network (or adopted at once, which opens it to the network
    too) tells its facilitators, each time it is opened."""
    if change.from_status != Strategy.Status.DRAFT:
        return
    notice_publish(
        kind=NoticeKind.STRATEGY_SHARED,
        event_key=f"status-change:{change.pk}",
        recipients=commenters_of(strategy),
        actor=user,
        about=strategy.title,
        link=reverse("strategy_detail", kwargs={"pk": strategy.pk}),
        language=strategy.network.language,
    )


# --- Sections ---------------------------------------------------------------------------------


def _check_open(section: Section) -> None:
    """An adopted strategy's text changes only after moving back (the policy decides)."""
    if not text_open(section.strategy):
        raise ValidationError({"body": str(TEXT_CLOSED)})


def _record(section: Section, user, *, restored_from: int | None = None) -> SectionRevision:
    return SectionRevision.objects.create(
        section=section,
        version=section.version,
        title=section.title,
        body=section.body,
        author=user,
        restored_from=restored_from,
    )


def _section_body(body: str) -> str:
    """The text as it is stored: line ends as the diffs compare them, within the length."""
    body = body.replace("\r\n", "\n")  # browsers send CRLF; the diffs compare lines
    if len(body) > LONGEST_TEXT:
        raise ValidationError(
            {
                "body": _("A section holds at most %(count)s characters; this one has %(length)s.")
                % {"count": f"{LONGEST_TEXT:,}", "length": f"{len(body):,}"}
            }
        )
    return body


def _section_title(section: Section, title: str | None) -> str:
    """The title after the save: only a section of the municipality's own is renamed."""
    if title is None or section.kind != Section.Kind.OWN:
        return section.title
    new_title = title.strip()
    if not new_title:
        raise ValidationError({"title": _("Give the section a title.")})
    others = section.strategy.sections.exclude(pk=section.pk)
    if others.filter(title__iexact=new_title).exists():
        raise _section_title_taken(new_title)
    return new_title


def _priorities_change(section: Section, priorities) -> tuple[set[int] | None, dict]:
    """The DLA priorities to set (None where they stay as they are), and the change as the
    audit log records it."""
    if priorities is None:
        return None, {}
    wanted = {p.pk: p.code for p in priorities}
    had = dict(section.dla_priorities.values_list("pk", "code"))
    if wanted.keys() == had.keys():
        return None, {}
    return set(wanted), {
        "dla_priorities": [
            ", ".join(sorted(had.values())) or None,
            ", ".join(sorted(wanted.values())) or None,
        ]
    }


@transaction.atomic
def section_save(
    *,
    section: Section,
    user,
    body: str,
    base_version: int,
    title: str | None = None,
    priorities=None,
    theme=KEEP,
) -> SectionRevision:
    """Save the section's text (and, when given, its DLA priorities) as a new revision, if
    nobody saved since ``base_version``.

    The row is locked while it is compared and written, so of two saves on the same version
    exactly one wins and the other gets :class:`EditConflict` with the stored text.
    """
    current = Section.objects.select_for_update().select_related("strategy").get(pk=section.pk)
    _check_open(current)
    before = audit.snapshot(current)
    body = _section_body(body)
    if current.version != base_version:
        raise EditConflict(section=current, yours=body)
    new_title = _section_title(current, title)
    new_priorities, logged = _priorities_change(current, priorities)
    new_theme = current.theme_id if theme is KEEP else getattr(theme, "pk", None)
    if (
        body == current.body
        and new_title == current.title
        and new_priorities is None
        and new_theme == current.theme_id
    ):
        return current.revisions.first() or _record(current, user)
    if new_priorities is not None:
        # A change of priorities is a save like any other: it raises the version, so that an
        # editor working on the older version meets it as a conflict.
        current.dla_priorities.set(new_priorities)
    current.body, current.title, current.theme_id = body, new_title, new_theme
    current.version = F("version") + 1
    current.updated_at, current.updated_by = timezone.now(), user
    try:
        with transaction.atomic():  # a rename racing an add of the same title loses
            current.save(
                update_fields=["body", "title", "theme", "version", "updated_at", "updated_by"]
            )
    except IntegrityError:
        raise _section_title_taken(new_title) from None
    current.refresh_from_db(fields=["version"])
    audit.log_change(current, before=before, fields=["title", "body", "theme_id"], extra=logged)
    return _record(current, user)


@transaction.atomic
def section_restore(*, section: Section, version: int, user) -> SectionRevision:
    """Bring back an earlier revision's text as a new revision (nothing is overwritten)."""
    current = Section.objects.select_for_update().select_related("strategy").get(pk=section.pk)
    _check_open(current)
    try:
        old = current.revisions.get(version=version)
    except SectionRevision.DoesNotExist:
        raise ValidationError(
            {"version": _("This section has no revision %(version)s.") % {"version": version}}
        ) from None
    before = audit.snapshot(current)
    current.body, current.title = old.body, old.title
    current.version = F("version") + 1
    current.updated_at, current.updated_by = timezone.now(), user
    current.save(update_fields=["body", "title", "version", "updated_at", "updated_by"])
    current.refresh_from_db(fields=["version"])
    audit.log_change(current, before=before, fields=["title", "body"])
    return _record(current, user, restored_from=version)


@transaction.atomic
def section_add(*, strategy: Strategy, title: str, user) -> Section:
    """A section of the municipality's own, at the end."""
    if not text_open(strategy):
        raise ValidationError({"title": str(TEXT_CLOSED)})
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the section a title.")})
    if strategy.sections.filter(title__iexact=title).exists():
        raise _section_title_taken(title)
    last = strategy.sections.aggregate(last=Max("position"))["last"] or 0
    try:
        # A savepoint: of two adds at the same moment, the database lets one through.
        with transaction.atomic():
            section = Section.objects.create(
                strategy=strategy, kind=Section.Kind.OWN, title=title, position=last + 1
            )
    except IntegrityError:
        raise _section_title_taken(title) from None
    audit.log(section, AuditEntry.Action.CREATED)
    _record(section, user)
    return section


def _section_title_taken(title: str) -> ValidationError:
    """Titles are unique in a strategy, whatever their case (constraint section_title_once)."""
    return ValidationError(
        {"title": _("The strategy already has a section called “%(title)s”.") % {"title": title}}
    )


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """Remove a section the municipality added, with its comments (its measures stay,
    without a section)."""
    if section.kind != Section.Kind.OWN:
        raise ValidationError(
            {"section": _("The template's sections stay; only added sections can be removed.")}
        )
    _check_open(section)
    log_bulk(model=SectionComment, objects=section.comments.all(), action=AuditEntry.Action.DELETED)
    hooks.before_removal(section=section)  # what a higher floor made of it goes first
    audit.log(section, AuditEntry.Action.DELETED)
    section.delete()


def _thread_of(section: Section, parent: SectionComment | None) -> SectionComment | None:
    """The thread's first comment: replies are one level deep, so a reply to a reply joins
    the thread of the comment it answers."""
    if parent is None:
        return None
    if parent.parent_id is not None:
        parent = parent.parent
    if parent.section_id != section.pk:
        raise ValidationError({"parent": _("Reply to a comment on this section.")})
    return parent


@transaction.atomic
def section_comment(
    *, section: Section, user, body: str, parent: SectionComment | None = None
) -> SectionComment:
    """Add a comment, or with ``parent`` a reply in that comment's thread. The same text sent
    twice in a row by its author (a double-posted form) is one comment: the section's row is
    locked, so the second finds the first.

    Side effects: its audit entry; notices (``notices.services.notice_publish``), after the
    commit e-mailed as each person chose: a comment tells the municipality's editors, a reply
    tells everyone who wrote earlier in the thread; nobody is told of their own words."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    thread = _thread_of(section, parent)
    Section.objects.select_for_update().filter(pk=section.pk).first()
    last = section.comments.order_by("-created_at", "-pk").first()
    if (
        last is not None
        and last.author_id == user.pk
        and last.body == body
        and last.parent_id == (thread.pk if thread else None)
    ):
        return last
    comment = SectionComment.objects.create(section=section, author=user, body=body, parent=thread)
    audit.log(comment, AuditEntry.Action.CREATED)
    _comment_notices(comment, section=section, thread=thread, user=user)
    return comment


def _comment_notices(comment, *, section: Section, thread, user) -> None:
    strategy = section.strategy
    if thread is None:
        kind, recipients = NoticeKind.COMMENT, editors_of(strategy)
    else:
        earlier = {thread.author_id, *thread.replies.exclude(pk=comment.pk).values_list(
            "author_id", flat=True
        )}  # fmt: skip
        kind = NoticeKind.REPLY
        recipients = User.objects.filter(is_active=True, pk__in=earlier)
    notice_publish(
        kind=kind,
        event_key=f"comment:{comment.pk}",
        recipients=recipients,
        actor=user,
        about=f"{section.title} ({strategy.municipality.name})",
        excerpt=comment.body,
        link=reverse("strategy_detail", kwargs={"pk": strategy.pk}) + f"#c{comment.pk}",
        language=strategy.network.language,
    )


@transaction.atomic
def comment_resolve(*, comment: SectionComment, user, resolved: bool) -> SectionComment:
    """Mark a thread resolved (``resolved``) or open again; its first comment holds it."""
    if comment.parent_id is not None:
        raise ValidationError({"comment": _("Mark the thread's first comment, not a reply.")})
    comment = SectionComment.objects.select_for_update().get(pk=comment.pk)
    before = audit.snapshot(comment)
    if resolved and comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), user
    elif not resolved:
        comment.resolved_at, comment.resolved_by = None, None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit.log_change(comment, before=before, fields=["resolved_at", "resolved_by_id"])
    return comment


def presence_touch(*, section: Section, user) -> None:
    """The user has the section open: the editor page calls this while it stays open."""
    SectionPresence.objects.update_or_create(
        section=section, user=user, defaults={"last_seen": timezone.now()}
    )


def presence_leave(*, section: Section, user) -> None:
    SectionPresence.objects.filter(section=section, user=user).delete()


# --- Action plan ------------------------------------------------------------------------------

# Sanity bounds for what people type (years: core.bounds): key-figure values of real plans.
LARGEST_VALUE = 1e12
LONGEST_TEXT = 50_000  # characters in one section: some forty pages

MEASURE_FIELDS = (
    "title", "description", "section", "theme", "owner", "starts_on", "due_on", "status",
    "progress", "cost_estimate", "expected_benefit", "indicator", "baseline_year", "baseline_value",
    "target_year", "target_value",
)  # fmt: skip


def _measure_field_errors(strategy: Strategy, data: dict) -> dict[str, str]:
    """A title, dates in order, a percentage, a section and an owner of this strategy."""
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the measure a title.")
    starts, due = data.get("starts_on"), data.get("due_on")
    if starts and due and due < starts:
        errors["due_on"] = _("The due date is before the start.")
    progress = data.get("progress") or 0
    if not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage from 0 to 100.")
    section = data.get("section")
    if section is not None and section.strategy_id != strategy.pk:
        errors["section"] = _("Choose a section of this strategy.")
    owner = data.get("owner")
    if (
        owner is not None
        and not Role.objects.filter(
            user=owner, municipality=strategy.municipality, kind__in=EDITOR_KINDS
        ).exists()
    ):
        errors["owner"] = _(
            "The owner must be the chief executive or staff of %(name)s: the people who "
            "update the action plan."
        ) % {"name": strategy.municipality.name}
    return errors


def _measure_bound_errors(data: dict) -> dict[str, str]:
    """Dates, years, values and costs within the bounds of real plans."""
    errors = {}
    for name in ("starts_on", "due_on"):
        day = data.get(name)
        if day is not None and not year_in_bounds(day.year):
            errors[name] = date_out_of_bounds()
    for name in ("baseline_year", "target_year"):
        year = data.get(name)
        if year is not None and not year_in_bounds(year):
            errors[name] = year_out_of_bounds()
    for name in ("baseline_value", "target_value"):
        value = data.get(name)
        if value is not None and not (math.isfinite(value) and abs(value) <= LARGEST_VALUE):
            errors[name] = _("Give a number no larger than a thousand billion.")
    cost = data.get("cost_estimate")
    if cost is not None and cost < 0:
        errors["cost_estimate"] = _("A cost estimate cannot be negative.")
    return errors


def _measure_target_errors(data: dict) -> dict[str, str]:
    """A baseline or target needs its key figure; a key figure needs a target, after the
    baseline."""
    errors = {}
    indicator = data.get("indicator")
    for name in ("baseline_year", "baseline_value", "target_year", "target_value"):
        if data.get(name) is not None and indicator is None:
            errors[name] = _("Choose the key figure this refers to.")
    if indicator is not None:
        if data.get("target_value") is None:
            errors["target_value"] = _("Give the value the measure aims at.")
        if data.get("target_year") is None:
            errors["target_year"] = _("Give the year the target should be reached.")
        baseline_year, target_year = data.get("baseline_year"), data.get("target_year")
        if baseline_year and target_year and target_year < baseline_year:
            errors["target_year"] = _("The target year is before the baseline year.")
    return errors


def _measure_errors(strategy: Strategy, data: dict) -> dict[str, str]:
    """Each field's message; where two checks speak of one field, the later one's."""
    return {
        **_measure_field_errors(strategy, data),
        **_measure_bound_errors(data),
        **_measure_target_errors(data),
    }


def _fill_baseline(strategy: Strategy, data: dict) -> None:
    """A measure tied to a key figure starts from the strategy's baseline unless told
    otherwise: the frozen figure, or the observation of the year asked for."""
    indicator = data.get("indicator")
    if indicator is None or data.get("baseline_value") is not None:
        return
    year = data.get("baseline_year")
    if year is None:
        frozen = strategy.baseline.filter(
            indicator=indicator, comparison=Comparison.NETWORK.value
        ).first()
        if frozen is not None:
            data["baseline_year"], data["baseline_value"] = frozen.year, frozen.value
        return
    observation = Observation.objects.filter(
        indicator=indicator, municipality_id=strategy.municipality_id, year=year
    ).first()
    if observation is not None:
        data["baseline_value"] = observation.value


@transaction.atomic
def measure_save(*, strategy: Strategy, data: dict, measure: Measure | None = None) -> Measure:
    """Create or update a measure of the strategy's action plan; ``measure`` as stored (the
    log compares its values with the new ones)."""
    data = {name: data.get(name) for name in MEASURE_FIELDS if name in data}
    if measure is not None:
        data = {**{name: getattr(measure, name) for name in MEASURE_FIELDS}, **data}
    errors = _measure_errors(strategy, data)
    if errors:
        raise ValidationError(errors)
    _fill_baseline(strategy, data)
    baseline_year, target_year = data.get("baseline_year"), data.get("target_year")
    if baseline_year and target_year and target_year < baseline_year:
        # The baseline year may only be known now, filled from the frozen baseline.
        raise ValidationError({"target_year": _("The target year is before the baseline year.")})
    if data.get("status") == Measure.Status.DONE:
        data["progress"] = 100
    for text in ("description", "expected_benefit"):
        data[text] = data.get(text) or ""
    data["progress"] = data.get("progress") or 0
    data["status"] = data.get("status") or Measure.Status.PLANNED
    data["title"] = data["title"].strip()
    others = strategy.measures.exclude(pk=measure.pk) if measure else strategy.measures.all()
    if others.filter(title__iexact=data["title"]).exists():
        raise _measure_title_taken(data["title"])
    try:
        # A savepoint: of two identical adds at the same moment, the database lets one through.
        with transaction.atomic():
            if measure is None:
                measure = Measure.objects.create(strategy=strategy, **data)
                audit.log(measure, AuditEntry.Action.CREATED)
                return measure
            before = audit.snapshot(measure)
            for name, value in data.items():
                setattr(measure, name, value)
            measure.save()
            audit.log_change(measure, before=before)
    except IntegrityError:
        raise _measure_title_taken(data["title"]) from None
    return measure


def _measure_title_taken(title: str) -> ValidationError:
    """Titles are unique in an action plan, whatever their case (constraint measure_title_once):
    a double-posted form adds one measure."""
    return ValidationError(
        {"title": _("The action plan already has a measure called “%(title)s”.") % {"title": title}}
    )


@transaction.atomic
def measure_delete(*, measure: Measure) -> None:
    hooks.before_removal(measure=measure)  # what a higher floor made of it goes first
    audit.log(measure, AuditEntry.Action.DELETED)
    measure.delete()


# --- Key figures that moved -------------------------------------------------------------------


def _owner_still_there() -> Exists:
    """The measure's owner holds a municipal role in its strategy's municipality, through a
    role that counts in the strategy's network (as ``rules.editors_of`` reads roles)."""
    return Exists(
        Role.objects.filter(
            Q(granted_in__isnull=True) | Q(granted_in=OuterRef("strategy__network_id")),
            user=OuterRef("owner_id"),
            municipality=OuterRef("strategy__municipality_id"),
            kind__in=Role.MUNICIPAL_KINDS,
        )
    )


def measure_figures_check(*, indicator_ids) -> int:
    """New values of these indicators were saved: tell the owner of each measure tied to one
    whose latest value (for the strategy's municipality) moved away from the target against
    the value before it, or against the baseline when there is none before.

    A figure that moved toward the target tells nobody: the action plan shows the progress,
    and a notice is for what needs the owner. Nobody is told twice of one year of one
    measure's figure (the event key), nor is an owner who no longer holds a role in the
    municipality. Dropped measures are left alone. A fixed number of queries to find them,
    then one publish per owner told. Returns the number of notices made."""
    measures = list(
        Measure.objects.filter(
            _owner_still_there(),
            indicator_id__in=[int(pk) for pk in indicator_ids],
            owner__is_active=True,
            baseline_value__isnull=False,
            target_value__isnull=False,
        )
        .exclude(status=Measure.Status.DROPPED)
        .select_related("owner", "indicator", "strategy__network")
        .order_by("pk")
    )
    figures = figure_tracks(measures)
    made = 0
    for measure in measures:
        figure = figures[measure.pk]
        if figure.moved != "away":
            continue
        network = measure.strategy.network
        language = language_of(measure.owner, fallback=network.language)
        decimals = measure.indicator.decimals
        with translation.override(language):
            excerpt = _(
                "%(indicator)s: %(value)s in %(year)s, after %(before)s in %(before_year)s; "
                "the target is %(target)s in %(target_year)s."
            ) % {
                "indicator": measure.indicator.name,
                "value": format_number(figure.latest_value, decimals),
                "year": figure.latest_year,
                "before": format_number(figure.before_value, decimals),
                "before_year": figure.before_year or "–",
                "target": format_number(measure.target_value, decimals),
                "target_year": measure.target_year or "–",
            }
        made += len(
            notice_publish(
                kind=NoticeKind.MEASURE_FIGURE_WORSE,
                event_key=(
                    f"measure-figure:{measure.pk}:{measure.indicator_id}:{figure.latest_year}"
                ),
                recipients=[measure.owner],
                actor=None,
                about=measure.title,
                excerpt=excerpt,
                link=reverse("action_plan", kwargs={"pk": measure.strategy_id})
                + f"#measure-{measure.pk}",
                language=language,
            )
        )
    return made
