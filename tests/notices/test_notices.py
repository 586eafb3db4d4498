"""Each notice reaches the right people, once, in their own language, in their chosen rhythm.

E-mail goes to Django's locmem outbox; tasks run in process after the commit
(``django_capture_on_commit_callbacks``), as a worker would run them.
"""

from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from notices import notifications, services, tasks
from notices.models import Notice, NoticePreference
from strategies import services as strategy_services
from tests import factories as f
from tests.strategies.helpers import start

from .conftest import comment, staff_elsewhere

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("the server is down")


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def emails(world, *people) -> list[str]:
    return sorted(world.users[person].email for person in people)


def told(kind, **filters) -> list[str]:
    return sorted(
        Notice.objects.filter(kind=kind, **filters).values_list("recipient__username", flat=True)
    )


def named(user, first, last, language=""):
    user.first_name, user.last_name, user.language = first, last, language
    user.save()
    return user


def speaks(world, language):
    """The network's working language, as the next comment on its section reads it."""
    world.network.language = language
    world.network.save()
    world.section.refresh_from_db()
    world.section.strategy.network.refresh_from_db()


def choose(user, kind, rhythm):
    NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"rhythm": rhythm})


# --- Who is told ------------------------------------------------------------------------------


def test_shared_strategy_tells_the_networks_facilitators_once(
    world, django_capture_on_commit_callbacks
):
    colleague = f.facilitator_of(world.network, username="second_facilitator")
    strategy = start(world, user=world.users["chief_executive"])

    with django_capture_on_commit_callbacks(execute=True):
        strategy_services.strategy_set_status(
            strategy=strategy, status="shared", user=world.users["chief_executive"]
        )

    # Not the actor, not the other network's facilitator, not the project officer.
    assert told("strategy_shared") == ["facilitator", "second_facilitator"]
    assert recipients() == sorted([world.users["facilitator"].email, colleague.email])
    # The task run again (a redelivery) and the event published again send nothing more.
    ids = list(Notice.objects.values_list("pk", flat=True))
    tasks.send_notices.delay(ids)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.notice_publish(
            kind="strategy_shared",
            event_key=Notice.objects.first().event_key,
            recipients=[world.users["facilitator"], colleague],
            actor=world.users["chief_executive"],
            about=strategy.title,
            link="/",
            language="en",
        )
    assert again == []
    assert Notice.objects.count() == 2
    assert len(mail.outbox) == 2


def test_sharing_again_after_a_withdrawal_tells_again(world, django_capture_on_commit_callbacks):
    chief = world.users["chief_executive"]
    strategy = start(world, status="shared", user=chief)
    strategy = strategy_services.strategy_set_status(strategy=strategy, status="draft", user=chief)

    with django_capture_on_commit_callbacks(execute=True):
        strategy_services.strategy_set_status(strategy=strategy, status="shared", user=chief)

    assert told("strategy_shared") == ["facilitator", "facilitator"]
    assert recipients() == emails(world, "facilitator")


def test_facilitator_comment_tells_the_municipalitys_editors(
    shared, django_capture_on_commit_callbacks
):
    world = shared
    elsewhere = staff_elsewhere(world)

    with django_capture_on_commit_callbacks(execute=True):
        comment(world)

    # The chief executive and staff who edit; not the mayor (reads), not the facilitator
    # (the actor), not the neighbour's or another municipality's people, not Alta's staff
    # whose role counts in the other network only.
    assert told("comment") == ["chief_executive", "municipal_staff"]
    assert recipients() == emails(world, "chief_executive", "municipal_staff")
    assert elsewhere.email not in recipients()


def test_reply_tells_everyone_earlier_in_the_thread_but_the_replier(
    shared, django_capture_on_commit_callbacks
):
    world = shared
    f.facilitator_of(world.network, username="second_facilitator")
    first = comment(world)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        by_chief = comment(world, "chief_executive", "Our CIO owns them.", parent=first)
    assert told("reply", event_key=f"comment:{by_chief.pk}") == ["facilitator"]
    assert recipients() == emails(world, "facilitator")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        by_staff = comment(world, "municipal_staff", "And the budget?", parent=by_chief)
    # A reply to a reply joins the first comment's thread.
    assert by_staff.parent == first
    assert told("reply", event_key=f"comment:{by_staff.pk}") == ["chief_executive", "facilitator"]
    assert recipients() == emails(world, "chief_executive", "facilitator")


