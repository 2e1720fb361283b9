"""Pay periods: first pay period, decided rates, attestation, line numbers, exact money

Adds the first pay period setting, a rate version's decision, who attested or reopened a
period, the users' attest right and each frozen line's row number (numbered in id order per
period: lines were inserted in the Underlag's order). On SQLite, amounts that NUMERIC stored
as REAL become integer hundredths (öre), as the ExactDecimal type now stores them.

Revision ID: e5a7c3d1f2b4
Revises: 5d1f0a7c3e42
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "e5a7c3d1f2b4"
down_revision = "5d1f0a7c3e42"
branch_labels = None
depends_on = None

#: (table, column) of every exact decimal with two decimals.
EXACT_COLUMNS = (
    ("rate_rows", "amount"),
    ("rate_versions", "index_percent"),
    ("pay_periods", "total"),
    ("pay_lines", "amount"),
)


def upgrade():
    # Plain ADD COLUMNs, without foreign keys: on SQLite a foreign key would need a batch
    # "move and copy" of these parent tables, and dropping the old table with foreign keys on
    # deletes or nulls out every row that refers to it (rate_rows cascade).
    op.add_column("settings", sa.Column("first_pay_period", sa.String(length=7), nullable=True))
    op.add_column("users", sa.Column("can_attest", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("rate_versions", sa.Column("decision_reference", sa.String(length=120),
                                             nullable=False, server_default=""))
    op.add_column("rate_versions", sa.Column("decision_date", sa.Date(), nullable=True))
    op.add_column("rate_versions", sa.Column("decided_by_id", sa.Integer(), nullable=True))
    op.add_column("rate_versions", sa.Column("decided_at", sa.DateTime(), nullable=True))
    op.add_column("pay_periods", sa.Column("attested_by_id", sa.Integer(), nullable=True))
    op.add_column("pay_periods", sa.Column("attested_at", sa.DateTime(), nullable=True))
    op.add_column("pay_periods", sa.Column("reopened_by_id", sa.Integer(), nullable=True))
    op.add_column("pay_periods", sa.Column("reopened_at", sa.DateTime(), nullable=True))
    op.add_column("pay_periods", sa.Column("reopen_reason", sa.String(length=500),
                                           nullable=False, server_default=""))
    op.add_column("pay_lines", sa.Column("line_no", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE pay_lines SET line_no = (SELECT count(*) FROM pay_lines AS earlier "
        "WHERE earlier.period_id = pay_lines.period_id AND earlier.id <= pay_lines.id)"
    )
    if op.get_bind().dialect.name == "sqlite":
        for table, column in EXACT_COLUMNS:
            op.execute(f"UPDATE {table} SET {column} = CAST(ROUND({column} * 100) AS INTEGER) "  # noqa: S608  # nosec B608  # fixed names
                       f"WHERE {column} IS NOT NULL")


def _drop_column(table: str, column: str) -> None:
    """Drop a column in place (SQLite 3.35+ can), never by copying a parent table."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        op.drop_column(table, column)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, column in EXACT_COLUMNS:
            op.execute(f"UPDATE {table} SET {column} = {column} / 100.0 "  # noqa: S608  # nosec B608  # fixed names
                       f"WHERE {column} IS NOT NULL")
    _drop_column("pay_lines", "line_no")
    for column in ("reopen_reason", "reopened_at", "reopened_by_id", "attested_at",
                   "attested_by_id"):
        _drop_column("pay_periods", column)
    for column in ("decided_at", "decided_by_id", "decision_date", "decision_reference"):
        _drop_column("rate_versions", column)
    _drop_column("users", "can_attest")
    _drop_column("settings", "first_pay_period")
