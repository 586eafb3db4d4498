"""Days a gathering should not be on: the public holidays of the network's country, from the
maintained ``holidays`` package (not a list of our own), and its summer holiday weeks, from the
small table below. The scheduling proposal avoids them; a date typed on one is warned about.
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
    """The days off of one country (its ISO code and name); holidays are named in
    ``language`` (a Django language code: the reader's), the phrases around them in the
    active language."""

    country_code: str
    country_name: str
    language: str | None = None

    @classmethod
    def of_network(cls, network, *, language: str | None) -> "DaysOff":
        country = network.region.country
        return cls(country_code=country.code.upper(), country_name=country.name, language=language)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase | dict:
        try:
            calendar = holidays.country_holidays(
                self.country_code, subdiv=SUBDIVISIONS.get(self.country_code)
            )
        except NotImplementedError:
            return {}  # a country the package does not know: no holidays
        language = _holiday_language(tuple(calendar.supported_languages), self.language)
        return holidays.country_holidays(
            self.country_code, subdiv=SUBDIVISIONS.get(self.country_code), language=language
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
