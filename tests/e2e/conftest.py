"""Browser tests: Playwright drives the machine's Chromium against pytest-django's live server.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it where it is missing);
Playwright's own browser download is never used. Without the browser the tests are skipped
loudly, or fail under ``CI=true``.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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
    """A fresh page in a fresh context (no cookies), in English, on Oslo's clock."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Oslo")
    yield context.new_page()
    context.close()
