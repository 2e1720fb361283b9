"""Each team's walks awaiting approval kept with its state, not summed from every cell

The start pages read a team's unapproved walks from `follow_up_teams.awaiting`; it is
filled here from the cells already built and kept by every rebuild from now on.

Revision ID: b5d1e8f3a6c2
Revises: c4e8b2a9d317
Create Date: 2026-12-03 23:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b5d1e8f3a6c2"
down_revision = "c4e8b2a9d317"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("follow_up_teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("awaiting", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.execute(
        "UPDATE follow_up_teams SET awaiting = (SELECT COALESCE(SUM(follow_up_cells.awaiting), 0) "
        "FROM follow_up_cells WHERE follow_up_cells.team_id = follow_up_teams.team_id)")


def downgrade():
    with op.batch_alter_table("follow_up_teams", schema=None) as batch_op:
        batch_op.drop_column("awaiting")
