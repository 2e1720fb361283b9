"""Failed-login counters in their own table; the organising team of an event

Failed logins are counted per username and per client address in `login_throttles` (hashed
keys, shared by every worker), replacing `users.failed_logins` and `users.locked_until`.
`events.organiser_team_id` records the team that created an event: for an all-team event only
its coordinators and admin may change it. Existing events get their own team; existing
all-team events the creator's team when the creator had exactly one, else none (admin only).

Revision ID: 5d1f0a7c3e42
Revises: a9f3c2e71d05
Create Date: 2026-12-03 15:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = "5d1f0a7c3e42"
down_revision = "a9f3c2e71d05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttles")),
        sa.UniqueConstraint("key", name=op.f("uq_login_throttles_key")),
    )
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttles_expires_at"), ["expires_at"],
                              unique=False)
    # Native ALTERs, not batch mode: rebuilding `users` or `events` on SQLite, where foreign
    # keys are on, would cascade (user_teams, invitations) or null out references to them.
    op.drop_column("users", "locked_until")
    op.drop_column("users", "failed_logins")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE events ADD COLUMN organiser_team_id INTEGER"
                   " CONSTRAINT fk_events_organiser_team_id_teams REFERENCES teams (id)")
    else:
        op.add_column("events", sa.Column("organiser_team_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_events_organiser_team_id_teams"), "events", "teams",
                              ["organiser_team_id"], ["id"])
    op.execute("UPDATE events SET organiser_team_id = team_id WHERE team_id IS NOT NULL")
    op.execute(
        "UPDATE events SET organiser_team_id = ("
        " SELECT MIN(user_teams.team_id) FROM user_teams"
        " WHERE user_teams.user_id = events.created_by_id)"
        " WHERE team_id IS NULL AND ("
        " SELECT COUNT(*) FROM user_teams WHERE user_teams.user_id = events.created_by_id) = 1"
    )


def downgrade():
    # On SQLite the FK column can only go by rebuilding `events`: run this downgrade with
    # `PRAGMA foreign_keys=OFF`, or invitations are deleted with the old table.
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_events_organiser_team_id_teams"),
                                 type_="foreignkey")
        batch_op.drop_column("organiser_team_id")
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(), nullable=True))
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttles_expires_at"))
    op.drop_table("login_throttles")
