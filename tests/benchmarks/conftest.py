"""A tiny generated database (2 teams, 1 school year) shared by the generator's smoke tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from benchmarks.generate import Plan, generate
from tests.conftest import TODAY

#: Settings of the apps these tests make: keep the suite's strict audit guard on.
TEST_APP_CONFIG = {"TESTING": True, "POLARE_STRICT_AUDIT": True}
TINY = Plan(teams=2, years=1, today=TODAY)


def generate_sqlite(directory: Path, plan: Plan) -> str:
    """Generate the plan into a new SQLite file in the directory; return its URL."""
    url = f"sqlite:///{directory / 'bench.sqlite3'}"
    generate(url, plan, quiet=True, app_config=TEST_APP_CONFIG)
    return url


@pytest.fixture(scope="module")
def tiny_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a database generated with --teams 2 --years 1, relative to TODAY."""
    return generate_sqlite(tmp_path_factory.mktemp("tiny"), TINY)


@pytest.fixture(scope="module")
def tiny(tiny_url: str) -> Iterator[Engine]:
    """An engine on the tiny generated database."""
    engine = create_engine(tiny_url)
    yield engine
    engine.dispose()
