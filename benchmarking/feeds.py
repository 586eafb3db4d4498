"""Statistics feeds: fetch, preview, apply all or nothing, and the scheduled refresh.

* ``feed_fetch_request`` (an administrator's "Fetch now", or the schedule) makes a queued
  ``FeedRun`` and, after the commit, the Celery task ``fetch_feed`` runs ``feed_run_fetch``:
  the connector asks the source (connectors/), and the fetched file is previewed exactly as an
  upload (``imports.import_preview``; KOSTRA groups: ``peer_groups_preview``). The run keeps
  the file and the preview's figures; a refusal by the source keeps its message. Nothing is
  imported by a fetch.
* ``feed_run_apply`` previews the kept file again (the database may have changed) and imports
  it all or nothing (``imports.import_apply``; ``peer_groups_apply``). A newer fetch of the
  same feed supersedes a run waiting to be applied.
* ``refresh_due_feeds`` (Celery beat, daily) fetches each scheduled feed whose source has
  published since its last applied run (``feed_due``) and applies the result when its preview
  has no problems; rows that do not map are left out and listed on the feed's page. A failure
  keeps the old figures and shows on the feed's page.

Every write is logged (core.audit). Selectors for the pages are at the end.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cemsdi_portal.core import audit
from networks.models import Country, Municipality, MunicipalityCode, PeerGroup

from . import connectors
from .cache import data_changed
from .feed_models import FeedRun, StatisticsFeed
from .models import Indicator, Observation

logger = logging.getLogger(__name__)
State = FeedRun.State
KOSTRA_COUNTRY = "NO"
STALE_AFTER = timedelta(hours=1)


# --- What a feed asks ---------------------------------------------------------------------


def feed_regions(feed: StatisticsFeed) -> list[str]:
    """The region codes a feed asks for: its own list, else its network's members, else
    every municipality of its country (in code order). Eurostat is asked by LAU code (the
    national code where a municipality has none)."""
    if feed.region_codes:
        return [str(code).strip() for code in feed.region_codes if str(code).strip()]
    column = F("code")
    if feed.source == StatisticsFeed.Source.EUROSTAT:
        column = Coalesce("lau_code", "code")
    if feed.network_id:
        found = Municipality.objects.filter(memberships__network_id=feed.network_id)
    elif feed.country_id:
        found = Municipality.objects.filter(country_id=feed.country_id)
    else:
        return []
    return list(found.order_by("code").annotate(asked=column).values_list("asked", flat=True))


def feed_query(feed: StatisticsFeed) -> connectors.Query:
    years = sorted(int(y) for y in feed.years)
    return connectors.Query(
        table=feed.table_id.strip(),
        indicators=[str(code).strip() for code in feed.indicator_codes if str(code).strip()],
        regions=feed_regions(feed) if feed.source != StatisticsFeed.Source.KLASS else [],
        years=years,
        latest_years=feed.latest_years,
        region_variable=feed.region_variable.strip() or "Region",
        date=f"{years[-1]}-01-01" if years else "",
    )


# --- KOSTRA groups: preview and apply --------------------------------------------------------


@dataclass
class PeerGroupPreview:
    """What setting the KOSTRA groups from a KLASS correspondence would change."""

    file_name: str
    kind: str = "peer_groups"
    groups_new: list[str] = field(default_factory=list)
    groups_renamed: list[str] = field(default_factory=list)
    municipalities_changed: int = 0
    municipalities_unchanged: int = 0
    not_covered: int = 0  # municipalities of the country the correspondence does not name
    unmapped: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _groups: dict = field(default_factory=dict, repr=False)  # code -> name
    _assign: dict = field(default_factory=dict, repr=False)  # municipality id -> group code

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


def _municipalities_of_codes(codes: set[str], country: Country, year: int) -> dict[str, set]:
    """code -> the ids of today's municipalities it leads to (in its era, else any era)."""
    eras: dict[str, list] = {}
    for code, first, last, pk in MunicipalityCode.objects.filter(
        code__in=codes, municipality__country=country
    ).values_list("code", "first_year", "last_year", "municipality_id"):
        eras.setdefault(code, []).append((first, last, pk))
    found = {}
    for code, pk in Municipality.objects.filter(code__in=codes, country=country).values_list(
        "code", "pk"
    ):
        eras.setdefault(code, [(None, None, pk)])
    for code, rows in eras.items():
        in_era = [
            pk for first, last, pk in rows
            if (first is None or first <= year) and (last is None or year <= last)
        ]  # fmt: skip
        found[code] = set(in_era or [pk for _f, _l, pk in rows])
    return found


