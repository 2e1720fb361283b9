"""The whole country's follow-up figures per month, kept beside the cells

Pages covering every team read one row per month instead of every team's and district's
cells. The table starts empty and every team is marked stale, so the first page that reads
the aggregates (or `flask --app app reports rebuild`) builds it.

Revision ID: e1f4a7c9b2d6
Revises: b5d1e8f3a6c2
Create Date: 2026-12-04 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "e1f4a7c9b2d6"
down_revision = "b5d1e8f3a6c2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follow_up_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("walks", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("polarpass", sa.Integer(), nullable=False),
        sa.Column("met", sa.Integer(), nullable=False),
        sa.Column("talked", sa.Integer(), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("stipends", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("contributions", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("previewed", sa.Boolean(), nullable=False),
        sa.Column("examples_used", sa.Boolean(), nullable=False),
        sa.Column("unpriced", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_follow_up_months")),
    )
    op.execute("UPDATE follow_up_teams SET built_version = NULL")


def downgrade():
    op.drop_table("follow_up_months")
