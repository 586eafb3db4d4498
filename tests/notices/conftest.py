"""Fixtures the notice tests share.

``norwegian``: the Norwegian wording of the notices, from ``nb.json`` beside this file (the
strings this branch adds, handed to the project catalogue by the lead; see README), compiled
into a catalogue placed after the project's own, so that the project's translations win once
they hold these strings too.
"""

import json
from pathlib import Path

import polib
import pytest

from networks.models import Role
from strategies import services as strategy_services
from tests import factories as f
from tests.strategies.helpers import start

HERE = Path(__file__).resolve().parent


@pytest.fixture
def norwegian(settings, tmp_path):
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for msgid, msgstr in json.loads((HERE / "nb.json").read_text()).items():
        if isinstance(msgstr, list):
            catalogue.append(
                polib.POEntry(
                    msgid=msgid,
                    msgid_plural=msgid.replace("one notice", "%(counter)s notices"),
                    msgstr_plural={0: msgstr[0], 1: msgstr[1]},
                )
            )
        else:
            catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    folder = tmp_path / "locale" / "nb" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path / "locale"]


@pytest.fixture
def shared(world):
    """Alta's strategy, shared with the network by its chief executive; Alta's staff too."""
    strategy = start(world, status="shared", user=world.users["chief_executive"])
    world.strategy = strategy
    world.section = strategy.sections.order_by("position").first()
    return world


def comment(world, who="facilitator", body="Name an owner for each goal.", parent=None):
    return strategy_services.section_comment(
        section=world.section, user=world.users[who], body=body, parent=parent
    )


def staff_elsewhere(world):
    """Alta's staff whose role was given through the other network's invitation: it speaks
    for Alta there only."""
    return f.municipal(
        Role.Kind.MUNICIPAL_STAFF, world.municipality, granted_in=world.other_network
    )
