"""Notices: what a person is told about others' work, and in which rhythm they want e-mail.

Fields and constraints only: publishing and sending live in ``services.py`` and
``notifications.py``, reading in ``selectors.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notice is about. Plain choices here rather than a registry the strategies fill:
    a few kinds read better in one place, and their wording needs nothing from strategies."""

    STRATEGY_SHARED = "strategy_shared", _("A strategy is shared with a network you facilitate")
    COMMENT = "comment", _("A facilitator comments on your municipality's strategy")
    REPLY = "reply", _("Someone replies in a comment thread you wrote in")
    MEASURE_FIGURE_WORSE = (
        "measure_figure_worse",
        _("The key figure of a measure you own moves away from its target"),
    )
    PRACTICE_ADOPTED = (
        "practice_adopted",
        _("Another municipality takes up a practice of your municipality"),
    )
    SPEAKER_INVITED = "speaker_invited", _("A facilitator invites you to speak at a gathering")
    REPORT_ISSUED = "report_issued", _("A version of your programme's review report is issued")
    REPORT_ACKNOWLEDGED = (
        "report_acknowledged",
        _("The project officer acknowledges a review report version"),
    )
    REPORT_RETURNED = (
        "report_returned",
        _("The project officer returns a review report version with a comment"),
    )


class Rhythm(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    OFF = "off", _("No e-mail")


class NoticePreference(models.Model):
    """How a person wants e-mail of one kind of notice. No row: at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rhythm = models.CharField(_("e-mail"), max_length=10, choices=Rhythm.choices)

    class Meta:
        verbose_name = _("notice setting")
        verbose_name_plural = _("notice settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.rhythm}"


class Notice(models.Model):
    """One person told of one event, once: (recipient, kind, event_key) is unique, so
    publishing an event twice tells nobody twice.

    ``rhythm`` is the person's choice when the notice was made: at once (a task sends it),
    daily or weekly (the digest of that rhythm takes it), or off (no e-mail). ``sent_at`` is
    the claim of its e-mail; ``read_at`` when the person opened it. The wording is made when it
    is shown, in the reader's language, from ``kind``, ``actor``, ``about`` and ``excerpt``;
    ``language`` (the network's) is the one used when the recipient has chosen none."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_key = models.CharField(max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    about = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=500)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    rhythm = models.CharField(max_length=10, choices=Rhythm.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "event_key"], name="notice_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notice_recipient_newest"),
            models.Index(
                fields=["rhythm", "recipient"],
                condition=models.Q(sent_at__isnull=True),
                name="notice_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.event_key} to #{self.recipient_id}"
