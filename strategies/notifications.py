"""The weekly digest: each owner of measures that wait gets one e-mail listing them.

A person's digest is claimed first (one ``DigestSent`` row per person and ISO week, through
``core.mail.send_claimed``), so a redelivered task sends nothing twice; a failed send gives the
claim back for the retry.
The e-mail is written in the person's own language, or, when they have chosen none, in the
language of the network of their first measure.
"""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cemsdi_portal.core.mail import RowClaim, send_claimed
from networks.language import language_of

from .models import DigestSent
from .selectors import is_overdue, measures_waiting


def _week(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def measure_digests_send(*, today: date | None = None) -> int:
    """Send this week's digests not sent yet. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    week = _week(today)
    sent = 0
    for owner, measures in measures_waiting(today=today).items():
        claim = RowClaim(model=DigestSent, values={"user": owner, "week": week})
        sent += send_claimed([_message(owner, measures, today)], claim=claim)
    return sent


def _message(owner, measures, today: date) -> EmailMessage:
    rows = [
        {
            "measure": measure,
            "overdue": is_overdue(measure, today),
            "link": settings.SITE_URL + reverse("measure_edit", kwargs={"pk": measure.pk}),
        }
        for measure in measures
    ]
    context = {"name": owner.get_full_name() or owner.get_username(), "rows": rows}
    with translation.override(language_of(owner, fallback=measures[0].strategy.network.language)):
        subject = render_to_string("strategies/email/digest_subject.txt", context)
        body = render_to_string("strategies/email/digest_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[owner.email])
