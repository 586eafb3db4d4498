"""Similar municipalities: each municipality's nearest neighbours in its own country by
structural figures, as Kolada's "Liknande kommuner" and CIPFA's nearest-neighbour model do.

The method (``METHOD_VERSION``):

1. The variables are the structural key figures named in ``SIMILAR_MUNICIPALITIES_VARIABLES``
   (by default population, population density and area, each as its logarithm, so that a
   doubling counts the same for a small and a large municipality). Each is read in its latest
   year with figures in the country.
2. Each variable is standardised over the country: minus its mean, divided by its standard
   deviation, so that no variable weighs more for being counted in larger numbers.
3. The distance between two municipalities is the root of the weighted mean of the squared
   differences over the variables *both* have: a municipality lacking a figure is compared on
   the ones it has (``compared_on`` says which), and one with none has no neighbours.
4. The ``SIMILAR_MUNICIPALITIES_COUNT`` nearest, never the municipality itself, form its set;
   equal distances are ordered by municipality code. The rows are sorted by code before any
   arithmetic, so the same figures give the same sets whatever order they are read in.

The whole country is computed at once with numpy, in chunks of rows so that memory stays
bounded at European scale, and written in bulk (COPY on PostgreSQL).
"""

import io
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from networks.models import Country, Municipality

from .cache import data_changed
from .models import Observation, SimilarMunicipality
from .structure import Variable, configured_variables

METHOD_VERSION = "1"
CELLS_PER_CHUNK = 2_000_000  # municipalities x neighbours x variables held at once


def standardise(values: np.ndarray, *, log: np.ndarray) -> np.ndarray:
    """Each column as z-scores over the rows that have it (NaN where missing); a logarithm
    first where ``log`` says so (a value of 0 or less then has none: it counts as missing)."""
    values = values.astype(float).copy()
    for column in np.nonzero(log)[0]:
        with np.errstate(divide="ignore", invalid="ignore"):
            values[:, column] = np.where(values[:, column] > 0, np.log(values[:, column]), np.nan)
    mean = np.nanmean(values, axis=0) if values.size else np.zeros(values.shape[1])
    std = np.nanstd(values, axis=0) if values.size else np.ones(values.shape[1])
    std = np.where((std > 0) & np.isfinite(std), std, 1.0)  # one value only: every one alike
    return (values - mean) / std


