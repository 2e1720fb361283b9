"""Add submission_keys: one-time keys of create forms

A second submission of the same create form (a double tap, a retry) is answered with the
first one's result; the primary key refuses a concurrent duplicate.

Revision ID: e5a1f07c3d92
Revises: d7f3a2c81e54
Create Date: 2026-12-03 15:40:00

"""
import sqlalchemy as sa
from alembic import op


revision = "e5a1f07c3d92"
down_revision = "d7f3a2c81e54"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission_keys",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target_url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_submission_keys_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_submission_keys")),
    )
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_keys_created_at"), ["created_at"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_keys_created_at"))
    op.drop_table("submission_keys")
