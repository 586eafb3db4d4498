"""User text written in Markdown (a strategy's sections, a gathering's summary) shown as HTML
that cannot run anything. It lives on the bottom floor so that every app renders through the
same cleaner; the editors' preview (``preview_response``) renders through it too.

Two locks, each enough on its own: markdown-it-py renders with raw HTML off (any HTML in the
text comes out as text) and refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:``
links; nh3 (the Rust ammonia sanitiser) then keeps only the tags and URL schemes listed here.
Images are not part of the markup: a picture from another server would leak who reads the
text, and the PDF renderer must fetch nothing that the project did not ship.

Headings sit under the heading of the part the text is shown in (an h2 on every page that shows
such text): ``#`` is an h3.
"""

import re
from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "strong", "em", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False})
    parser.enable(["table", "strikethrough"])
    parser.disable("image")
    return parser


_HEADING = re.compile(r"<(/?)h([1-6])>")
_ALIGN = re.compile(r' style="text-align:(left|center|right)"')


def _demote_headings(html: str) -> str:
    """Headings in a text sit under its part's own heading (h2): every level moves down
    two (# is h3, ## h4, ### h5), keeping their order, and h6 is the floor. (Raw HTML is off,
    so every ``<hN>`` in the output is markdown-it's own.)"""
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)


def _align_cells(html: str) -> str:
    """markdown-it aligns table cells with a style attribute, which the sanitiser drops; the
    ``align`` attribute says the same and is allowed."""
    return _ALIGN.sub(r' align="\1"', html)


def render_markdown(text: str) -> SafeString:
    """The text as safe HTML."""
    if not text:
        return mark_safe("")
    html = _align_cells(_demote_headings(_parser().render(text)))
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 with the allow-lists above
