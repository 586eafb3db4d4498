"""The programme review report of the demo data, timed: WeasyPrint against headless Chromium,
and the render's time and memory as the networks grow.

    .venv/bin/python bench/reports.py                 # 5 runs of each
    .venv/bin/python bench/reports.py --networks 20   # 20 Norwegian pilots, the demo's data each
    .venv/bin/python bench/reports.py --runs 9 --database-url postgres://.../cemsdi_bench_reports

The steps:

1. drop and create the PostgreSQL database (its name must contain "bench"), migrate it and
   load the demo data (``seed_demo``: 5 Norwegian pilots and 4 of other countries); with
   ``--networks N``, N - 5 more Norwegian pilots first (12 municipalities each, by county, from
   the register's municipalities in no pilot yet), which ``seed_demo`` then gives gatherings,
   attendance, strategies, key figures and self-assessments as it gives the demo's own; not
   timed;
2. build the report's HTML once as the worker does (selectors and template, in English),
   timed on its own;
3. WeasyPrint: the same HTML to PDF through ``reports.pdf.html_to_pdf`` (the stylesheet, the
   fonts through the static-files fetcher, PDF/UA-1), ``--runs`` times;
4. Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright, the flags of the browser
   tests): the same HTML with the same stylesheet, the fonts served from the same fetcher
   through request routing, ``page.set_content`` then ``page.pdf(format="A4")``, ``--runs``
   times in one browser (its start is timed apart);
5. a table of medians (and min to max), pages and sizes, and the ratio;
6. the memory of one render: before any render in the bench's process, a forked process
   renders once and reports how far its resident memory rose above what it started with (its
   peak, from ``getrusage``, less its size at the fork).

The aim (from the reports issue): about a second for WeasyPrint. bench/README.md has the
numbers and the machine.
"""

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path: put the project in its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cemsdi_bench_reports"
CHROMIUM = "/usr/bin/chromium"


def _more_pilots(count: int) -> None:
    """``count`` more Norwegian pilots of the demo's programme, each 12 municipalities of one
    county that are in no pilot yet, with a facilitator and participants as the demo's."""
    from itertools import islice

    from networks import demo
    from networks.models import Country, Municipality, Programme

    norway = Country.objects.get(code="NO")
    programme = Programme.objects.get(acronym="CEMSDI")
    users = demo._Users()
    taken = set(programme.networks.values_list("municipalities__code", flat=True))
    free = Municipality.objects.filter(country=norway).exclude(code__in=taken).order_by("code")
    by_region: dict = {}
    for municipality in free.select_related("region"):
        by_region.setdefault(municipality.region, []).append(municipality.code)
    groups = (
        (region, codes[start : start + 12])
        for region, codes in sorted(by_region.items(), key=lambda item: item[0].code)
        for start in range(0, len(codes) - 11, 12)
    )
    first = demo.PILOTS[0]
    person_index = 10_000
    for number, (region, codes) in enumerate(islice(groups, count), start=1):
        spec = demo.PilotSpec(
            name=f"Bench pilot {number} ({region.name})",
            region_code=region.code,
            start=first.start,
            end=first.end,
            municipality_codes=tuple(codes),
            mayors=6,
            staff=3,
            facilitator=(f"bench-facilitator-{number}", "Bench", f"Facilitator {number}"),
        )
        person_index = demo.seed_pilot(
            spec, programme=programme, norway=norway, users=users, person_index=person_index
        )
    made = programme.networks.filter(name__startswith="Bench pilot").count()
    if made < count:
        sys.exit(f"Only {made} more pilots could be made from the register, not {count}.")


def _prepare_database(url: str, networks: int) -> None:
    name = url.rsplit("/", 1)[-1]
    if "bench" not in name:
        sys.exit(f"The database name must contain 'bench' (it is dropped): {name!r}")
    import psycopg2

    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # In this process (Django is set up by then): the demo's programme, more pilots, the rest.
    from contextlib import redirect_stderr, redirect_stdout

    from django.core.management import call_command

    from networks.demo import PILOTS, seed_networks

    # Quiet: the demo's e-mails go to the console backend, its tasks' logs to stderr.
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        if networks > len(PILOTS):
            seed_networks()
            _more_pilots(networks - len(PILOTS))
        call_command("seed_demo", stdout=io.StringIO())


