"""Template tags of the reports: the buttons that ask for a report from its subject's page."""

from django import template

from ..models import ReportRequest

register = template.Library()


@register.inclusion_tag("reports/_request_button.html", takes_context=True)
def request_report_button(
    context,
    kind,
    label,
    programme=None,
    network=None,
    municipality=None,
    primary=False,
    periods=(),
):
    """A small form that asks for a report of ``kind`` about the given subject (a programme
    review report for one of ``periods``, or as of today)."""
    return {
        "periods": periods,
        "csrf_token": context.get("csrf_token"),
        "kind": kind,
        "label": label,
        "programme": programme,
        "network": network,
        "municipality": municipality,
        "primary": primary,
    }


@register.inclusion_tag("reports/_municipality_reports.html", takes_context=True)
def municipality_reports(context, municipality, networks):
    """On a municipality's page: its position in key figures (against each network it is in,
    or the country), and its strategy and action plan in each network where the user may
    read it. One query."""
    from strategies.rules import strategies_visible_to

    user = context["user"]
    readable = set(
        strategies_visible_to(user)
        .filter(municipality=municipality, network__in=[n.pk for n in networks])
        .values_list("network_id", flat=True)
    )
    return {
        "csrf_token": context.get("csrf_token"),
        "municipality": municipality,
        "networks": networks,
        "readable": readable,
        "kinds": ReportRequest.Kind,
    }


@register.filter
def narrative_of(narrative, network):
    """``{% with entries=narrative|narrative_of:chapter.network %}``: the network's sections of
    the report's narrative, in their order (none without a narrative)."""
    return narrative.for_network(network) if narrative is not None else []


@register.inclusion_tag("reports/_narrative_links.html", takes_context=True)
def narrative_links(context, network):
    """On a network's page, for those who write its narrative (its facilitators and
    administrators): the review workspace of each reporting period. One query."""
    from networks.rules import facilitates_network, is_administrator

    from ..models import ReportingPeriod

    user = context["user"]
    writes = is_administrator.test(user) or facilitates_network.test(user, network)
    periods = (
        list(ReportingPeriod.objects.filter(programme_id=network.programme_id)) if writes else []
    )
    return {"network": network, "periods": periods}
