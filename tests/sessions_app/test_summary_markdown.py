"""A gathering's summary is Markdown: rendered safe on the gathering's page (no raw HTML gets
through), with a preview from the server for those who run the gathering."""

import pytest
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry
from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.models import Gathering
from tests.strategies.helpers import parse

pytestmark = pytest.mark.django_db

SUMMARY = (
    "# Hva vi gjorde\n\n"
    "- **Nøkkeltall** for alle\n- *Arbeid* i grupper\n\n"
    "<script>alert(1)</script>\n\n"
    '<img src=x onerror="alert(1)">\n\n'
    "[KS](https://www.ks.no/) og [lure](javascript:alert(1))"
)
RENDERED = (
    "<h3>Hva vi gjorde</h3>\n"
    "<ul>\n<li><strong>Nøkkeltall</strong> for alle</li>\n<li><em>Arbeid</em> i grupper</li>\n"
    "</ul>\n"
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    '<p>&lt;img src=x onerror="alert(1)"&gt;</p>\n'
    '<p><a href="https://www.ks.no/" rel="noopener noreferrer nofollow">KS</a> og '
    "[lure](javascript:alert(1))</p>\n"
)


@pytest.fixture
def gathering(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    return services.gathering_schedule(network=world.network, drafts=drafts)[0]


def test_summary_shows_as_rendered_markdown_and_no_raw_html(client, world, gathering):
    client.force_login(world.users["facilitator"])
    response = client.post(reverse("gathering_summary", args=[gathering.pk]), {"summary": SUMMARY})
    assert response.status_code == 302
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    language = gathering.network.language  # the summary's language, marked in an English page
    assert language != "en"
    assert (
        f'<div class="border-start border-3 ps-3 summary-text" lang="{language}">{RENDERED}</div>'
        in page
    )
    tags = parse(page).tags
    assert not [(tag, attrs) for tag, attrs in tags if tag == "img" or "onerror" in attrs]
    assert not [attrs for _tag, attrs in tags if (attrs.get("href") or "").startswith("javas")]
    assert [attrs.get("src") for tag, attrs in tags if tag == "script"] == [
        "/static/vendor/bootstrap/bootstrap.bundle.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/portal.js",
        "/static/js/keep-text.js",
        "/static/js/markdown-tools.js",
        "/static/js/forms.js",
    ]  # the portal's own scripts only


def test_summary_preview_renders_without_saving(client, world, gathering):
    client.force_login(world.users["facilitator"])
    entries = AuditEntry.objects.count()
    response = client.post(
        reverse("gathering_summary_preview", args=[gathering.pk]),
        {"summary": SUMMARY},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode() == RENDERED + "\n"
    stored = Gathering.objects.get(pk=gathering.pk)
    assert (stored.summary, stored.summary_published_at) == ("", None)
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_facilitator", 404),
        ("other_chief_executive", 404),
        ("chief_executive", 403),  # sees the gathering, does not write its summary
        ("project_officer", 403),
    ],
)
def test_summary_preview_is_for_those_who_run_the_gathering(client, world, gathering, role, status):
    client.force_login(world.users[role])
    url = reverse("gathering_summary_preview", args=[gathering.pk])
    assert client.post(url, {"summary": SUMMARY}).status_code == status


def test_summary_preview_asks_a_signed_out_visitor_to_sign_in(client, gathering):
    url = reverse("gathering_summary_preview", args=[gathering.pk])
    response = client.post(url, {"summary": SUMMARY})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_summary_editor_has_the_toolbar_and_the_preview(client, world, gathering):
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("gathering_summary", args=[gathering.pk])).content.decode()
    assert 'data-md-target="id_summary"' in page
    assert f'data-hx-post="{reverse("gathering_summary_preview", args=[gathering.pk])}"' in page
    assert 'id="id_summary-preview"' in page
    assert "Markdown: **bold**" in page
