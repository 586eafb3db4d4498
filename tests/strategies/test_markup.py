"""Section text is Markdown shown as HTML that cannot run anything: HTML in the text comes
back as text, ``javascript:`` links are not links, and images are not loaded."""

import pytest
from django.urls import reverse

from cemsdi_portal.core.markup import render_markdown

from .. import factories as f
from .helpers import element, parse, section, start, write

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
HOSTILE = f"Før\n\n{SCRIPT}\n\n{IMAGE}\n\n{LINK}\n\nEtter"


def _harmless(markup: str) -> None:
    """No script tag, no event handler attribute, no javascript: address, in any tag."""
    for tag, attributes in parse(markup).tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "svg"}, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (
                tag,
                name,
                value,
            )


@pytest.mark.django_db
def test_hostile_section_text_comes_back_harmless_on_the_page(client, world):
    chief = world.users["chief_executive"]
    strategy = start(world, status="shared", user=chief)
    s = write(section(strategy), chief, HOSTILE)
    client.force_login(world.users["neighbour_chief_executive"])

    response = client.get(reverse("strategy_detail", args=[strategy.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    shown = element(page, f"s{s.pk}")
    _harmless(shown)
    assert s.title in element(shown, f"s{s.pk}-heading")
    # The English page marks the Norwegian text with its language.
    opening = f'<div class="strategy-text" lang="{strategy.language}">'
    assert strategy.language == "nb"
    text = shown[shown.index(opening) :]
    assert text.startswith(
        f"{opening}<p>Før</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
        "<p>[x](javascript:alert(1))</p>\n"
        "<p>Etter</p>\n</div>"
    )
    # Nowhere on the page, not only in the section.
    assert SCRIPT not in page
    assert IMAGE not in page
    assert 'href="javascript:' not in page.lower()


@pytest.mark.django_db
def test_hostile_text_is_shown_as_text_in_the_editor_and_the_history(client, world):
    chief = world.users["chief_executive"]
    strategy = start(world, user=chief)
    s = write(section(strategy), chief, HOSTILE)
    client.force_login(chief)
    for url in (reverse("section_edit", args=[s.pk]), reverse("section_history", args=[s.pk])):
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert IMAGE not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


@pytest.mark.django_db
def test_hostile_titles_and_comments_are_escaped(client, world):
    chief = world.users["chief_executive"]
    strategy = start(world, status="shared", user=chief)
    own = f.SectionFactory(strategy=strategy, title=SCRIPT, position=9)
    f.SectionCommentFactory(section=own, author=world.users["facilitator"], body=IMAGE)
    f.MeasureFactory(strategy=strategy, title=SCRIPT)
    client.force_login(chief)
    for name in ("strategy_detail", "action_plan", "action_plan_timeline"):
        page = client.get(reverse(name, args=[strategy.pk])).content.decode()
        assert SCRIPT not in page, name
        assert IMAGE not in page, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, name


@pytest.mark.parametrize(
    "text",
    [
        SCRIPT,
        IMAGE,
        LINK,
        "[x](JavaScript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<a href='javascript:alert(1)'>x</a>",
        '<svg onload="alert(1)">',
        "[x](&#106;avascript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_render_markdown_leaves_nothing_that_runs(text):
    _harmless(str(render_markdown(text)))


def test_render_markdown_shows_html_as_text():
    assert render_markdown(SCRIPT) == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    assert render_markdown(IMAGE) == "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"


def test_render_markdown_gives_links_a_rel():
    assert render_markdown("[KS](https://www.ks.no/)") == (
        '<p><a href="https://www.ks.no/" rel="noopener noreferrer nofollow">KS</a></p>\n'
    )


def test_render_markdown_renders_tables():
    assert render_markdown("| Tiltak | Frist |\n|---|--:|\n| Kurs | 2011 |") == (
        '<table>\n<thead>\n<tr>\n<th>Tiltak</th>\n<th align="right">Frist</th>\n</tr>\n'
        '</thead>\n<tbody>\n<tr>\n<td>Kurs</td>\n<td align="right">2011</td>\n</tr>\n'
        "</tbody>\n</table>\n"
    )


def test_render_markdown_puts_headings_under_the_section_heading():
    assert render_markdown("# En\n\n## To\n\n### Tre\n\n#### Fire\n\n###### Seks") == (
        "<h3>En</h3>\n<h4>To</h4>\n<h5>Tre</h5>\n<h6>Fire</h6>\n<h6>Seks</h6>\n"
    )


def test_render_markdown_does_not_load_images():
    html = str(render_markdown("![kart](https://example.org/kart.png)"))
    assert "<img" not in html
    assert html == (
        '<p>!<a href="https://example.org/kart.png" rel="noopener noreferrer nofollow">kart</a>'
        "</p>\n"
    )


def test_render_markdown_keeps_the_simple_markup():
    assert render_markdown("**fet** *kursiv* ~~borte~~ `kode`\n\n- en\n- to\n\n3. tre") == (
        "<p><strong>fet</strong> <em>kursiv</em> <s>borte</s> <code>kode</code></p>\n"
        "<ul>\n<li>en</li>\n<li>to</li>\n</ul>\n"
        '<ol start="3">\n<li>tre</li>\n</ol>\n'
    )


def test_render_markdown_of_nothing_is_empty():
    assert render_markdown("") == ""
