"""Reads of the community of practice.

Every read here takes a fixed number of queries, whatever the number of practices or
adoptions it answers for.
"""

from types import SimpleNamespace

from django.db.models import BooleanField, Case, F, Value, When
from django.urls import reverse

from networks.countries import country_name
from strategies.hooks import MeasurePractice

from .models import Practice
from .rules import practices_visible_to

# --- Learn from the best ------------------------------------------------------------------------

# How many of a best performer's practices its line shows (those on the indicator first).
BEST_PRACTICES_SHOWN = 3


def best_performers_practices(
    *, user, municipality_ids, indicator, limit: int = BEST_PRACTICES_SHOWN
) -> dict[int, list[Practice]]:
    """The published practices the user may read of each of these municipalities (by id), to
    show beside their figures: those on ``indicator`` first, then the featured, then the
    newest; at most ``limit`` each. Each practice carries ``on_indicator``. One query for the
    whole page, whatever the number of municipalities or practices."""
    ids = list(municipality_ids)
    if not ids:
        return {}
    practices = (
        practices_visible_to(user)
        .filter(municipality_id__in=ids, state=Practice.State.PUBLISHED)
        .select_related("indicator")
        .annotate(
            on_indicator=Case(
                When(indicator_id=indicator.pk, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(
            "municipality_id",
            "-on_indicator",
            F("featured_at").desc(nulls_last=True),
            "-published_at",
            "pk",
        )
    )
    shown: dict[int, list[Practice]] = {}
    for practice in practices:
        chosen = shown.setdefault(practice.municipality_id, [])
        if len(chosen) < limit and all(p.pk != practice.pk for p in chosen):
            chosen.append(practice)
    return shown


# --- The source's action plan: who took its practices up -----------------------------------------


def measure_practices(*, user, measure_ids) -> dict[int, MeasurePractice]:
    """The answer community gives to ``strategies.hooks.measure_practices``: for each of these
    measures published as a practice the user may read (published, or retired: the source
    still sees who took it up), its page and the municipalities that adopted it, with their
    countries, by name. One query for the whole plan."""
    rows = (
        practices_visible_to(user)
        .filter(measure_id__in=list(measure_ids))
        .exclude(state=Practice.State.MERGED)
        .values_list(
            "pk",
            "measure_id",
            "title",
            "language",
            "adoptions__municipality__name",
            "adoptions__municipality__country__code",
            "adoptions__municipality__country__name",
        )
        .order_by("pk", "adoptions__municipality__name")
    )
    found: dict[int, MeasurePractice] = {}
    for pk, measure_id, title, language, name, code, country in rows:
        practice = found.get(measure_id)
        if practice is None:
            url = reverse("practice_detail", kwargs={"pk": pk})
            practice = found[measure_id] = MeasurePractice(url, title, language)
        if name is not None:
            where = country_name(SimpleNamespace(code=code, name=country))
            taken_up = f"{name} ({where})"
            if taken_up not in practice.taken_up_by:
                practice.taken_up_by.append(taken_up)
    return found
