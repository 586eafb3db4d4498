"""Writes: importing key figures from the upload page, in two steps.

``pending_import_start`` previews an uploaded file and, when it can be imported, keeps its bytes
on the server under a random token (``MEDIA_ROOT/imports/<token>``) and the token, file name and
options in the session. ``pending_import_load`` reads them back and previews again, since the
database may have changed in between; ``pending_import_apply`` imports all or nothing and lets
the stored file go. The client holds only the token, and it must match the session's: a stale,
reused or altered token imports nothing.

The reading and comparing itself is ``imports.py``'s, shared with the command.
"""

import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cemsdi_portal.core import audit, i18n
from cemsdi_portal.core.models import AuditEntry

from .rules import import_refusals

SESSION_KEY = "benchmarking_pending_import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


class PendingImportMissing(Exception):
    """No upload is waiting under that token in this session (imported, replaced, expired or
    never there)."""


@dataclass(frozen=True)
class PendingImport:
    token: str
    file_name: str
    options: dict  # the fields of readers.ReadOptions
    higher_is_better: bool | None = None


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _path(token: str) -> Path:
    if not TOKEN.match(token):
        raise PendingImportMissing
    return _folder() / token


def keyfigures_preview(
    *, user, data: bytes, file_name: str, options: dict, higher_is_better: bool | None
):
    """What importing the file would change (``imports.Preview``), with the reasons this
    user may not import it (rules.py) among its problems. Saves nothing."""
    # pandas is slow to import: only the import pages load it.
    from .imports import import_preview
    from .readers import ReadOptions

    preview = import_preview(
        data, file_name, ReadOptions(**options), higher_is_better=higher_is_better
    )
    if preview.ok:
        preview.problems.extend(import_refusals(user, preview))
    return preview


def _prune_abandoned() -> None:
    """Uploads previewed and never confirmed go once no session can still confirm them."""
    if not _folder().is_dir():
        return
    cutoff = time.time() - settings.SESSION_COOKIE_AGE
    for path in _folder().iterdir():
        if TOKEN.match(path.name) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def pending_import_discard(*, session) -> None:
    """Forget the upload this session left waiting, and remove its file."""
    token = (session.pop(SESSION_KEY, None) or {}).get("token", "")
    if TOKEN.match(token):
        (_folder() / token).unlink(missing_ok=True)


def pending_import_start(
    *, session, user, data: bytes, file_name: str, options: dict, higher_is_better: bool | None
) -> tuple:
    """Preview the upload; when it can be imported, keep it waiting for the confirmation.

    Returns ``(preview, pending)``; ``pending`` is None when the preview has problems, or
    ``user`` may not import the file (then nothing is kept). A session has one upload waiting
    at most: a new one replaces it.
    """
    preview = keyfigures_preview(
        user=user,
        data=data,
        file_name=file_name,
        options=options,
        higher_is_better=higher_is_better,
    )
    pending_import_discard(session=session)
    if not preview.ok:
        return preview, None
    _prune_abandoned()
    _folder().mkdir(parents=True, exist_ok=True)
    pending = PendingImport(
        token=secrets.token_urlsafe(32),
        file_name=file_name,
        options=options,
        higher_is_better=higher_is_better,
    )
    path = _path(pending.token)
    path.touch(mode=0o600, exist_ok=False)
    path.write_bytes(data)
    session[SESSION_KEY] = asdict(pending)
    return preview, pending


def pending_import_load(*, session, user, token: str) -> tuple:
    """The upload waiting under ``token`` and a fresh preview of it: ``(pending, preview)``.
    The preview asks again whether ``user`` may import it (their networks may have changed).

    Raises ``PendingImportMissing`` unless this session left that very upload waiting and its
    file is still there.
    """
    stored = session.get(SESSION_KEY)
    # As bytes: compare_digest refuses text with characters beyond ASCII (a TypeError).
    expected = str(stored.get("token", "")).encode() if stored else b""
    if not stored or not secrets.compare_digest(str(token).encode(), expected):
        raise PendingImportMissing
    try:
        data = _path(token).read_bytes()
    except FileNotFoundError as exc:
        session.pop(SESSION_KEY, None)
        raise PendingImportMissing from exc
    pending = PendingImport(**stored)
    preview = keyfigures_preview(
        user=user,
        data=data,
        file_name=pending.file_name,
        options=pending.options,
        higher_is_better=pending.higher_is_better,
    )
    return pending, preview


def pending_import_apply(*, session, pending: PendingImport, preview, allow_unmapped: bool):
    """Import the previewed upload, all or nothing, then let it go.

    A preview with rows that do not map needs ``allow_unmapped``; refused, it raises
    ``ValidationError`` on ``allow_unmapped`` and the upload keeps waiting. A preview with
    problems raises ``ValidationError`` and the upload is dropped: it cannot succeed. The
    standings are refreshed after the commit and off the request (tasks.py): the rows are
    saved when this returns, the ranks maybe not yet.
    """
    from .imports import ImportRefused, import_apply

    if not preview.ok:
        pending_import_discard(session=session)
        raise ValidationError(preview.problems)
    try:
        import_apply(preview, allow_unmapped=allow_unmapped, in_request=True)
    except ImportRefused as exc:
        raise ValidationError({"allow_unmapped": str(exc)}) from exc
    session.pop(SESSION_KEY, None)
    path = _path(pending.token)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return preview


