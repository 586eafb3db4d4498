"""The one rule for text kept per language in the database (core/i18n.py): the reader's
column, else English, else another language's, else the default; in Python and in SQL alike."""

import pytest
from django.utils import translation

from benchmarking.models import Indicator
from cemsdi_portal.core import i18n
from tests import factories as f

pytestmark = pytest.mark.django_db

NAMES = {"en": "Population", "nb": "Folketall", "pt": "População", "es": "", "it": ""}


def _indicator(**names):
    return f.IndicatorFactory(**{f"name_{code}": text for code, text in names.items()})


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "Population"), ("nb", "Folketall"), ("pt", "População"), ("es", "Population")],
)
def test_the_readers_column_else_english(language, shown):
    indicator = _indicator(**NAMES)
    with translation.override(language):
        assert i18n.in_language(indicator, "name") == shown
        assert indicator.name == shown


def test_without_english_another_language_then_the_default():
    indicator = _indicator(en="", nb="Folketall", pt="", es="", it="")
    with translation.override("it"):
        assert indicator.name == "Folketall"  # nb comes first among the others
    blank = _indicator(en="", nb="", pt="", es="", it="")
    with translation.override("pt"):
        assert blank.name == blank.code
        assert i18n.in_language(blank, "name") == ""


def test_a_regional_variant_reads_its_language():
    indicator = _indicator(**NAMES)
    with translation.override("pt-br"):
        assert i18n.active_language() == "pt"
        assert indicator.name == "População"


@pytest.mark.parametrize("language", ["en", "nb", "pt", "es", "it"])
def test_the_sql_expression_picks_what_python_picks_in_one_query(
    language, django_assert_num_queries
):
    picked = [_indicator(**NAMES), _indicator(en="", nb="Areal", pt="", es="", it="")]
    picked.append(_indicator(en="", nb="", pt="", es="", it="Superficie"))
    with translation.override(language):
        expected = {i.pk: i18n.in_language(i, "name") for i in picked}
        with django_assert_num_queries(1):
            rows = dict(
                Indicator.objects.filter(pk__in=[i.pk for i in picked])
                .annotate(shown=i18n.in_language_sql("name"))
                .values_list("pk", "shown")
            )
    assert rows == expected


def test_fill_blanks_keeps_what_is_written():
    indicator = _indicator(en="Population", nb="", pt="Habitantes", es="", it="")
    filled = i18n.fill_blanks(indicator, "name", {"nb": "Folketall", "pt": "População"})
    assert filled == ["name_nb"]
    assert (indicator.name_nb, indicator.name_pt) == ("Folketall", "Habitantes")
    assert i18n.fill_blanks(indicator, "name", {"xx": "no such column"}) == []