def peer_groups_preview(data: bytes, file_name: str, *, year: int) -> PeerGroupPreview:
    """Read the correspondence and work out what it would change. Saves nothing.

    A municipality code of an older year lands on today's municipality through the register's
    code history (``MunicipalityCode``). A code that leads to several municipalities (split),
    or municipalities that would get two groups (merged from municipalities in different
    groups), are listed, not guessed."""
    preview = PeerGroupPreview(file_name=file_name)
    country = Country.objects.filter(code=KOSTRA_COUNTRY).first()
    try:
        pairs = connectors.klass.pairs(data)
    except ValueError as exc:
        preview.problems.append(
            _("%(file)s is not a KLASS correspondence: %(error)s")
            % {"file": file_name, "error": exc}
        )
        return preview
    if country is None or not pairs:
        preview.problems.append(
            _("%(file)s names no municipality of Norway's register.") % {"file": file_name}
        )
        return preview
    targets = _municipalities_of_codes({p.municipality_code for p in pairs}, country, year)
    wanted: dict[int, set] = {}
    for pair in pairs:
        preview._groups.setdefault(pair.group_code, pair.group_name or pair.group_code)
        found = targets.get(pair.municipality_code, set())
        if len(found) != 1:
            preview.unmapped.append({
                "code": pair.municipality_code, "label": pair.municipality_name, "rows": 1,
                "reason": _("split between several municipalities since: not guessed")
                if found else _("not a municipality code in the register"),
            })  # fmt: skip
            continue
        wanted.setdefault(next(iter(found)), set()).add(pair.group_code)
    names = dict(Municipality.objects.filter(pk__in=wanted).values_list("pk", "code"))
    for pk, groups in wanted.items():
        if len(groups) > 1:
            preview.unmapped.append({
                "code": names[pk], "label": "", "rows": 1,
                "reason": _("merged from municipalities in different groups (%(groups)s): "
                            "not guessed") % {"groups": ", ".join(sorted(groups))},
            })  # fmt: skip
        else:
            preview._assign[pk] = next(iter(groups))
    saved = dict(PeerGroup.objects.filter(country=country).values_list("code", "name"))
    preview.groups_new = sorted(set(preview._groups) - set(saved))
    preview.groups_renamed = sorted(
        code for code, name in preview._groups.items() if code in saved and saved[code] != name
    )
    current = dict(
        Municipality.objects.filter(country=country).values_list("pk", "peer_group__code")
    )
    for pk, code in preview._assign.items():
        if current.get(pk) == code:
            preview.municipalities_unchanged += 1
        else:
            preview.municipalities_changed += 1
    preview.not_covered = len(set(current) - set(preview._assign))
    return preview


