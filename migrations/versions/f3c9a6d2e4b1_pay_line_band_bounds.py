"""Bounds of the rate band a pay line was priced by

A pay line kept its band only as Swedish words ('15–17 år, 2+ år i verksamheten'), which the
pages read back with a regular expression to translate it. The band's bounds are now columns;
existing lines get them from their words (a line whose words are not a band keeps none).

Revision ID: f3c9a6d2e4b1
Revises: b8e4c1d2a7f6
Create Date: 2026-12-03 19:00:00

"""
import re

import sqlalchemy as sa
from alembic import op

revision = "f3c9a6d2e4b1"
down_revision = "b8e4c1d2a7f6"
branch_labels = None
depends_on = None

COLUMNS = ("band_age_from", "band_age_to", "band_years_from", "band_years_to")
#: A span as the pay rules write it: '15–17', '18+' or '3'.
SPAN = r"(\d+)(?:–(\d+)|(\+))?"
#: A band as the pay rules word it (payroll.RateBand.label).
BAND = re.compile(rf"{SPAN} år, {SPAN} år i verksamheten")


def _bounds(label):
    """Return (from, to) of ages and years in a band's words, or None if they are no band."""
    match = BAND.fullmatch(label or "")
    if match is None:
        return None
    age_from, age_to, age_open, years_from, years_to, years_open = match.groups()

    def upper(low, high, open_ended):
        if open_ended:
            return None
        return int(high) if high is not None else int(low)

    return (int(age_from), upper(age_from, age_to, age_open),
            int(years_from), upper(years_from, years_to, years_open))


def upgrade():
    # Plain ADD COLUMN: pay_lines is referred to (by itself), so it must not be rebuilt.
    for name in COLUMNS:
        op.add_column("pay_lines", sa.Column(name, sa.Integer(), nullable=True))
    connection = op.get_bind()
    lines = sa.table("pay_lines", sa.column("id", sa.Integer),
                     sa.column("band_label", sa.String),
                     *(sa.column(name, sa.Integer) for name in COLUMNS))
    labels = connection.execute(sa.select(lines.c.band_label).distinct()).scalars().all()
    for label in labels:
        bounds = _bounds(label)
        if bounds is not None:
            connection.execute(lines.update().where(lines.c.band_label == label)
                               .values(dict(zip(COLUMNS, bounds, strict=True))))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later), again without rebuilding the table.
    for name in reversed(COLUMNS):
        op.drop_column("pay_lines", name)
