"""The accessibility statement: public, in each of the portal's languages, linked from the
footer of every page, with the address to report a barrier to."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cemsdi_portal.core.views import accessibility_contact

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_the_portal_has_five_languages():
    assert sorted(LANGUAGES) == ["en", "es", "it", "nb", "pt"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_statement_is_public_in_each_language(client, language):
    response = client.get(reverse("accessibility_statement"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf'<html lang="{language}">', page)
    with translation.override(language):
        heading = gettext("Accessibility statement")
        answer = translation.ngettext(
            "We answer within %(days)s working day.",
            "We answer within %(days)s working days.",
            settings.ACCESSIBILITY_ANSWER_WORKING_DAYS,
        ) % {"days": settings.ACCESSIBILITY_ANSWER_WORKING_DAYS}
    assert f'<h1 class="h2">{heading}</h1>' in page
    assert answer in page
    for fact in ("WCAG", "2.1", "EN 301 549", "axe-core", "390", "PDF/UA", "2016/2102"):
        assert fact in page, fact
    for body in ("Uutilsynet", "Digdir", "AgID", "AMA"):
        assert body in page, body


@pytest.mark.parametrize("language", ["nb", "it"])  # the catalogues merged so far
def test_the_statements_frame_is_translated(client, language):
    page = client.get(reverse("accessibility_statement"), HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        skip = gettext("Skip to content")
    assert skip != "Skip to content"
    assert skip in page.content.decode()


def test_every_page_links_the_statement_from_its_footer(client, django_user_model):
    link = f'href="{reverse("accessibility_statement")}"'
    signed_out = client.get(reverse("login")).content.decode()
    footer = signed_out[signed_out.index("<footer") :]
    assert link in footer
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    home = client.get(reverse("home")).content.decode()
    assert link in home[home.index("<footer") :]


def test_the_address_to_report_a_barrier_comes_from_the_settings(client, settings):
    settings.ACCESSIBILITY_CONTACT = ""
    settings.ADMINS = []
    settings.DEFAULT_FROM_EMAIL = "CEMSDI portal <portal@example.org>"
    assert accessibility_contact() == "portal@example.org"
    settings.ADMINS = [("Operator", "operator@example.org")]
    assert accessibility_contact() == "operator@example.org"
    settings.ACCESSIBILITY_CONTACT = "access@example.org"
    settings.ACCESSIBILITY_ANSWER_WORKING_DAYS = 5
    page = client.get(reverse("accessibility_statement"), HTTP_ACCEPT_LANGUAGE="en").content
    assert b'<a href="mailto:access@example.org">access@example.org</a>' in page
    assert b"We answer within 5 working days." in page
