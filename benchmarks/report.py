"""Scales of a run, the printed figures with their targets, and the final JSON line.

A measurement that did not finish in its time (or failed) arrives as `Unfinished`: it is
printed with its reason and its figure is null in the JSON line (false for the query check).
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.export import ExportFigure
from benchmarks.inprocess import PAGES, CloseCost, PageCost
from benchmarks.load import LoadFigures

EXPORT_RATIO_TARGET = 1.5
EXPORT_PEAK_MB_TARGET = 300
CLOSE_SCALING_TARGET = 11
PAGE_TIME_RATIO_TARGET = 1.5
PAGE_STATEMENTS_TARGET = 20
PAGE_BYTES_TARGET_KB = 500
ADMIN_PAGE_RATIO_TARGET = 3
ADMIN_PAGE_TIME_RATIO_TARGET = 1.5
#: The administrator's pages that cover the whole country.
ADMIN_PAGES = ("dashboard", "report page")


@dataclass(frozen=True)
class Scale:
    """Teams at 1x and 10x, school years, repetitions and time limits of the measurements."""

    name: str
    small_teams: int
    large_teams: int
    years: int
    repeats: int
    admin_repeats: int
    export_repeats: int
    page_limit_s: float
    export_limit_s: float
    close_limit_s: float


FULL = Scale("full", 100, 1000, 2, repeats=15, admin_repeats=15, export_repeats=2,
             page_limit_s=180, export_limit_s=300, close_limit_s=300)
QUICK = Scale("quick (a tenth)", 10, 100, 2, repeats=9, admin_repeats=9, export_repeats=2,
              page_limit_s=90, export_limit_s=90, close_limit_s=120)


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def heading(machine: dict[str, str], scale: Scale, month: str) -> None:
    """Print the machine and what is measured."""
    print("Polare benchmarks")
    for key, value in machine.items():
        print(f"  {key:<22} {value}")
    print(f"  {'scale':<22} {scale.name}: 1x = {scale.small_teams} teams, "
          f"10x = {scale.large_teams} teams, {scale.years} school years, month {month}")
    print(flush=True)


def _page_line(name: str, one: object, ten: object) -> str:
    if isinstance(one, PageCost) and isinstance(ten, PageCost):
        flag = "" if one.queries == ten.queries else "  queries differ"
        return (f"  {name:<14}{one.queries:>6}{ten.queries:>6}  "
                f"{one.median_s * 1000:>9.1f}{ten.median_s * 1000:>9.1f}"
                f"{ten.median_s / one.median_s:>8.2f}{ten.bytes / 1024:>8.0f}{flag}")
    return f"  {name:<14} 1x: {_short(one)}; 10x: {_short(ten)}"


def _short(result: object) -> str:
    if isinstance(result, PageCost):
        return f"{result.queries} queries, {result.median_s * 1000:.1f} ms"
    return str(result).splitlines()[0]


def pages(costs: dict[str, list[list[object]]]) -> None:
    """Print statements per request and median times at 1x and 10x, per role."""
    for role, (small, large) in costs.items():
        print(f"Pages as {role} of team 1: statements per request and median time")
        print(f"  {'page':<14}{'1x':>6}{'10x':>6}  {'1x ms':>9}{'10x ms':>9}{'10x/1x':>8}"
              f"{'10x KB':>8}")
        for (name, _path), one, ten in zip(PAGES, small, large, strict=True):
            print(_page_line(name, one, ten))
    print(flush=True)


#: The final file of a closed month, which the payroll office imports (`export_ratio`); the
#: preliminary export of the open month, which also computes the month from all
#: participations, has the same target (`preliminary_export_ratio`).
TARGET_EXPORT = "closed"
PRELIMINARY_EXPORT = "open"


def exports(figures: dict[str, object]) -> None:
    """Print the export runs against plain openpyxl."""
    for label, figure in figures.items():
        if not isinstance(figure, ExportFigure):
            print(f"Payroll export ({label} period): {figure}")
            continue
        rows = ", ".join(f"{title} {count:,}" for title, count in figure.rows.items())
        print(f"Payroll export ({label} period): {rows} rows; "
              f"{figure.plain[0].cells:,} cells")
        print("  export   wall " + ", ".join(f"{r.wall_s:.2f}" for r in figure.runs)
              + " s; CPU " + ", ".join(f"{r.cpu_s:.2f}" for r in figure.runs)
              + " s; peak " + ", ".join(f"{r.peak_mb:.0f}" for r in figure.runs) + " MB")
        print("  openpyxl wall " + ", ".join(f"{p.wall_s:.2f}" for p in figure.plain)
              + " s; CPU " + ", ".join(f"{p.cpu_s:.2f}" for p in figure.plain) + " s")
        ratio = (f"  ratio (best / best) {figure.ratio:.2f} wall, {figure.cpu_ratio:.2f} CPU: "
                 f"{_verdict(figure.ratio <= EXPORT_RATIO_TARGET)} (<= {EXPORT_RATIO_TARGET})")
        print(f"{ratio}; peak {figure.peak_mb:.0f} MB: "
              f"{_verdict(figure.peak_mb <= EXPORT_PEAK_MB_TARGET)} "
              f"(<= {EXPORT_PEAK_MB_TARGET} MB)")
    print(flush=True)


def closes(costs: list[object]) -> None:
    """Print preview and close at 1x and 10x."""
    print("Payroll preview and close of the month")
    for label, cost in zip(("1x", "10x"), costs, strict=True):
        if isinstance(cost, CloseCost):
            print(f"  {label:<4} {cost.lines:>7,} lines: preview {cost.preview_s:.2f} s, "
                  f"close {cost.close_s:.2f} s")
        else:
            print(f"  {label:<4} {cost}")
    small, large = costs
    if isinstance(small, CloseCost) and isinstance(large, CloseCost):
        scaling = large.total_s / small.total_s
        print(f"  10x / 1x: {scaling:.2f} (preview {large.preview_s / small.preview_s:.2f}, "
              f"close {large.close_s / small.close_s:.2f}): "
              f"{_verdict(scaling <= CLOSE_SCALING_TARGET)} (<= {CLOSE_SCALING_TARGET})")
    print(flush=True)


def load(figures: object) -> None:
    """Print the load run and what was counted back."""
    if not isinstance(figures, LoadFigures):
        print(f"Load: not measured ({figures})\n", flush=True)
        return
    print("Load: gunicorn 4 workers on PostgreSQL, 20 users")
    print(f"  {figures.requests:,} requests, {figures.failures} errors, {figures.rps:.1f} "
          f"requests/s, p95 {figures.p95_ms:.0f} ms")
    print(f"  saved and confirmed: {figures.walks_reported} walks logged, "
          f"{figures.activations_reported} activations; {figures.refused} refusals by the rules")
    print(f"  counted back: {figures.lost_writes} lost writes; team-years over the cap: "
          f"{figures.cap_exceeded}")
    for line in figures.details:
        print(f"    {line}")
    print(flush=True)


def _page_figures(page_costs: dict[str, list[list[object]]]) -> tuple[bool, float | None]:
    """Return whether every page sent as many statements at 10x as at 1x, and the largest
    time ratio of the coordinator's pages (None when one was not measured)."""
    equal = all(isinstance(one, PageCost) and isinstance(ten, PageCost)
                and one.queries == ten.queries
                for small, large in page_costs.values()
                for one, ten in zip(small, large, strict=True))
    ratios = [ten.median_s / one.median_s if isinstance(one, PageCost)
              and isinstance(ten, PageCost) else None
              for one, ten in zip(*page_costs["coordinator"], strict=True)]
    worst = None if None in ratios else round(max(r for r in ratios if r is not None), 3)
    return equal, worst


