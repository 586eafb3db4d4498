"""A session that ends while a section is being written: htmx requests get a 401 notice the page
shows (not the sign-in page swapped into the editor), a plain save goes to sign-in and back to
the editor (never to a blank 405), and the editor carries what its local draft needs."""

import pytest
from django.test import Client
from django.urls import reverse

from strategies.models import Section

from .helpers import section, snapshot

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests/factories.py
TEXT = "Alta samarbeider med Hammerfest om drift."
LOGIN = reverse("login")


def _notice(next_page: str) -> str:
    return (
        '<div class="alert alert-warning" role="alert" id="signed-out">You were signed out. '
        f'<a href="{LOGIN}?next={next_page}" target="_blank" rel="noopener">Sign in in a new '
        "tab</a>; your text stays here, and you can save it once you are signed in.</div>"
    )


@pytest.fixture
def ended(world):
    """A client whose chief executive was signed in until the session ended on the server."""
    client = Client()
    client.force_login(world.users["chief_executive"])
    client.session.delete()  # the browser keeps its cookie; the server forgot the session
    return client


def _htmx(page_url: str) -> dict:
    return {"HX-Request": "true", "HX-Current-URL": f"http://testserver{page_url}"}


def test_presence_ping_after_the_session_ended_answers_401_with_the_notice(ended, strategy):
    s = section(strategy)
    editor = reverse("section_edit", args=[s.pk])

    response = ended.post(reverse("section_presence", args=[s.pk]), headers=_htmx(editor))

    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    assert "Location" not in response
    assert response.content.decode() == _notice(f"/sections/{s.pk}/edit/")
    assert "Forgot your password?" not in response.content.decode()


def test_htmx_save_after_the_session_ended_answers_401_and_saves_nothing(ended, strategy):
    s = section(strategy)
    editor = reverse("section_edit", args=[s.pk])
    before = snapshot()

    response = ended.post(editor, {"body": TEXT, "version": "0"}, headers=_htmx(editor))

    assert (response.status_code, response.content.decode()) == (401, _notice(editor))
    assert snapshot() == before


def test_the_notice_links_only_to_a_page_of_the_portal(ended, strategy):
    s = section(strategy)
    response = ended.post(
        reverse("section_presence", args=[s.pk]),
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/sections/"},
    )
    assert (response.status_code, response.content.decode()) == (401, _notice(""))


def test_a_save_after_the_session_ended_signs_in_and_returns_to_the_editor(ended, world, strategy):
    s = section(strategy)
    editor = reverse("section_edit", args=[s.pk])
    before = snapshot()

    save = ended.post(
        editor, {"body": TEXT, "version": "0"}, headers={"Referer": f"http://testserver{editor}"}
    )
    assert save.status_code == 302
    assert save.url == f"{LOGIN}?next=%2Fsections%2F{s.pk}%2Fedit%2F"
    assert snapshot() == before

    sign_in = ended.post(
        save.url, {"username": "chief_executive", "password": PASSWORD, "next": editor}
    )
    assert (sign_in.status_code, sign_in.url) == (302, editor)
    page = ended.get(sign_in.url)
    assert page.status_code == 200
    assert f'data-draft="section-{s.pk}-{world.users["chief_executive"].pk}"' in (
        page.content.decode()
    )


@pytest.mark.parametrize("name", ["section_comment", "section_presence"])
def test_a_post_only_url_after_the_session_ended_signs_in_back_to_the_page_it_came_from(
    ended, strategy, name
):
    s = section(strategy)
    detail = reverse("strategy_detail", args=[strategy.pk])

    response = ended.post(
        reverse(name, args=[s.pk]),
        {"body": "Bra."},
        headers={"Referer": f"http://testserver{detail}"},
    )
    assert (response.status_code, response.url) == (
        302,
        f"{LOGIN}?next=%2Fstrategies%2F{strategy.pk}%2F",
    )
    sign_in = ended.post(
        LOGIN, {"username": "chief_executive", "password": PASSWORD, "next": detail}
    )
    assert ended.get(sign_in.url).status_code == 200


def test_a_post_only_url_without_a_page_to_return_to_signs_in_to_the_home_page(ended, strategy):
    response = ended.post(reverse("section_presence", args=[section(strategy).pk]))
    assert (response.status_code, response.url) == (302, LOGIN)
    sign_in = ended.post(LOGIN, {"username": "chief_executive", "password": PASSWORD})
    assert (sign_in.url, ended.get(sign_in.url).status_code) == (reverse("home"), 200)


def test_a_page_opened_without_a_session_still_goes_to_sign_in_with_next(client, strategy):
    editor = reverse("section_edit", args=[section(strategy).pk])
    response = client.get(editor)
    assert (response.status_code, response.url) == (302, f"{LOGIN}?next={editor}")


def test_signed_in_pages_carry_the_hidden_notice_and_its_script(world, strategy):
    client = Client()
    client.force_login(world.users["chief_executive"])
    s = section(strategy)
    page = client.get(reverse("section_edit", args=[s.pk])).content.decode()
    hidden = _notice(f"/sections/{s.pk}/edit/").replace(
        'id="signed-out">', 'id="signed-out" hidden>'
    )
    assert hidden in page
    assert '<script src="/static/js/keep-text.js"></script>' in page
    assert 'data-hx-trigger="every 20s, presence-check"' in page


def test_a_successful_save_tells_the_next_page_to_drop_the_local_draft(world, strategy):
    chief = world.users["chief_executive"]
    client = Client()
    client.force_login(chief)
    s = section(strategy)

    response = client.post(reverse("section_edit", args=[s.pk]), {"body": TEXT, "version": "0"})

    assert response.status_code == 302
    saved = response.cookies["cemsdi_saved_draft"]
    assert (saved.value, saved["max-age"], saved["path"], saved["samesite"]) == (
        f"section-{s.pk}-{chief.pk}.1",
        60,
        "/",
        "Lax",
    )
    assert Section.objects.get(pk=s.pk).body == TEXT


def test_a_refused_save_keeps_the_local_draft_of_the_editors_own_text(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    url = reverse("section_edit", args=[s.pk])
    other = Client()
    other.force_login(staff)
    assert other.post(url, {"body": "Their text.", "version": "0"}).status_code == 302
    client = Client()
    client.force_login(chief)

    response = client.post(url, {"body": TEXT, "version": "0"})

    assert response.status_code == 409
    assert "cemsdi_saved_draft" not in response.cookies
    assert (
        f'<form method="post" novalidate data-draft="section-{s.pk}-{chief.pk}" '
        "data-draft-conflict>"
    ) in response.content.decode()


def test_signing_out_and_switching_language_on_the_sign_in_page_keep_their_answers(client, world):
    switch = client.post(
        reverse("set_language"),
        {"language": "nb", "next": LOGIN},
        headers={"Referer": "http://testserver/networks/"},
    )
    assert (switch.status_code, switch.url, switch.cookies["django_language"].value) == (
        302,
        LOGIN,
        "nb",
    )
    client.force_login(world.users["chief_executive"])
    out = client.post(reverse("logout"), headers={"Referer": "http://testserver/networks/"})
    assert (out.status_code, out.url) == (302, LOGIN)
