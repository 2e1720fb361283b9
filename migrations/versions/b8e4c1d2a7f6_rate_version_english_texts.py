"""English label and note of rate versions

A rate version's label and note are shown in the reader's language; the example table seeded
by the demo gets its English texts.

Revision ID: b8e4c1d2a7f6
Revises: d7a3f0c2e815
Create Date: 2026-12-03 17:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b8e4c1d2a7f6"
down_revision = "d7a3f0c2e815"
branch_labels = None
depends_on = None

EXAMPLE_LABEL = "Exempelvärden"
EXAMPLE_LABEL_EN = "Example values"
EXAMPLE_NOTE_EN = (
    "Example values for trying the app, not the municipality's decided stipends. "
    "Enter the decided amounts as a new version before the first period is closed."
)


def upgrade():
    # Plain ADD COLUMN: rate_rows and pay_lines refer to rate_versions, so the table must not
    # be rebuilt (with foreign keys on, SQLite would delete their rows).
    op.add_column("rate_versions", sa.Column("label_en", sa.String(length=120), nullable=False,
                                             server_default=""))
    op.add_column("rate_versions", sa.Column("note_en", sa.Text(), nullable=False,
                                             server_default=""))
    versions = sa.table("rate_versions", sa.column("label", sa.String),
                        sa.column("label_en", sa.String), sa.column("note_en", sa.Text))
    op.execute(versions.update().where(versions.c.label == EXAMPLE_LABEL)
               .values(label_en=EXAMPLE_LABEL_EN, note_en=EXAMPLE_NOTE_EN))


def downgrade():
    with op.batch_alter_table("rate_versions", schema=None) as batch_op:
        batch_op.drop_column("note_en")
        batch_op.drop_column("label_en")
