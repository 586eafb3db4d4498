"""E-mail of notices: at once, one e-mail per notice; in a digest, one e-mail per person
listing their notices of that rhythm not sent yet.

Every e-mail is written in the recipient's own language (``User.language``), or, when they
have chosen none, in the language of the network the notice is about. Each notice is claimed
before it is sent (``core.mail.send_claimed``: its ``sent_at`` set from empty), so a retried
or redelivered task sends nothing twice, and a failed send gives the claim back for the retry.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cemsdi_portal.core.mail import TimestampClaim, send_claimed

from .models import Notice, Rhythm
from .wording import describe


@dataclass
class AllClaim:
    """Every one of ``rows`` claimed together, or none: a digest lists only notices that this
    run claimed, so two runs at once never both list one."""

    rows: QuerySet

    def take(self) -> bool:
        expected = self.rows.count()
        with transaction.atomic():
            taken = self.rows.filter(sent_at__isnull=True).update(sent_at=timezone.now())
            if taken != expected or not taken:
                transaction.set_rollback(True)
                return False
        return True

    def release(self) -> None:
        self.rows.update(sent_at=None)


def _language(notice: Notice) -> str:
    return notice.recipient.language or notice.language or settings.LANGUAGE_CODE


def _links(notice: Notice) -> dict:
    return {
        "text": describe(notice),
        "notice": notice,
        "link": settings.SITE_URL + reverse("notice_open", kwargs={"pk": notice.pk}),
    }


def _context(recipient) -> dict:
    return {
        "name": recipient.get_full_name() or recipient.get_username(),
        "settings_link": settings.SITE_URL + reverse("notice_settings"),
    }


def _unsent(**filters) -> QuerySet:
    return Notice.objects.filter(sent_at__isnull=True, **filters).select_related(
        "recipient", "actor"
    )


def notices_send(*, notice_ids: list[int]) -> int:
    """E-mail each of these notices meant for at once and not sent yet. Returns the number
    of e-mails sent."""
    sent = 0
    for notice in _unsent(pk__in=notice_ids, rhythm=Rhythm.IMMEDIATE).order_by("pk"):
        recipient = notice.recipient
        if not recipient.is_active or not recipient.email:
            continue
        with translation.override(_language(notice)):
            context = {**_context(recipient), **_links(notice)}
            subject = render_to_string("notices/email/notice_subject.txt", context)
            body = render_to_string("notices/email/notice_body.txt", context)
        message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[recipient.email])
        claim = TimestampClaim(
            rows=Notice.objects.filter(pk=notice.pk, rhythm=Rhythm.IMMEDIATE), field="sent_at"
        )
        sent += send_claimed([message], claim=claim)
    return sent


def digests_send(*, rhythm: str) -> int:
    """One e-mail to each person with notices of ``rhythm`` (daily or weekly) not sent yet,
    listing them. Returns the number of e-mails sent."""
    if rhythm not in (Rhythm.DAILY, Rhythm.WEEKLY):
        raise ValueError(f"no digest is sent for {rhythm!r}")
    waiting = defaultdict(list)
    for notice in _unsent(rhythm=rhythm).order_by("recipient_id", "created_at", "pk"):
        waiting[notice.recipient_id].append(notice)
    sent = 0
    for notices in waiting.values():
        recipient = notices[0].recipient
        if not recipient.is_active or not recipient.email:
            continue
        with translation.override(_language(notices[-1])):
            context = {
                **_context(recipient),
                "rhythm": rhythm,
                "count": len(notices),
                "rows": [_links(notice) for notice in notices],
            }
            subject = render_to_string("notices/email/digest_subject.txt", context)
            body = render_to_string("notices/email/digest_body.txt", context)
        message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[recipient.email])
        claim = AllClaim(rows=Notice.objects.filter(pk__in=[n.pk for n in notices]))
        sent += send_claimed([message], claim=claim)
    return sent
