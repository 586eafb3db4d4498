"""Writes: publishing an event's notices, marking them read, and a person's notice settings.

Each write logs itself (``core/audit.py``). E-mail leaves after the commit, from Celery
(``tasks.py``), each notice claimed before it is sent (``notifications.py``).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from networks import services as network_services
from networks.models import User

from .models import Kind, Notice, NoticePreference, Rhythm


def rhythms_of(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each person's rhythm for ``kind`` (one query); no row is at once."""
    ids = [user.pk for user in users]
    chosen = dict(
        NoticePreference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "rhythm")
    )
    return {pk: chosen.get(pk, Rhythm.IMMEDIATE) for pk in ids}


@transaction.atomic
def notice_publish(
    *,
    kind: str,
    event_key: str,
    recipients: Iterable[User],
    actor: User | None,
    about: str,
    link: str,
    language: str,
    excerpt: str = "",
) -> list[Notice]:
    """Tell each of ``recipients`` of one event (``kind`` and ``event_key`` name it), once.

    Nobody is told of their own action, nor is an inactive account. A person already told of
    this event is not told again: publishing twice creates nothing twice (the unique
    constraint decides between two at once). Side effects: one audit entry per notice made;
    after the commit, one task that e-mails those who want it at once. Returns the notices
    made now."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notice kind {kind!r}")
    people = {
        user.pk: user
        for user in recipients
        if user.is_active and (actor is None or user.pk != actor.pk)
    }
    told = set(
        Notice.objects.filter(
            kind=kind, event_key=event_key, recipient_id__in=list(people)
        ).values_list("recipient_id", flat=True)
    )
    rhythms = rhythms_of([u for pk, u in people.items() if pk not in told], kind)
    Notice.objects.bulk_create(
        [
            Notice(
                recipient_id=pk,
                kind=kind,
                event_key=event_key,
                actor=actor,
                about=about[:300],
                excerpt=_excerpt(excerpt),
                link=link,
                language=language,
                rhythm=rhythm,
            )
            for pk, rhythm in rhythms.items()
        ],
        ignore_conflicts=True,  # one made by a publish at the same moment stays the one
    )
    made = list(
        Notice.objects.filter(
            kind=kind, event_key=event_key, recipient_id__in=list(rhythms)
        ).order_by("pk")
    )
    audit.log_bulk(model=Notice, objects=made, action=AuditEntry.Action.CREATED)
    at_once = [n.pk for n in made if n.rhythm == Rhythm.IMMEDIATE and n.sent_at is None]
    if at_once:
        from .tasks import send_notices  # the task module imports this app's modules

        transaction.on_commit(lambda: send_notices.delay(at_once))
    return made


def _excerpt(text: str, length: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def notice_mark_read(*, notice: Notice) -> None:
    """The person opened the notice (not logged: reading is not a change of the record)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)


def notices_mark_all_read(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notice_settings_save(*, user: User, language: str, rhythms: dict[str, str]) -> None:
    """The person's language and their rhythm for each kind of notice. A value that is not
    offered is refused, naming the field, and nothing is changed."""
    errors = {}
    for kind, rhythm in rhythms.items():
        if kind not in Kind.values:
            errors[kind] = _("There is no kind of notice called “%(kind)s”.") % {"kind": kind}
        elif rhythm not in Rhythm.values:
            errors[kind] = _("Choose at once, daily, weekly or no e-mail.")
    if errors:
        raise ValidationError(errors)
    network_services.user_language_set(user=user, language=language)
    stored = {p.kind: p for p in NoticePreference.objects.filter(user=user)}
    for kind, rhythm in rhythms.items():
        preference = stored.get(kind)
        if preference is None:
            if rhythm == Rhythm.IMMEDIATE:
                continue  # no row is at once
            preference = NoticePreference.objects.create(user=user, kind=kind, rhythm=rhythm)
            audit.log(preference, AuditEntry.Action.CREATED)
        elif preference.rhythm != rhythm:
            before = audit.snapshot(preference)
            preference.rhythm = rhythm
            preference.save(update_fields=["rhythm"])
            audit.log_change(preference, before=before, fields=["rhythm"])
