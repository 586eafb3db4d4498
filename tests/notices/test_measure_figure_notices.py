"""The notice that a measure's key figure moved away from its target, as its owner meets it:
on home under "New for you", in the list of notices, by e-mail at once, and as a kind of
notice the owner can set a rhythm for."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from notices.models import Kind, Notice, NoticePreference, Rhythm

from ..strategies.tracking import make_tracked, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(world):
    return make_tracked(world)


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _worse(world, capture):
    world.owner.language = "en"
    world.owner.save(update_fields=["language"])
    refresh(capture, [(world.municipality, 2025, 82.0, "")])
    return Notice.objects.get(kind=Kind.MEASURE_FIGURE_WORSE)


def test_the_owner_finds_it_on_home_and_in_the_list(
    client,
    tracked,
    django_capture_on_commit_callbacks,
):
    world = tracked
    notice = _worse(world, django_capture_on_commit_callbacks)
    sentence = f"The key figure of your measure “{world.measure.title}” moved away from its target."

    client.force_login(world.owner)
    home = client.get(reverse("home")).content.decode()
    (new_for_you,) = re.findall(r"New for you</h3>(.*?)</ul>", home, re.S)
    assert sentence in _text(new_for_you)
    assert notice.excerpt in _text(new_for_you)
    assert sentence in _text(client.get(reverse("notices")).content.decode())

    # Opening it leads to the measure's row in the action plan.
    opened = client.get(reverse("notice_open", args=[notice.pk]))
    assert opened.url == notice.link
    assert f'id="measure-{world.measure.pk}"' in client.get(opened.url).content.decode()


def test_nobody_else_is_told(client, tracked, django_capture_on_commit_callbacks):
    world = tracked
    _worse(world, django_capture_on_commit_callbacks)
    assert list(Notice.objects.values_list("recipient", flat=True)) == [world.owner.pk]
    client.force_login(world.users["chief_executive"])
    home = _text(client.get(reverse("home")).content.decode())
    assert "moved away from its target" not in home


def test_it_is_e_mailed_at_once_in_the_owners_language(
    tracked,
    django_capture_on_commit_callbacks,
):
    world = tracked
    notice = _worse(world, django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if world.owner.email in m.to]
    assert f"“{world.measure.title}” moved away from its target" in message.body
    assert notice.excerpt in " ".join(message.body.split())
    assert Notice.objects.get(pk=notice.pk).sent_at is not None


def test_an_owner_who_chose_a_digest_gets_no_e_mail_at_once(
    tracked,
    django_capture_on_commit_callbacks,
):
    world = tracked
    NoticePreference.objects.create(
        user=world.owner, kind=Kind.MEASURE_FIGURE_WORSE, rhythm=Rhythm.WEEKLY
    )
    notice = _worse(world, django_capture_on_commit_callbacks)
    assert notice.rhythm == Rhythm.WEEKLY
    assert not [m for m in mail.outbox if world.owner.email in m.to]


def test_the_settings_page_offers_the_kind(client, world):
    client.force_login(world.users["municipal_staff"])
    page = _text(client.get(reverse("notice_settings")).content.decode())
    assert str(Kind.MEASURE_FIGURE_WORSE.label) in page
