"""The Markdown toolbar and preview in a real browser: a chief executive formats a section's
text with the toolbar's buttons (by mouse, by keyboard, by Ctrl+I), previews it as the server
renders it (a script in the text stays text), goes back to writing, and saves; the editor passes
axe-core in both modes."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from networks.models import Role
from strategies import services as strategy_services
from strategies.models import Section
from tests import factories as f

from .conftest import axe_violations, describe_violations

PASSWORD = "a-long-test-password"


def _select(page: Page, start: int, end: int) -> None:
    page.evaluate(
        "([s, e]) => { const a = document.getElementById('id_body'); a.focus();"
        " a.setSelectionRange(s, e); }",
        [start, end],
    )


def test_chief_executive_formats_previews_and_saves_a_section(
    live_server, transactional_db, browser, page: Page
):
    alta = f.MunicipalityFactory(name="Alta")
    network = f.NetworkFactory(language="en", region=alta.region, members=[alta])
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, password=PASSWORD)
    strategy = strategy_services.strategy_start(network=network, municipality=alta, user=chief)
    section = strategy.sections.get(kind=Section.Kind.CLEAR_STRATEGY)

    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(chief.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    page.goto(live_server.url + reverse("section_edit", args=[section.pk]))

    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()
    body = page.get_by_label("Text")
    body.fill("Vi samarbeider om drift.\nFelles IKT\nFelles kurs\n\n<script>alert(1)</script>")

    # Bold by mouse, around "samarbeider " (its space stays outside the markers).
    _select(page, 3, 15)
    toolbar.get_by_role("button", name="Bold").click()
    # A bulleted list by keyboard: the toolbar is one tab stop, the arrows move within it.
    _select(page, 29, 50)
    toolbar.get_by_role("button", name="Heading").focus()
    for _step in range(3):
        page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Bulleted list")).to_be_focused()
    page.keyboard.press("Enter")
    # Italic with Ctrl+I in the textarea.
    _select(page, 0, 2)
    page.keyboard.press("Control+i")
    expect(body).to_have_value(
        "*Vi* **samarbeider** om drift.\n- Felles IKT\n- Felles kurs\n\n<script>alert(1)</script>"
    )
    assert axe_violations(page) == [], describe_violations(axe_violations(page))

    # The preview: rendered by the server, in place of the textarea.
    preview = toolbar.get_by_role("button", name="Preview")
    preview.click()
    shown = page.locator("#id_body-preview")
    expect(shown.locator("strong")).to_have_text("samarbeider")
    expect(shown.locator("em")).to_have_text("Vi")
    expect(shown.locator("li")).to_have_text(["Felles IKT", "Felles kurs"])
    expect(shown).to_contain_text("<script>alert(1)</script>")  # as text
    expect(shown.locator("script")).to_have_count(0)
    expect(body).to_be_hidden()
    expect(preview).to_have_attribute("aria-pressed", "true")
    expect(toolbar.get_by_role("button", name="Bold")).to_be_disabled()
    assert axe_violations(page) == [], describe_violations(axe_violations(page))

    # Back to writing, and save: the strategy page shows what the preview showed.
    preview.click()
    expect(body).to_be_visible()
    expect(body).to_be_focused()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The section is saved.")).to_be_visible()
    text = page.locator(f"#s{section.pk} .strategy-text")
    expect(text.locator("strong")).to_have_text("samarbeider")
    section.refresh_from_db()
    assert section.body.startswith("*Vi* **samarbeider** om drift.\n- Felles IKT")
