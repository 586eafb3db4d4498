"""Reading a page back for the language of its parts: which element holds a text, and which
``lang`` it is read in (the nearest element with one, inside ``<body>``)."""

from dataclasses import dataclass
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Found:
    tag: str  # the element whose own text holds the words
    own_lang: str | None  # its own lang attribute
    lang: str | None  # the language it is read in: the nearest lang below <html>, or None
    marked_by: str | None  # the tag that carries that lang


class _Texts(HTMLParser):
    def __init__(self, needle: str):
        super().__init__(convert_charrefs=True)
        self.needle = needle
        self.stack: list[tuple[str, dict]] = []
        self.found: list[Found] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.needle not in data or not self.stack:
            return
        tag, attrs = self.stack[-1]
        lang = marked_by = None
        for outer_tag, outer_attrs in reversed(self.stack):
            if outer_tag == "html":
                break
            if "lang" in outer_attrs:
                lang, marked_by = outer_attrs["lang"], outer_tag
                break
        self.found.append(Found(tag, attrs.get("lang"), lang, marked_by))


def texts(html: str, needle: str) -> list[Found]:
    """Every place ``needle`` stands in the page's text (attributes aside)."""
    parser = _Texts(needle)
    parser.feed(html)
    parser.close()
    assert parser.found, f"{needle!r} is not in the page"
    return parser.found


def page_lang(html: str) -> str:
    start = html.index("<html")
    tag = html[start : html.index(">", start)]
    return tag.split('lang="', 1)[1].split('"', 1)[0]
