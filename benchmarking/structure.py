"""Structural key figures: what a municipality is like rather than how it performs, the
figures the similar municipalities are found by (similar.py). No pandas here: the tasks and
the pages that only name these figures load this module.

The register's own figures (population, area, and the density computed from them) are key
figures like any other, under the codes of ``REGISTER_INDICATORS``; ``services.
register_keyfigures_write`` stores them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Indicator

CATEGORY = "structure"  # a key of categories.LABELS


@dataclass(frozen=True)
class RegisterIndicator:
    code: str
    names: dict[str, str]  # the portal's own name in each of its languages
    unit: str
    decimals: int


POPULATION = RegisterIndicator(
    "REG-population",
    {"en": "Population", "nb": "Folketall", "pt": "População", "es": "Población",
     "it": "Popolazione"},
    "inhabitants",
    0,
)  # fmt: skip
AREA = RegisterIndicator(
    "REG-area",
    {"en": "Area", "nb": "Areal", "pt": "Área", "es": "Superficie", "it": "Superficie"},
    "km²",
    1,
)
DENSITY = RegisterIndicator(
    "REG-density",
    {"en": "Population density", "nb": "Befolkningstetthet", "pt": "Densidade populacional",
     "es": "Densidad de población", "it": "Densità di popolazione"},
    "inhabitants per km²",
    1,
)  # fmt: skip
REGISTER_INDICATORS = [POPULATION, AREA, DENSITY]


@dataclass(frozen=True)
class Variable:
    code: str
    log: bool = False
    weight: float = 1.0

    @property
    def label(self) -> str:
        """How the page names the variable's treatment."""
        if self.log:
            return str(_("logarithm, weight %(weight)s")) % {"weight": f"{self.weight:g}"}
        return str(_("weight %(weight)s")) % {"weight": f"{self.weight:g}"}


def parse_variable(text: str) -> Variable:
    """``"log:REG-population*2"``: the code, whether its logarithm counts, and its weight."""
    text = text.strip()
    log = text.startswith("log:")
    if log:
        text = text[4:]
    code, _sep, weight = text.partition("*")
    return Variable(code=code.strip(), log=log, weight=float(weight) if weight else 1.0)


def configured_variables() -> list[Variable]:
    return [parse_variable(v) for v in settings.SIMILAR_MUNICIPALITIES_VARIABLES if v.strip()]


def structural_codes() -> set[str]:
    return {v.code for v in configured_variables()}


def structural_indicator_ids(indicator_ids) -> list[int]:
    """Those of these indicators the similar municipalities are computed from (one query)."""
    return list(
        Indicator.objects.filter(
            pk__in=list(indicator_ids), code__in=structural_codes()
        ).values_list("pk", flat=True)
    )
