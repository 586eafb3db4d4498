"""Every change to the records people work on goes into the audit log, whoever makes it.

Signals record creations, changes (field by field, old and new, long texts shortened) and
deletions of the models in ``AUDITED``; the person is the one whose request is being answered
(``AuditActorMiddleware`` sets it), or nobody for background work. ``bulk_create`` and
``QuerySet.update`` send no signals: the services that use them call ``log_bulk`` with the rows
they touched, one entry per row written in one query. (``QuerySet.delete`` sends ``post_delete``
for each row of an audited model, so deletions are logged either way.)
"""

from contextvars import ContextVar

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from .models import AuditEntry

AUDITED = (
    "networks.Network",
    "networks.NetworkMembership",
    "networks.Role",
    "networks.Invitation",
    "networks.MembershipInvitation",
    "sessions_app.Gathering",
    "sessions_app.AgendaItem",
    "sessions_app.Attendance",
    "sessions_app.Material",
    "sessions_app.Assignment",
    "strategies.Strategy",
    "strategies.Section",
    "strategies.SectionComment",
    "strategies.Measure",
    "strategies.DlaPriority",
)
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


def _values(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in SKIPPED_FIELDS and not field.primary_key
    }


def _before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _values(old) if old is not None else None


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        action, changes = AuditEntry.Action.CREATED, {}
    else:
        now = _values(instance)
        changes = {
            name: [_shown(before.get(name)), _shown(value)]
            for name, value in now.items()
            if before.get(name) != value
        }
        if not changes:
            return
        action = AuditEntry.Action.CHANGED
    _write(instance, action, changes)


def _deleted(sender, instance, **kwargs):
    _write(instance, AuditEntry.Action.DELETED, {})


def _person():
    request = _request.get()
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _write(instance, action, changes):
    AuditEntry.objects.create(
        actor_id=_person(),
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=_shown(str(instance)),
        changes=changes,
    )


def _pairs(changes) -> dict:
    return {name: [_shown(old), _shown(new)] for name, (old, new) in (changes or {}).items()}


def log_bulk(*, model, objects, action, changes=None) -> list[AuditEntry]:
    """One entry per object of ``model`` that a bulk write touched, in one query.

    ``objects`` are the instances (saved, so with their primary key; log deletions before
    deleting). ``changes`` is ``{field: [old, new]}`` as in the signals' entries: one dict for
    every object, or a function from an object to its dict. The person is the one whose
    request is being answered, as for single writes.
    """
    objects = list(objects)
    if not objects:
        return []
    actor_id = _person()
    label = model._meta.label_lower
    entries = [
        AuditEntry(
            actor_id=actor_id,
            action=action,
            model=label,
            object_id=str(obj.pk),
            object_repr=_shown(str(obj)),
            changes=_pairs(changes(obj) if callable(changes) else changes),
        )
        for obj in objects
    ]
    return AuditEntry.objects.bulk_create(entries)


def connect() -> None:
    for label in AUDITED:
        model = apps.get_model(label)
        uid = f"audit-{label}"
        pre_save.connect(_before, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


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
