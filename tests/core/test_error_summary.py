"""After a refused form, a box at the top says "There is a problem" and links each error to its
field (templates/includes/error_summary.html, js/forms.js focuses it)."""

import re
from html.parser import HTMLParser

from django.urls import reverse

from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem
from strategies.models import Section
from tests.strategies.helpers import start


class _Summary(HTMLParser):
    """The error summary's attributes, and its items as (link target or None, text)."""

    def __init__(self):
        super().__init__()
        self.attrs, self.items, self._depth, self._href = None, [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.attrs is None and "data-error-summary" in attrs:
            self.attrs, self._depth = attrs, 1
            return
        if self._depth:
            self._depth += tag != "br"
            if tag == "li":
                self.items.append([None, ""])
            if tag == "a" and self.items:
                self.items[-1][0] = attrs["href"]

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth and self.items:
            self.items[-1][1] += data


def summary_of(html: str):
    parser = _Summary()
    parser.feed(html)
    items = [(href, " ".join(text.split())) for href, text in parser.items]
    return parser.attrs, items


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_refused_sign_in_shows_the_summary_with_the_form_error(client, world):
    response = client.post(reverse("login"), {"username": "facilitator", "password": "wrong"})

    html = response.content.decode()
    attrs, items = summary_of(html)
    assert attrs["role"] == "alert"
    assert attrs["tabindex"] == "-1"
    assert '<h2 class="h5" id="error-summary-heading">There is a problem</h2>' in html
    assert items == [
        (
            None,
            "Please enter a correct username and password. Note that both fields may be "
            "case-sensitive.",
        )
    ]


def test_refused_section_links_its_error_to_the_field(client, world):
    strategy = start(world, user=world.users["chief_executive"])
    client.force_login(world.users["chief_executive"])
    before = Section.objects.count()

    response = client.post(reverse("section_add", args=[strategy.pk]), {"title": ""})

    html = response.content.decode()
    _, items = summary_of(html)
    assert items == [("#id_title", "Title of the new section: This field is required.")]
    assert "id_title" in _ids(html)  # the link leads somewhere
    assert Section.objects.count() == before


def test_refused_agenda_item_in_place_lists_each_field(client, world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    gathering = sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]
    client.force_login(world.users["facilitator"])
    before = AgendaItem.objects.filter(gathering=gathering).count()

    response = client.post(
        reverse("agenda_item_add", args=[gathering.pk]),
        {"title": "", "kind": "lecture", "duration_minutes": "", "speaker": ""},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    _, items = summary_of(html)
    assert items == [
        ("#id_title", "Title: This field is required."),
        ("#id_duration_minutes", "Minutes: This field is required."),
    ]
    assert {"id_title", "id_duration_minutes"} <= _ids(html)
    assert AgendaItem.objects.filter(gathering=gathering).count() == before


def test_no_summary_before_a_form_is_sent(client, world):
    strategy = start(world, user=world.users["chief_executive"])
    client.force_login(world.users["chief_executive"])

    html = client.get(reverse("section_add", args=[strategy.pk])).content.decode()

    assert summary_of(html) == (None, [])
    assert "There is a problem" not in html


def test_every_form_page_loads_the_script_that_focuses_the_summary(client, world):
    html = client.get(reverse("login")).content.decode()
    assert '<script src="/static/js/forms.js"></script>' in html
