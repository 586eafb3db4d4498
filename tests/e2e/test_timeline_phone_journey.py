"""A municipality's timeline on a 390-pixel phone: the page does not scroll sideways (the key
figures' table scrolls in its own box), every event of both phases is there, and axe-core
finds nothing serious."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.community.test_timeline import phases  # noqa: F401  (the fixture)

from .conftest import axe_violations, describe_violations, sign_in

WIDTH = 390


@pytest.mark.usefixtures("phases")
def test_the_timeline_reads_on_a_phone(live_server, transactional_db, browser, world):
    chief = world.users["chief_executive"]
    context = browser.new_context(
        reduced_motion="reduce",
        viewport={"width": WIDTH, "height": 844},
        locale="en-GB",
        timezone_id="Europe/Oslo",
    )
    page = context.new_page()
    try:
        sign_in(page, live_server.url, chief)
        page.goto(live_server.url + reverse("municipality_detail", args=[world.municipality.pk]))
        page.get_by_role("link", name="Timeline").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Our timeline across networks and phases"
        )
        expect(
            page.get_by_role("heading", level=2, name="Finnmark phase 2 Phase 2")
        ).to_be_visible()
        assert page.locator("main li time").count() == 11  # both phases' events
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= WIDTH, f"the page is {wide} px wide"
        table = page.get_by_role("region", name="Key figures over time")
        expect(table).to_be_visible()
        box = table.bounding_box()
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= WIDTH, box
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
    finally:
        context.close()