def peer_groups_apply(preview: PeerGroupPreview, *, in_request: bool = False) -> None:
    """Create and rename the groups and set each municipality's group, in one transaction,
    each change logged; the peer-group ranks of every indicator are computed again after the
    commit (tasks.py), and cached comparisons are dropped."""
    from .tasks import standings_refresh_enqueue  # the task module imports the standings

    country = Country.objects.get(code=KOSTRA_COUNTRY)
    saved = {g.code: g for g in PeerGroup.objects.filter(country=country).select_for_update()}
    new = [
        PeerGroup(country=country, code=code, name=preview._groups[code][:200])
        for code in preview.groups_new
        if code not in saved
    ]
    PeerGroup.objects.bulk_create(new)
    audit.log_bulk(model=PeerGroup, objects=new, action=audit.Action.CREATED)
    renamed, old_names = [], {}
    for code in preview.groups_renamed:
        group = saved[code]
        old_names[group.pk] = group.name
        group.name = preview._groups[code][:200]
        renamed.append(group)
    PeerGroup.objects.bulk_update(renamed, ["name"])
    audit.log_bulk(
        model=PeerGroup,
        objects=renamed,
        action=audit.Action.CHANGED,
        changes=lambda g: {"name": [old_names[g.pk], g.name]},
    )
    ids = {g.code: g.pk for g in PeerGroup.objects.filter(country=country)}
    municipalities = list(Municipality.objects.filter(pk__in=preview._assign).select_for_update())
    changed, before = [], {}
    for municipality in municipalities:
        target = ids[preview._assign[municipality.pk]]
        if municipality.peer_group_id != target:
            before[municipality.pk] = municipality.peer_group_id
            municipality.peer_group_id = target
            changed.append(municipality)
    Municipality.objects.bulk_update(changed, ["peer_group"], batch_size=1000)
    audit.log_bulk(
        model=Municipality,
        objects=changed,
        action=audit.Action.CHANGED,
        changes=lambda m: {"peer_group_id": [before[m.pk], m.peer_group_id]},
    )
    if changed:
        data_changed()
        indicators = Observation.objects.filter(municipality__country=country).values(
            "indicator_id"
        )
        standings_refresh_enqueue(
            list(Indicator.objects.filter(pk__in=indicators).values_list("pk", flat=True)),
            in_request=in_request,
        )


# --- Runs --------------------------------------------------------------------------------------


def _summary(preview) -> dict:
    if isinstance(preview, PeerGroupPreview):
        return preview.summary()
    return {
        "kind": "keyfigures",
        "file_format": preview.file_format,
        "indicators_new": preview.indicators_new,
        "indicators_known": preview.indicators_known,
        "observations_new": preview.observations_new,
        "observations_changed": preview.observations_changed,
        "observations_unchanged": preview.observations_unchanged,
        "references": preview.references,
        "unmapped": [asdict(item) for item in preview.unmapped],
        "problems": list(preview.problems),
        "notes": list(preview.notes),
    }


def _preview(feed: StatisticsFeed, data: bytes, file_name: str):
    if feed.source == StatisticsFeed.Source.KLASS:
        years = sorted(int(y) for y in feed.years)
        return peer_groups_preview(
            data, file_name, year=years[-1] if years else timezone.localdate().year
        )
    from .imports import import_preview  # pandas: only the fetch and the apply load it

    return import_preview(data, file_name, countries=_countries(feed))


def _countries(feed: StatisticsFeed) -> set[int] | None:
    """The countries whose municipalities the feed's codes are read as: its country, or its
    network's members' (one query); None for a feed of codes alone, read as a file is."""
    if feed.country_id is not None:
        return {feed.country_id}
    if feed.network_id is not None:
        return set(
            Municipality.objects.filter(memberships__network_id=feed.network_id)
            .order_by()
            .values_list("country_id", flat=True)
            .distinct()
        )
    return None


def feed_fetch_request(*, feed: StatisticsFeed, trigger: str = FeedRun.Trigger.MANUAL,
                       in_request: bool = False) -> FeedRun:  # fmt: skip
    """A queued run of the feed, fetched by the Celery task after the commit. A run already
    queued or fetching is returned instead of a second one (a double click asks once)."""
    with transaction.atomic():
        StatisticsFeed.objects.select_for_update().filter(pk=feed.pk).first()
        unfinished = feed.runs.filter(state__in=[State.QUEUED, State.RUNNING])
        # A fetch that has not finished in an hour lost its worker or thread.
        unfinished.filter(created_at__lt=timezone.now() - STALE_AFTER).update(
            state=State.FAILED,
            finished_at=timezone.now(),
            message=_("The fetch did not finish (its worker stopped); it was asked again."),
        )
        waiting = unfinished.first()
        if waiting is not None:
            return waiting
        run = FeedRun.objects.create(feed=feed, trigger=trigger)
        audit.log(run, audit.Action.CREATED)
        from .feed_tasks import feed_fetch_enqueue

        feed_fetch_enqueue(run.pk, in_request=in_request)
    return run


