"""The reminder to answer an invitation: one e-mail to each invitee without an answer, at most
once per round (``AnswerReminderSent``, a row a unique constraint guards, is the claim:
``core.mail.RowClaim``), so that a task that runs twice reminds nobody twice. Written in each
invitee's own language (``notifications.message_language``), with the two answer links of
the invitation."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cemsdi_portal.core.mail import RowClaim, send_claimed
from networks.countries import network_zone

from .calendar import gathering_url
from .models import AnswerReminderRound, AnswerReminderSent
from .notifications import _recipients, message_language
from .selectors import answers_open, gathering_invitees, not_answered
from .tokens import answer_links


def answer_reminders_send(*, round_id: int) -> int:
    """E-mail the round's reminders; returns the number sent by this run (0 when the round is
    gone, the gathering over, or another run sent them)."""
    reminder_round = (
        AnswerReminderRound.objects.select_related("gathering__network__region__country")
        .filter(pk=round_id)
        .first()
    )
    if reminder_round is None or not answers_open(reminder_round.gathering):
        return 0
    gathering = reminder_round.gathering
    sent = 0
    for invitee in _recipients(not_answered(gathering_invitees(gathering))):
        person = invitee.person
        with (
            translation.override(message_language(person=person, network=gathering.network)),
            timezone.override(network_zone(gathering.network)),  # times in the network's zone
        ):
            context = {
                "gathering": gathering,
                "network": gathering.network,
                "name": person.get_full_name() or person.get_username(),
                "municipality": invitee.municipality,
                "role": invitee.role_label,
                "link": gathering_url(gathering),
                "answer_links": answer_links(gathering_id=gathering.pk, person_id=person.pk),
            }
            subject = render_to_string("sessions_app/email/answer_reminder_subject.txt", context)
            body = render_to_string("sessions_app/email/answer_reminder_body.txt", context)
            message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email])
            claim = RowClaim(
                model=AnswerReminderSent, values={"round": reminder_round, "person": person}
            )
            sent += send_claimed([message], claim=claim)
    return sent
