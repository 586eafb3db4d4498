"""Days a gathering should not be on: the public holidays of the network's country (and of its
part where they differ: a Spanish network's comunidad autónoma, England in the United Kingdom),
from the maintained ``holidays`` package (not a list of our own), and its summer holiday weeks,
from the small table below. The scheduling proposal avoids them; a date typed on one is warned
about.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import holidays
from django.utils.translation import gettext as _

# The summer holiday weeks (ISO week numbers) by the country's ISO code, where we have a source.
# Norway: July, weeks 27 to 31. The fellesferie (weeks 28 to 30) is its core, but municipal
# staff take their three main-holiday weeks around it (the Holidays Act lets them ask for them
# in June to September), and a facilitator found a gathering on 7 July (week 27) a bad
# proposal; this is our judgement of when a network's leaders are away, not an official list.
# For Portugal, Spain, Italy and England there is no source at hand for fixed weeks, so only
# their public holidays count.
SUMMER_WEEKS: dict[str, tuple[int, ...]] = {
    "NO": (27, 28, 29, 30, 31),
}

# The part of a country whose holidays count, where they differ by part: the CEMSDI pilot in
# the United Kingdom was in England.
SUBDIVISIONS: dict[str, str] = {"GB": "ENG"}

# Spain's holidays differ by comunidad autónoma. A Spanish region in the register is a
# province (INE's two-digit code, the first two digits of its municipalities' codes); these
# are the comunidades of INE's 52 provinces, as the ``holidays`` package names them (ISO
# 3166-2:ES). A region whose code is a comunidad's own (AN, ES-AN) counts as that one; any
# other Spanish region gets the national holidays only.
ES_PROVINCE_COMMUNITY: dict[str, str] = {
    **dict.fromkeys(("04", "11", "14", "18", "21", "23", "29", "41"), "AN"),
    **dict.fromkeys(("22", "44", "50"), "AR"),
    "33": "AS",
    "39": "CB",
    "51": "CE",
    **dict.fromkeys(("05", "09", "24", "34", "37", "40", "42", "47", "49"), "CL"),
    **dict.fromkeys(("02", "13", "16", "19", "45"), "CM"),
    **dict.fromkeys(("35", "38"), "CN"),
    **dict.fromkeys(("08", "17", "25", "43"), "CT"),
    **dict.fromkeys(("06", "10"), "EX"),
    **dict.fromkeys(("15", "27", "32", "36"), "GA"),
    "07": "IB",
    "30": "MC",
    "28": "MD",
    "52": "ML",
    "31": "NC",
    **dict.fromkeys(("01", "20", "48"), "PV"),
    "26": "RI",
    **dict.fromkeys(("03", "12", "46"), "VC"),
}


def subdivision_of(country_code: str, region_code: str | None) -> str | None:
    """The ``holidays`` subdivision whose days count for a network in this region, or None
    for the country's national holidays."""
    if country_code == "ES" and region_code:
        code = region_code.upper().removeprefix("ES-")
        if code in ES_PROVINCE_COMMUNITY.values():
            return code
        return ES_PROVINCE_COMMUNITY.get(region_code.zfill(2))
    return SUBDIVISIONS.get(country_code)


def _holiday_language(supported: tuple[str, ...], language: str | None) -> str | None:
    """The ``holidays`` language closest to ``language`` (Django's code; nb is its "no"), or
    None for the country's own."""
    active = (language or "en").lower()
    wanted = {"nb": "no", "nn": "no"}.get(active.split("-")[0], active.split("-")[0])
    for code in supported:
        if code.lower().replace("_", "-") == active:
            return code
    for preferred in ("en_GB", "en_US") if wanted == "en" else ():
        if preferred in supported:
            return preferred
    return next((code for code in supported if code.split("_")[0] == wanted), None)


@dataclass
class DaysOff:
    """The days off of one country (its ISO code and name) or of its ``subdivision``; holidays
    are named in ``language`` (a Django language code: the reader's), the phrases around them
    in the active language."""

    country_code: str
    country_name: str
    language: str | None = None
    subdivision: str | None = None  # the part whose holidays count (``subdivision_of``)

    @classmethod
    def of_network(cls, network, *, language: str | None) -> "DaysOff":
        """The days off where the network meets: its country's, and its region's where the
        package knows them (Spain's comunidades, England in the United Kingdom)."""
        country = network.region.country
        code = country.code.upper()
        return cls(
            country_code=code,
            country_name=country.display_name,
            language=language,
            subdivision=subdivision_of(code, network.region.code),
        )

    def __post_init__(self):
        if self.subdivision is None:
            self.subdivision = SUBDIVISIONS.get(self.country_code)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase | dict:
        try:
            calendar = holidays.country_holidays(self.country_code, subdiv=self.subdivision)
        except NotImplementedError:
            return {}  # a country (or part) the package does not know: no holidays
        language = _holiday_language(tuple(calendar.supported_languages), self.language)
        return holidays.country_holidays(
            self.country_code, subdiv=self.subdivision, language=language
        )

    @property
    def summer_weeks(self) -> tuple[int, ...]:
        return SUMMER_WEEKS.get(self.country_code, ())

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on ``day``, or None."""
        return self._holidays.get(day)

    def reason(self, day: date) -> str | None:
        """Why ``day`` is off, as a phrase after "… is" ("a public holiday in Norway
        (Constitution Day)"), or None when it is a working day there (weekends aside)."""
        name = self.holiday(day)
        if name:
            return _("a public holiday in %(country)s (%(holiday)s)") % {
                "country": self.country_name,
                "holiday": name,
            }
        weeks = self.summer_weeks
        if weeks and day.isocalendar().week in weeks:
            return _("in the summer holiday weeks in %(country)s (weeks %(first)d–%(last)d)") % {
                "country": self.country_name,
                "first": weeks[0],
                "last": weeks[-1],
            }
        return None

    def is_off(self, day: date) -> bool:
        return self.holiday(day) is not None or day.isocalendar().week in self.summer_weeks
