"""Measure Polare at national scale; every figure is a ratio of two timings of this same run.

    .venv/bin/python benchmarks/run.py [--quick] [--database-url URL] [--postgres-url URL]

Without --database-url the figures 1-3 run on SQLite files in a scratch folder; with a
PostgreSQL URL (any database on the server) they run on databases made there and dropped
afterwards. The load (4) always runs on PostgreSQL (--postgres-url, default the local
server). --quick runs everything at a tenth of the scale. See BENCHMARKS.md.

1. export_ratio: wall time of `flask --app app payroll export MONTH --out FILE` at 1,000
   teams (about 60,000 lines) / time of writing the same cells (values and number formats,
   read back from the file) with plain openpyxl (write-only), for the final export of the
   closed month, the file the payroll office imports.
   preliminary_export_ratio: the same for the preliminary export of the open month, which
   also computes the month from every participation before writing.
   export_peak_mb: peak resident memory of either export process.
2. close_scaling: preview + close of the month at 10x the lines / at 1x.
3. page_queries_equal, page_time_ratio_max: roster, walk list, person page, dashboard and
   report page at 1x and 10x data (100 / 1,000 teams): statements per request must be equal
   (for a coordinator and for an administrator); median time at 10x / at 1x for the
   coordinator, whose pages show the same team whatever the size of the country.
   page_statements_max, page_bytes_max: the most statements and KB of any measured page.
   admin_page_ratio_max: the administrator's start page and report page (the whole country,
   from the follow-up aggregates) at 10x / the coordinator's same pages at 10x.
   admin_page_time_ratio_max: the administrator's those pages at 10x / at 1x.
4. load_errors, lost_writes, cap_exceeded, rps, p95_ms: gunicorn with 4 workers, 20 locust
   users for 60 s (see benchmarks/locustfile.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
try:
    import flask  # noqa: F401
except ImportError:  # run with the system Python: use the project's environment instead
    if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON:
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])  # noqa: S606
    raise
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import report  # noqa: E402
from benchmarks.bounded import Unfinished, bounded  # noqa: E402
from benchmarks.export import measure_export  # noqa: E402
from benchmarks.generate import Plan, generate  # noqa: E402
from benchmarks.inprocess import (  # noqa: E402
    PAGES,
    CloseCost,
    measure_page,
    preview_and_close,
)
from benchmarks.load import run_load  # noqa: E402
from benchmarks.scratch import Scratch, machine  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the scale")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL server for figures 1-3 (default: SQLite files)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES,
                        help="PostgreSQL server for the load (4)")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch folder and databases")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Run every measurement and print the figures, then one JSON line."""
    args = parse_args(argv)
    scale = report.QUICK if args.quick else report.FULL
    workdir = Path(tempfile.mkdtemp(prefix="polare-bench-"))
    try:
        figures = measure(args, scale, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures))
    return figures


def measure_all_pages(urls: tuple[str, str], instance: str,
                      scale: report.Scale) -> dict[str, list[list[object]]]:
    """Measure every page for a coordinator and an administrator at 1x and 10x.

    A page that does not finish at 1x is not tried at 10x.
    """
    pages: dict[str, list[list[object]]] = {}
    for role, username, repeats in (("coordinator", "samordnare0001", scale.repeats),
                                    ("admin", "admin", scale.admin_repeats)):
        small: list[object] = []
        large: list[object] = []
        for page in PAGES:
            for url, results in zip(urls, (small, large), strict=True):
                if results is large and isinstance(small[-1], Unfinished):
                    results.append(Unfinished("not tried: 1x did not finish"))
                    continue
                results.append(bounded(scale.page_limit_s, measure_page, url, instance,
                                       username, team_id=1, page=page, repeats=repeats,
                                       budget_s=scale.page_limit_s / 3))
        pages[role] = [small, large]
    return pages


def measure_export_or_note(url: str, instance: str, month: str, workdir: Path,
                           scale: report.Scale, label: str) -> object:
    """Measure the export, or return why it could not be measured."""
    try:
        return measure_export(url, instance, month, workdir, repeats=scale.export_repeats,
                              plain_repeats=2, label=label, timeout=scale.export_limit_s)
    except (TimeoutError, RuntimeError) as error:
        return Unfinished(str(error))


def measure(args: argparse.Namespace, scale: report.Scale, workdir: Path) -> dict[str, object]:
    """Generate the databases, measure figures 1-4 and print them; return the figures."""
    from polare.clock import local_today

    instance, today = str(workdir), local_today()
    small = Plan(scale.small_teams, scale.years, today)
    large = Plan(scale.large_teams, scale.years, today)
    month = large.bench_month
    with (Scratch(workdir, args.database_url, keep=args.keep) as scratch,
          Scratch(workdir, args.postgres_url, keep=args.keep) as server):
        report.heading(machine(scratch.version(), f"load on {server.version()}"), scale, month)
        urls = scratch.database("1x"), scratch.database("10x")
        generate(urls[0], small)
        generate(urls[1], large)
        pages = measure_all_pages(urls, instance, scale)
        report.pages(pages)
        exports = {"open": measure_export_or_note(urls[1], instance, month, workdir, scale,
                                                  "open")}
        closes = [bounded(scale.close_limit_s, preview_and_close, url, instance, month)
                  for url in urls]
        exports["closed"] = (
            measure_export_or_note(urls[1], instance, month, workdir, scale, "closed")
            if isinstance(closes[1], CloseCost)
            else Unfinished(f"not measured: {month} could not be closed at 10x"))
        report.exports(exports)
        report.closes(closes)
        load: object = Unfinished(server.unavailable_reason)
        if server.available:
            url_load = server.database("load")
            generate(url_load, small)
            try:
                load = run_load(url_load, small, workdir, seconds=args.load_seconds)
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                load = Unfinished(f"failed: {error}")
        report.load(load)
    figures = report.figures(exports, closes, pages, load)
    report.page_targets(figures)
    return figures


if __name__ == "__main__":
    main()
