"""Generate realistic synthetic Polare data at national scale, written through bulk inserts.

    python benchmarks/generate.py --teams 1000 --years 2 [--database-url URL] [--seed N]

The database must be empty: the schema is created as `flask db upgrade` does, then every row is
written in batches of 50,000 with SQLAlchemy Core's compiled `insert()` and the driver's
executemany (COPY on PostgreSQL): no ORM objects, no audit entries (see benchmarks/bulk.py).
The same arguments (and the same --today) always give the same data. Each team gets its own
random stream, so team 1 is identical at every scale.

Per team: a home district and four around it, a cost centre, a coordinator and two
supervisors, 20 active polare per school year (half of last year's return; minors have a
guardian and consent), a few who leave mid-year and are replaced, about 12 walks per month
with 3-6 polare (approved, some absent, some cancelled), counts met and talked with,
incidents, events with invitations and attendance. One rate table (with an indexed version
from the next January) covers ages 15-20 and years >= 1. Every month before the month before
today is closed with its frozen pay lines; the month before today (`Plan.bench_month`, about
60 payable lines per team) is left open for the payroll benchmarks, with a few late entries
and corrections waiting in it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time as clock
from datetime import date
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, Table, func, select, text, update  # noqa: E402

from benchmarks.bulk import (  # noqa: E402
    TABLE_ORDER,
    Ids,
    Writer,
    bench_engine,
    create_schema,
    model_tables,
    reset_sequences,
    run_daily_jobs,
    tidy,
)
from benchmarks.people import BENCH_PASSWORD, People, Polare, TeamInfo  # noqa: E402
from benchmarks.plan import DEFAULT_SEED, Plan  # noqa: E402
from benchmarks.walking import Walks  # noqa: E402

__all__ = ["BENCH_PASSWORD", "DEFAULT_SEED", "Plan", "generate", "main"]


def _write_team(people: People, walks: Walks, team: TeamInfo) -> None:
    """Write one team's polare, events and walks of every school year."""
    rng = Random(f"{people.plan.seed}:team:{team.id}")
    previous: list[Polare] = []
    for year in people.plan.data_years:
        stints = people.enrol_year(rng, team, year, previous)
        people.write_events(rng, team, year, stints)
        walks.write_walks(rng, team, year, stints)
        previous = [s.polare for s in stints if s.ends is None]


def _load(connection: Connection, tables: dict[str, Table], plan: Plan, *,
          quiet: bool) -> dict[str, int]:
    """Write the plan's rows in one transaction; return the rows written per table."""
    from polare.auth.passwords import hash_password

    if connection.scalar(select(func.count()).select_from(tables["teams"])):
        raise SystemExit("The database is not empty: generate into a new one.")
    writer = Writer(connection, tables)
    if writer.postgres and connection.scalar(text("SELECT rolsuper FROM pg_roles "
                                                  "WHERE rolname = current_user")):
        # Rows are written parents first and consistent by construction (the smoke tests
        # check it on SQLite): skip the per-row foreign key triggers while loading.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
    ids = Ids()
    people = People(plan, writer, ids, hash_password(BENCH_PASSWORD))
    walks = Walks(plan, writer, ids)
    people.write_reference()
    teams = people.write_teams()
    writer.flush()
    for number, team in enumerate(teams, start=1):
        _write_team(people, walks, team)
        if not quiet and number % 100 == 0:
            print(f"  {number}/{len(teams)} teams", file=sys.stderr)
    writer.flush()
    periods = tables["pay_periods"]
    for period_id, total in walks.period_total_updates().items():
        connection.execute(update(periods).where(periods.c.id == period_id).values(total=total))
    if writer.postgres:
        reset_sequences(connection, tables)
    return dict(writer.written)


def generate(database_url: str, plan: Plan, *, quiet: bool = False,
             app_config: dict[str, Any] | None = None) -> dict[str, int]:
    """Create the schema and write the plan's data; return the rows written per table.

    `app_config` is passed to the app made to run the migrations (tests keep their settings).
    """
    started = clock.perf_counter()
    create_schema(database_url, app_config)
    tables = model_tables()
    engine = bench_engine(database_url)
    try:
        loading = clock.perf_counter()
        with engine.begin() as connection:
            written = _load(connection, tables, plan, quiet=quiet)
        loaded = clock.perf_counter()
        run_daily_jobs(database_url, app_config)
        rebuilt = clock.perf_counter()
        tidy(engine)
    finally:
        engine.dispose()
    if not quiet:
        total = sum(written.values())
        print(f"{total:,} rows in {loaded - loading:.1f} s: "
              f"{total / max(loaded - loading, 1e-9):,.0f} rows/s "
              f"({clock.perf_counter() - started:.1f} s in all, with schema and "
              f"{'VACUUM ANALYZE' if engine.dialect.name == 'postgresql' else 'checkpoint'}"
              f", years ended closed and follow-up aggregates built in {rebuilt - loaded:.1f} s); "
              f"{plan.teams} teams, {plan.years} school years, open month {plan.bench_month}")
        for name in TABLE_ORDER:
            if written.get(name):
                print(f"  {name:<22} {written[name]:>10,}")
    return written


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, required=True)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the date the data is relative to (default: today in Sweden)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    if args.teams < 1 or args.years < 1:
        parser.error("--teams and --years must be at least 1")
    return args


def main(argv: list[str] | None = None) -> dict[str, int]:
    """Generate the data the command line asks for."""
    from polare.clock import local_today

    args = parse_args(argv)
    plan = Plan(args.teams, args.years, args.today or local_today(), args.seed)
    return generate(args.database_url, plan)


if __name__ == "__main__":
    main()