def test_nobody_is_told_of_their_own_reply(shared, django_capture_on_commit_callbacks):
    world = shared
    first = comment(world)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        comment(world, "facilitator", "One more thing.", parent=first)

    assert told("reply") == []
    assert mail.outbox == []


def test_an_inactive_person_is_not_told(shared, django_capture_on_commit_callbacks):
    world = shared
    staff = world.users["municipal_staff"]
    staff.is_active = False
    staff.save()

    with django_capture_on_commit_callbacks(execute=True):
        comment(world)

    assert told("comment") == ["chief_executive"]


# --- In the recipient's language --------------------------------------------------------------


@pytest.mark.parametrize("network_language", ["en", "nb"])
def test_each_gets_the_notice_in_their_own_language(
    shared, network_language, django_capture_on_commit_callbacks
):
    world = shared
    speaks(world, network_language)
    named(world.users["facilitator"], "Kari", "Nordmann")
    chief = named(world.users["chief_executive"], "Siri", "Eriksen", language="nb")
    staff = named(world.users["municipal_staff"], "Per", "Hansen", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        made = comment(world, body="Name an owner for each goal.")

    about = f"{world.section.title} ({world.municipality.name})"
    [to_chief] = [m for m in mail.outbox if m.to == [chief.email]]
    [to_staff] = [m for m in mail.outbox if m.to == [staff.email]]
    assert to_chief.subject == f"Kari Nordmann kommenterte «{about}»."
    assert to_chief.body.startswith("Hei Siri Eriksen,\n\nKari Nordmann kommenterte")
    assert "Åpne det i portalen:" in to_chief.body
    assert to_staff.subject == f"Kari Nordmann commented on “{about}”."
    assert to_staff.body.startswith("Dear Per Hansen,\n\nKari Nordmann commented on")
    assert "Open it in the portal:" in to_staff.body
    assert "«Name an owner for each goal.»" in to_chief.body  # quoted as Norwegian does
    assert "“Name an owner for each goal.”" in to_staff.body
    for message in (to_chief, to_staff):
        notice = Notice.objects.get(recipient__email=message.to[0])
        assert f"{settings.SITE_URL}/notices/{notice.pk}/" in message.body
        assert f"{settings.SITE_URL}/notices/settings/" in message.body
        assert notice.link == f"/strategies/{world.strategy.pk}/#c{made.pk}"


@pytest.mark.parametrize(
    ("network_language", "subject"), [("en", "commented on"), ("nb", "kommenterte")]
)
def test_without_a_language_of_their_own_the_networks_decides(
    shared, network_language, subject, django_capture_on_commit_callbacks
):
    world = shared
    speaks(world, network_language)
    named(world.users["facilitator"], "Kari", "Nordmann")

    with django_capture_on_commit_callbacks(execute=True):
        comment(world)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject.startswith(f"Kari Nordmann {subject} ")


# --- In their rhythm --------------------------------------------------------------------------


@pytest.fixture
def rhythms(shared):
    """Alta's editors, each with their own rhythm for comments, and two comments made."""
    world = shared
    speaks(world, "en")  # for those who chose no language of their own
    named(world.users["facilitator"], "Kari", "Nordmann")
    world.users["at_once"] = world.users["chief_executive"]
    world.users["daily"] = f.municipal(
        "municipal_staff", world.municipality, username="daily", email="daily@alta.example"
    )
    world.users["weekly"] = world.users["municipal_staff"]
    world.users["off"] = f.municipal("municipal_staff", world.municipality, username="off")
    choose(world.users["daily"], "comment", "daily")
    choose(world.users["weekly"], "comment", "weekly")
    choose(world.users["off"], "comment", "off")
    return world


def test_at_once_daily_weekly_and_off(rhythms, django_capture_on_commit_callbacks):
    world = rhythms
    with django_capture_on_commit_callbacks(execute=True):
        first = comment(world, body="Name an owner for each goal.")
    with django_capture_on_commit_callbacks(execute=True):
        second = comment(world, body="Add a budget line.")

    # At once: one e-mail per comment to the person who chose it; nobody else yet.
    assert recipients() == emails(world, "at_once", "at_once")
    mail.outbox.clear()

    assert notifications.digests_send(rhythm="daily") == 1
    [daily] = mail.outbox
    assert daily.to == [world.users["daily"].email]
    assert daily.subject == "Your daily digest: 2 notices"
    about = f"{world.section.title} ({world.municipality.name})"
    assert daily.body.count(f"Kari Nordmann commented on “{about}”.") == 2
    assert daily.body.index("Name an owner") < daily.body.index("Add a budget line")
    for made in (first, second):
        notice = Notice.objects.get(recipient=world.users["daily"], event_key=f"comment:{made.pk}")
        assert f"{settings.SITE_URL}/notices/{notice.pk}/" in daily.body

    mail.outbox.clear()
    tasks.send_weekly_digests.delay()
    [weekly] = mail.outbox
    assert weekly.to == [world.users["weekly"].email]
    assert weekly.subject == "Your weekly digest: 2 notices"
    assert "Name an owner" in weekly.body
    assert "Add a budget line" in weekly.body

    # Sent twice (a beat tick repeated, a redelivery): nothing more. Off: never an e-mail,
    # while the notices wait on the person's page, unread.
    mail.outbox.clear()
    assert notifications.digests_send(rhythm="daily") == 0
    tasks.send_weekly_digests.delay()
    tasks.send_daily_digests.delay()
    assert mail.outbox == []
    off = Notice.objects.filter(recipient=world.users["off"])
    assert off.count() == 2
    assert set(off.values_list("sent_at", "read_at")) == {(None, None)}


def test_a_changed_rhythm_holds_for_the_next_notices(rhythms, django_capture_on_commit_callbacks):
    world = rhythms
    with django_capture_on_commit_callbacks(execute=True):
        comment(world, body="Name an owner for each goal.")
    choose(world.users["weekly"], "comment", "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        comment(world, body="Add a budget line.")

    to_weekly = [m for m in mail.outbox if m.to == [world.users["weekly"].email]]
    assert [m.body.count("Add a budget line") for m in to_weekly] == [1]
    mail.outbox.clear()
    notifications.digests_send(rhythm="weekly")
    [weekly] = mail.outbox
    assert weekly.subject == "Your weekly digest: one notice"
    assert "Name an owner" in weekly.body
    assert "Add a budget line" not in weekly.body


def test_weekly_digest_in_the_recipients_language(rhythms, django_capture_on_commit_callbacks):
    world = rhythms
    speaks(world, "en")
    named(world.users["weekly"], "Per", "Hansen", language="nb")
    for body in ("Name an owner for each goal.", "Add a budget line."):
        with django_capture_on_commit_callbacks(execute=True):
            comment(world, body=body)
    mail.outbox.clear()

    notifications.digests_send(rhythm="weekly")

    [weekly] = mail.outbox
    assert weekly.subject == "Ditt ukentlige sammendrag: 2 varsler"
    assert weekly.body.startswith(
        "Hei Per Hansen,\n\nDette har skjedd siden forrige ukentlige sammendrag."
    )


def test_a_failed_send_is_sent_by_the_retry(shared, settings):
    world = shared
    settings.EMAIL_BACKEND = "tests.notices.test_notices.FailingBackend"
    comment(world)  # no commit callbacks run: the task is called below
    ids = list(Notice.objects.filter(kind="comment").values_list("pk", flat=True))

    with pytest.raises(SMTPException):
        notifications.notices_send(notice_ids=ids)

    assert set(Notice.objects.filter(pk__in=ids).values_list("sent_at", flat=True)) == {None}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.notices_send(notice_ids=ids) == 2
    assert notifications.notices_send(notice_ids=ids) == 0
    assert recipients() == emails(world, "chief_executive", "municipal_staff")


def test_a_failed_digest_is_sent_by_the_retry(rhythms, settings):
    world = rhythms
    comment(world)
    settings.EMAIL_BACKEND = "tests.notices.test_notices.FailingBackend"

    with pytest.raises(SMTPException):
        notifications.digests_send(rhythm="weekly")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.digests_send(rhythm="weekly") == 1
    assert recipients() == emails(world, "weekly")