def _timed(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def _cpu() -> str:
    try:
        lines = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return platform.processor() or "unknown"
    model = next(
        (line.split(":", 1)[1].strip() for line in lines.splitlines() if "Model name" in line),
        "unknown",
    )
    return f"{model}, {os.cpu_count()} cores"


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--networks", type=int, default=5, help="Norwegian pilots (the demo has 5)")
    parser.add_argument("--keep", action="store_true", help="reuse the database of a last run")
    parser.add_argument("--output", help="also write the WeasyPrint PDF here")
    return parser.parse_args()


def _chromium(html: str, stylesheet: str, runs: int) -> tuple[list[float], bytes, float | None]:
    """Chromium's times, its last PDF and its start; nothing where it is not installed."""
    if not Path(CHROMIUM).exists():
        return [], b"", None
    from playwright.sync_api import sync_playwright

    from reports import pdf

    fetcher = pdf.static_files_fetcher()

    def serve(route):
        try:
            response = fetcher.fetch(route.request.url)
        except pdf.FetchRefused:
            route.abort()
            return
        route.fulfill(body=response.read(), content_type=response.content_type)

    # The same document for both: the stylesheet WeasyPrint is given, inlined.
    page_html = html.replace(
        "</head>", f'<base href="{pdf.BASE_URL}"><style>{stylesheet}</style></head>', 1
    )
    with sync_playwright() as playwright:
        start = time.perf_counter()
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.route("**/*", serve)
        launch = time.perf_counter() - start

        def print_pdf():
            page.set_content(page_html, wait_until="load")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)

        times, content = _timed(print_pdf, runs)
        browser.close()
    return times, content, launch


def _print_table(rows: list[tuple[str, list[float], bytes | None]]) -> None:
    from pypdf import PdfReader

    print("| step | median s | min to max s | pages | size KB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, times, content in rows:
        size = f"{len(content) / 1024:.0f}" if content else ""
        count = len(PdfReader(io.BytesIO(content)).pages) if content else ""
        print(
            f"| {label} | {statistics.median(times):.3f} | "
            f"{min(times):.3f} to {max(times):.3f} | {count} | {size} |"
        )


def _resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def _render_memory_mb(html: str, stylesheet: str) -> float | None:
    """How far one render raises a fresh fork's resident memory, in MB (Linux only)."""
    import multiprocessing
    import resource

    from reports import pdf

    if not Path("/proc/self/status").exists():
        return None

    def child(queue):
        before = _resident_kb()
        pdf.html_to_pdf(html, css=stylesheet)
        queue.put((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(queue,))
    process.start()
    grown = queue.get(timeout=600)
    process.join()
    return grown


def main() -> None:
    options = _options()
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cemsdi_portal.settings")
    import django

    django.setup()
    if not options.keep:
        from django.db import connections

        connections.close_all()
        _prepare_database(options.database_url, options.networks)
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from networks.models import Programme
    from reports import documents, pdf

    programme = Programme.objects.get(acronym="CEMSDI")
    networks = programme.networks.count()
    municipalities = programme.networks.values("municipalities").distinct().count()

    def build_html():
        with translation.override("en"):
            document = documents.programme_document(programme)
            html = render_to_string(
                document.template,
                {
                    **document.context,
                    "document": document,
                    "language": "en",
                    "generated_at": timezone.localtime(),
                },
            )
            return html, pdf.stylesheet()

    build_times, (html, stylesheet) = _timed(build_html, options.runs)
    # Before any render here, so that the fork starts without a render's memory in it.
    memory = _render_memory_mb(html, stylesheet)
    weasy_times, rendered = _timed(lambda: pdf.html_to_pdf(html, css=stylesheet), options.runs)
    if options.output:
        Path(options.output).write_bytes(rendered.content)
    chromium_times, chromium_pdf, launch = _chromium(html, stylesheet, options.runs)

    print(
        f"\nProgramme review report of the demo data: {networks} networks, "
        f"{municipalities} municipalities; {options.runs} runs each."
    )
    weasy = statistics.median(weasy_times)
    print(
        f"WeasyPrint: {rendered.page_count} pages, {weasy / rendered.page_count:.3f} s a page"
        + (f"; one render raised the process's memory by {memory:.0f} MB." if memory else ".")
    )
    print(f"Machine: {_cpu()}; Python {platform.python_version()}.")
    import weasyprint

    print(f"WeasyPrint {weasyprint.__version__}; Chromium at {CHROMIUM}.\n")
    rows = [
        ("HTML built (selectors + template)", build_times, None),
        ("WeasyPrint: HTML to PDF", weasy_times, rendered.content),
    ]
    if chromium_times:
        rows.append(("Chromium: HTML to PDF", chromium_times, chromium_pdf))
    _print_table(rows)
    if chromium_times:
        ratio = statistics.median(weasy_times) / statistics.median(chromium_times)
        print(f"\nChromium's start (once): {launch:.3f} s.")
        print(f"WeasyPrint / Chromium (medians): {ratio:.2f}")
        total = statistics.median(build_times) + statistics.median(weasy_times)
        print(f"A worker's render (HTML built + WeasyPrint): {total:.3f} s.")
    else:
        print(f"\nChromium is not installed at {CHROMIUM}: only WeasyPrint was timed.")
    # For scripts (bench/benchmarking.py reads it): the median WeasyPrint render.
    print(
        f"REPORT pages={rendered.page_count} weasyprint_s={weasy:.3f} "
        f"memory_mb={memory or 0:.0f} networks={networks}"
    )


if __name__ == "__main__":
    main()
