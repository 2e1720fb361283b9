"""The district in the follow-up walkers and incidents

A report of some teams, or of some of their districts, counts its distinct polare per
district and its incidents of the chosen districts from the aggregates. The two tables are
rebuildable from the source: they are recreated empty with the district in their key (the
walkers with an index by month and person, for the country's distinct polare per month) and
every team's aggregates are marked stale (`built_version` NULL), so the next page that reads
the aggregates (or `flask --app app reports rebuild`) fills them again.

Revision ID: a4c8e2f6b9d1
Revises: e1f4a7c9b2d6
Create Date: 2026-12-04 03:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a4c8e2f6b9d1"
down_revision = "e1f4a7c9b2d6"
branch_labels = None
depends_on = None


def _walkers(with_district: bool) -> None:
    district = [sa.Column("district_id", sa.Integer(), nullable=False)] if with_district else []
    district_key = ["district_id"] if with_district else []
    district_fk = [sa.ForeignKeyConstraint(
        ["district_id"], ["districts.id"], ondelete="CASCADE",
        name=op.f("fk_follow_up_walkers_district_id_districts"))] if with_district else []
    op.create_table(
        "follow_up_walkers",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        *district,
        sa.Column("person_id", sa.Integer(), nullable=False),
        *district_fk,
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_walkers_person_id_persons")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_walkers_team_id_teams")),
        sa.PrimaryKeyConstraint("month", "team_id", *district_key, "person_id",
                                name=op.f("pk_follow_up_walkers")),
    )
    with op.batch_alter_table("follow_up_walkers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_walkers_team_id"), ["team_id"],
                              unique=False)
        if with_district:
            batch_op.create_index("ix_follow_up_walkers_month_person", ["month", "person_id"],
                                  unique=False)


def _incidents(with_district: bool) -> None:
    district = [sa.Column("district_id", sa.Integer(), nullable=False)] if with_district else []
    district_key = ["district_id"] if with_district else []
    district_fk = [sa.ForeignKeyConstraint(
        ["district_id"], ["districts.id"], ondelete="CASCADE",
        name=op.f("fk_follow_up_incidents_district_id_districts"))] if with_district else []
    op.create_table(
        "follow_up_incidents",
        sa.Column("team_id", sa.Integer(), nullable=False),
        *district,
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["incident_categories.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_incidents_category_id_incident_categories")),
        *district_fk,
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_incidents_team_id_teams")),
        sa.PrimaryKeyConstraint("team_id", *district_key, "month", "category_id",
                                name=op.f("pk_follow_up_incidents")),
    )
    with op.batch_alter_table("follow_up_incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_incidents_month"), ["month"],
                              unique=False)


def _drop(with_district: bool) -> None:
    with op.batch_alter_table("follow_up_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_incidents_month"))
    op.drop_table("follow_up_incidents")
    with op.batch_alter_table("follow_up_walkers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_walkers_team_id"))
        if with_district:
            batch_op.drop_index("ix_follow_up_walkers_month_person")
    op.drop_table("follow_up_walkers")


def upgrade():
    _drop(with_district=False)
    _walkers(with_district=True)
    _incidents(with_district=True)
    op.execute("UPDATE follow_up_teams SET built_version = NULL")


def downgrade():
    _drop(with_district=True)
    _walkers(with_district=False)
    _incidents(with_district=False)
    op.execute("UPDATE follow_up_teams SET built_version = NULL")
