"""The statistics sources of each country, and what the portal can read from each.

A source the portal has a connector for (a key of ``connectors.FETCHERS``: SSB's PxWebApi,
SSB's KLASS, Kolada, Eurostat, and ISTAT's and INE Spain's where those connectors are in) is
fetched by a statistics feed; any other is read from a file an administrator downloads from it
and imports (CSV, Excel or JSON-stat: ``readers.py``). A source names the connector that
reads it; the page claims a feed only when that connector is among ``FETCHERS``. The
catalogue of key figures lists the sources of the reader's countries (``sources_for``).

Licences are those the sources state, where we have read them; a blank one is not known here
(read the source's terms before publishing its figures).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .connectors import FETCHERS


@dataclass(frozen=True)
class StatisticsSource:
    key: str
    name: str  # the source's own name, not translated
    url: str
    connector: str = ""  # the key in connectors.FETCHERS of the connector that reads it, if any
    licence: str = ""  # or a translatable phrase

    @property
    def has_feed(self) -> bool:
        """Whether a statistics feed can fetch it: its connector is in the portal."""
        return bool(self.connector) and self.connector in FETCHERS

    @property
    def reads(self) -> str:
        """How the portal reads it, for the page."""
        if self.has_feed:
            return str(_("a statistics feed fetches it"))
        return str(_("a file downloaded from it and imported (CSV, Excel or JSON-stat)"))


CC_BY = "CC BY 4.0"
SOURCES = {
    s.key: s
    for s in (
        StatisticsSource(
            "ssb", "SSB StatBank (PxWebApi)", "https://www.ssb.no/en/statbank", "ssb", CC_BY
        ),
        StatisticsSource(
            "klass",
            "SSB KLASS (classifications, the KOSTRA groups)",
            "https://www.ssb.no/en/klass",
            "klass",
            CC_BY,
        ),
        # KOSTRA's figures are SSB StatBank tables: the SSB connector reads them.
        StatisticsSource(
            "kostra", "KOSTRA (SSB)", "https://www.ssb.no/en/offentlig-sektor/kostra", "ssb", CC_BY
        ),
        StatisticsSource(
            "kolada",
            "Kolada",
            "https://www.kolada.se",
            "kolada",
            # Kolada's terms of use (kolada.se/om-oss/api): free, no agreement, commercial use
            # allowed, the source named.
            _("Free to use; name the source (“Källa: Kolada”)"),
        ),
        StatisticsSource("scb", "Statistics Sweden (SCB)", "https://www.statistikdatabasen.scb.se"),
        StatisticsSource("ine_pt", "Statistics Portugal (INE)", "https://www.ine.pt"),
        StatisticsSource("ine_es", "INE Spain", "https://www.ine.es", "ine_es"),
        StatisticsSource("istat", "ISTAT", "https://esploradati.istat.it", "istat"),
        StatisticsSource(
            "ons",
            "Office for National Statistics (ONS)",
            "https://www.ons.gov.uk",
            licence="Open Government Licence v3.0",
        ),
        StatisticsSource("lg_inform", "LG Inform", "https://lginform.local.gov.uk"),
        StatisticsSource("statfin", "Statistics Finland (StatFin)", "https://pxdata.stat.fi"),
        StatisticsSource(
            "eurostat", "Eurostat", "https://ec.europa.eu/eurostat/data/database", "eurostat", CC_BY
        ),
    )
}

# Each country's own sources by ISO code; Eurostat holds figures of every one of them.
BY_COUNTRY = {
    "NO": ("ssb", "klass", "kostra"),
    "SE": ("kolada", "scb"),
    "FI": ("statfin",),
    "PT": ("ine_pt",),
    "ES": ("ine_es",),
    "IT": ("istat",),
    "GB": ("ons", "lg_inform"),
}
EVERYWHERE = ("eurostat",)


def sources_for(country) -> list[StatisticsSource]:
    """The country's statistics sources, its own first, then Eurostat."""
    own = BY_COUNTRY.get((getattr(country, "code", "") or "").upper(), ())
    return [SOURCES[key] for key in (*own, *EVERYWHERE)]
