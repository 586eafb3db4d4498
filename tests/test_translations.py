"""Every user-facing string is translatable, and the Norwegian catalogue translates all of it."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "nb" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_norwegian_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(PO))}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    assert compiled == source, "run `make messages` to compile locale/nb/LC_MESSAGES/django.mo"


def test_catalogue_holds_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the code; none may be missing from the .po."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: cannot extract strings")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "static", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "nb", "--no-obsolete"],
        cwd=copy,
        env={
            "DEBUG": "true",
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "cemsdi_portal.settings",
        },
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries()]
    assert missing == [], "strings not in the Norwegian catalogue; run `make messages`"
