"""Drop the index on walks.status

SQLite has no statistics: with this index it scanned every approved walk of the country to
find one team's unpaid participations, instead of using the persons' indexes.

Revision ID: c41d7e2a9b10
Revises: b2bcca1af099
Create Date: 2026-11-25 17:10:00

"""
from alembic import op


revision = "c41d7e2a9b10"
down_revision = "b2bcca1af099"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("walks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_walks_status"))


def downgrade():
    with op.batch_alter_table("walks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_walks_status"), ["status"], unique=False)
