"""Key figures at European scale: the import and the comparison page, timed.

Runs against PostgreSQL. The database named in DATABASE_URL is dropped and created anew, so
its name must contain "bench"::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cemsdi_bench \\
        .venv/bin/python bench/benchmarking.py
    .venv/bin/python bench/benchmarking.py --municipalities 2000     # a quick run

The steps:

1. drop and create the database, ``manage.py migrate`` it;
2. a synthetic country "EU" with its regions and N municipalities, created in bulk (set-up,
   not timed);
3. the floor: PostgreSQL alone on the same files (``measure_floor``): COPY of each file as
   it is, the codes mapped to municipalities by a join, the unique and (indicator, year)
   indexes built, ranks and percentiles of every indicator-year by window functions stored
   and indexed, each set's summary; timed step by step, then dropped;
4. one CSV per indicator (N municipalities x Y years, from a seeded generator, with missing
   values ".." and ties), each imported through ``import_preview`` + ``import_apply``, the
   path the upload page and the command take, timed per file;
5. ``benchmarking.standings.standings_refresh`` over every indicator, timed;
6. the project served by gunicorn (bench/settings.py: production settings plus a bare view),
   loaded by wrk from a second process: one municipality's comparison page against the whole
   country, and the bare view; p50, p95, requests/s;
7. bench/reports.py in its own process and database (``--no-report`` skips it): WeasyPrint's
   median time for the demo's programme report;
8. the aims met or not, the machine, and one line for scripts::

       BENCH import_s=... standings_s=... floor_s=... page_p50_ms=... bare_p50_ms=...
       page_p95_ms=... bare_p95_ms=... report_s=...

The aims (the scale issue): import and standings within 1.5 times the floor; the comparison
page's p50 within 2 times the bare view's and its p95 within 3 times; the programme report in
a second of WeasyPrint. bench/README.md has the numbers of full runs and the machine.
"""

import argparse
import http.client
import io
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and this file would shadow the
# ``benchmarking`` app: put the project in its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cemsdi_bench"
COUNTRY_CODE = "EU"
MUNICIPALITIES_PER_REGION = 90  # 90,000 municipalities in 1,000 regions (NUTS 3 has ~1,150)
MISSING_SHARE = 0.02  # cells published as ".." (not available)
TIE_SHARE = 0.05  # cells that copy another municipality's value in the same year
UNITS = ["%", "EUR per inhabitant", "per 1,000 inhabitants", "years", "km"]
DIRECTIONS = [True, False, None]  # higher is better, lower is better, neither
# The aims (the scale issue): the path from file to ranked pages within 1.5 times what
# PostgreSQL alone takes; the page's p50 within 2 times the bare view's, its p95 within 3; the
# demo's programme report in a second of WeasyPrint.
AIM_FLOOR = 1.5
AIM_P50 = 2.0
AIM_P95 = 3.0
AIM_REPORT = 1.0

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH-RESULT %.0f %.0f %.0f %.0f %.0f %.0f\\n",
    latency:percentile(50), latency:percentile(95), summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


# --- Set-up -----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=90_000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--last-year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per URL")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load, not measured")
    parser.add_argument(
        "--no-report", action="store_true", help="skip the programme report (bench/reports.py)"
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="measure the pages only, on the database of an earlier run (give its sizes and seed)",
    )
    return parser.parse_args()


DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/15"


def environment() -> dict[str, str]:
    """The environment of this process and of the server: bench settings, the bench database,
    no size limit on imports, Celery tasks in process."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.pop("CELERY_BROKER_URL", None)
    # The server's workers and this process (the imports) share the cache, as in production.
    env.setdefault("CACHE_URL", DEFAULT_CACHE_URL)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MAX_IMPORT_MB="4096",
        LOG_LEVEL="WARNING",
    )
    return env


def reset_database(url: str) -> None:
    """Drop and create the bench database (refuses a name without "bench" in it)."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if "postgres" not in config["ENGINE"] or "bench" not in name:
        raise SystemExit(f"DATABASE_URL must name a PostgreSQL database called *bench*: {name!r}")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )


