"""Follow-up aggregates per team and month

Walk figures, distinct polare, incidents and stipend cost per team, district and month, and
each team's version, so administrators' pages read aggregates instead of the whole country.

Revision ID: d7a3f0c2e815
Revises: e5a7c3d1f2b4
Create Date: 2026-12-03 16:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d7a3f0c2e815"
down_revision = "e5a7c3d1f2b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follow_up_cells",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("walks", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("polarpass", sa.Integer(), nullable=False),
        sa.Column("met", sa.Integer(), nullable=False),
        sa.Column("talked", sa.Integer(), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("awaiting", sa.Integer(), nullable=False),
        sa.Column("stipends", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("contributions", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("previewed", sa.Boolean(), nullable=False),
        sa.Column("examples_used", sa.Boolean(), nullable=False),
        sa.Column("unpriced", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_cells_district_id_districts")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_cells_team_id_teams")),
        sa.PrimaryKeyConstraint("team_id", "district_id", "month",
                                name=op.f("pk_follow_up_cells")),
    )
    with op.batch_alter_table("follow_up_cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_cells_month"), ["month"], unique=False)
    op.create_table(
        "follow_up_walkers",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_walkers_person_id_persons")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_walkers_team_id_teams")),
        sa.PrimaryKeyConstraint("month", "team_id", "person_id",
                                name=op.f("pk_follow_up_walkers")),
    )
    with op.batch_alter_table("follow_up_walkers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_walkers_team_id"), ["team_id"],
                              unique=False)
    op.create_table(
        "follow_up_incidents",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["incident_categories.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_incidents_category_id_incident_categories")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_incidents_team_id_teams")),
        sa.PrimaryKeyConstraint("team_id", "month", "category_id",
                                name=op.f("pk_follow_up_incidents")),
    )
    with op.batch_alter_table("follow_up_incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_incidents_month"), ["month"],
                              unique=False)
    op.create_table(
        "follow_up_teams",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("built_version", sa.Integer(), nullable=True),
        sa.Column("built_for", sa.String(length=32), nullable=False),
        sa.Column("open_period", sa.String(length=7), nullable=False),
        sa.Column("open_stipends", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("preview_errors", sa.Text(), nullable=False),
        sa.Column("roster_year_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("missing_training", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_teams_team_id_teams")),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_follow_up_teams")),
    )


def downgrade():
    op.drop_table("follow_up_teams")
    with op.batch_alter_table("follow_up_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_incidents_month"))
    op.drop_table("follow_up_incidents")
    with op.batch_alter_table("follow_up_walkers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_walkers_team_id"))
    op.drop_table("follow_up_walkers")
    with op.batch_alter_table("follow_up_cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_cells_month"))
    op.drop_table("follow_up_cells")
