"""Inviting a network's people from one CSV file: the preview names every refused line and
why, one refused line and nothing is saved or sent, and a confirmation sends exactly the
invitations of the file, each as a single invitation would be, after the commit."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry
from networks import services
from networks.invite_file import MAX_BYTES, Outcome
from networks.models import Invitation, Municipality, NetworkMembership, Region, Role
from networks.register import register_load_norway
from tests import factories as f

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "data" / "sogn_og_fjordane_invitations.csv"
# The 15 municipalities of the fixture, by their official codes (Vestland, 2025 register).
CODES = [str(code) for code in range(4633, 4648)]
HEADER = "name;email;role;municipality_code;title"
GOOD_LINE = "Kari Nordmann;kari.nordmann@fedje.example.org;chief_executive;4633;Kommunedirektør"


@pytest.fixture
def sogn(db):
    """A network of the 15 municipalities of the fixture, its facilitator signed in."""
    norway = register_load_norway()
    network = f.NetworkFactory(
        name="Sogn og Fjordane",
        region=Region.objects.get(country=norway, code="46"),
        members=list(Municipality.objects.filter(code__in=CODES)),
        language="en",
    )
    facilitator = f.facilitator_of(network, username="fasilitator", email="fasilitator@ks.no")
    return network, facilitator


def _upload(client, network, content, name="people.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        reverse("network_invite_file", args=[network.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def _confirm(client, network, digest):
    return client.post(
        reverse("network_invite_file_confirm", args=[network.pk]), {"digest": digest}
    )


def _csv(*lines, separator=";"):
    return "\n".join([HEADER, *lines]).replace(";", separator) + "\n"


def _nothing_saved():
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(model="networks.invitation").exists()


# --- A good file ------------------------------------------------------------------------------


def test_the_fixture_previews_every_line_and_saves_nothing(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    response = _upload(client, network, FIXTURE.read_bytes(), name=FIXTURE.name)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok
    assert len(preview.rows) == 32
    assert [row.line for row in preview.rows] == list(range(2, 34))
    assert {row.outcome for row in preview.rows} == {Outcome.SEND}
    first = preview.rows[0]
    assert (first.first_name, first.last_name, first.email, first.kind, first.title) == (
        "Kari",
        "Nordmann",
        "kari.nordmann@fedje.example.org",
        Role.Kind.CHIEF_EXECUTIVE,
        "Kommunedirektør",
    )
    assert first.municipality.name == "Fedje"
    assert preview.rows[2].first_name == "Per Olav"  # the last word is the last name
    assert {row.municipality.code for row in preview.rows} == set(CODES)
    page = response.content.decode()
    assert "Send 32 invitations" in page
    assert "Refused" not in page
    _nothing_saved()


def test_confirming_the_fixture_sends_exactly_its_invitations_after_the_commit(
    client, sogn, django_capture_on_commit_callbacks
):
    network, facilitator = sogn
    client.force_login(facilitator)
    preview = _upload(client, network, FIXTURE.read_bytes()).context["preview"]
    with django_capture_on_commit_callbacks() as callbacks:
        response = _confirm(client, network, preview.digest)
        assert mail.outbox == []  # nothing is sent inside the transaction
    assert response.status_code == 302
    assert response.url == reverse("network_detail", args=[network.pk])
    assert len(callbacks) == 32
    for callback in callbacks:
        callback()
    invitations = Invitation.objects.select_related("municipality")
    assert sorted((i.email, i.kind, i.municipality.code) for i in invitations) == sorted(
        (row.email, row.kind, row.municipality.code) for row in preview.rows
    )
    assert all(
        i.state == Invitation.State.SENT
        and i.invited_by == facilitator
        and i.network == network
        and i.sent_at is not None
        and len(i.token_hash) == 64
        and i.language == "en"
        for i in invitations
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        row.email for row in preview.rows
    )
    assert (
        AuditEntry.objects.filter(
            model="networks.invitation", action=AuditEntry.Action.CREATED
        ).count()
        == 32
    )
    assert services.INVITE_FILE_SESSION_KEY not in client.session
    # The same confirmation again sends nothing more: the file no longer waits.
    again = _confirm(client, network, preview.digest)
    assert again.url == reverse("network_invite_file", args=[network.pk])
    assert Invitation.objects.count() == 32


def test_a_comma_separated_file_without_bom_and_norwegian_role_names_is_read(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    content = _csv(
        "Ola Bakke;ola.bakke@fedje.example.org;ordfører;4633;",
        "Siri Berg;siri.berg@fedje.example.org;ansatt;4633;IT manager",
        "Kari Nordmann;kari@fedje.example.org;Rådmann;4633;",
        separator=",",
    )
    preview = _upload(client, network, content).context["preview"]
    assert preview.ok
    assert [row.kind for row in preview.rows] == [
        Role.Kind.MAYOR,
        Role.Kind.MUNICIPAL_STAFF,
        Role.Kind.CHIEF_EXECUTIVE,
    ]


def test_a_former_code_from_the_register_leads_to_todays_municipality(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    fedje = Municipality.objects.get(code="4633")
    f.MunicipalityCodeFactory(municipality=fedje, code="1265", first_year=None, last_year=2019)
    preview = _upload(
        client, network, _csv("Kari Nordmann;kari@fedje.example.org;chief_executive;1265;")
    ).context["preview"]
    assert preview.ok
    assert (preview.rows[0].municipality, preview.rows[0].former_code) == (fedje, True)


def test_people_with_the_role_or_an_open_invitation_are_named_as_such(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    fedje = Municipality.objects.get(code="4633")
    f.municipal(Role.Kind.MUNICIPAL_STAFF, fedje, username="siri", email="siri@fedje.example.org")
    services.person_invite(
        invited_by=facilitator,
        email="ola@fedje.example.org",
        first_name="Ola",
        last_name="Bakke",
        kind=Role.Kind.MAYOR,
        network=network,
        municipality=fedje,
    )
    response = _upload(
        client,
        network,
        _csv(
            "Siri Berg;siri@fedje.example.org;staff;4633;",
            "Ola Bakke;OLA@fedje.example.org;mayor;4633;",
            GOOD_LINE,
        ),
    )
    preview = response.context["preview"]
    assert [row.outcome for row in preview.rows] == [
        Outcome.HAS_ROLE,
        Outcome.RENEW,
        Outcome.SEND,
    ]
    assert "already has this role: nothing is sent" in response.content.decode()
    _confirm(client, network, preview.digest)
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "kari.nordmann@fedje.example.org",
        "ola@fedje.example.org",
    ]


# --- Bad lines: named with their line and why; nothing saved, nothing sent --------------------

BAD_LINES = [
    (
        "Kari Nordmann;kari@x.example.org;chief_executive;9999;",
        "no municipality has the code “9999”.",
    ),
    (
        "Kari Nordmann;kari@oslo.example.org;chief_executive;0301;",
        "Oslo is not a member of this network.",
    ),
    ("Kari Nordmann;kari-at-fedje;staff;4633;", "“kari-at-fedje” is not an e-mail address."),
    (
        "Kari Nordmann;kari@fedje.example.org;boss;4633;",
        "“boss” is not a role: write chief_executive, mayor or staff.",
    ),
    (";kari@fedje.example.org;staff;4633;", "the name is empty."),
    (
        "Kari Again;KARI.NORDMANN@fedje.example.org;staff;4633;",
        "the same e-mail address as line 2.",
    ),
    (
        "Me Myself;Fasilitator@ks.no;staff;4633;",
        "this is your own address: nobody invites themself.",
    ),
    (
        "Other Chief;other@fedje.example.org;chief_executive;4633;",
        "a second chief executive for Fedje: line 2 names one already, and a municipality has one.",
    ),
    ("Kari Nordmann;kari@fedje.example.org;staff;4633;;extra", "6 fields where the header has 5."),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_a_bad_line_is_named_with_its_line_and_why_and_nothing_is_saved(
    client, sogn, line, reason, django_capture_on_commit_callbacks
):
    network, facilitator = sogn
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client,
            network,
            _csv(GOOD_LINE, line, "Ola Bakke;ola.bakke@fedje.example.org;mayor;4633;"),
        )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert not preview.ok
    assert [(row.line, row.refusals) for row in preview.refused] == [(3, [reason])]
    page = response.content.decode()
    assert "1 line is refused" in page
    assert "Nothing was saved and nothing was sent." in page
    assert reverse("network_invite_file_confirm", args=[network.pk]) not in page
    assert services.INVITE_FILE_SESSION_KEY not in client.session
    # Confirming anyway, with the digest of the refused file, sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        refused = _confirm(client, network, preview.digest)
    assert refused.url == reverse("network_invite_file", args=[network.pk])
    _nothing_saved()


def test_every_refused_line_of_a_file_is_named(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    preview = _upload(client, network, _csv(*(line for line, _reason in BAD_LINES))).context[
        "preview"
    ]
    # Line 7 is the first to give its address, line 9 the file's first chief executive of
    # Fedje: alone, neither is wrong.
    assert {row.line for row in preview.refused} == {2, 3, 4, 5, 6, 8, 10}
    _nothing_saved()


def test_staff_of_a_municipality_only_invited_to_join_are_refused(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    oslo = Municipality.objects.get(code="0301")
    f.MembershipInvitationFactory(network=network, municipality=oslo)
    preview = _upload(
        client,
        network,
        _csv(
            "Rita Rådmann;rita@oslo.example.org;chief_executive;0301;",
            "Sam Staff;sam@oslo.example.org;staff;0301;",
        ),
    ).context["preview"]
    assert [(row.line, row.refusals) for row in preview.refused] == [
        (
            3,
            [
                "Oslo has not accepted the network's invitation yet: invite its chief "
                "executive, who accepts it, first."
            ],
        )
    ]


def test_a_municipality_whose_leader_is_someone_else_is_refused(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    fedje = Municipality.objects.get(code="4633")
    f.municipal(Role.Kind.MAYOR, fedje, username="mayor", first_name="Olav", last_name="Dale")
    preview = _upload(client, network, _csv("Ola Bakke;ola@fedje.example.org;mayor;4633;")).context[
        "preview"
    ]
    assert preview.refused[0].refusals == [
        "Fedje already has a mayor in the portal: Olav Dale. An administrator ends that role first."
    ]


# --- Tampering --------------------------------------------------------------------------------


def test_a_confirmation_for_another_network_sends_nothing(client, sogn):
    network, facilitator = sogn
    other = f.NetworkFactory(region=network.region, members=list(network.municipalities.all()))
    Role.objects.create(user=facilitator, kind=Role.Kind.FACILITATOR, network=other)
    client.force_login(facilitator)
    preview = _upload(client, network, _csv(GOOD_LINE)).context["preview"]
    response = _confirm(client, other, preview.digest)
    assert response.url == reverse("network_invite_file", args=[other.pk])
    _nothing_saved()


def test_a_file_replaced_between_preview_and_confirmation_sends_nothing(client, sogn):
    network, facilitator = sogn
    client.force_login(facilitator)
    first = _upload(client, network, _csv(GOOD_LINE)).context["preview"]
    _upload(client, network, _csv("Ola Bakke;ola@fedje.example.org;mayor;4633;"))
    response = _confirm(client, network, first.digest)
    assert response.url == reverse("network_invite_file", args=[network.pk])
    _nothing_saved()
    # A digest that names no file at all sends nothing either.
    assert _confirm(client, network, "0" * 64).status_code == 302
    assert _confirm(client, network, "").status_code == 302
    _nothing_saved()


def test_the_file_is_checked_again_on_confirmation(client, sogn):
    """A municipality that left the network between preview and confirmation: refused."""
    network, facilitator = sogn
    client.force_login(facilitator)
    preview = _upload(client, network, _csv(GOOD_LINE)).context["preview"]
    NetworkMembership.objects.filter(network=network, municipality__code="4633").delete()
    response = _confirm(client, network, preview.digest)
    assert response.status_code == 200
    assert response.context["preview"].refused[0].refusals == [
        "Fedje is not a member of this network."
    ]
    _nothing_saved()


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("other_facilitator", 404), ("chief_executive", 403), ("staff_member", 403)]
)
def test_only_the_networks_facilitators_upload_and_confirm(client, sogn, who, status):
    network, facilitator = sogn
    # A file waits in the attacker's own session, as if they had previewed it.
    client.force_login(facilitator)
    digest = _upload(client, network, _csv(GOOD_LINE)).context["preview"].digest
    waiting = client.session[services.INVITE_FILE_SESSION_KEY]
    fedje = Municipality.objects.get(code="4633")
    people = {
        "other_facilitator": f.facilitator_of(
            f.NetworkFactory(region=network.region), username="other"
        ),
        "chief_executive": f.municipal(Role.Kind.CHIEF_EXECUTIVE, fedje, username="chief"),
        "staff_member": f.municipal(Role.Kind.MUNICIPAL_STAFF, fedje, username="staffer"),
    }
    client.force_login(people[who])
    session = client.session
    session[services.INVITE_FILE_SESSION_KEY] = waiting
    session.save()
    url = reverse("network_invite_file", args=[network.pk])
    assert client.get(url).status_code == status
    assert _upload(client, network, _csv(GOOD_LINE)).status_code == status
    assert _confirm(client, network, digest).status_code == status
    _nothing_saved()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, sogn):
    network, _facilitator = sogn
    response = _upload(client, network, _csv(GOOD_LINE))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert _confirm(client, network, "0" * 64).status_code == 302
    _nothing_saved()


# --- Bad files --------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "photo.csv",
            PNG,
            "photo.csv: This is not a CSV file: it holds binary data. An Excel workbook? Save "
            "it as CSV (UTF-8) and upload that.",
        ),
        ("empty.csv", b"", "empty.csv is empty: choose a file that lists the people to invite."),
        ("blank.csv", b"\n\n  \n", "blank.csv: The file is empty."),
        ("header.csv", HEADER.encode() + b"\n", "header.csv: The file has a header but no rows."),
        (
            "wrong.csv",
            b"navn;adresse\nKari;kari@fedje.example.org\n",
            "wrong.csv, line 1: the header must name the columns name, email, role and "
            "municipality_code (and optionally title), separated by ; or ,. It has: 'navn', "
            "'adresse'; missing: email, role, municipality_code.",
        ),
        (
            "huge.csv",
            (HEADER + "\n" + (GOOD_LINE + "\n") * (MAX_BYTES // len(GOOD_LINE) + 1)).encode(),
            "huge.csv is larger than the limit of 100 KB.",
        ),
    ],
)
def test_a_bad_file_is_named_on_the_field_and_nothing_waits(client, sogn, name, content, message):
    network, facilitator = sogn
    client.force_login(facilitator)
    response = _upload(client, network, content, name=name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert services.INVITE_FILE_SESSION_KEY not in client.session
    _nothing_saved()


# --- The preview's queries do not grow with the file ------------------------------------------


def _preview_queries(client, network, size):
    municipalities = list(Municipality.objects.filter(code__in=CODES).order_by("code"))
    lines = [
        f"Person {n};person{n}@example.org;staff;{municipalities[n % 15].code};"
        for n in range(size)
    ]
    with CaptureQueriesContext(connection) as captured:
        response = _upload(client, network, _csv(*lines))
    assert response.context["preview"].ok
    assert len(response.context["preview"].rows) == size
    return len(captured)


def test_the_previews_queries_do_not_grow_with_the_file(client, sogn):
    network, facilitator = sogn
    fedje = Municipality.objects.get(code="4633")
    f.municipal(Role.Kind.CHIEF_EXECUTIVE, fedje)
    client.force_login(facilitator)
    assert _preview_queries(client, network, 3) == _preview_queries(client, network, 30)


def test_a_second_confirmation_while_the_first_is_sending_sends_nothing(client, sogn):
    """A double-click: the second request reads the session before the first has emptied it,
    and finds the file claimed by the first."""
    network, facilitator = sogn
    client.force_login(facilitator)
    preview = _upload(client, network, _csv(GOOD_LINE)).context["preview"]
    key = services.invite_file_claim_key(network=network, digest=preview.digest)
    cache.add(key, True)  # the first request's claim
    response = _confirm(client, network, preview.digest)
    assert response.url == reverse("network_invite_file", args=[network.pk])
    _nothing_saved()
    cache.delete(key)  # the first request failed and gave its claim back: the file still waits
    assert _confirm(client, network, preview.digest).url == reverse(
        "network_detail", args=[network.pk]
    )
    assert Invitation.objects.count() == 1
