"""A chief executive's session ends while they write a section, in Chromium: the page says so
and keeps the text (the presence check no longer swaps the sign-in page into the editor), the
browser's own copy of the text comes back after signing in, and the save goes through."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import Page, expect

from networks.models import Role
from strategies import services
from strategies.models import Section
from tests import factories as f

PASSWORD = "a-long-test-password"
TEXT = "Alta samarbeider med Hammerfest om drift.\n\nVi velger tre satsinger."
DRAFTS = "() => Object.keys(localStorage).filter(key => key.startsWith('cemsdi-draft:'))"


def _chief_and_section():
    alta = f.MunicipalityFactory(name="Alta")
    network = f.NetworkFactory(name="eKommune Finnmark", language="en", members=[alta])
    chief = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, alta, first_name="Anne", last_name="Rådmann", password=PASSWORD
    )
    strategy = services.strategy_start(network=network, municipality=alta, user=chief)
    return chief, strategy.sections.get(kind=Section.Kind.CLEAR_STRATEGY)


def _sign_in_here(page: Page, user) -> None:
    """Fill in the sign-in page the browser is on."""
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def _end_every_session() -> None:
    """The server forgets every session (an idle timeout, or an administrator); the browser
    keeps its cookie."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()


def _presence_check(page: Page) -> None:
    """What the editor's presence line does every 20 seconds, and when its tab is shown again
    (data-hx-trigger="every 20s, presence-check")."""
    page.evaluate(
        "() => document.getElementById('presence').dispatchEvent(new Event('presence-check'))"
    )


def test_an_ended_session_keeps_the_text_and_it_saves_after_sign_in_in_a_new_tab(
    live_server, transactional_db, browser
):
    chief, section = _chief_and_section()
    context = browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo"
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        _sign_in_here(page, chief)
        page.goto(live_server.url + reverse("section_edit", args=[section.pk]))
        page.get_by_label("Text").fill(TEXT)

        _end_every_session()
        with page.expect_response(lambda r: r.url.endswith("/presence/")) as ping:
            _presence_check(page)
        assert ping.value.status == 401

        notice = page.locator("#signed-out")
        expect(notice).to_be_visible()
        expect(notice).to_have_text(
            "You were signed out. Sign in in a new tab; your text stays here, and you can save "
            "it once you are signed in."
        )
        expect(page.get_by_label("Text")).to_have_value(TEXT)
        expect(page.locator("#presence")).to_have_text("Nobody else has this section open.")
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)

        # Signing in in a new tab leads to the editor, which shows the browser's copy.
        with context.expect_page() as opened:
            notice.get_by_role("link", name="Sign in in a new tab").click()
        tab = opened.value
        _sign_in_here(tab, chief)
        assert tab.url == live_server.url + reverse("section_edit", args=[section.pk])
        expect(tab.locator("#draft-restored")).to_be_visible()
        expect(tab.get_by_label("Text")).to_have_value(TEXT)
        tab.close()

        # Back in the first tab: signed in again, the notice goes, and the save goes through.
        _presence_check(page)
        expect(notice).to_be_hidden()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("The section is saved.")).to_be_visible()
        section.refresh_from_db()
        assert (section.body, section.version, section.updated_by) == (TEXT, 1, chief)
        assert page.evaluate(DRAFTS) == []
    finally:
        context.close()


def test_a_save_after_the_session_ended_signs_in_back_to_the_editor_with_the_text(
    live_server, transactional_db, page: Page
):
    chief, section = _chief_and_section()
    editor = live_server.url + reverse("section_edit", args=[section.pk])
    page.goto(live_server.url + reverse("login"))
    _sign_in_here(page, chief)
    page.goto(editor)
    page.get_by_label("Text").fill(TEXT)

    _end_every_session()
    page.get_by_role("button", name="Save", exact=True).click()

    # The sign-in page, then the editor (not a blank page), with the text from this browser.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    _sign_in_here(page, chief)
    assert page.url == editor
    restored = page.locator("#draft-restored")
    expect(restored).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value(TEXT)
    section.refresh_from_db()
    assert (section.body, section.version) == ("", 0)

    # A reload keeps it; the save goes through, and the browser's copy is dropped.
    page.reload()
    expect(restored).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value(TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The section is saved.")).to_be_visible()
    section.refresh_from_db()
    assert (section.body, section.version) == (TEXT, 1)
    assert page.evaluate(DRAFTS) == []
    page.goto(editor)
    expect(restored).to_be_hidden()
    expect(page.get_by_label("Text")).to_have_value(TEXT)


def test_the_browsers_copy_can_be_discarded_for_the_saved_text(
    live_server, transactional_db, page: Page
):
    chief, section = _chief_and_section()
    services.section_save(section=section, user=chief, body="Saved text.", base_version=0)
    editor = live_server.url + reverse("section_edit", args=[section.pk])
    page.goto(live_server.url + reverse("login"))
    _sign_in_here(page, chief)
    page.goto(editor)
    page.get_by_label("Text").fill(TEXT)

    page.goto(editor)  # left without saving, and opened again
    expect(page.get_by_label("Text")).to_have_value(TEXT)
    page.get_by_role("button", name="Discard it and show the saved text").click()

    expect(page.locator("#draft-restored")).to_be_hidden()
    expect(page.get_by_label("Text")).to_have_value("Saved text.")
    assert page.evaluate(DRAFTS) == []
    page.reload()
    expect(page.get_by_label("Text")).to_have_value("Saved text.")
