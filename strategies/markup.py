"""Strategy text is written in Markdown and shown as HTML that cannot run anything.

Two locks, each enough on its own: markdown-it-py renders with raw HTML off (any HTML in the
text comes out as text) and refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:``
links; nh3 (the Rust ammonia sanitiser) then keeps only the tags and URL schemes listed here.
Images are not part of the markup: a picture from another server would leak who reads the
strategy, and the PDF renderer must fetch nothing that the project did not ship.
"""

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


def _demote_headings(html: str) -> str:
    """Headings in a section sit under the section's own heading (h2)."""
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>")
        html = html.replace(f"</h{level}>", f"</h{level + 2}>")
    return html


def render_markdown(text: str) -> SafeString:
    """The section's text as safe HTML."""
    if not text:
        return mark_safe("")
    html = _demote_headings(_parser().render(text))
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 with the allow-lists above
