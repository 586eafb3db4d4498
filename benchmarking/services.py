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
from django.db import transaction

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
