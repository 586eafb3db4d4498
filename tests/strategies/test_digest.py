"""The weekly digest: each owner of measures that are overdue or not updated for a while gets
one e-mail a week listing them, in the network's language; closed measures are left out."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from cemsdi_portal.celery import app
from networks.models import Role
from strategies import notifications, tasks
from strategies.models import DigestSent, Measure

from .. import factories as f
from .helpers import start

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("the server is down")


def _measure(strategy, title, *, owner, status="under_way", due_in=None, untouched_for=0):
    today = timezone.localdate()
    measure = f.MeasureFactory(
        strategy=strategy,
        title=title,
        owner=owner,
        status=status,
        due_on=today + timedelta(days=due_in) if due_in is not None else None,
    )
    if untouched_for:
        Measure.objects.filter(pk=measure.pk).update(
            updated_at=timezone.now() - timedelta(days=untouched_for)
        )
    return measure


@pytest.fixture
def waiting(world):
    """The chief executive owns one overdue and one stale measure (and closed or fresh ones
    that wait for nobody); the staff member, without an e-mail address, one overdue."""
    world.network.language = "en"
    world.network.save()
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    stale = settings.STRATEGY_STALE_DAYS + 1
    strategy = start(world, user=chief)
    world.overdue = _measure(strategy, "Felles IKT-drift", owner=chief, due_in=-3)
    world.stale = _measure(
        strategy, "Gevinstplan", owner=chief, status="planned", due_in=60, untouched_for=stale
    )
    _measure(strategy, "Kurs (done)", owner=chief, status="done", due_in=-30, untouched_for=stale)
    _measure(strategy, "Portal (dropped)", owner=chief, status="dropped", due_in=-5)
    _measure(strategy, "Fresh", owner=chief, status="under_way", due_in=30)
    staff.email = ""
    staff.save()
    _measure(strategy, "Staff's overdue", owner=staff, due_in=-2)
    world.strategy = strategy
    return world


def _link(measure) -> str:
    return settings.SITE_URL + reverse("measure_edit", args=[measure.pk])


def test_owner_gets_one_digest_listing_what_waits(waiting):
    world = waiting
    chief = world.users["chief_executive"]

    assert notifications.measure_digests_send() == 1

    (message,) = mail.outbox
    assert message.to == [chief.email]
    assert message.subject == "2 measures wait for you"
    body = message.body
    for measure in (world.overdue, world.stale):
        assert f"- {measure.title} (Alta)" in body
        assert _link(measure) in body
    overdue_line = next(line for line in body.splitlines() if world.overdue.title in line)
    assert overdue_line.endswith("[overdue]")
    stale_line = next(line for line in body.splitlines() if world.stale.title in line)
    assert "[overdue]" not in stale_line
    for title in ("Kurs (done)", "Portal (dropped)", "Fresh", "Staff's overdue"):
        assert title not in body
    assert body.index(world.overdue.title) < body.index(world.stale.title)  # by due date


def test_digest_goes_once_a_week(waiting):
    today = timezone.localdate()
    assert notifications.measure_digests_send(today=today) == 1
    assert notifications.measure_digests_send(today=today) == 0
    assert len(mail.outbox) == 1
    monday = today - timedelta(days=today.weekday())
    assert notifications.measure_digests_send(today=monday) == 0
    assert notifications.measure_digests_send(today=monday + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2
    assert DigestSent.objects.count() == 2


def test_owner_without_email_or_inactive_gets_none(waiting):
    world = waiting
    chief = world.users["chief_executive"]
    chief.is_active = False
    chief.save()
    assert notifications.measure_digests_send() == 0
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_owner_whose_measures_are_up_to_date_gets_none(world):
    chief = world.users["chief_executive"]
    strategy = start(world, user=chief)
    _measure(strategy, "On track", owner=chief, due_in=10)
    _measure(strategy, "Done late", owner=chief, status="done", due_in=-10, untouched_for=90)
    assert notifications.measure_digests_send() == 0
    assert mail.outbox == []


def test_digest_is_written_in_the_networks_language(waiting):
    world = waiting
    world.network.language = "nb"
    world.network.save()

    notifications.measure_digests_send()

    (message,) = mail.outbox
    with translation.override("nb"):
        expected = translation.ngettext(
            "One measure waits for you", "%(counter)s measures wait for you", 2
        ) % {"counter": 2}
    assert message.subject == expected
    assert _link(world.overdue) in message.body
    assert _link(world.stale) in message.body


def test_digest_is_written_in_the_owners_own_language(waiting):
    world = waiting
    world.network.language = "en"
    world.network.save()
    owner = world.overdue.owner
    owner.language = "nb"
    owner.save()

    notifications.measure_digests_send()

    (message,) = mail.outbox
    with translation.override("nb"):
        expected = translation.ngettext(
            "One measure waits for you", "%(counter)s measures wait for you", 2
        ) % {"counter": 2}
    assert message.subject == expected
    assert message.subject != "2 measures wait for you"


def test_failed_digest_is_sent_by_the_retry(waiting, settings):
    settings.EMAIL_BACKEND = "tests.strategies.test_digest.FailingBackend"
    with pytest.raises(SMTPException):
        notifications.measure_digests_send()
    assert not DigestSent.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.measure_digests_send() == 1
    assert len(mail.outbox) == 1


def test_digest_task_sends_the_digests(waiting):
    tasks.send_measure_digests.delay()
    assert [m.to for m in mail.outbox] == [[waiting.users["chief_executive"].email]]


def test_owner_of_measures_in_two_municipalities_gets_one_digest(waiting):
    world = waiting
    chief = world.users["chief_executive"]
    Role.objects.create(user=chief, kind=Role.Kind.MUNICIPAL_STAFF, municipality=world.neighbour)
    other = start(world, world.neighbour)
    late = _measure(other, "Hammerfest's late one", owner=chief, due_in=-1)

    assert notifications.measure_digests_send() == 1

    (message,) = mail.outbox
    assert message.subject == "3 measures wait for you"
    assert f"- {late.title} (Hammerfest)" in message.body


def test_beat_sends_the_digests_weekly():
    (job,) = [
        job
        for job in settings.CELERY_BEAT_SCHEDULE.values()
        if job["task"] == "strategies.tasks.send_measure_digests"
    ]
    assert job["task"] in app.tasks
    assert job["schedule"].day_of_week == {1}
    assert job["schedule"].hour == {7}


def test_former_owner_without_a_role_in_the_municipality_gets_none(waiting):
    chief = waiting.users["chief_executive"]
    Role.objects.filter(user=chief).delete()
    assert notifications.measure_digests_send() == 0
    assert mail.outbox == []


def test_digest_waits_on_exactly_the_measures_the_action_plan_marks(waiting, client):
    world = waiting
    chief = world.users["chief_executive"]
    _measure(world.strategy, "Due today", owner=chief, due_in=0)
    _measure(
        world.strategy, "Untouched the set days", owner=chief, due_in=10,
        untouched_for=settings.STRATEGY_STALE_DAYS,
    )  # fmt: skip

    assert notifications.measure_digests_send() == 1

    body = mail.outbox[0].body
    in_digest = {m.title for m in Measure.objects.all() if f"- {m.title} (Alta)" in body}
    client.force_login(chief)
    page = client.get(reverse("action_plan", args=[world.strategy.pk])).content.decode()
    rows = page.split("<tr")[1:]
    marked = {
        m.title
        for m in Measure.objects.filter(owner=chief)
        for row in rows
        if f"<strong>{m.title}</strong>" in row
        and ("measure-overdue" in row or "not updated for a while" in row)
    }
    assert in_digest == {"Felles IKT-drift", "Gevinstplan"}
    assert marked == in_digest
