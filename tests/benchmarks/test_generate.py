"""Smoke tests of benchmarks/generate.py at tiny scale: the data is consistent and realistic."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import Engine, text
from stdnum import luhn

import payroll
from benchmarks.generate import DEFAULT_SEED, Plan, generate
from polare import create_app
from polare.extensions import db as flask_db
from polare.pay.services import preview_period
from tests.benchmarks.conftest import TEST_APP_CONFIG, TINY, generate_sqlite
from tests.conftest import TODAY


def rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    """Return the rows of a query on the generated database."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def scalar(engine: Engine, sql: str, **params: object) -> object:
    """Return the single value of a query on the generated database."""
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def test_schema_is_made_by_the_migrations(tiny):
    assert scalar(tiny, "SELECT count(*) FROM alembic_version") == 1


def test_every_foreign_key_holds(tiny):
    assert rows(tiny, "PRAGMA foreign_key_check") == []


def test_twenty_active_polare_per_team_and_school_year(tiny):
    counts = rows(tiny, "SELECT team_id, school_year_id, count(*) FROM enrolments "
                        "WHERE status = 'active' GROUP BY team_id, school_year_id")
    assert len(counts) == TINY.teams * TINY.years
    assert {count for _team, _year, count in counts} == {20}


def test_cap_is_never_exceeded_on_any_walk_date(tiny):
    over = rows(tiny, """
        SELECT w.team_id, w.walk_date, count(DISTINCT e.id) AS active
        FROM walks w JOIN school_years y ON w.walk_date BETWEEN y.starts_on AND y.ends_on
        JOIN enrolments e ON e.team_id = w.team_id AND e.school_year_id = y.id
         AND e.activated_on <= w.walk_date AND (e.ended_on IS NULL OR e.ended_on > w.walk_date)
        JOIN team_years ty ON ty.team_id = w.team_id AND ty.school_year_id = y.id
        GROUP BY w.team_id, w.walk_date, ty.cap HAVING count(DISTINCT e.id) > ty.cap""")
    assert over == []


def test_personnummer_are_valid_unique_and_give_the_birth_date(tiny):
    persons = rows(tiny, "SELECT personnummer, birth_date FROM persons")
    numbers = [number for number, _birth in persons]
    assert len(set(numbers)) == len(numbers)
    for number, birth in persons:
        digits = number.replace("-", "")
        assert luhn.is_valid(digits[2:]), number
        assert digits[:8] == birth.replace("-", "")


def test_polare_are_15_to_20_when_activated(tiny):
    for birth, activated in rows(tiny, "SELECT p.birth_date, e.activated_on FROM enrolments e "
                                       "JOIN persons p ON p.id = e.person_id "
                                       "WHERE e.activated_on IS NOT NULL"):
        age = payroll.age_on(date.fromisoformat(birth), date.fromisoformat(activated))
        assert 15 <= age <= 20


def test_minors_have_a_guardian_and_consent_before_activation(tiny):
    enrolments = rows(tiny, """
        SELECT p.birth_date, e.activated_on, e.consent_date, e.consent_guardian_id, g.person_id,
               e.person_id
        FROM enrolments e JOIN persons p ON p.id = e.person_id
        LEFT JOIN guardians g ON g.id = e.consent_guardian_id
        WHERE e.activated_on IS NOT NULL""")
    minors = 0
    for birth, activated, consent, guardian, guardian_of, person in enrolments:
        if payroll.age_on(date.fromisoformat(birth), date.fromisoformat(activated)) < 18:
            minors += 1
            assert consent is not None
            assert consent <= activated
            assert guardian is not None
            assert guardian_of == person
    assert minors > 0


def test_walks_have_three_to_six_polare(tiny):
    sizes = rows(tiny, "SELECT walk_id, count(*) FROM participations GROUP BY walk_id")
    assert sizes
    assert {size for _walk, size in sizes} <= {3, 4, 5, 6}
    assert scalar(tiny, "SELECT count(*) FROM walks WHERE id NOT IN "
                        "(SELECT walk_id FROM participations)") == 0


def test_about_twelve_walks_per_team_and_whole_month(tiny):
    counts = rows(tiny, "SELECT team_id, substr(walk_date, 1, 7) AS month, count(*) FROM walks "
                        "WHERE walk_date < '2026-11-01' GROUP BY team_id, month")
    assert counts
    assert {count for _team, _month, count in counts} <= {11, 12, 13}


def test_participants_are_active_in_the_walks_team_that_day(tiny):
    outside = scalar(tiny, """
        SELECT count(*) FROM participations pa JOIN walks w ON w.id = pa.walk_id
        WHERE NOT EXISTS (
            SELECT 1 FROM enrolments e JOIN school_years y ON y.id = e.school_year_id
            WHERE e.person_id = pa.person_id AND e.team_id = w.team_id
              AND w.walk_date BETWEEN y.starts_on AND y.ends_on
              AND e.activated_on <= w.walk_date
              AND (e.ended_on IS NULL OR e.ended_on > w.walk_date))""")
    assert outside == 0


def test_walk_counts_keep_talked_within_met(tiny):
    assert scalar(tiny, "SELECT count(*) FROM walks WHERE status IN ('completed', 'approved') "
                        "AND (youths_met IS NULL OR youths_talked > youths_met)") == 0
    assert scalar(tiny, "SELECT count(*) FROM walk_incidents") > 0


