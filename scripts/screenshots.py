"""Screenshots of the main pages at desktop and phone width, for docs/screenshots/.

Run the portal with its demo data first (`make run`), then:

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

It signs in as the demo people (password `cemsdi-demo`), opens each page in Chromium
(/usr/bin/chromium, as the browser tests do) and writes docs/screenshots/<name>-<width>.jpg.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "cemsdi-demo"  # noqa: S105 - the demo logins' published password
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}

# (file name, demo login, language, how to find the page from the home page)
PAGES = [
    ("home-chief", "chief", "nb", "/"),
    ("keyfigures", "chief", "nb", "keyfigures"),
    ("strategy", "chief", "nb", "strategy"),
    ("action-plan", "chief", "nb", "plan"),
    ("network", "facilitator", "en", "network"),
    ("gathering", "facilitator", "en", "gathering"),
    ("strategies-overview", "facilitator", "en", "overview"),
    ("programme", "officer", "en", "programme"),
    ("reports", "officer", "en", "request"),
]


def _sign_in(page, base: str, username: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _open(page, base: str, where: str) -> None:
    """Go to the page by following the links a person would follow from the home page."""
    if where.startswith("/"):
        page.goto(base + where)
        return
    page.goto(base + "/")
    if where in ("strategy", "plan"):
        page.locator("a[href^='/strategies/']").first.click()
        if where == "plan":
            page.locator("a[href$='/plan/']").first.click()
    elif where == "keyfigures":
        page.locator("a[href^='/municipalities/']").first.click()
        page.locator("a[href*='/keyfigures/']").first.click()
    elif where in ("network", "gathering", "overview"):
        page.locator("main a[href^='/networks/']").first.click()
        if where == "gathering":
            page.locator("a[href$='/gatherings/']").first.click()
            page.locator("a[href^='/gatherings/']").first.click()
        elif where == "overview":
            page.locator("a[href$='/strategies/']").first.click()
    elif where in ("programme", "request"):
        page.locator("a[href^='/programmes/']").first.click()
        if where == "request":  # the review report, then the reports page it leads to
            page.locator("form[action='/reports/request/'] button").first.click()
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base.rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking"],
        )
        for name, username, language, where in PAGES:
            for size, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                _sign_in(page, base, username, language)
                _open(page, base, where)
                path = OUT / f"{name}-{size}.jpg"
                page.screenshot(path=str(path), type="jpeg", quality=80)
                print(f"{path.relative_to(OUT.parent.parent)}: {page.title()}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
