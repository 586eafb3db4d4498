"""What differs by country, in templates: ``{% load countries %}``.

``{% timezone network|network_zone %}…{% endtimezone %}`` shows a list of several networks'
gatherings each in its own country's zone; ``{{ role|role_title }}`` names a municipal role as
the country calls it ("Chief executive (rådmann)"); ``country|is_ekommune`` chooses
Norway's wording of the strategy."""

from django import template

from networks import countries

register = template.Library()


@register.filter
def network_zone(network):
    """The network's time zone (pass it with ``region__country`` to spare a query)."""
    return countries.network_zone(network)


@register.filter
def role_title(holder) -> str:
    """The role of a Role, an Invitation or an invitee (``role_kind``), with its
    municipality's country's own title; pass them with ``municipality__country``."""
    kind = getattr(holder, "role_kind", None) or holder.kind
    municipality = getattr(holder, "municipality", None)
    return countries.role_title(kind, municipality.country if municipality is not None else None)


@register.filter
def is_ekommune(country) -> bool:
    """Norway's strategies are eKommune strategies; others' digital municipality ones."""
    return countries.is_ekommune_country(country)