def municipality_codes(count: int) -> list[str]:
    width = max(5, len(str(count)))
    return [f"E{i:0{width}d}" for i in range(1, count + 1)]


def create_register(count: int, seed: int) -> None:
    """The synthetic country, its regions and municipalities, in bulk."""
    from networks.models import Country, Municipality, Region

    country = Country.objects.create(code=COUNTRY_CODE, name="European Union (synthetic)")
    regions = Region.objects.bulk_create(
        Region(country=country, code=f"R{r:04d}", name=f"Region {r:04d}")
        for r in range(1, max(1, count // MUNICIPALITIES_PER_REGION) + 1)
    )
    population = np.random.default_rng(seed).lognormal(mean=8.3, sigma=1.3, size=count)
    Municipality.objects.bulk_create(
        (
            Municipality(
                country=country,
                region=regions[i % len(regions)],
                code=code,
                name=f"Municipality {code}",
                population=int(population[i]) + 100,
            )
            for i, code in enumerate(municipality_codes(count))
        ),
        batch_size=5000,
    )


# --- Data -------------------------------------------------------------------------------------


def indicator_values(index: int, municipalities: int, years: int, seed: int) -> np.ndarray:
    """A municipality-by-year table of one indicator: a level per municipality, a trend, noise,
    rounded to one decimal; some cells copied from another municipality (ties), some NaN."""
    rng = np.random.default_rng([seed, index])
    level = rng.lognormal(mean=rng.uniform(1, 7), sigma=0.6, size=municipalities)
    growth = rng.normal(0.01, 0.03, size=municipalities)
    noise = rng.normal(0, 0.05, size=(municipalities, years))
    values = level[:, None] * (1 + growth[:, None]) ** np.arange(years)[None, :] * (1 + noise)
    values = np.round(values, 1)
    rows, cols = np.nonzero(rng.random((municipalities, years)) < TIE_SHARE)
    values[rows, cols] = values[rng.integers(0, municipalities, len(rows)), cols]
    values[rng.random((municipalities, years)) < MISSING_SHARE] = np.nan
    return values


def indicator_csv(values: np.ndarray, codes: list[str], years: list[int]) -> bytes:
    """region_code, year, value: one row per municipality and year, ".." where missing."""
    frame = pd.DataFrame(
        {
            "region_code": np.repeat(codes, len(years)),
            "year": np.tile(years, len(codes)),
            "value": values.ravel(),
        }
    )
    return frame.to_csv(index=False, na_rep="..", float_format="%.1f").encode()


def indicator_meta(index: int) -> dict:
    return {
        "code": f"EU{index + 1:02d}",
        "name": f"Synthetic indicator {index + 1}",
        "unit": UNITS[index % len(UNITS)],
        "higher_is_better": DIRECTIONS[index % len(DIRECTIONS)],
    }


# --- The import, timed ------------------------------------------------------------------------


def import_all(args) -> tuple[list[dict], dict[str, float]]:
    """Generate and import every indicator's file; time import_preview + import_apply only.
    Returns one record per file and the subject municipality's value per indicator."""
    from benchmarking.imports import import_apply, import_preview
    from benchmarking.readers import ReadOptions

    codes = municipality_codes(args.municipalities)
    years = list(range(args.last_year - args.years + 1, args.last_year + 1))
    subject = args.municipalities // 2
    timings, subject_values = [], {}
    print(f"\nImport: {args.indicators} files of {len(codes) * len(years):,} rows")
    print(f"{'file':<10} {'MB':>6} {'preview s':>10} {'apply s':>8} {'total s':>8} {'rows/s':>9}")
    for index in range(args.indicators):
        meta = indicator_meta(index)
        values = indicator_values(index, len(codes), len(years), args.seed)
        subject_values[meta["code"]] = values[subject, -1]
        data = indicator_csv(values, codes, years)
        started = time.perf_counter()
        preview = import_preview(
            data,
            f"{meta['code']}.csv",
            ReadOptions(
                indicator_code=meta["code"], indicator_name=meta["name"], unit=meta["unit"]
            ),
            higher_is_better=meta["higher_is_better"],
        )
        previewed = time.perf_counter()
        if not preview.ok or preview.unmapped:
            raise SystemExit(f"{meta['code']}: {preview.problems} {preview.unmapped[:5]}")
        import_apply(preview, allow_unmapped=True)
        applied = time.perf_counter()
        rows = len(codes) * len(years)
        if preview.observations_new != rows:
            raise SystemExit(f"{meta['code']}: {preview.observations_new} new rows, not {rows}")
        record = {
            "file": f"{meta['code']}.csv",
            "mb": len(data) / 1e6,
            "rows": rows,
            "preview": previewed - started,
            "apply": applied - previewed,
            "total": applied - started,
        }
        timings.append(record)
        print(
            f"{record['file']:<10} {record['mb']:>6.1f} {record['preview']:>10.1f} "
            f"{record['apply']:>8.1f} {record['total']:>8.1f} {rows / record['total']:>9,.0f}",
            flush=True,
        )
        del preview, data
    return timings, subject_values


@contextmanager
def standings_task_held():
    """Record, not run, the standings task an import enqueues after it commits.

    Without a broker Celery runs tasks in process, so the task would run inside the timed
    import; in production a worker runs it after the import has answered. The bench runs
    standings_refresh once after all the imports and times it on its own.
    """
    try:
        from benchmarking.tasks import refresh_standings
    except ImportError:
        yield []
        return
    task = getattr(refresh_standings, "_get_current_object", lambda: refresh_standings)()
    held = []
    task.apply_async = lambda args=None, kwargs=None, **options: held.append((args, kwargs))
    try:
        yield held
    finally:
        del task.apply_async


def refresh_standings() -> float | None:
    """Seconds for standings_refresh over every indicator; None where it does not exist."""
    try:
        from benchmarking.standings import standings_refresh
    except ImportError:
        return None
    from benchmarking.models import Indicator

    started = time.perf_counter()
    standings_refresh(indicator_ids=list(Indicator.objects.values_list("pk", flat=True)))
    return time.perf_counter() - started


def analyze() -> float:
    """Fresh planner statistics after the bulk load (autovacuum would do it within minutes)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# --- The floor: PostgreSQL alone on the same files -------------------------------------------

FLOOR_STEPS = {
    "copy": "COPY of every file, as it is, into one table",
    "map": "codes to municipality ids (a join with the register)",
    "index": "the unique and the (indicator, year) index",
    "rank": "ranks and percentiles of every indicator-year, stored and indexed",
    "summary": "each set's count, mean, median and range",
}


def measure_floor(args) -> dict[str, float]:
    """What PostgreSQL itself takes to go from the same files to the same stored ranks: no
    Python between the rows, no preview, no constraint checked row by row. Tables in a
    schema of their own, dropped afterwards; the files are generated again (not timed)."""
    from django.db import connection

    codes = municipality_codes(args.municipalities)
    years = list(range(args.last_year - args.years + 1, args.last_year + 1))
    seconds = dict.fromkeys(FLOOR_STEPS, 0.0)
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS floor CASCADE; CREATE SCHEMA floor")
        cursor.execute(
            "CREATE TABLE floor.raw (indicator_id int, region_code text, year smallint, "
            "value float8)"
        )
        for index in range(args.indicators):
            data = indicator_csv(
                indicator_values(index, len(codes), len(years), args.seed), codes, years
            )
            started = time.perf_counter()
            cursor.execute(f"ALTER TABLE floor.raw ALTER indicator_id SET DEFAULT {index + 1}")
            cursor.copy_expert(
                "COPY floor.raw (region_code, year, value) FROM STDIN "
                "WITH (FORMAT csv, HEADER true, NULL '..')",
                io.BytesIO(data),
            )
            seconds["copy"] += time.perf_counter() - started
        steps = [
            (
                "map",
                "CREATE TABLE floor.observation AS SELECT r.indicator_id, m.id AS "
                "municipality_id, r.year, r.value FROM floor.raw r "
                "JOIN networks_municipality m ON m.code = r.region_code",
            ),
            (
                "index",
                "CREATE UNIQUE INDEX ON floor.observation (indicator_id, municipality_id, year);"
                "CREATE INDEX ON floor.observation (indicator_id, year)",
            ),
            (
                "rank",
                "CREATE TABLE floor.standing AS SELECT indicator_id, municipality_id, year, "
                "RANK() OVER w AS rank, round(100 * PERCENT_RANK() OVER w) AS percentile "
                "FROM floor.observation WHERE value IS NOT NULL "
                "WINDOW w AS (PARTITION BY indicator_id, year ORDER BY value DESC);"
                "CREATE UNIQUE INDEX ON floor.standing (indicator_id, municipality_id, year)",
            ),
            (
                "summary",
                "CREATE TABLE floor.summary AS SELECT indicator_id, year, COUNT(*), "
                "AVG(value), percentile_cont(0.5) WITHIN GROUP (ORDER BY value), MIN(value), "
                "MAX(value) FROM floor.observation WHERE value IS NOT NULL "
                "GROUP BY indicator_id, year",
            ),
        ]
        for step, statement in steps:
            started = time.perf_counter()
            cursor.execute(statement)
            seconds[step] = time.perf_counter() - started
        cursor.execute("DROP SCHEMA floor CASCADE")
    for step, value in seconds.items():
        print(f"floor, {FLOOR_STEPS[step]}: {value:.1f} s")
    return seconds


# --- The pages under load ---------------------------------------------------------------------


def session_cookie() -> str:
    """A signed-in administrator's session, as a Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start_server(args, env: dict[str, str]) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "cemsdi_portal.wsgi:application",
            "--config",
            "python:bench.gunicorn",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with {server.returncode}")
        try:
            if fetch(args.port, "/bench/bare/", "")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()  # gunicorn's master stops its workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def fetch(port: int, path: str, cookie: str) -> tuple[int, str]:
    """One GET, redirects not followed (a login redirect must not pass for the page)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def check_pages(args, cookie: str, page: str, subject_values: dict[str, float]) -> None:
    """Both URLs answer 200, and the comparison page shows the municipality's figures."""
    from benchmarking.charts import format_number
    from networks.models import Municipality

    status, body = fetch(args.port, "/bench/bare/", cookie)
    if (status, body) != (200, "ok"):
        raise SystemExit(f"bare view: {status} {body[:200]!r}")
    started = time.perf_counter()
    status, body = fetch(args.port, page, cookie)
    first = time.perf_counter() - started
    if status != 200:
        raise SystemExit(f"comparison page: {status} {body[:500]!r}")
    subject = Municipality.objects.get(
        code=municipality_codes(args.municipalities)[args.municipalities // 2]
    )
    expected = [
        f"Key figures of {subject.name} in {args.last_year}",
        f"({args.municipalities} municipalities)",
        *(format_number(v, 1) for v in subject_values.values() if not np.isnan(v)),
    ]
    absent = [text for text in expected if text not in body]
    rows = body.count('<tr id="indicator-')
    if absent or rows != args.indicators:
        raise SystemExit(f"comparison page lacks {absent[:5]}; {rows} indicator rows")
    print(
        f"\nChecked: the bare view answers 200; the comparison page answers 200 in {first:.2f} s "
        f"(first request) with {rows} indicator rows and the municipality's values."
    )


def load(args, url: str, cookie: str, workdir: Path) -> dict:
    """wrk against one URL: a warm-up, then the measured run."""
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        "--timeout=120s",
        f"--script={script}",
        f"--header=Cookie: {cookie}",
        url,
    ]
    subprocess.run([*command, f"--duration={args.warmup}s"], check=True, capture_output=True)
    output = subprocess.run(
        [*command, f"--duration={args.duration}s"], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-RESULT"))
    p50, p95, requests, duration, status_errors, socket_errors = map(float, line.split()[1:])
    if status_errors or socket_errors:
        raise SystemExit(f"{url}: {status_errors:.0f} non-2xx, {socket_errors:.0f} socket errors")
    return {
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "requests": int(requests),
        "rate": requests / (duration / 1e6),
    }


# --- Report -----------------------------------------------------------------------------------


def code_version() -> str:
    """The commit, and whether the app differs from it (read at the start: others may commit
    while the bench runs)."""
    git = ["git", "--no-optional-locks", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--", "benchmarking", "networks", "cemsdi_portal"],
        capture_output=True,
        text=True,
    )
    dirty = " plus uncommitted changes to the app" if changed.stdout.strip() else ""
    return commit.stdout.strip() + dirty


def machine(code: str) -> dict[str, str]:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text()
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")),
        "?",
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    ram = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import django

    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": f"{ram:.1f} GiB",
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "Django, pandas": f"{django.get_version()}, {pd.__version__}",
        "code": code,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def programme_report(args) -> dict[str, str]:
    """bench/reports.py in its own process and database: the programme report of the demo's
    five networks, WeasyPrint's median time. Its REPORT line, as a dict."""
    if args.no_report:
        return {}
    print("\nThe programme report (bench/reports.py, its own database) ...", flush=True)
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/cemsdi_bench_reports"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    output = subprocess.run(
        [sys.executable, "bench/reports.py", "--runs", "3", "--database-url", url],
        cwd=ROOT,
        env={**env, "DEBUG": "true"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("REPORT "))
    return dict(item.split("=", 1) for item in line.split()[1:])


def _import_table(timings, standings, floor) -> None:
    total = sum(t["total"] for t in timings)
    rows = sum(t["rows"] for t in timings)
    per_file = [t["total"] for t in timings]
    print("| step | seconds | rows/s |")
    print("| --- | ---: | ---: |")
    print(f"| import, {len(timings)} files (preview + apply) | {total:.1f} | {rows / total:,.0f} |")
    print(f"| of which preview | {sum(t['preview'] for t in timings):.1f} | |")
    print(f"| of which apply | {sum(t['apply'] for t in timings):.1f} | |")
    print(
        f"| one file: mean (min to max) | {total / len(timings):.1f} "
        f"({min(per_file):.1f} to {max(per_file):.1f}) | |"
    )
    print(f"| standings_refresh, all indicators | {standings:.1f} | |")
    print(f"| **the portal: import and standings** | **{total + standings:.1f}** | |")
    for step, seconds in floor.items():
        print(f"| floor: {FLOOR_STEPS[step]} | {seconds:.1f} | |")
    print(f"| **the floor: PostgreSQL alone** | **{sum(floor.values()):.1f}** | |")
    print()


def report(args, timings, standings, floor, bare, page, subject_code, code, rendered) -> None:
    print("\n## Result\n")
    print(
        f"{args.municipalities:,} municipalities, {args.indicators} indicators, {args.years} "
        f"years; gunicorn {args.workers} workers; wrk {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s per URL.\n"
    )
    portal = sum(t["total"] for t in timings) + (standings or 0.0)
    if timings:
        _import_table(timings, standings or 0.0, floor)
    print("| what | p50 ms | p95 ms | requests/s | requests |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(
        f"| comparison page ({subject_code} against the country) | {page['p50']:.1f} | "
        f"{page['p95']:.1f} | {page['rate']:.1f} | {page['requests']} |"
    )
    print(
        f"| bare Django view | {bare['p50']:.1f} | {bare['p95']:.1f} | {bare['rate']:.1f} | "
        f"{bare['requests']} |"
    )
    print()
    aims = [
        ("comparison p50 / bare p50", page["p50"] / bare["p50"], AIM_P50),
        ("comparison p95 / bare p95", page["p95"] / bare["p95"], AIM_P95),
    ]
    if timings:
        aims.insert(0, ("import and standings / floor", portal / sum(floor.values()), AIM_FLOOR))
    if rendered:
        aims.append(("programme report, WeasyPrint s", float(rendered["weasyprint_s"]), AIM_REPORT))
    for what, value, aim in aims:
        verdict = "met" if value <= aim else "not met"
        print(f"{what}: {value:.2f} (aim: at most {aim:g}): {verdict}")
    if rendered:
        print(f"(the programme report: {rendered['pages']} pages, {rendered['networks']} networks)")
    print("\n| machine | |\n| --- | --- |")
    for key, value in machine(code).items():
        print(f"| {key} | {value} |")
    fields = {
        "import_s": sum(t["total"] for t in timings) if timings else None,
        "standings_s": standings,
        "floor_s": sum(floor.values()) if floor else None,
        "page_p50_ms": page["p50"],
        "bare_p50_ms": bare["p50"],
        "page_p95_ms": page["p95"],
        "bare_p95_ms": bare["p95"],
        "report_s": float(rendered["weasyprint_s"]) if rendered else None,
    }
    print(
        "\nBENCH " + " ".join(f"{k}={'-' if v is None else f'{v:.2f}'}" for k, v in fields.items())
    )


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    env = environment()
    os.environ.update(env)
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks in process (and held, see below)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    started = time.perf_counter()
    code = code_version()
    if not args.load_only:
        print(f"Database: {env['DATABASE_URL']} (dropped and created)")
        reset_database(env["DATABASE_URL"])
        migrate(env)
    import django

    django.setup()
    timings, standings, floor = [], None, {}
    if not args.load_only:
        create_register(args.municipalities, args.seed)
        print(f"Register: {args.municipalities:,} municipalities in country {COUNTRY_CODE}")
        floor = measure_floor(args)
        with standings_task_held() as held:
            timings, subject_values = import_all(args)
        print(f"Standings tasks the imports enqueued: {len(held)} (held, not run)")
        standings = refresh_standings()
        print(
            "standings_refresh: "
            + ("not present (skipped)" if standings is None else f"{standings:.1f} s")
        )
        print(f"ANALYZE after the load (as autovacuum would; not counted): {analyze():.1f} s")
    else:
        subject_values = {
            indicator_meta(i)["code"]: indicator_values(
                i, args.municipalities, args.years, args.seed
            )[args.municipalities // 2, -1]
            for i in range(args.indicators)
        }
    from networks.models import Municipality

    subject_code = municipality_codes(args.municipalities)[args.municipalities // 2]
    subject = Municipality.objects.get(code=subject_code)
    page = f"/municipalities/{subject.pk}/keyfigures/?compare=country&year={args.last_year}"
    cookie = session_cookie()
    server = start_server(args, env)
    try:
        check_pages(args, cookie, page, subject_values)
        with tempfile.TemporaryDirectory() as workdir:
            base = f"http://127.0.0.1:{args.port}"
            print(f"Load: {page} ...", flush=True)
            page_load = load(args, base + page, cookie, Path(workdir))
            print("Load: /bench/bare/ ...", flush=True)
            bare_load = load(args, base + "/bench/bare/", cookie, Path(workdir))
    finally:
        stop_server(server)
    rendered = programme_report(args)
    report(args, timings, standings, floor, bare_load, page_load, subject_code, code, rendered)
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