def test_walks_of_past_months_are_mostly_approved_with_some_absent(tiny):
    statuses = Counter(dict(rows(tiny, "SELECT status, count(*) FROM walks "
                                       "WHERE walk_date < '2026-11-01' GROUP BY status")))
    assert statuses["approved"] > 0.9 * sum(statuses.values())
    assert statuses["planned"] == 0
    attendance = Counter(dict(rows(tiny, "SELECT status, count(*) FROM participations "
                                         "GROUP BY status")))
    assert attendance["attended"] > 10 * attendance["absent"] > 0


def test_events_invite_the_teams_polare_and_record_attendance(tiny):
    assert scalar(tiny, "SELECT count(*) FROM events") == TINY.teams * TINY.years * 6
    held = Counter(dict(rows(tiny, "SELECT i.status, count(*) FROM invitations i "
                                   "JOIN events e ON e.id = i.event_id "
                                   "WHERE e.event_date < '2026-11-25' GROUP BY i.status")))
    assert held["attended"] > held["absent"] > 0
    assert held["invited"] == 0


def test_staff_users_belong_to_their_team(tiny):
    staff = rows(tiny, "SELECT u.role, count(*) FROM users u JOIN user_teams ut "
                       "ON ut.user_id = u.id GROUP BY u.role")
    assert dict(staff) == {"coordinator": TINY.teams, "supervisor": 2 * TINY.teams}


def test_rate_table_covers_ages_15_to_20_and_every_year(tiny):
    bands = [payroll.RateBand(*row[:4], payroll.to_money(row[4])) for row in rows(
        tiny, "SELECT age_from, age_to, years_from, years_to, amount FROM rate_rows "
              "WHERE version_id = 1")]
    payroll.validate_bands(bands, 15, 20)


def test_months_before_the_open_month_are_closed_with_their_lines(tiny):
    periods = rows(tiny, "SELECT month, status FROM pay_periods ORDER BY month")
    assert periods == [("2026-08", "closed"), ("2026-09", "closed")]
    assert scalar(tiny, "SELECT count(*) FROM pay_lines") > 0


def test_changes_after_the_latest_close_touch_their_walk(tiny):
    stale = scalar(tiny, """
        SELECT count(*) FROM walks w JOIN participations pa ON pa.walk_id = w.id
        WHERE w.updated_at <= (SELECT max(closed_at) FROM pay_periods) AND (
            (pa.status != 'attended' AND EXISTS (
                SELECT 1 FROM pay_lines l WHERE l.participation_id = pa.id))
            OR (pa.status = 'attended' AND w.status = 'approved'
                AND w.walk_date <= '2026-09-30' AND NOT EXISTS (
                    SELECT 1 FROM pay_lines l WHERE l.participation_id = pa.id)))""")
    assert stale == 0


def test_frozen_lines_agree_with_the_pay_rules(tiny_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": tiny_url, "SECRET_KEY": "x",
                      **TEST_APP_CONFIG})
    with app.app_context():
        preview = preview_period(flask_db.session, TINY.bench_month)
        flask_db.session.remove()
        flask_db.engine.dispose()
    kinds = Counter(detail.line.kind.value for detail in preview.lines)
    assert preview.errors == ()
    assert preview.close_refusal is None
    # About 12 walks x 5 polare per team; corrections only where attendance changed later.
    assert 40 * TINY.teams <= kinds["ordinary"] <= 80 * TINY.teams
    assert kinds["correction"] <= 2


def test_refuses_a_database_that_is_not_empty(tiny_url):
    with pytest.raises(SystemExit, match="not empty"):
        generate(tiny_url, TINY, quiet=True, app_config=TEST_APP_CONFIG)


def test_team_one_is_the_same_at_every_scale(tiny, tmp_path):
    single = generate_sqlite(tmp_path, Plan(teams=1, years=1, today=TODAY, seed=DEFAULT_SEED))
    query = ("SELECT w.walk_date, w.start_time, w.status, p.personnummer, pa.status "
             "FROM participations pa JOIN walks w ON w.id = pa.walk_id "
             "JOIN persons p ON p.id = pa.person_id WHERE w.team_id = 1 "
             "ORDER BY w.walk_date, p.personnummer")
    from sqlalchemy import create_engine

    engine = create_engine(single)
    try:
        assert rows(engine, query) == rows(tiny, query)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_copy_into_postgresql_writes_the_same_consistent_rows(postgres_only, tiny):
    from sqlalchemy import create_engine, make_url

    from polare.extensions import db as metadata_holder

    name = f"polare_bench_test_{os.getpid()}"
    admin = create_engine(postgres_only, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_only).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        generate(url, TINY, quiet=True, app_config=TEST_APP_CONFIG)
        for table in metadata_holder.metadata.sorted_tables:
            count = f"SELECT count(*) FROM {table.name}"  # noqa: S608 (names from the models)
            assert scalar(engine, count) == scalar(tiny, count), table.name
            for key in table.foreign_keys:
                orphans = (f"SELECT count(*) FROM {table.name} c WHERE c.{key.parent.name} "  # noqa: S608
                           f"IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {key.column.table.name} p "
                           f"WHERE p.{key.column.name} = c.{key.parent.name})")
                assert scalar(engine, orphans) == 0, f"{table.name}.{key.parent.name}"
        # Sequences continue after the explicit ids: the app can insert.
        assert scalar(engine, "SELECT nextval(pg_get_serial_sequence('walks', 'id'))") > scalar(
            engine, "SELECT max(id) FROM walks")
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
