"""What every connector gives back, and what it is given."""

from dataclasses import dataclass, field


@dataclass
class Query:
    """A feed's question to its source, in plain values (see models.StatisticsFeed)."""

    # SSB table, Eurostat dataset, Kolada KPI ids (comma-separated), KLASS table, ISTAT
    # dataflow, INE Spain table
    table: str
    # SSB ContentsCode, Eurostat dim=code, ISTAT: the series key with {regions}
    indicators: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # municipality codes, as the source has them
    years: list[int] = field(default_factory=list)
    latest_years: int = 0  # instead of years: the source's latest N
    region_variable: str = "Region"  # SSB: the table's region variable
    date: str = ""  # KLASS: the day the correspondence holds on (YYYY-MM-DD)


@dataclass
class Fetched:
    """The source's answer as one file the importer reads: JSON-stat as the source sent it
    (or its parts joined), a CSV for Kolada, the KLASS correspondence as JSON."""

    data: bytes
    file_name: str
    calls: int
    requests: list[str] = field(default_factory=list)  # what was asked, for the run's record
