"""Browser tests: Playwright drives the machine's Chromium against pytest-django's live server.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it where it is missing);
Playwright's own browser download is never used. Without the browser the tests are skipped
loudly, or fail under ``CI=true``.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from tests.conftest import missing_service

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all the browser tests.

    Package-scoped rather than session-scoped: while Playwright runs, the main thread has a
    running asyncio event loop, and Django's ORM in the test (factories, the transactional
    database's flush) refuses to run beside one unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set.
    Both are confined to ``tests/e2e/``: the rest of the suite keeps Django's check and no loop.
    """
    if not CHROMIUM.exists():
        missing_service(f"Chromium is not installed at {CHROMIUM}")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=["--no-sandbox", "--disable-background-networking"],
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh page in a fresh context (no cookies), in English, on Oslo's clock.

    Every context asks for reduced motion: Bootstrap then draws no colour transitions, so
    axe-core measures a button's contrast in its final colours, not halfway through one."""
    context = browser.new_context(
        reduced_motion="reduce", locale="en-GB", timezone_id="Europe/Oslo"
    )
    yield context.new_page()
    context.close()


# --- Accessibility and keyboard checks (tests/e2e/test_journeys.py) ---------------------------

# axe-core's impacts that fail a page: "serious" and "critical" (WCAG 2.1 AA failures that
# block or seriously hinder someone); "minor" and "moderate" are left to review.
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}: {summary}\n      {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """Fail with each serious or critical violation: rule, impact and the nodes it found."""
    page.wait_for_load_state()  # the page's own script has run
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"axe-core found serious or critical violations on {page.url}"
            f"{f' ({where})' if where else ''}:\n{describe_violations(violations)}",
            pytrace=False,
        )


def tab_to(page, target, *, presses: int = 60) -> None:
    """Press Tab until ``target`` (a locator) has the focus, as a keyboard user would."""
    handle = target.element_handle()
    visited = []
    for _press in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("el => el === document.activeElement", handle):
            return
        visited.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e ? `${e.tagName.toLowerCase()}#${e.id} ${(e.innerText || e.name || '')"
                ".trim().slice(0, 30)}` : 'nothing' }"
            )
        )
    pytest.fail(f"Tab never reached {target} after {presses} presses; focus went to {visited}")


def assert_focus_visible(target) -> None:
    """The element has the focus, the browser shows it as keyboard focus (:focus-visible), and
    the page draws an indicator for it: an outline or a box shadow."""
    state = target.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return {
                focused: el === document.activeElement,
                focusVisible: el.matches(':focus-visible'),
                indicator: outline || style.boxShadow !== 'none',
                outline: `${style.outlineStyle} ${style.outlineWidth}`,
                boxShadow: style.boxShadow,
            };
        }"""
    )
    assert (state["focused"], state["focusVisible"], state["indicator"]) == (True, True, True), (
        target,
        state,
    )


FACTORY_PASSWORD = "a-long-test-password"  # tests/factories.py gives every person this one


def sign_in(page, base: str, user, password: str | None = None) -> None:
    """Sign in through the sign-in page (the factories' password unless told) and wait until
    the portal shows the person signed in."""
    page.goto(base + reverse("login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password or FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
