"""The country's distinct polare and incidents per month, counts over ranges, events

The whole country's report read the distinct polare, the incidents and the events of every
team on each request. Each country month row now keeps its distinct polare and a revision
(raised at every recount), the incidents per category get country rows per month, a range's
distinct polare is kept with the revisions it was counted from (`follow_up_spans`), and the
events per type and month are kept with a version per month (`follow_up_event_months`,
`follow_up_events`), counted when a page first needs them. The new month figures are counted
here from the walkers and incidents already kept.

A cell now says whether stipend lines fall in it (`costed`), even lines that add up to
nothing, whose district and team the full report lists with zeros: that is known only from
the source, so every team's aggregates are marked stale (`built_version` NULL) and the next
page that reads them (or `flask --app app reports rebuild`) rebuilds them.

Revision ID: c7e3a9d5f1b8
Revises: a4c8e2f6b9d1
Create Date: 2026-12-04 07:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c7e3a9d5f1b8"
down_revision = "a4c8e2f6b9d1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("follow_up_cells", schema=None) as batch_op:
        batch_op.add_column(sa.Column("costed", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table("follow_up_months", schema=None) as batch_op:
        batch_op.add_column(sa.Column("polare", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0",
                                      nullable=False))
    op.create_table(
        "follow_up_month_incidents",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["incident_categories.id"], ondelete="CASCADE",
            name=op.f("fk_follow_up_month_incidents_category_id_incident_categories")),
        sa.PrimaryKeyConstraint("month", "category_id", name=op.f("pk_follow_up_month_incidents")),
    )
    op.create_table(
        "follow_up_spans",
        sa.Column("first_month", sa.String(length=7), nullable=False),
        sa.Column("last_month", sa.String(length=7), nullable=False),
        sa.Column("stamp", sa.Text(), nullable=False),
        sa.Column("polare", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("first_month", "last_month", name=op.f("pk_follow_up_spans")),
    )
    op.create_table(
        "follow_up_event_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("built_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_follow_up_event_months")),
    )
    op.create_table(
        "follow_up_events",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["type_id"], ["event_types.id"], ondelete="CASCADE",
                                name=op.f("fk_follow_up_events_type_id_event_types")),
        sa.PrimaryKeyConstraint("month", "type_id", name=op.f("pk_follow_up_events")),
    )
    op.execute(
        "UPDATE follow_up_months SET revision = 1, polare = ("
        " SELECT count(DISTINCT w.person_id) FROM follow_up_walkers w"
        " WHERE w.month = follow_up_months.month)")
    op.execute(
        "INSERT INTO follow_up_month_incidents (month, category_id, count)"
        " SELECT month, category_id, sum(count) FROM follow_up_incidents"
        " GROUP BY month, category_id")
    # Which cells hold stipend lines is known only from the source: every team is rebuilt.
    op.execute("UPDATE follow_up_teams SET built_version = NULL")


def downgrade():
    op.drop_table("follow_up_events")
    op.drop_table("follow_up_event_months")
    op.drop_table("follow_up_spans")
    op.drop_table("follow_up_month_incidents")
    with op.batch_alter_table("follow_up_months", schema=None) as batch_op:
        batch_op.drop_column("revision")
        batch_op.drop_column("polare")
    with op.batch_alter_table("follow_up_cells", schema=None) as batch_op:
        batch_op.drop_column("costed")
