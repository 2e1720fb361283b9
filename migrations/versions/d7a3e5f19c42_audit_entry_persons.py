"""Audit entries refer to persons by id; record the acting user's role

Adds audit_entry_persons (which polare an entry touched) and audit_entries.actor_role, and
links the existing entries filed under a person's own records (person, enrolment, invitation,
participation, pay line) and the training confirmations, whose changes name persons by id.

Revision ID: d7a3e5f19c42
Revises: c41d7e2a9b10
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = "d7a3e5f19c42"
down_revision = "c41d7e2a9b10"
branch_labels = None
depends_on = None

#: entity -> the table whose person_id the entity_id leads to.
_FILED_UNDER = {
    "enrolment": "enrolments",
    "invitation": "invitations",
    "participation": "participations",
    "pay_line": "pay_lines",
}


def _backfill():
    bind = op.get_bind()
    as_text = "CAST({} AS VARCHAR)"
    bind.execute(sa.text(
        "INSERT INTO audit_entry_persons (entry_id, person_id) "  # nosec B608  # fixed table names
        "SELECT DISTINCT a.id, p.id FROM audit_entries a JOIN persons p "
        f"ON a.entity_id = {as_text.format('p.id')} WHERE a.entity = 'person'"))
    for entity, table in _FILED_UNDER.items():
        bind.execute(sa.text(
            "INSERT INTO audit_entry_persons (entry_id, person_id) "  # nosec B608  # fixed table names
            f"SELECT DISTINCT a.id, r.person_id FROM audit_entries a JOIN {table} r "  # noqa: S608
            f"ON a.entity_id = {as_text.format('r.id')} WHERE a.entity = :entity "
            "AND NOT EXISTS (SELECT 1 FROM audit_entry_persons l "
            "WHERE l.entry_id = a.id AND l.person_id = r.person_id)"), {"entity": entity})
    bind.execute(sa.text(
        "INSERT INTO audit_entry_persons (entry_id, person_id) "
        "SELECT DISTINCT a.id, pa.person_id FROM audit_entries a "
        "JOIN participations pa ON a.entity_id = CAST(pa.walk_id AS VARCHAR) "
        "WHERE a.entity = 'walk' AND a.action = 'confirm_training' "
        "AND NOT EXISTS (SELECT 1 FROM audit_entry_persons l "
        "WHERE l.entry_id = a.id AND l.person_id = pa.person_id)"))


def upgrade():
    op.create_table(
        "audit_entry_persons",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["audit_entries.id"],
                                name=op.f("fk_audit_entry_persons_entry_id_audit_entries"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_audit_entry_persons_person_id_persons"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "person_id", name=op.f("pk_audit_entry_persons")),
    )
    with op.batch_alter_table("audit_entry_persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_persons_person_id"), ["person_id"],
                              unique=False)
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_role", sa.String(length=20), nullable=False,
                                      server_default=""))
    _backfill()


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("actor_role")
    with op.batch_alter_table("audit_entry_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_persons_person_id"))
    op.drop_table("audit_entry_persons")
