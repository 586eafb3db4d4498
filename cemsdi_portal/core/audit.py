"""Every change to the records people work on goes into the audit log, whoever makes it.

The services that write call this module in the same transaction as the write (as Zulip's
actions do): ``log`` for a creation or deletion (log deletions before deleting), ``log_change``
for a change (the fields' old and new values, long texts shortened), ``log_bulk`` for the rows
of a bulk write, one entry per row in one query. Old values are the ones the service has in
hand (``snapshot`` of the instance before it sets the new ones): nothing is read again for the
log. The person is the one whose request is being answered (``AuditActorMiddleware`` sets it),
or nobody for background work. This module knows no app: the callers name their models.
"""

from contextvars import ContextVar

from .models import AuditEntry

Action = AuditEntry.Action
# token_hash: an invitation link's secret stays out of the log.
SKIPPED_FIELDS = {"version", "updated_at", "updated_by", "uid", "sequence", "token_hash"}
LONGEST = 200

# The request being answered; its user is looked up only when something is logged.
_request: ContextVar = ContextVar("audit_request", default=None)


def _shown(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def snapshot(instance) -> dict:
    """The instance's logged values as they are now (foreign keys by id, as ``owner_id``),
    read from the instance itself: pass it to ``log_change`` as ``before``."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in SKIPPED_FIELDS and not field.primary_key
    }


def _person():
    request = _request.get()
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _pairs(changes) -> dict:
    return {name: [_shown(old), _shown(new)] for name, (old, new) in (changes or {}).items()}


def _entry(instance, action, changes, actor_id, model=None) -> AuditEntry:
    return AuditEntry(
        actor_id=actor_id,
        action=action,
        model=(model or instance)._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=_shown(str(instance)),
        changes=_pairs(changes),
    )


def log(instance, action, changes=None) -> AuditEntry:
    """One entry about ``instance`` (saved, so with its primary key): ``changes`` is
    ``{field: [old, new]}``, empty for most creations and deletions."""
    entry = _entry(instance, action, changes, _person())
    entry.save(force_insert=True)
    return entry


def log_change(instance, *, before: dict | None, fields=None, extra=None) -> AuditEntry | None:
    """The entry for a save: a creation when ``before`` is None, else the fields (of
    ``fields``, or every logged one) whose value differs from ``before``, plus ``extra``
    (``{field: [old, new]}``, for what is not a column, such as a many-to-many). Nothing is
    logged when nothing changed."""
    if before is None:
        return log(instance, Action.CREATED, extra)
    now = snapshot(instance)
    names = [name for name in (fields or now) if name in now]
    changes = {
        name: [before.get(name), now[name]] for name in names if before.get(name) != now[name]
    }
    changes.update(extra or {})
    if not changes:
        return None
    return log(instance, Action.CHANGED, changes)


def log_bulk(*, model, objects, action, changes=None) -> list[AuditEntry]:
    """One entry per object of ``model`` that a bulk write touched, in one query.

    ``objects`` are the instances (saved, so with their primary key; log deletions before
    deleting). ``changes`` is ``{field: [old, new]}`` as for ``log``: one dict for every
    object, or a function from an object to its dict.
    """
    objects = list(objects)
    if not objects:
        return []
    actor_id = _person()
    entries = [
        _entry(obj, action, changes(obj) if callable(changes) else changes, actor_id, model)
        for obj in objects
    ]
    return AuditEntry.objects.bulk_create(entries)


class AuditActorMiddleware:
    """The signed-in person of this request is the one the audit log names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