def figures(export_figures: dict[str, object], close_costs: list[object],
            page_costs: dict[str, list[list[object]]], load_figures: object) -> dict[str, object]:
    """Return the figures of the final JSON line."""
    final = export_figures.get(TARGET_EXPORT)
    preliminary = export_figures.get(PRELIMINARY_EXPORT)
    measured = [f for f in export_figures.values() if isinstance(f, ExportFigure)]
    complete = len(measured) == len(export_figures)
    small, large = close_costs
    closed = isinstance(small, CloseCost) and isinstance(large, CloseCost)
    equal, page_ratio = _page_figures(page_costs)
    admin_ratio, admin_time_ratio = _admin_figures(page_costs)
    measured_pages = [cost for costs in page_costs.values() for scale in costs
                      for cost in scale]
    all_pages = all(isinstance(cost, PageCost) for cost in measured_pages)
    load_ok = isinstance(load_figures, LoadFigures)
    return {
        "export_ratio": round(final.ratio, 3) if isinstance(final, ExportFigure) else None,
        "preliminary_export_ratio": (round(preliminary.ratio, 3)
                                     if isinstance(preliminary, ExportFigure) else None),
        "export_peak_mb": round(max(f.peak_mb for f in measured), 1) if complete else None,
        "close_scaling": round(large.total_s / small.total_s, 3) if closed else None,
        "page_queries_equal": equal,
        "page_time_ratio_max": page_ratio,
        "page_statements_max": max(c.queries for c in measured_pages) if all_pages else None,
        "page_bytes_max": (round(max(c.bytes for c in measured_pages) / 1024, 1)
                           if all_pages else None),
        "admin_page_ratio_max": admin_ratio,
        "admin_page_time_ratio_max": admin_time_ratio,
        "load_errors": load_figures.failures if load_ok else None,
        "lost_writes": load_figures.lost_writes if load_ok else None,
        "cap_exceeded": load_figures.cap_exceeded if load_ok else None,
        "rps": round(load_figures.rps, 1) if load_ok else None,
        "p95_ms": load_figures.p95_ms if load_ok else None,
    }




