"""Pay periods: first pay period, decided rates, attestation, line numbers, exact money

Adds the first pay period setting, a rate version's decision, who attested or reopened a
period, the users' attest right and each frozen line's row number (numbered in id order per
period: lines were inserted in the Underlag's order). On SQLite, amounts that NUMERIC stored
as REAL become integer hundredths (öre), as the ExactDecimal type now stores them.

Revision ID: e5a7c3d1f2b4
Revises: c41d7e2a9b10
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "e5a7c3d1f2b4"
down_revision = "c41d7e2a9b10"
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
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_pay_period", sa.String(length=7), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("can_attest", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("rate_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_reference", sa.String(length=120),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("decision_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_rate_versions_decided_by_id_users"),
                                    "users", ["decided_by_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("pay_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attested_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("attested_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reopened_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reopen_reason", sa.String(length=500), nullable=False,
                                      server_default=""))
        batch_op.create_foreign_key(batch_op.f("fk_pay_periods_attested_by_id_users"),
                                    "users", ["attested_by_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(batch_op.f("fk_pay_periods_reopened_by_id_users"),
                                    "users", ["reopened_by_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("pay_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("line_no", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE pay_lines SET line_no = (SELECT count(*) FROM pay_lines AS earlier "
        "WHERE earlier.period_id = pay_lines.period_id AND earlier.id <= pay_lines.id)"
    )
    if op.get_bind().dialect.name == "sqlite":
        for table, column in EXACT_COLUMNS:
            op.execute(f"UPDATE {table} SET {column} = CAST(ROUND({column} * 100) AS INTEGER) "  # noqa: S608
                       f"WHERE {column} IS NOT NULL")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, column in EXACT_COLUMNS:
            op.execute(f"UPDATE {table} SET {column} = {column} / 100.0 "  # noqa: S608
                       f"WHERE {column} IS NOT NULL")
    with op.batch_alter_table("pay_lines", schema=None) as batch_op:
        batch_op.drop_column("line_no")
    with op.batch_alter_table("pay_periods", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pay_periods_reopened_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_pay_periods_attested_by_id_users"),
                                 type_="foreignkey")
        for column in ("reopen_reason", "reopened_at", "reopened_by_id", "attested_at",
                       "attested_by_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("rate_versions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rate_versions_decided_by_id_users"),
                                 type_="foreignkey")
        for column in ("decided_at", "decided_by_id", "decision_date", "decision_reference"):
            batch_op.drop_column(column)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("can_attest")
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.drop_column("first_pay_period")
