"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, select, text

from polare.extensions import db
from tests.conftest import make_test_app


def _upgrade_and_compare(url: str, tmp_path) -> list:
    app = make_test_app(url, str(tmp_path))
    with app.app_context():
        upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    return diff


def test_upgrade_from_empty_sqlite_matches_the_models(tmp_path):
    assert _upgrade_and_compare(f"sqlite:///{tmp_path / 'migrated.sqlite3'}", tmp_path) == []


def test_upgrade_from_empty_postgresql_matches_the_models(postgres_only, tmp_path):
    name = f"polare_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_only, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(postgres_only).set(database=name).render_as_string(hide_password=False)
        assert _upgrade_and_compare(url, tmp_path) == []
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("table", ["pay_lines", "enrolments", "walks", "audit_entries"])
def test_core_tables_exist_after_upgrade(tmp_path, table):
    url = f"sqlite:///{tmp_path / 'tables.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    with app.app_context():
        upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        with db.engine.connect() as connection:
            found = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type='table' AND name=:t"),
                {"t": table},
            ).scalar()
        db.engine.dispose()
    assert found == table


def test_upgrade_turns_sqlite_real_amounts_into_exact_ore(tmp_path):
    url = f"sqlite:///{tmp_path / 'money.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    migrations = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="c41d7e2a9b10")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO rate_versions (id, effective_from, label, note, created_at) "
                "VALUES (1, '2024-08-01', '', '', '2024-08-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO rate_rows (version_id, age_from, years_from, amount) "
                "VALUES (1, 15, 1, 262.5)"))
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT typeof(amount), amount FROM rate_rows")).one()
        from polare.payroll_web.models import RateRow

        with app.app_context():
            amount = db.session.scalar(select(RateRow.amount))
        db.engine.dispose()
    assert tuple(stored) == ("integer", 26250)
    assert amount == Decimal("262.50")
