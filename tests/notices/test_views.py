"""The Notices page, opening a notice, the settings form, and a person's own language."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from notices.models import Notice, NoticePreference
from notices.selectors import unread_notices
from tests import factories as f

pytestmark = pytest.mark.django_db

SETTINGS = {
    "language": "nb",
    "strategy_shared": "immediate",
    "comment": "weekly",
    "reply": "off",
    "measure_figure_worse": "immediate",
    "practice_adopted": "daily",
    "speaker_invited": "immediate",
    "report_issued": "immediate",
    "report_acknowledged": "immediate",
    "report_returned": "immediate",
}


def notice(user, minutes_ago, **fields):
    made = f.NoticeFactory(recipient=user, **fields)
    Notice.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return made


def test_notices_page_lists_the_persons_own_newest_first_unread_marked(client, world):
    chief = world.users["chief_executive"]
    actor = world.users["facilitator"]
    actor.first_name, actor.last_name = "Kari", "Nordmann"
    actor.save()
    older = notice(chief, 60, actor=actor, about="Why cooperate? (Alta)", read_at=timezone.now())
    newer = notice(chief, 5, actor=actor, about="Governance (Alta)", excerpt="Who decides?")
    notice(world.users["municipal_staff"], 1, about="Someone else's notice")
    client.force_login(chief)

    page = client.get(reverse("notices")).content.decode()

    first = page.index("Kari Nordmann commented on “Governance (Alta)”.")
    second = page.index("Kari Nordmann commented on “Why cooperate? (Alta)”.")
    assert first < second
    assert "Someone else" not in page
    assert "“Who decides?”" in page
    assert page.count('<span class="badge text-bg-primary align-self-start">unread</span>') == 1
    assert f'href="{reverse("notice_open", args=[newer.pk])}"' in page
    assert f'href="{reverse("notice_open", args=[older.pk])}"' in page
    # The navbar counts the unread one.
    assert (
        'Notices <span class="badge text-bg-light">1<span class="visually-hidden"> unread' in page
    )


def test_opening_a_notice_marks_it_read_and_goes_to_the_thing(client, world):
    chief = world.users["chief_executive"]
    made = notice(chief, 5, link="/strategies/7/#c12")
    client.force_login(chief)

    response = client.get(reverse("notice_open", args=[made.pk]))

    assert response.status_code == 302
    assert response.url == "/strategies/7/#c12"
    made.refresh_from_db()
    assert made.read_at is not None
    assert unread_notices(chief, 5) == []


@pytest.mark.parametrize("who", ["municipal_staff", "facilitator", "staff"])
def test_someone_elses_notice_is_not_found(client, world, who):
    made = notice(world.users["chief_executive"], 5)
    client.force_login(world.users[who])

    assert client.get(reverse("notice_open", args=[made.pk])).status_code == 404
    made.refresh_from_db()
    assert made.read_at is None


def test_signed_out_visitor_is_sent_to_sign_in(client, world):
    made = notice(world.users["chief_executive"], 5)
    for url in (reverse("notices"), reverse("notice_open", args=[made.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_mark_all_read(client, world):
    chief = world.users["chief_executive"]
    notice(chief, 5)
    notice(chief, 6)
    other = notice(world.users["municipal_staff"], 5)
    client.force_login(chief)

    client.post(reverse("notices_read"))

    assert not Notice.objects.filter(recipient=chief, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_unread_notices_selector_gives_the_newest_unread(world):
    chief = world.users["chief_executive"]
    old = notice(chief, 30)
    new = notice(chief, 3)
    notice(chief, 1, read_at=timezone.now())

    assert unread_notices(chief, 5) == [new, old]
    assert unread_notices(chief, 1) == [new]


def _grow(user, size):
    actor = f.UserFactory()
    for minutes in range(size):
        notice(user, minutes + 10, actor=actor)


def test_notices_page_queries_do_not_grow_with_notices(client, world):
    chief = world.users["chief_executive"]
    client.force_login(chief)
    _grow(chief, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("notices")).status_code == 200
    _grow(chief, 3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("notices")).status_code == 200
    assert len(small) == len(large)


# --- Settings ---------------------------------------------------------------------------------


def test_settings_form_keeps_language_and_rhythms(client, world):
    chief = world.users["chief_executive"]
    client.force_login(chief)

    response = client.post(reverse("notice_settings"), SETTINGS, follow=True)

    assert response.status_code == 200
    chief.refresh_from_db()
    assert chief.language == "nb"
    assert dict(NoticePreference.objects.filter(user=chief).values_list("kind", "rhythm")) == {
        "comment": "weekly",
        "reply": "off",
        "practice_adopted": "daily",
    }
    # Saved, and the page answers in the chosen language from now on.
    assert '<html lang="nb">' in response.content.decode()
    assert AuditEntry.objects.filter(model="notices.noticepreference").count() == 3
    assert AuditEntry.objects.get(model="networks.user").changes == {"language": ["", "nb"]}


def test_settings_form_shows_the_stored_choices(client, world):
    chief = world.users["chief_executive"]
    f.NoticePreferenceFactory(user=chief, kind="reply", rhythm="daily")
    client.force_login(chief)

    form = client.get(reverse("notice_settings")).context["form"]

    assert {name: form[name].value() for name in SETTINGS} == {
        "language": "",
        "strategy_shared": "immediate",
        "comment": "immediate",
        "reply": "daily",
        "measure_figure_worse": "immediate",
        "practice_adopted": "immediate",
        "speaker_invited": "immediate",
        "report_issued": "immediate",
        "report_acknowledged": "immediate",
        "report_returned": "immediate",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("comment", "hourly", "Choose at once, daily, weekly or no e-mail."),
        ("reply", "", "Choose how you want these notices."),
        ("language", "de", "Choose one of the languages offered."),
    ],
)
def test_settings_form_refuses_a_bad_value_and_changes_nothing(
    client, world, field, value, message
):
    chief = world.users["chief_executive"]
    client.force_login(chief)
    entries = AuditEntry.objects.count()

    response = client.post(reverse("notice_settings"), {**SETTINGS, field: value})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in response.content.decode()
    chief.refresh_from_db()
    assert chief.language == ""
    assert not NoticePreference.objects.exists()
    assert AuditEntry.objects.count() == entries


# --- A person's own language ------------------------------------------------------------------


def test_a_norwegian_profile_gets_norwegian_pages_whatever_the_browser(client, world):
    chief = world.users["chief_executive"]
    chief.language = "nb"
    chief.save()
    client.force_login(chief)

    page = client.get(reverse("home"), headers={"accept-language": "en-GB,en;q=0.9"})

    assert '<html lang="nb">' in page.content.decode()
    assert "Logg ut" in page.content.decode()


def test_without_a_language_of_their_own_the_browser_decides(client, world):
    client.force_login(world.users["chief_executive"])

    page = client.get(reverse("home"), headers={"accept-language": "nb-NO,nb;q=0.9"})

    assert "Logg ut" in page.content.decode()


def test_language_chooser_keeps_a_signed_in_persons_choice(client, world):
    chief = world.users["chief_executive"]
    client.force_login(chief)

    client.post(reverse("set_language"), {"language": "nb", "next": "/"})

    chief.refresh_from_db()
    assert chief.language == "nb"
    # Another browser of the same person, with no cookie, answers in Norwegian too.
    other = type(client)()
    other.force_login(chief)
    assert "Logg ut" in other.get(reverse("home")).content.decode()


def test_language_chooser_refuses_an_unknown_language_and_changes_nothing(client, world):
    chief = world.users["chief_executive"]
    client.force_login(chief)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    chief.refresh_from_db()
    assert chief.language == ""


def test_language_chooser_for_a_signed_out_visitor_sets_the_cookie_only(client, world):
    response = client.post(reverse("set_language"), {"language": "nb", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nb"