def _admin_figures(
    page_costs: dict[str, list[list[object]]]
) -> tuple[float | None, float | None]:
    """Return the worst ratio of the administrator's country pages to the coordinator's same
    pages at 10x, and the worst ratio of the administrator's pages at 10x to 1x."""
    names = [name for name, _path in PAGES]
    admin_small, admin_large = page_costs["admin"]
    coordinator_large = page_costs["coordinator"][1]
    to_coordinator, to_small = [], []
    for name in ADMIN_PAGES:
        index = names.index(name)
        one, ten, theirs = admin_small[index], admin_large[index], coordinator_large[index]
        if not all(isinstance(cost, PageCost) for cost in (one, ten, theirs)):
            return None, None
        to_coordinator.append(ten.median_s / theirs.median_s)
        to_small.append(ten.median_s / one.median_s)
    return round(max(to_coordinator), 3), round(max(to_small), 3)


def page_targets(figures: dict[str, object]) -> None:
    """Print the page figures of the JSON line against their targets."""
    checks = (("page_statements_max", PAGE_STATEMENTS_TARGET, "statements per request"),
              ("page_bytes_max", PAGE_BYTES_TARGET_KB, "KB of HTML"),
              ("admin_page_ratio_max", ADMIN_PAGE_RATIO_TARGET,
               "administrator's country pages / the coordinator's, at 10x"),
              ("admin_page_time_ratio_max", ADMIN_PAGE_TIME_RATIO_TARGET,
               "administrator's country pages at 10x / at 1x"))
    print("Page targets")
    for key, target, what in checks:
        value = figures[key]
        verdict = "not measured" if value is None else _verdict(value <= target)
        print(f"  {key:<26} {value}: {verdict} (<= {target}; {what})")
    print(flush=True)
