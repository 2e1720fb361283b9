"""English names of event types and incident categories

Reference data is shown in the user's language: `name` is Swedish, `name_en` English (empty:
the Swedish name is shown). The seeded rows get their English names.

Revision ID: d7f3a2c81e54
Revises: d7a3e5f19c42
Create Date: 2026-12-03 15:55:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d7f3a2c81e54"
down_revision = "d7a3e5f19c42"
branch_labels = None
depends_on = None

EVENT_TYPES = {
    "Ledarskapsutbildning": "Leadership training",
    "Introduktion": "Introduction",
    "Nätverksträff": "Network meeting",
    "Informationstillfälle": "Information session",
    "Föräldramöte": "Parent meeting",
    "Övrigt": "Other",
}
INCIDENT_CATEGORIES = {
    "Oro / social oro": "Unrest / social unrest",
    "Bråk": "Fights",
    "Skadegörelse": "Vandalism",
    "Alkohol / droger": "Alcohol / drugs",
    "Stöttat ungdom": "Supported a young person",
    "Kontakt med polis": "Contact with police",
    "Kontakt med föräldrar": "Contact with parents",
}


def upgrade():
    for table, names in (("event_types", EVENT_TYPES),
                         ("incident_categories", INCIDENT_CATEGORIES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_en", sa.String(length=80), nullable=False,
                                          server_default=""))
        rows = sa.table(table, sa.column("name", sa.String), sa.column("name_en", sa.String))
        for name, name_en in names.items():
            op.execute(rows.update().where(rows.c.name == name).values(name_en=name_en))


def downgrade():
    for table in ("incident_categories", "event_types"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("name_en")
