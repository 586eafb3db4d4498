"""Shared by the tests of measures that track themselves: two municipalities' measures tied
to one key figure, and new key figures arriving through a real import."""

from benchmarking.imports import import_apply, import_preview
from strategies import services
from strategies.models import Measure

from .. import factories as f
from .helpers import start

CODE = "KOSandel120000"
BASELINE, TARGET = 84.0, 95.0


def measure(strategy, owner, indicator, *, title, baseline=BASELINE, target=TARGET, **extra):
    return services.measure_save(
        strategy=strategy,
        data={
            "title": title,
            "owner": owner,
            "status": Measure.Status.UNDER_WAY,
            "progress": 20,
            "indicator": indicator,
            "baseline_year": 2024,
            "baseline_value": baseline,
            "target_year": 2027,
            "target_value": target,
            **extra,
        },
    )


def make_tracked(world):
    """Alta's and Hammerfest's strategies, each with a measure tied to the kindergarten share:
    Alta from 84.0 (2024) up to 95.0, owned by its staff member; Hammerfest from 90.0 (2024)
    down to 80.0 (a target below the baseline), owned by its chief executive."""
    world.indicator = f.IndicatorFactory(
        code=CODE, name_en="Children aged 1-2 in kindergarten", decimals=1
    )
    for municipality, year, value in [
        (world.municipality, 2023, 80.0),
        (world.municipality, 2024, BASELINE),
        (world.neighbour, 2024, 90.0),
    ]:
        f.ObservationFactory(
            indicator=world.indicator, municipality=municipality, year=year, value=value
        )
    world.strategy = start(world, user=world.users["chief_executive"])
    world.owner = world.users["municipal_staff"]
    world.measure = measure(
        world.strategy, world.owner, world.indicator, title="Digital søknad om barnehageplass"
    )
    world.neighbour_strategy = start(
        world, world.neighbour, user=world.users["neighbour_chief_executive"]
    )
    world.neighbour_owner = world.users["neighbour_chief_executive"]
    world.neighbour_measure = measure(
        world.neighbour_strategy,
        world.neighbour_owner,
        world.indicator,
        title="Færre på venteliste",
        baseline=90.0,
        target=80.0,
    )
    return world


def csv(rows) -> bytes:
    """A key-figure file in the importer's long format, one row per municipality and year."""
    lines = ["region_code,region_name,indicator,indicator_name,year,value,status"]
    for municipality, year, value, status in rows:
        shown = "" if value is None else repr(value)
        lines.append(
            f"{municipality.code},{municipality.name},{CODE},Barn 1-2 år,{year},{shown},{status}"
        )
    return ("\n".join(lines) + "\n").encode()


def refresh(capture, rows):
    """New key figures arrive: a file read, previewed and applied, its commit run (the
    callbacks an import leaves for after its commit: the signal, the task it queues)."""
    preview = import_preview(csv(rows), "refresh.csv")
    assert preview.ok, preview.problems
    with capture(execute=True):
        import_apply(preview)
    return preview