def nearest(z: np.ndarray, weights: np.ndarray, count: int):
    """For each row of ``z`` (standardised, NaN where missing; rows in code order), its
    ``count`` nearest other rows: yields ``(row, [(neighbour, distance), ...])``, nearest
    first, equal distances in row (code) order."""
    n, k = z.shape
    present = ~np.isnan(z)
    filled = np.where(present, z, 0.0)
    chunk = max(1, CELLS_PER_CHUNK // max(1, n * k))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        both = present[start:stop, None, :] & present[None, :, :]
        squares = (filled[start:stop, None, :] - filled[None, :, :]) ** 2
        weighed = (both * weights).sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            distance = np.sqrt((squares * both * weights).sum(axis=2) / weighed)
        distance[weighed == 0] = np.inf  # nothing to compare on
        distance[np.arange(stop - start), np.arange(start, stop)] = np.inf  # never itself
        for offset, row in enumerate(distance):
            finite = int(np.isfinite(row).sum())
            wanted = min(count, finite)
            if wanted == 0:
                yield start + offset, []
                continue
            threshold = np.partition(row, wanted - 1)[wanted - 1]
            candidates = np.nonzero(row <= threshold)[0]  # ties at the edge included
            order = candidates[np.lexsort((candidates, row[candidates]))][:wanted]
            yield start + offset, [(int(j), float(row[j])) for j in order]


@dataclass
class Figures:
    """A country's structural figures: one row per municipality (in code order), one column
    per variable that has figures; the year each was read in."""

    ids: list[int]
    codes: list[str]
    variables: list[Variable]
    years: dict[str, int]
    values: np.ndarray  # len(ids) x len(variables), NaN where missing


def country_figures(country_id: int, variables: list[Variable] | None = None) -> Figures:
    """Two queries: the country's municipalities, and the figures of the variables."""
    variables = configured_variables() if variables is None else variables
    municipalities = list(
        Municipality.objects.filter(country_id=country_id)
        .order_by("code", "pk")
        .values_list("pk", "code")
    )
    ids = [pk for pk, _ in municipalities]
    rows = pd.DataFrame.from_records(
        list(
            Observation.objects.filter(
                indicator__code__in=[v.code for v in variables],
                municipality__country_id=country_id,
                value__isnull=False,
            ).values_list("indicator__code", "municipality_id", "year", "value")
        ),
        columns=["code", "municipality", "year", "value"],
    )
    years = {}
    if not rows.empty:
        years = {code: int(year) for code, year in rows.groupby("code")["year"].max().items()}
        rows = rows[rows["year"] == rows["code"].map(years)]
    used = [v for v in variables if v.code in years]
    table = (
        rows.pivot_table(index="municipality", columns="code", values="value", aggfunc="first")
        if not rows.empty
        else pd.DataFrame()
    )
    values = np.full((len(ids), len(used)), np.nan)
    if used:
        values = table.reindex(index=ids, columns=[v.code for v in used]).to_numpy(dtype=float)
    return Figures(ids, [code for _, code in municipalities], used, years, values)


def neighbours_of(figures: Figures, count: int) -> list[dict]:
    """The rows to store: municipality, neighbour, rank, distance, compared_on."""
    if not figures.variables or not figures.ids:
        return []
    z = standardise(figures.values, log=np.array([v.log for v in figures.variables]))
    weights = np.array([v.weight for v in figures.variables], dtype=float)
    present = ~np.isnan(z)
    codes = [v.code for v in figures.variables]
    rows = []
    for i, found in nearest(z, weights, count):
        for rank, (j, distance) in enumerate(found, start=1):
            shared = present[i] & present[j]
            rows.append(
                {
                    "municipality_id": figures.ids[i],
                    "neighbour_id": figures.ids[j],
                    "rank": rank,
                    "distance": round(distance, 6),
                    "compared_on": [c for c, on in zip(codes, shared, strict=True) if on],
                }
            )
    return rows


def _write(rows: list[dict], *, computed_at) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        frame = pd.DataFrame(rows)
        frame["compared_on"] = frame["compared_on"].map(json.dumps)
        frame["computed_at"] = computed_at.isoformat()
        frame["method_version"] = METHOD_VERSION
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, header=False)
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {SimilarMunicipality._meta.db_table} ({columns}) FROM STDIN "
                "WITH (FORMAT csv)",
                buffer,
            )
        return
    SimilarMunicipality.objects.bulk_create(
        [
            SimilarMunicipality(**row, computed_at=computed_at, method_version=METHOD_VERSION)
            for row in rows
        ],
        batch_size=2000,
    )


def similar_refresh(*, country_ids=None, count: int | None = None) -> int:
    """Recompute and store the similar municipalities of these countries (all when None);
    returns the rows stored. Idempotent: a country's sets are replaced as a whole."""
    count = settings.SIMILAR_MUNICIPALITIES_COUNT if count is None else count
    countries = Country.objects.order_by("code")
    if country_ids is not None:
        countries = countries.filter(pk__in=list(country_ids))
    stored = 0
    for country in countries:
        with transaction.atomic():
            # One refresh of a country at a time: the second waits, then reads the figures.
            list(Country.objects.select_for_update().filter(pk=country.pk).values_list("pk"))
            rows = neighbours_of(country_figures(country.pk), count)
            SimilarMunicipality.objects.filter(municipality__country=country).delete()
            _write(rows, computed_at=timezone.now())
            stored += len(rows)
    data_changed()
    return stored


def countries_with(indicator_ids) -> list[int]:
    """The countries with figures of these indicators."""
    return list(
        Observation.objects.filter(indicator_id__in=list(indicator_ids))
        .order_by()
        .values_list("municipality__country_id", flat=True)
        .distinct()
    )
