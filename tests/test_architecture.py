"""The shape of the code (issue 19): one path for transactions, no import cycles."""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "polare"
ROUTE_MODULE = re.compile(r"(routes|_routes|_views)\.py$")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports() -> dict[str, set[str]]:
    """Each module's imports of other polare modules made when it is imported."""
    paths = {_module_name(path): path for path in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            graph[name] |= {t for t in targets if t in paths and t != name}
    return graph


def test_no_import_cycle_among_modules():
    try:
        tuple(TopologicalSorter(_module_level_imports()).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


def test_route_modules_neither_commit_nor_roll_back_nor_catch_refusals():
    offending = []
    for path in ROOT.rglob("*.py"):
        if not ROUTE_MODULE.search(path.name):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.commit\(\)|\.rollback\(\)|except\s*\(?\s*\w*(Domain|NotFound|"
                         r"PermissionDenied|Conflict)Error", line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offending == []

