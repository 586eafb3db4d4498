"""Similar municipalities at scale: the register figures written, the nearest neighbours
computed and stored, and one municipality's similar-municipalities page, timed.

Runs against PostgreSQL. The database is dropped and created anew, so its name must contain
"bench"::

    .venv/bin/python bench/similar.py --municipalities 2000
    .venv/bin/python bench/similar.py --municipalities 20000 \\
        --database-url postgres://postgres@127.0.0.1:5432/cemsdi_bench_similar

The steps:

1. drop and create the database, ``manage.py migrate`` it (bench/benchmarking.py's helpers);
2. a synthetic country "EU" with its regions and N municipalities, created in bulk (set-up,
   not timed): population and area (km²) from seeded log-normal distributions, a few
   municipalities without an area (so without a density: they are compared on population);
3. ``services.register_keyfigures_write``, the service the ``similar_municipalities --register-
   year`` command calls: population, area and density as key figures of one year, timed.
   The refreshes it enqueues after it commits (standings, similar municipalities) are held,
   not run, as a worker would run them after the write has answered;
4. the held ``tasks.refresh_similar`` run as the worker runs it (``countries_with``, then
   ``similar.similar_refresh``: the figures read, the neighbours found, the old sets deleted,
   the new ones written by COPY), timed, with the time of each part; the standings are not
   refreshed (the page does not read them);
5. the project served by gunicorn (bench/settings.py), loaded by wrk from a second process:
   the middle municipality's similar-municipalities page, and the bare view; p50, p95,
   requests/s. The first request to the page is timed on its own.

bench/README.md has the numbers and the machine they came from.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and benchmarking.py here would shadow
# the ``benchmarking`` app: put the project in its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.benchmarking import (  # noqa: E402
    analyze,
    code_version,
    environment,
    fetch,
    load,
    machine,
    migrate,
    municipality_codes,
    reset_database,
    session_cookie,
    start_server,
    stop_server,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cemsdi_bench_similar"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
COUNTRY_CODE = "EU"
MUNICIPALITIES_PER_REGION = 90
# Log-normal, in natural logarithms: population median about 4,000 (as bench/benchmarking.py),
# area median about 33 km² with a long tail (EU local units: a few km² to several thousand).
POPULATION_LOG_MEAN, POPULATION_LOG_SIGMA = 8.3, 1.3
AREA_LOG_MEAN, AREA_LOG_SIGMA = 3.5, 1.1
NO_AREA_SHARE = 0.01  # municipalities without an area in the register


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2024, help="year of the register figures")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load, not measured")
    return parser.parse_args()


# --- Set-up -----------------------------------------------------------------------------------


def create_register(count: int, seed: int):
    """The synthetic country, its regions and municipalities with population and area."""
    from networks.models import Country, Municipality, Region

    rng = np.random.default_rng(seed)
    population = rng.lognormal(POPULATION_LOG_MEAN, POPULATION_LOG_SIGMA, size=count)
    area = np.round(rng.lognormal(AREA_LOG_MEAN, AREA_LOG_SIGMA, size=count), 1) + 0.1
    no_area = rng.random(count) < NO_AREA_SHARE
    country = Country.objects.create(code=COUNTRY_CODE, name="European Union (synthetic)")
    regions = Region.objects.bulk_create(
        Region(country=country, code=f"R{r:04d}", name=f"Region {r:04d}")
        for r in range(1, max(1, count // MUNICIPALITIES_PER_REGION) + 1)
    )
    Municipality.objects.bulk_create(
        (
            Municipality(
                country=country,
                region=regions[i % len(regions)],
                code=code,
                name=f"Municipality {code}",
                population=int(population[i]) + 50,
                area_km2=None if no_area[i] else float(area[i]),
            )
            for i, code in enumerate(municipality_codes(count))
        ),
        batch_size=5000,
    )
    return country, int(no_area.sum())


@contextmanager
def tasks_held():
    """Record, not run, the tasks the register write enqueues after it commits (without a
    broker Celery would run them in process, inside the timed write)."""
    from benchmarking.tasks import refresh_similar, refresh_standings

    held = defaultdict(list)
    tasks = {"standings": refresh_standings, "similar": refresh_similar}
    for name, task in tasks.items():
        task = getattr(task, "_get_current_object", lambda task=task: task)()
        tasks[name] = task
        task.apply_async = lambda args=None, kwargs=None, name=name, **options: held[name].append(
            args
        )
    try:
        yield held
    finally:
        for task in tasks.values():
            del task.apply_async


@contextmanager
def parts_timed(module, names: list[str]):
    """Time each call of these functions of ``module`` (similar_refresh looks them up there)."""
    seconds = dict.fromkeys(names, 0.0)
    originals = {name: getattr(module, name) for name in names}

    def timed(name):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return originals[name](*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started

        return call

    for name in names:
        setattr(module, name, timed(name))
    try:
        yield seconds
    finally:
        for name, original in originals.items():
            setattr(module, name, original)


# --- The steps, timed -------------------------------------------------------------------------


def write_register(country, year: int) -> tuple[float, int, dict]:
    from benchmarking import services

    with tasks_held() as held:
        started = time.perf_counter()
        written = services.register_keyfigures_write(
            country=country, year=year, source=f"Register ({year})"
        )
        seconds = time.perf_counter() - started
    return seconds, written, dict(held)


def refresh_similar(held_args: list) -> tuple[float, dict, int]:
    """The held refresh_similar task(s), run as a worker runs them; the parts timed."""
    from benchmarking import similar
    from benchmarking.models import SimilarMunicipality
    from benchmarking.tasks import refresh_similar as task

    if not held_args:
        raise SystemExit("register_keyfigures_write enqueued no refresh of the similar sets")
    parts = ["countries_with", "country_figures", "neighbours_of", "_write"]
    with parts_timed(similar, parts) as seconds:
        started = time.perf_counter()
        for args in held_args:
            task(*args)
        total = time.perf_counter() - started
    return total, seconds, SimilarMunicipality.objects.count()


def check_page(args, cookie: str, page: str) -> tuple[float, int]:
    """The page answers 200 with the municipality's neighbours; the first request's seconds."""
    from django.conf import settings

    started = time.perf_counter()
    status, body = fetch(args.port, page, cookie)
    first = time.perf_counter() - started
    rows = body.count('<tr id="neighbour-')
    if status != 200 or rows != settings.SIMILAR_MUNICIPALITIES_COUNT:
        raise SystemExit(f"similar page: {status}, {rows} neighbour rows: {body[:300]!r}")
    status, body = fetch(args.port, "/bench/bare/", cookie)
    if (status, body) != (200, "ok"):
        raise SystemExit(f"bare view: {status} {body[:200]!r}")
    return first, rows


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("CACHE_URL", DEFAULT_CACHE_URL)
    env = environment()
    os.environ.update(env)
    started = time.perf_counter()
    code = code_version()
    print(f"Database: {args.database_url} (dropped and created); load average {load_average()}")
    reset_database(args.database_url)
    migrate(env)
    import django

    django.setup()
    from django.conf import settings

    country, no_area = create_register(args.municipalities, args.seed)
    print(
        f"Register: {args.municipalities:,} municipalities in {COUNTRY_CODE}, "
        f"{no_area} without an area"
    )

    write_seconds, written, held = write_register(country, args.year)
    print(
        f"register_keyfigures_write: {written:,} figures in {write_seconds:.2f} s "
        f"(tasks held: {len(held.get('standings', []))} standings, "
        f"{len(held.get('similar', []))} similar)",
        flush=True,
    )
    analyze()  # fresh planner statistics, as autovacuum would give (set-up)

    similar_seconds, parts, stored = refresh_similar(held.get("similar", []))
    expected = args.municipalities * settings.SIMILAR_MUNICIPALITIES_COUNT
    if stored != expected:
        raise SystemExit(f"{stored} similar rows stored, not {expected}")
    rest = similar_seconds - sum(parts.values())
    print(f"refresh_similar: {stored:,} rows in {similar_seconds:.2f} s", flush=True)
    analyze()

    from networks.models import Municipality

    subject_code = municipality_codes(args.municipalities)[args.municipalities // 2]
    subject = Municipality.objects.get(code=subject_code)
    page = f"/municipalities/{subject.pk}/keyfigures/similar/"
    cookie = session_cookie()
    load_before = load_average()
    server = start_server(args, env)
    try:
        first, rows = check_page(args, cookie, page)
        with tempfile.TemporaryDirectory() as workdir:
            base = f"http://127.0.0.1:{args.port}"
            print(f"Load: {page} ...", flush=True)
            page_load = load(args, base + page, cookie, Path(workdir))
            print("Load: /bench/bare/ ...", flush=True)
            bare_load = load(args, base + "/bench/bare/", cookie, Path(workdir))
    finally:
        stop_server(server)

    n = args.municipalities
    print("\n## Result\n")
    print(
        f"{n:,} municipalities ({no_area} without an area), "
        f"{settings.SIMILAR_MUNICIPALITIES_COUNT} neighbours each, variables "
        f"{', '.join(settings.SIMILAR_MUNICIPALITIES_VARIABLES)}; gunicorn {args.workers} "
        f"workers; wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration} s per URL.\n"
    )
    print("| step | seconds |")
    print("| --- | ---: |")
    print(f"| register_keyfigures_write ({written:,} figures) | {write_seconds:.2f} |")
    print(f"| refresh_similar ({stored:,} rows) | {similar_seconds:.2f} |")
    print(f"| of which countries_with | {parts['countries_with']:.2f} |")
    print(f"| of which country_figures (read) | {parts['country_figures']:.2f} |")
    print(f"| of which neighbours_of (numpy) | {parts['neighbours_of']:.2f} |")
    print(f"| of which the rest: lock, delete, commit (deferred FK checks) | {rest:.2f} |")
    print(f"| of which _write (COPY) | {parts['_write']:.2f} |")
    print()
    print("| what | p50 ms | p95 ms | requests/s | requests |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(
        f"| similar page ({subject_code}, {rows} neighbours) | {page_load['p50']:.1f} | "
        f"{page_load['p95']:.1f} | {page_load['rate']:.1f} | {page_load['requests']} |"
    )
    print(
        f"| bare Django view | {bare_load['p50']:.1f} | {bare_load['p95']:.1f} | "
        f"{bare_load['rate']:.1f} | {bare_load['requests']} |"
    )
    print(f"\nFirst request to the page: {first * 1000:.0f} ms.")
    print(f"Load average before the pages: {load_before}; after: {load_average()}.")
    print("\n| machine | |\n| --- | --- |")
    for key, value in machine(code).items():
        print(f"| {key} | {value} |")
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