def feed_run_fetch(run_id: int, *, auto_apply: bool = False) -> FeedRun | None:
    """Fetch and preview a queued run (the task's body). Claims the run (queued to running)
    and does nothing when it finds another state, so a redelivered task is harmless. With
    ``auto_apply`` (the schedule) a preview without problems is applied at once."""
    claimed = FeedRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = FeedRun.objects.select_related("feed__network", "feed__country").get(pk=run_id)
    feed = run.feed
    query = feed_query(feed)
    if feed.source != StatisticsFeed.Source.KLASS and not query.regions:
        # Asked of a source, no regions is no answer (SSB) or every region (Eurostat).
        return _finish(run, state=State.FAILED, message=_no_regions(feed))
    try:
        fetched = connectors.FETCHERS[feed.source](query)
    except connectors.SourceRefused as exc:
        return _finish(run, state=State.REFUSED, message=str(exc))
    except connectors.SourceError as exc:
        return _finish(run, state=State.FAILED, message=str(exc))
    except Exception as exc:  # a connector's bug must not leave the run "running"
        logger.exception("Feed run %s failed", run_id)
        return _finish(run, state=State.FAILED, message=_("The fetch failed: %(error)s")
                       % {"error": exc.__class__.__name__})  # fmt: skip
    preview = _preview(feed, fetched.data, fetched.file_name)
    run.data, run.file_name, run.calls = fetched.data, fetched.file_name, fetched.calls
    run.summary = _summary(preview)
    if not preview.ok:
        return _finish(run, state=State.PROBLEMS, message=" ".join(preview.problems))
    feed.runs.filter(state=State.PREVIEWED).exclude(pk=run.pk).update(state=State.SUPERSEDED)
    run = _finish(run, state=State.PREVIEWED, message="")
    if auto_apply:
        try:
            feed_run_apply(run=run, allow_unmapped=True)
        except ValidationError as exc:
            return _finish(run, state=State.FAILED, message=" ".join(exc.messages))
    return run


def _no_regions(feed: StatisticsFeed) -> str:
    if feed.network_id:
        why = _("the network %(name)s has no members.") % {"name": feed.network.name}
    elif feed.country_id:
        why = _("the country %(name)s has no municipalities in the register.") % {
            "name": feed.country.display_name
        }
    else:
        why = _("it lists no region codes.")
    return _("%(feed)s asks for no region: %(why)s Nothing was asked of the source.") % {
        "feed": feed.name,
        "why": why,
    }


def _finish(run: FeedRun, *, state: str, message: str) -> FeedRun:
    before = audit.snapshot(run)
    run.state, run.message, run.finished_at = state, message, timezone.now()
    with transaction.atomic():
        run.save()
        audit.log_change(run, before=before, fields=["state", "message", "calls", "file_name"])
    return run


def feed_run_apply(*, run: FeedRun, allow_unmapped: bool, in_request: bool = False) -> FeedRun:
    """Import the run's fetched file all or nothing. Refuses (``ValidationError``) a run not
    waiting to be applied, a preview that now has problems, and unmapped rows unless allowed
    (on ``allow_unmapped``, as the upload page does)."""
    from .imports import ImportRefused, import_apply

    with transaction.atomic():
        run = FeedRun.objects.select_for_update().select_related("feed").get(pk=run.pk)
        if run.state != State.PREVIEWED:
            raise ValidationError(
                _("This fetch is no longer waiting to be applied (%(state)s): nothing was saved.")
                % {"state": run.get_state_display()}
            )
        preview = _preview(run.feed, bytes(run.data), run.file_name)
        if not preview.ok:
            raise ValidationError(preview.problems)
        if preview.unmapped and not allow_unmapped:
            count = sum(u["rows"] if isinstance(u, dict) else u.rows for u in preview.unmapped)
            raise ValidationError(
                {
                    "allow_unmapped": ngettext(
                        "%(count)d row does not map; allow unmapped rows to import the rest.",
                        "%(count)d rows do not map; allow unmapped rows to import the rest.",
                        count,
                    )
                    % {"count": count}
                }
            )
        if isinstance(preview, PeerGroupPreview):
            peer_groups_apply(preview, in_request=in_request)
        else:
            try:
                import_apply(preview, allow_unmapped=allow_unmapped, in_request=in_request)
            except ImportRefused as exc:
                raise ValidationError(str(exc)) from exc
        before = audit.snapshot(run)
        now = timezone.now()
        run.state, run.applied_at, run.summary = State.APPLIED, now, _summary(preview)
        run.save(update_fields=["state", "applied_at", "summary"])
        audit.log_change(run, before=before, fields=["state", "applied_at"])
        feed = run.feed
        feed_before = audit.snapshot(feed)
        feed.last_success_at = now
        feed.save(update_fields=["last_success_at"])
        audit.log_change(feed, before=feed_before, fields=["last_success_at"])
    return run