# --- The register's figures as key figures -----------------------------------------------------


def register_keyfigures_write(*, country, year: int, source: str) -> int:
    """Population, area and density (inhabitants per km², computed) of the country's
    municipalities as key figures for ``year``, from the register (``Municipality.population``
    and ``area_km2``), in bulk. Idempotent: the year's rows are replaced by the register's, a
    municipality without a figure has no row (missing is not zero). The ranks and the similar
    municipalities follow once it commits (tasks.py). Returns the observations written."""
    from networks.models import Municipality

    from .cache import data_changed
    from .events import key_figures_changed
    from .models import Indicator, Observation
    from .structure import AREA, CATEGORY, DENSITY, POPULATION, REGISTER_INDICATORS
    from .tasks import standings_refresh_enqueue

    with transaction.atomic():
        indicators = {}
        for spec in REGISTER_INDICATORS:
            indicator, created = Indicator.objects.get_or_create(
                code=spec.code,
                defaults={
                    **{f"name_{code}": name for code, name in spec.names.items()},
                    "unit": spec.unit,
                    "decimals": spec.decimals,
                    "source": source[:100],
                    "category": CATEGORY,
                    "higher_is_better": None,
                    "comparable_across_countries": True,  # the same measure in every country
                },
            )
            if created:
                audit.log(indicator, AuditEntry.Action.CREATED)
            else:  # a language added since: its name where blank, an administrator's kept
                before = audit.snapshot(indicator)
                filled = i18n.fill_blanks(indicator, "name", spec.names)
                if filled:
                    indicator.save(update_fields=filled)
                    audit.log_change(indicator, before=before, fields=filled)
            indicators[spec.code] = indicator
        rows = []
        for pk, population, area in Municipality.objects.filter(country=country).values_list(
            "pk", "population", "area_km2"
        ):
            density = population / area if population is not None and area else None
            for spec, value in ((POPULATION, population), (AREA, area), (DENSITY, density)):
                if value is not None:
                    rows.append(
                        Observation(
                            indicator=indicators[spec.code],
                            municipality_id=pk,
                            year=year,
                            value=float(value),
                            status="",
                        )
                    )
        ids = [i.pk for i in indicators.values()]
        kept = {(o.indicator_id, o.municipality_id) for o in rows}
        stale = [
            pk
            for pk, indicator_id, municipality_id in Observation.objects.filter(
                indicator_id__in=ids, year=year, municipality__country=country
            ).values_list("pk", "indicator_id", "municipality_id")
            if (indicator_id, municipality_id) not in kept
        ]
        Observation.objects.filter(pk__in=stale).delete()
        Observation.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["indicator", "municipality", "year"],
            update_fields=["value", "status"],
        )
        data_changed()
        standings_refresh_enqueue(ids, country_ids=[country.pk])
        # Measures tied to these figures are checked like after any import; the check tells
        # nobody twice, so a load that changed nothing costs a task and no notice.
        transaction.on_commit(
            lambda: key_figures_changed.send(sender=Observation, indicator_ids=sorted(ids))
        )
    return len(rows)


# --- A person's own comparison sets --------------------------------------------------------------


def comparison_set_save(*, owner, name: str, municipalities, comparison_set=None):
    """Create the owner's set, or rename and refill it. The caller asked rules.py first."""
    from .models import ComparisonSet

    with transaction.atomic():
        before = None if comparison_set is None else audit.snapshot(comparison_set)
        old = (
            set()
            if comparison_set is None
            else set(comparison_set.municipalities.values_list("pk", flat=True))
        )
        if comparison_set is None:
            comparison_set = ComparisonSet(owner=owner)
        comparison_set.name = name
        try:
            with transaction.atomic():  # a savepoint: a second save at the same moment loses
                comparison_set.save()  # updated_at moves, so the set's cached pages do too
        except IntegrityError:
            raise ValidationError(
                {
                    "name": _("You already have a set named “%(name)s”: choose another name.")
                    % {"name": name}
                }
            ) from None
        comparison_set.municipalities.set(list(municipalities))
        new = {m.pk for m in municipalities}
        extra = {"municipalities": [sorted(old), sorted(new)]} if old != new else None
        audit.log_change(comparison_set, before=before, extra=extra)
    return comparison_set


def comparison_set_delete(*, comparison_set) -> None:
    with transaction.atomic():
        audit.log(comparison_set, AuditEntry.Action.DELETED)
        comparison_set.delete()
