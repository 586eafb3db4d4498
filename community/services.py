"""Writes of the library of practices: publishing a measure or section as a practice, the
contact's agreement, curating (feature, merge, retire) and adopting a practice into another
action plan.

Callers have asked ``rules.py`` first; the services ask it again where a refusal must be
named (adopting). A broken rule raises ``ValidationError`` keyed by the field at fault, and
nothing is saved. Every write logs itself in its transaction.
"""

import math

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.models import Observation
from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from networks.models import Role
from notices.models import Kind as NoticeKind
from notices.services import notice_publish
from strategies.models import Measure, Section, Strategy
from strategies.rules import editors_of, edits_strategy
from strategies.services import LARGEST_VALUE, measure_save

from .models import Adoption, Practice
from .rules import OPEN_STRATEGY, sees_practice
from .selectors import before_and_after, search_config

KEEP = object()  # practice_publish's default: taken from the measure or section

# The currency a municipality's costs are given in, by its country's code: the programme's
# countries outside the euro, and the euro for every other.
CURRENCIES = {"NO": "NOK", "GB": "GBP", "SE": "SEK"}


def currency_of(country) -> str:
    return CURRENCIES.get(getattr(country, "code", "") or "", "EUR")


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
