"""The section editor's preview: the text rendered by the server through the same cleaner as
the strategy page, for those who may edit the section now; nothing is saved. And the toolbar:
buttons with names, hidden until the script shows them."""

import pytest
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry

from .helpers import move, section, snapshot, write
from .helpers import signed_in_client as _client

pytestmark = pytest.mark.django_db

TEXT = "## Mål\n\n**Felles** drift.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"


def _preview(client, s, body=TEXT):
    return client.post(
        reverse("section_preview", args=[s.pk]), {"body": body}, HTTP_HX_REQUEST="true"
    )


def test_preview_renders_the_markdown_and_cleans_it(world, strategy):
    s = section(strategy)
    before, entries = snapshot(), AuditEntry.objects.count()
    response = _preview(_client(world.users["chief_executive"]), s)
    assert response.status_code == 200
    assert response.content.decode() == (
        "<h4>Mål</h4>\n<p><strong>Felles</strong> drift.</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>[x](javascript:alert(1))</p>\n\n"
    )
    assert "<script" not in response.content.decode()
    assert snapshot() == before  # nothing saved, no revision, no presence
    assert AuditEntry.objects.count() == entries


def test_preview_of_an_empty_text_says_so(world, strategy):
    response = _preview(_client(world.users["municipal_staff"]), section(strategy), body="")
    assert "Nothing to preview: the text is empty." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_chief_executive", 404),  # another municipality's draft: not seen
        ("other_facilitator", 404),
        ("facilitator", 404),  # a draft is its municipality's only
        ("mayor", 403),  # reads, never writes
    ],
)
def test_preview_is_for_those_who_may_edit(world, strategy, role, status):
    assert _preview(_client(world.users[role]), section(strategy)).status_code == status


def test_preview_of_a_shared_strategy_is_refused_to_its_readers(world, strategy):
    move(strategy, "shared", user=world.users["chief_executive"])
    assert _preview(_client(world.users["facilitator"]), section(strategy)).status_code == 403
    assert _preview(_client(world.users["project_officer"]), section(strategy)).status_code == 403


def test_preview_of_an_adopted_strategy_is_refused(world, strategy):
    move(strategy, "adopted", user=world.users["chief_executive"])
    assert _preview(_client(world.users["chief_executive"]), section(strategy)).status_code == 403


def test_preview_asks_a_signed_out_visitor_to_sign_in(client, world, strategy):
    response = client.post(reverse("section_preview", args=[section(strategy).pk]), {"body": TEXT})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("section_preview", args=[section(strategy).pk])).status_code == 302


def test_editor_has_the_toolbar_and_the_preview_beside_its_textarea(world, strategy):
    s = write(section(strategy), world.users["chief_executive"], "Tekst")
    page = _client(world.users["chief_executive"]).get(reverse("section_edit", args=[s.pk]))
    html = page.content.decode()
    assert '<div class="markdown-tools mb-1" data-md-tools data-md-target="id_body" hidden>' in html
    for name in ("Heading", "Bold", "Italic", "Bulleted list", "Numbered list", "Link"):
        assert f'aria-label="{name}"' in html
    assert f'data-hx-post="{reverse("section_preview", args=[s.pk])}"' in html
    assert 'id="id_body-preview"' in html
