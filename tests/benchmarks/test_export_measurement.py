"""The export benchmark measures the export process alone, not the benchmark that starts it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks.export import measure_process

#: More than a bare interpreter could ever take.
BALLAST_MB = 256


def test_peak_memory_is_the_commands_own_not_the_benchmarks(tmp_path: Path) -> None:
    # Linux hands a forked child its parent's high-water mark: raise ours well above what a
    # bare interpreter takes, give the memory back, then measure one.
    ballast = b"\1" * (BALLAST_MB << 20)  # written, so resident
    del ballast
    run = measure_process([sys.executable, "-c", "pass"], env=dict(os.environ),
                          log=tmp_path / "pass.log", timeout=60)
    assert run.peak_mb < BALLAST_MB / 4
    assert run.wall_s > 0
    assert run.cpu_s > 0
