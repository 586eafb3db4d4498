"""Key figures: a municipality's position ("where we stand"), a network's table, and both as
CSV and Excel downloads. An indicator's ranking with "learn from the best" spans apps and is
the hub's (hub/views.py); what the pages show of each line is built in ``benchmarking.pages``.

The views parse the query string, ask networks/rules.py what the user may see, call one
selector, and turn its numbers into text and charts for the template. pandas is loaded by the
selectors that compute (benchmarking/selectors.py), not at start-up: other pages do not load it
(tests/benchmarking/test_lazy_pandas.py).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from networks.access import municipality_or_404, network_or_404
from networks.models import Network, Programme
from networks.rules import networks_visible_to

from .. import exports, pages
from ..cache import cached
from ..forms import year_asked
from ..models import SimilarMunicipality
from ..rules import comparison_sets_of

# --- A municipality's position ---------------------------------------------------------------


@dataclass
class PositionRequest:
    municipality: object
    comparison: object  # selectors.Comparison
    network: object  # the network compared with, if any
    year: int | None  # the year asked for
    compare: str  # the chosen comparison: "network-<pk>", "country", "peer_group",
    # "similar", "set-<pk>" (one of the person's own sets) or "programme-<pk>"
    compared_with: str  # the comparison set in words
    choices: list[pages.Choice] = field(default_factory=list)
    comparison_set: object = None  # the person's own set compared with, if any
    programme: object = None  # the programme compared with, if any
    refused: str = ""  # why the comparison asked for is not the one shown

    @property
    def latest(self) -> bool:
        """No year asked (or "latest"): each figure in its own latest year."""
        return self.year is None

    def page(self):
        """The position itself (``selectors.PositionPage``): the work of the page."""
        from .. import selectors

        return selectors.municipality_position(
            municipality=self.municipality,
            comparison=self.comparison,
            network=self.network,
            year=self.year,
            comparison_set=self.comparison_set,
            latest=self.latest,
            programme=self.programme,
        )

    @property
    def cache_part(self) -> str:
        """What the cached table depends on beyond the key figures: a set's last change."""
        if self.comparison_set is None:
            return ""
        return self.comparison_set.updated_at.isoformat()


def _position(request, pk) -> PositionRequest:
    """The municipality the user may see, and the comparison the query string asks for."""
    from .. import selectors

    municipality = municipality_or_404(request, pk)
    networks = list(
        networks_visible_to(request.user)
        .filter(memberships__municipality=municipality)
        .order_by("planned_start", "name")
    )
    wanted = request.GET.get("compare", "")
    by_key = {f"network-{n.pk}": n for n in networks}
    own_sets = {f"set-{s.pk}": s for s in comparison_sets_of(request.user).order_by("name")}
    # The programmes of the municipality's running or finished networks (whoever may see its
    # key figures may compare it with the programme: the page shows the set's figures only).
    programmes = {
        f"programme-{p.pk}": p
        for p in Programme.objects.filter(
            networks__memberships__municipality=municipality,
            networks__state__in=Network.COUNTED_STATES,
        )
        .distinct()
        .order_by("acronym")
    }
    similar_count = SimilarMunicipality.objects.filter(municipality=municipality).count()
    has_similar = similar_count > 0
    network, comparison_set = by_key.get(wanted), own_sets.get(wanted)
    programme = programmes.get(wanted)
    if network is not None:
        comparison, compare = selectors.Comparison.NETWORK, wanted
    elif programme is not None:
        comparison, compare = selectors.Comparison.PROGRAMME, wanted
    elif comparison_set is not None:
        comparison, compare = selectors.Comparison.SAVED_SET, wanted
    elif wanted == "similar" and has_similar:
        comparison, compare = selectors.Comparison.SIMILAR, wanted
    elif wanted == "peer_group" and municipality.peer_group_id:
        comparison, compare = selectors.Comparison.PEER_GROUP, wanted
    elif wanted == "country" or not networks:
        comparison, compare = selectors.Comparison.COUNTRY, "country"
    else:  # the first network the municipality is in
        network = networks[0]
        comparison, compare = selectors.Comparison.NETWORK, f"network-{network.pk}"
    peer_group = municipality.peer_group
    labels = {
        "country": _("the country: %(name)s") % {"name": municipality.country.display_name},
        "peer_group": _("the peer group: %(name)s") % {"name": peer_group.name}
        if peer_group
        else _("the peer group (not set for this municipality)"),
        "similar": ngettext(
            "similar municipalities: the %(count)d most alike",
            "similar municipalities: the %(count)d most alike",
            similar_count,
        )
        % {"count": similar_count}
        if has_similar
        else _("similar municipalities (not computed yet)"),
        **{key: _("the network: %(name)s") % {"name": n.name} for key, n in by_key.items()},
        **{key: _("your set: %(name)s") % {"name": s.name} for key, s in own_sets.items()},
        **{
            key: _("the programme: %(name)s, every country") % {"name": p.acronym}
            for key, p in programmes.items()
        },
    }
    choices = [pages.Choice(key, labels[key], selected=key == compare) for key in by_key]
    choices += [pages.Choice(key, labels[key], selected=key == compare) for key in programmes]
    choices.append(pages.Choice("country", labels["country"], selected=compare == "country"))
    choices.append(
        pages.Choice(
            "peer_group",
            labels["peer_group"],
            selected=compare == "peer_group",
            disabled=peer_group is None,
        )
    )
    choices.append(
        pages.Choice(
            "similar", labels["similar"], selected=compare == "similar", disabled=not has_similar
        )
    )
    choices += [pages.Choice(key, labels[key], selected=key == compare) for key in own_sets]
    refused = ""
    if wanted and wanted != compare:
        if wanted.startswith("set-"):
            refused = _(
                "That comparison set is not one of yours (or no longer exists): the key "
                "figures are compared with %(shown)s instead."
            )
        elif wanted in {"similar", "peer_group"} or wanted.startswith(("network-", "programme-")):
            refused = _("That comparison is not available here: compared with %(shown)s instead.")
        refused = refused and refused % {"shown": labels[compare]}
    year = year_asked(request.GET)
    return PositionRequest(
        municipality,
        comparison,
        network,
        year,
        compare,
        labels[compare],
        choices,
        comparison_set=comparison_set,
        programme=programme,
        refused=refused,
    )


