"""Signed out, in Chromium: the sign-in page's footer leads to the accessibility statement,
which axe-core finds clean at desktop and phone width, in English and Italian."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .conftest import assert_accessible


@pytest.mark.parametrize(("locale", "language"), [("en-GB", "en"), ("it-IT", "it")])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_statement_is_reached_from_the_footer_and_is_accessible(
    live_server, transactional_db, browser, locale, language, width
):
    with translation.override(language):
        link_text = gettext("Accessibility statement")
    context = browser.new_context(
        reduced_motion="reduce", locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("login"))
        page.locator("footer").get_by_role("link", name=link_text).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(link_text)
        assert page.locator("html").get_attribute("lang") == language
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, f"the accessibility statement ({language}, {width} px)")
    finally:
        context.close()
