"""`flask gdpr purge [--dry-run]`."""

from __future__ import annotations

from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.roster.models import Person
from tests.privacy.conftest import DECISION_REF


def test_dry_run_lists_what_would_change_and_changes_nothing(app, db, world, on_day):
    result = app.test_cli_runner().invoke(args=["gdpr", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    for name in ("Greta Gammal", "Pelle Nitton", "Elsa Slut", "Nils Utan"):
        assert name in result.output
    assert "Alva Aktiv" not in result.output
    assert "Torrkörning" in result.output
    db.expire_all()
    assert db.get(Person, world.left.id).personnummer is not None
    assert not db.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).all()


def test_dry_run_says_the_deletion_decision_is_missing(app, world, on_day):
    result = app.test_cli_runner().invoke(args=["gdpr", "purge", "--dry-run"])
    assert "SAKNAS" in result.output


def test_purge_without_a_deletion_decision_fails_with_a_clear_message(app, db, world, on_day):
    result = app.test_cli_runner().invoke(args=["gdpr", "purge"])
    assert result.exit_code != 0
    assert "gallringsbeslut" in result.output
    db.expire_all()
    assert db.get(Person, world.left.id).anonymised_at is None


def test_purge_anonymises_and_reports_under_the_decision(app, db, world, decision, on_day):
    result = app.test_cli_runner().invoke(args=["gdpr", "purge"])
    assert result.exit_code == 0, result.output
    assert DECISION_REF in result.output
    assert "4 personer anonymiserade" in result.output
    db.expire_all()
    assert db.get(Person, world.left.id).first_name == "Anonymiserad"
    summary = db.scalars(select(AuditEntry).where(AuditEntry.entity == "retention")).one()
    assert (summary.username, DECISION_REF in summary.note) == ("system", True)