def _year_key(table) -> str:
    return "latest" if table.latest else str(table.year or "")


@login_required
def municipality_keyfigures(request, pk):
    position = _position(request, pk)
    municipality = position.municipality

    def build() -> pages.PositionTable:
        page = position.page()
        lines = [pages.position_line(row, municipality, page.year) for row in page.rows]
        html = render_to_string(
            "benchmarking/_position_table.html",
            {
                "municipality": municipality,
                "page": page,
                "lines": lines,
                "compared_with": position.compared_with,
            },
        )
        return pages.PositionTable(page.year, page.years, bool(page.rows), html, page.latest)

    # Who may see the municipality was asked above; the table itself is the same for everyone
    # who asks for this comparison, until the key figures change (cache.py).
    table = cached(
        (
            "position",
            municipality.pk,
            position.compare,
            position.year,
            get_language(),
            position.compared_with,
            position.cache_part,
        ),
        build,
    )
    if position.refused:
        messages.warning(request, position.refused)
    return render(
        request,
        "benchmarking/municipality_keyfigures.html",
        {
            "municipality": municipality,
            "table": table,
            "choices": position.choices,
            "compare": position.compare,
            "query": urlencode({"year": _year_key(table), "compare": position.compare}),
            "similar_variables": _similar_variables() if position.compare == "similar" else [],
        },
    )


def _similar_variables() -> list[str]:
    """The names of the figures the similar municipalities are found by (one query)."""
    from ..models import Indicator
    from ..structure import configured_variables

    codes = [v.code for v in configured_variables()]
    names = {i.code: i.name for i in Indicator.objects.filter(code__in=codes)}
    return [names[code] for code in codes if code in names]


@login_required
def municipality_similar(request, pk):
    """The similar municipalities and how they were found: the method, its variables and
    weights, N, and for each neighbour the figures that made it near."""
    from django.conf import settings

    from .. import selectors

    municipality = municipality_or_404(request, pk)
    page = selectors.similar_municipalities(municipality=municipality)
    return render(
        request,
        "benchmarking/municipality_similar.html",
        {
            "municipality": municipality,
            "page": page,
            "lines": pages.similar_lines(page),
            "count": settings.SIMILAR_MUNICIPALITIES_COUNT,
            "variables": pages.similar_variables(page),
            "lacking": ", ".join(i.name for i in page.lacking),
        },
    )


@login_required
def municipality_keyfigures_export(request, pk, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    position = _position(request, pk)
    page = position.page()
    sheet = exports.position_sheet(page, compared_with=position.compared_with)
    name = slugify(position.municipality.name, allow_unicode=True) or position.municipality.pk
    year = "latest" if page.latest else page.year or "none"
    filename = f"keyfigures-{name}-{year}-{position.compare}"
    return exports.download(sheet, fmt, filename)


# --- A network's table -----------------------------------------------------------------------


def _network_table(request, pk):
    from .. import selectors

    network = network_or_404(request, pk)
    year = year_asked(request.GET)  # none asked, or "latest": each figure in its latest year
    return selectors.network_table(network=network, year=year, latest=year is None)


@login_required
def network_keyfigures(request, pk):
    table = _network_table(request, pk)
    columns, rows = pages.network_table_lines(table)
    return render(
        request,
        "benchmarking/network_keyfigures.html",
        {
            "network": table.network,
            "table": table,
            "columns": columns,
            "rows": rows,
            "query": urlencode({"year": _year_key(table)}),
        },
    )


@login_required
def network_keyfigures_export(request, pk, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    table = _network_table(request, pk)
    name = slugify(table.network.name, allow_unicode=True) or table.network.pk
    year = _year_key(table) or "none"
    return exports.download(exports.network_sheet(table), fmt, f"keyfigures-{name}-{year}")
