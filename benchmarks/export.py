"""The payroll export as users run it (a subprocess) against plain openpyxl writing its cells."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).with_name("flask")


@dataclass(frozen=True)
class ExportRun:
    """Wall and CPU seconds and peak resident memory of one export process."""

    wall_s: float
    cpu_s: float
    peak_mb: float


def app_environment(database_url: str, instance_dir: str) -> dict[str, str]:
    """Return the environment the app's processes (CLI, gunicorn) run with."""
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "polare-benchmark",
            "POLARE_INSTANCE_DIR": instance_dir, "FLASK_DEBUG": "0"}


#: Runs the command in argv[2:] and writes its wall seconds, CPU seconds and peak resident
#: memory (wait4) as JSON to the file argv[1]. Linux gives a child the peak of the process it
#: was forked from (the high-water mark of the forked copy is kept across exec): measured from
#: the benchmark itself, which has just closed a month in memory, the export "peaked" at the
#: benchmark's 400 MB. This launcher starts fresh, so the child it forks carries only its few
#: megabytes.
_LAUNCHER = """
import json
import os
import subprocess
import sys
import time

started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
               "peak_mb": usage.ru_maxrss / 1024}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_export(database_url: str, instance_dir: str, month: str, out: Path, *,
               timeout: float) -> ExportRun:
    """Run `flask --app app payroll export MONTH --out FILE` and measure it."""
    command = [str(FLASK), "--app", "app", "payroll", "export", month, "--out", str(out)]
    try:
        return measure_process(command, env=app_environment(database_url, instance_dir),
                               log=out.with_suffix(".log"), timeout=timeout)
    except TimeoutError as error:
        raise TimeoutError(f"payroll export did not finish within {timeout:.0f} s") from error
    except RuntimeError as error:
        raise RuntimeError(f"payroll export failed: {error}") from error


def measure_process(command: list[str], *, env: dict[str, str], log: Path,
                    timeout: float) -> ExportRun:
    """Run a command in the project folder, its output to `log`; measure it with wait4 from a
    launcher of its own (see `_LAUNCHER`)."""
    figures = log.with_suffix(".rusage.json")
    figures.unlink(missing_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(figures), *command],
                                   cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise TimeoutError(f"{command[0]} did not finish within {timeout:.0f} s") from None
    if process.returncode != 0:
        raise RuntimeError(f"exit status {process.returncode}: "
                           f"{log.read_text(errors='replace')[-2000:]}")
    return ExportRun(**json.loads(figures.read_text()))


#: A cell as read back: its value and number format.
CellValue = tuple[Any, str]


def read_cells(path: Path) -> list[tuple[str, list[tuple[CellValue, ...]]]]:
    """Return every sheet's title and rows (header included): each cell's value and format."""
    workbook = load_workbook(path, read_only=True)
    try:
        return [(sheet.title, [tuple((cell.value, cell.number_format) for cell in row)
                               for row in sheet.iter_rows()])
                for sheet in workbook.worksheets]
    finally:
        workbook.close()


@dataclass(frozen=True)
class PlainWrite:
    """Seconds (wall and CPU) to write the cells with plain openpyxl, and how many."""

    wall_s: float
    cpu_s: float
    cells: int


def plain_openpyxl(sheets: list[tuple[str, list[tuple[CellValue, ...]]]],
                   out: Path) -> PlainWrite:
    """Write the same cells with openpyxl's write-only mode as its documentation shows: each
    value as it is, and a WriteOnlyCell with its number format where the cell has one."""
    started, cpu_started = time.perf_counter(), time.process_time()
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([_plain_cell(sheet, value, number_format)
                          for value, number_format in row])
    workbook.save(out)
    cells = sum(len(row) for _title, rows in sheets for row in rows)
    return PlainWrite(time.perf_counter() - started, time.process_time() - cpu_started, cells)


def _plain_cell(sheet: Any, value: Any, number_format: str) -> Any:
    if value is None or number_format == "General":
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


@dataclass(frozen=True)
class ExportFigure:
    """The best of several export runs against the best of several plain writes."""

    runs: list[ExportRun]
    plain: list[PlainWrite]
    rows: dict[str, int]

    @property
    def ratio(self) -> float:
        return min(r.wall_s for r in self.runs) / min(p.wall_s for p in self.plain)

    @property
    def cpu_ratio(self) -> float:
        return min(r.cpu_s for r in self.runs) / min(p.cpu_s for p in self.plain)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


def measure_export(database_url: str, instance_dir: str, month: str, workdir: Path, *,
                   repeats: int, plain_repeats: int, label: str,
                   timeout: float) -> ExportFigure:
    """Export the month `repeats` times and write its cells `plain_repeats` times with openpyxl
    (the best of each counts)."""
    out = workdir / f"arvoden-{month}-{label}.xlsx"
    runs = [run_export(database_url, instance_dir, month, out, timeout=timeout)
            for _ in range(repeats)]
    sheets = read_cells(out)
    plain = [plain_openpyxl(sheets, workdir / f"plain-{label}.xlsx")
             for _ in range(plain_repeats)]
    rows = {title: len(rows) - 1 for title, rows in sheets}
    return ExportFigure(runs, plain, rows)