# --- The schedule ----------------------------------------------------------------------------


def last_release(feed: StatisticsFeed, today: date) -> date | None:
    """The latest release day of the feed's source on or before ``today``."""
    months = sorted({int(m) for m in feed.release_months if 1 <= int(m) <= 12})
    if not months:
        return None
    day = max(1, min(feed.release_day, 28))
    for year in (today.year, today.year - 1):
        for month in reversed(months):
            release = date(year, month, day)
            if release <= today:
                return release
    return None


def feed_due(feed: StatisticsFeed, today: date) -> bool:
    """Whether the source has published since the feed was last applied."""
    if not feed.scheduled:
        return False
    release = last_release(feed, today)
    if release is None:
        return False
    if feed.last_success_at is None:
        return True
    return timezone.localdate(feed.last_success_at) < release


def refresh_due_feeds(today: date | None = None) -> list[int]:
    """Fetch, preview and (without problems) apply each due feed, one after the other in
    this worker; returns the runs' ids. A feed with a run queued or fetching waits."""
    today = today or timezone.localdate()
    ran = []
    for feed in StatisticsFeed.objects.filter(scheduled=True):
        if (
            not feed_due(feed, today)
            or feed.runs.filter(state__in=[State.QUEUED, State.RUNNING]).exists()
        ):
            continue
        with transaction.atomic():
            run = FeedRun.objects.create(feed=feed, trigger=FeedRun.Trigger.SCHEDULED)
            audit.log(run, audit.Action.CREATED)
        feed_run_fetch(run.pk, auto_apply=True)
        ran.append(run.pk)
    return ran


# --- Reads for the pages -----------------------------------------------------------------------


def feeds_with_latest_run():
    """Every feed with its runs newest first (two queries whatever the number of feeds)."""
    return StatisticsFeed.objects.select_related("network", "country").prefetch_related(
        Prefetch(
            "runs",
            queryset=FeedRun.objects.defer("data").order_by("-created_at", "-pk"),
            to_attr="runs_newest_first",
        )
    )


def run_under_way(run: FeedRun | None) -> bool:
    """Whether the run is queued or fetching, and not so long that its worker or thread must
    have stopped (``STALE_AFTER``; the next "Fetch now" marks such a run failed)."""
    return bool(
        run
        and run.state in (State.QUEUED, State.RUNNING)
        and run.created_at >= timezone.now() - STALE_AFTER
    )


def run_stalled(run: FeedRun | None) -> bool:
    """Queued or fetching for longer than a fetch takes: its worker or thread stopped."""
    return bool(run and run.state in (State.QUEUED, State.RUNNING) and not run_under_way(run))


def feed_runs(feed: StatisticsFeed, *, limit: int = 20) -> list[FeedRun]:
    return list(feed.runs.defer("data").order_by("-created_at", "-pk")[:limit])


def as_datetime(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def feed_save(*, feed: StatisticsFeed, before: dict | None) -> StatisticsFeed:
    """Save a feed from the administrator's form, logged (``before``: the snapshot taken
    before the form changed it, None for a new feed)."""
    with transaction.atomic():
        feed.save()
        audit.log_change(feed, before=before)
    return feed
