"""Every user-facing string is translatable, and each catalogue (Norwegian Bokmål, Portuguese,
Spanish, Italian) translates all of it; English is the source language."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CATALOGUED = [code for code, _name in settings.LANGUAGES if code != "en"]


def _po(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def test_every_language_but_the_source_has_a_catalogue():
    assert CATALOGUED == ["nb", "pt", "es", "it"]
    assert all(_po(language).exists() for language in CATALOGUED)


@pytest.mark.parametrize("language", CATALOGUED)
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(_po(language)))
    assert catalogue.metadata["Language"] == language
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|\{[a-z_0-9]*\}")


@pytest.mark.parametrize("language", CATALOGUED)
def test_translations_keep_the_placeholders(language):
    """A translation that drops or renames %(name)s breaks the page that formats it."""
    wrong = []
    for entry in polib.pofile(str(_po(language))):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            # A singular may say "one" instead of %(count)s; the plural keeps every name.
            plural = sorted(PLACEHOLDER.findall(entry.msgid_plural))
            forms = entry.msgstr_plural.values()
            if (
                any(not set(PLACEHOLDER.findall(f)) <= set(plural) for f in forms)
                or sorted(PLACEHOLDER.findall(entry.msgstr_plural.get(1, ""))) != plural
            ):
                wrong.append(entry.msgid)
        elif sorted(PLACEHOLDER.findall(entry.msgstr)) != wanted:
            wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("language", CATALOGUED)
def test_compiled_catalogue_matches_the_source(language):
    po = _po(language)
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(po))}
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(po.with_suffix(".mo")))
    }
    assert compiled == source, f"run `make messages` to compile {po.with_suffix('.mo')}"


def test_catalogues_hold_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the code; none may be missing from any .po."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: cannot extract strings")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "static", "__pycache__"),
    )
    locales = [arg for language in CATALOGUED for arg in ("--locale", language)]
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "makemessages", *locales, "--no-obsolete"],
        cwd=copy,
        env={
            "DEBUG": "true",
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "cemsdi_portal.settings",
        },
        check=True,
        capture_output=True,
    )
    missing = {
        language: [
            e.msgid
            for e in polib.pofile(
                str(copy / "locale" / language / "LC_MESSAGES" / "django.po")
            ).untranslated_entries()
        ]
        for language in CATALOGUED
    }
    assert missing == {language: [] for language in CATALOGUED}, "run `make messages`"
