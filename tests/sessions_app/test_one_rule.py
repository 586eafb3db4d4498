"""Rules the gathering pages, the e-mails and the reports share: each is computed in one place,
so they say the same thing."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from reports.documents import network_document
from sessions_app import notifications, services
from sessions_app import selectors as sessions_selectors
from sessions_app.models import AgendaItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def gatherings(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    return services.gathering_schedule(network=world.network, drafts=drafts)


def test_gathering_page_names_mayors_where_the_invitation_invites_them(client, world, gatherings):
    world.network.language = "en"
    world.network.save()
    client.force_login(world.users["facilitator"])
    first, second = gatherings[0], gatherings[1]

    pages = {
        g.number: client.get(reverse("gathering_detail", args=[g.pk])).content.decode()
        for g in (first, second)
    }
    notifications.gathering_invitations_send(gathering_id=first.pk)
    notifications.gathering_invitations_send(gathering_id=second.pk)

    mayors_in_mail = {
        "mayors of the network's municipalities" in m.body for m in mail.outbox
    }  # every e-mail of a gathering says the same
    assert len(mail.outbox) == 5  # gathering 1: 2 chief executives and the mayor; 2: 2
    assert mayors_in_mail == {True, False}
    invited = "people are invited: the chief executives of the member municipalities"
    assert f"{invited} and their mayors." in pages[1]
    assert f"{invited}." in pages[2]


def test_agenda_attendance_form_and_report_give_the_same_training_hours(client, world, gatherings):
    first = gatherings[0]
    AgendaItem.objects.filter(gathering=first).update(duration_minutes=25)  # 25 min each
    training = AgendaItem.objects.filter(
        gathering=first, kind__in=AgendaItem.TRAINING_KINDS
    ).count()
    hours = (Decimal(25 * training) / 60).quantize(Decimal("0.01"))
    client.force_login(world.users["facilitator"])

    page = client.get(reverse("gathering_detail", args=[first.pk])).content.decode()
    form = client.get(reverse("gathering_attendance", args=[first.pk])).content.decode()

    chapter = network_document(world.network).context["chapter"]

    assert hours == Decimal("2.50")  # six training items of the standard first agenda
    # The page shows the hours as hours and minutes; the form takes hours with decimals.
    assert "2 h 30 min of training (breaks not counted)" in page
    assert f"Their hours are the agenda's {hours} hours of training" in form
    assert set(re.findall(r'name="hours_\d+"[^>]*placeholder="([^"]*)"', form)) == {str(hours)}
    assert chapter.gatherings[0].training_hours == hours
