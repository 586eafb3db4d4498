"""Shared by the strategy tests: starting strategies as the service does, reading forms and
tags back out of a page, and a snapshot of every strategy row to prove that nothing changed."""

from datetime import date
from html.parser import HTMLParser

from django.test import Client

from strategies import services
from strategies.models import (
    BaselineFigure,
    Measure,
    Section,
    SectionComment,
    SectionPresence,
    SectionRevision,
    StatusChange,
    Strategy,
)

ADOPTED_ON = date(2011, 6, 14)
DECISION = "PS 45/11"


def signed_in_client(user) -> Client:
    """A test client of its own, signed in as ``user`` (for two people at once)."""
    client = Client()
    client.force_login(user)
    return client


def start(world, municipality=None, *, network=None, status="draft", user=None) -> Strategy:
    """A strategy started through the service (template sections, frozen baseline), moved to
    ``status`` the way people move it."""
    municipality = municipality or world.municipality
    network = network or world.network
    strategy = services.strategy_start(network=network, municipality=municipality, user=user)
    return move(strategy, status, user=user)


def move(strategy: Strategy, status: str, *, user=None) -> Strategy:
    if status in ("shared", "adopted") and strategy.status == "draft":
        strategy = services.strategy_set_status(strategy=strategy, status="shared", user=user)
    if status == "adopted":
        strategy = services.strategy_set_status(
            strategy=strategy,
            status="adopted",
            user=user,
            adopted_on=ADOPTED_ON,
            decision_reference=DECISION,
        )
    return strategy


def section(strategy: Strategy, kind=Section.Kind.CLEAR_STRATEGY) -> Section:
    return strategy.sections.get(kind=kind)


def write(section_: Section, user, body: str) -> Section:
    """Save a section as its editor would, on the version stored now."""
    section_.refresh_from_db()
    services.section_save(section=section_, user=user, body=body, base_version=section_.version)
    section_.refresh_from_db()
    return section_


def snapshot() -> dict:
    """Every row of the strategy tables, to compare before and after a refused request."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Strategy,
            StatusChange,
            Section,
            Section.dla_priorities.through,
            SectionRevision,
            SectionComment,
            SectionPresence,
            Measure,
            BaselineFigure,
        )
    }


class _Collector(HTMLParser):
    """Start tags with their attributes, and the text of every textarea and element by id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.textareas: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "textarea":
            self._textarea = attributes.get("name", "")
            self.textareas[self._textarea] = ""
        if tag == "input" and "name" in attributes:
            self.inputs[attributes["name"]] = attributes.get("value") or ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.textareas[self._textarea] += data


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def textarea(html: str, name: str = "body") -> str:
    """The text of a textarea as a browser shows it (the newline after the tag dropped)."""
    text = parse(html).textareas[name]
    return text[1:] if text.startswith("\n") else text


def input_value(html: str, name: str) -> str:
    return parse(html).inputs[name]


def element(html: str, element_id: str) -> str:
    """The markup of the element with this id, up to its matching end tag."""
    start = html.index(f'id="{element_id}"')
    open_at = html.rindex("<", 0, start)
    tag = html[open_at + 1 : html.index(" ", open_at)]
    depth, position = 0, open_at
    while True:
        next_open = html.find(f"<{tag}", position + 1)
        next_close = html.find(f"</{tag}>", position + 1)
        if next_open != -1 and next_open < next_close:
            depth, position = depth + 1, next_open
            continue
        if depth == 0:
            return html[open_at : next_close + len(f"</{tag}>")]
        depth, position = depth - 1, next_close
