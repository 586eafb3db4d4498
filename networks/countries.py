"""What differs by country: its time zone, its portal language, the titles of its municipal
leaders, its name in the reader's language, and what its municipal strategy is called (Norway's
eKommune strategy, elsewhere a digital municipality strategy: ``for_country``).

The settings live on :class:`~networks.models.Country` (an administrator adapts them in the
Django admin; migration 0009 seeds the programme's countries). The names are a fixed table
here, through gettext, because ``Country.name`` is stored once, in English.
"""

from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The countries' names in the reader's language, by ISO code (the pilots and their neighbours).
NAMES = {
    "NO": _("Norway"),
    "PT": _("Portugal"),
    "ES": _("Spain"),
    "IT": _("Italy"),
    "GB": _("United Kingdom"),
    "SE": _("Sweden"),
    "FI": _("Finland"),
}


def country_name(country) -> str:
    """The country's name in the active language, or its stored name when we have none."""
    if country is None:
        return ""
    name = NAMES.get((country.code or "").upper())
    return str(name) if name is not None else country.name


def validate_time_zone(value: str) -> None:
    if value and value not in available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone of the IANA database (such as Europe/Lisbon)."),
            params={"value": value},
        )


def zone_of(country) -> ZoneInfo:
    """The country's time zone, or the portal's (``settings.TIME_ZONE``) when it has none."""
    key = getattr(country, "time_zone", "") or settings.TIME_ZONE
    try:
        return ZoneInfo(key)
    except (ValueError, LookupError):  # an invalid name typed in past validation
        return timezone.get_default_timezone()


def network_zone(network) -> ZoneInfo:
    """The time zone of the network's country: its gatherings' times are read and typed in it.
    Pass the network with ``region__country`` (select_related) to spare a query."""
    return zone_of(network.region.country)


def role_title(kind: str, country) -> str:
    """A municipal role as a reader meets it: its label in the active language, and beside it
    the country's own title where that differs ("Chief executive (rådmann)")."""
    from .models import Role  # models import this module

    label = str(Role.Kind(kind).label)
    own = ""
    if country is not None:
        own = {
            Role.Kind.CHIEF_EXECUTIVE: country.chief_executive_title,
            Role.Kind.MAYOR: country.mayor_title,
        }.get(kind, "")
    if not own or own.casefold() == label.casefold():
        return label
    return gettext("%(role)s (%(title)s)") % {"role": label, "title": own}


def use_network_zone(network) -> ZoneInfo:
    """Show and read times in the network's zone for the rest of the request (the
    ``ZoneMiddleware`` ends it). The network- and gathering-scoped lookups for views call this
    (``networks.access``, ``sessions_app.access``): the one place a page's zone is chosen."""
    zone = network_zone(network)
    timezone.activate(zone)
    return zone


class ZoneMiddleware:
    """Each request starts in the portal's zone, and a zone a view activated ends with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with timezone.override(None):
            return self.get_response(request)


def is_ekommune_country(country) -> bool:
    """Norway's municipal strategies are eKommune strategies (its national programme's name);
    another country's are digital municipality strategies. None: the seed's, Norway's."""
    return country is None or (country.code or "").upper() == "NO"


def for_country(country, *, norway, elsewhere):
    """``norway``'s wording for Norway, ``elsewhere``'s for any other country."""
    return norway if is_ekommune_country(country) else elsewhere
