"""A facilitator edits a network's members in Chromium: the search box and the region filter
narrow the 357-checkbox list, the count follows, a municipality a filter hides stays chosen and
is saved; then they invite the members' people from a CSV file and see what it would send."""

from django.urls import reverse
from playwright.sync_api import expect

from networks.models import Invitation, MembershipInvitation
from tests import factories as f

from .conftest import assert_accessible, tab_to

PASSWORD = "a-long-test-password"


def test_the_member_picker_finds_filters_and_keeps_choices(
    live_server, transactional_db, page, tmp_path
):
    north = f.RegionFactory(name="Finnmark")
    south = f.RegionFactory(name="Vestland", country=north.country)
    alta = f.MunicipalityFactory(name="Alta", code="5601", region=north)
    hammerfest = f.MunicipalityFactory(name="Hammerfest", code="5603", region=north)
    f.MunicipalityFactory(name="Vadsø", code="5607", region=north)
    bergen = f.MunicipalityFactory(name="Bergen", code="4601", region=south)
    network = f.NetworkFactory(name="eKommune Finnmark", region=north, members=[alta, hammerfest])
    facilitator = f.facilitator_of(network, username="fasilitator", password=PASSWORD)

    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(facilitator.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("network_update", args=[network.pk]))

    search = page.get_by_label("Find a municipality")
    count = page.locator("[data-picker-count]")
    expect(search).to_be_visible()
    expect(count).to_have_text("4 shown, 2 chosen")
    tab_to(page, search)
    page.keyboard.type("ham")
    expect(count).to_have_text("1 shown, 2 chosen")
    expect(page.get_by_label("Hammerfest (5603)")).to_be_visible()
    expect(page.get_by_label("Alta (5601)")).to_be_hidden()
    page.keyboard.press("Enter")  # filters; does not send the form
    expect(page).to_have_url(live_server.url + reverse("network_update", args=[network.pk]))

    search.fill("")
    page.get_by_label("Filter by region").select_option(label="Vestland")
    expect(count).to_have_text("1 shown, 2 chosen")
    page.get_by_label("Bergen (4601)").check()
    expect(count).to_have_text("1 shown, 3 chosen")
    # Choosing the network's own region sets the filter to it: Bergen is hidden, still chosen.
    page.locator("#id_region").select_option(label="Finnmark")
    expect(count).to_have_text("3 shown, 3 chosen")
    expect(page.get_by_label("Bergen (4601)")).to_be_hidden()
    assert_accessible(page, "the member picker")
    page.locator("#id_region").select_option(str(network.region_id))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The network was saved.")).to_be_visible()
    assert list(
        MembershipInvitation.objects.filter(network=network).values_list("municipality", flat=True)
    ) == [bergen.pk]

    # Invite from a file: the preview names what each line does.
    page.get_by_role("link", name="Invite from a file").click()
    csv = tmp_path / "finnmark-people.csv"
    csv.write_text(
        "name;email;role;municipality_code\n"
        "Siri Berg;siri.berg@alta.example.org;staff;5601\n"
        "Ola Bakke;ola@vadso.example.org;mayor;5607\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Show what would be sent").click()
    expect(page.locator("#line-2")).to_contain_text("an invitation is sent")
    expect(page.locator("#line-3")).to_contain_text(
        "Refused: Vadsø is not a member of this network."
    )
    expect(page.get_by_role("button", name="Send 1 invitation")).to_have_count(0)
    assert_accessible(page, "the refused file's preview")
    assert not Invitation.objects.exists()
