"""The guardian an applicant named, kept on the application

An application from a personnummer already registered no longer adds a guardian to that
person: the guardian typed is kept on the application for the coordinator to compare.
Applications sent before keep none (their guardians were added to the person).

Revision ID: c4e8b2a9d317
Revises: a7c2e9d4f1b3
Create Date: 2026-12-03 23:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c4e8b2a9d317"
down_revision = "a7c2e9d4f1b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guardian_name", sa.String(length=120), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("guardian_phone", sa.String(length=20), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("guardian_email", sa.String(length=200), nullable=False,
                                      server_default=""))


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("guardian_email")
        batch_op.drop_column("guardian_phone")
        batch_op.drop_column("guardian_name")
