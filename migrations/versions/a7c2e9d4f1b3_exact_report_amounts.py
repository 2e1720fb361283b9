"""Report amounts stored exactly on SQLite: budgets, contribution rates, follow-up stipends

The pay amounts became integer hundredths on SQLite in e5a7c3d1f2b4; the reports' NUMERIC
columns still held binary floats (REAL) there. They now use ExactDecimal too: on SQLite their
values become integer hundredths (öre, or hundredths of a percent). PostgreSQL keeps NUMERIC.

Revision ID: a7c2e9d4f1b3
Revises: e6b2d9f4a1c8
Create Date: 2026-12-03 23:30:00

"""
from alembic import op

revision = "a7c2e9d4f1b3"
down_revision = "e6b2d9f4a1c8"
branch_labels = None
depends_on = None

#: (table, column) of every exact decimal with two decimals in the reports.
EXACT_COLUMNS = (
    ("budgets", "amount"),
    ("employer_contribution_rates", "rate_percent"),
    ("follow_up_cells", "stipends"),
    ("follow_up_cells", "contributions"),
    ("follow_up_teams", "open_stipends"),
)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, column in EXACT_COLUMNS:
            op.execute(f"UPDATE {table} SET {column} = CAST(ROUND({column} * 100) AS INTEGER) "  # noqa: S608  # nosec B608  # fixed names
                       f"WHERE {column} IS NOT NULL")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, column in EXACT_COLUMNS:
            op.execute(f"UPDATE {table} SET {column} = {column} / 100.0 "  # noqa: S608  # nosec B608  # fixed names
                       f"WHERE {column} IS NOT NULL")
