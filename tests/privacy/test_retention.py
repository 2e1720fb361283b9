"""Retention (gallring): who is anonymised when, what goes, what stays."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.audit.services import record
from polare.errors import ConflictError, DomainError
from polare.events.models import Invitation
from polare.extensions import db as flask_db
from polare.pay.models import PayLine, PayPeriod
from polare.privacy import retention
from polare.privacy.redaction import REDACTED
from polare.recruitment.models import Application, ConsentRequest
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from polare.walks.models import Participation, Walk
from tests.conftest import TODAY
from tests.privacy.conftest import DECISION_REF


def statistics(db) -> dict[str, object]:
    """Return the aggregate figures a purge must not change."""
    return {
        "persons": db.scalar(select(func.count(Person.id))),
        "birth_dates": sorted(db.scalars(select(Person.birth_date))),
        "enrolments": sorted(db.execute(select(
            Enrolment.person_id, Enrolment.team_id, Enrolment.school_year_id, Enrolment.status,
            Enrolment.activated_on, Enrolment.ended_on)).all()),
        "participations": sorted(db.execute(select(
            Participation.walk_id, Participation.person_id, Participation.status)).all()),
        "walkers": db.scalar(select(func.count(func.distinct(Participation.person_id)))),
        "invitations": sorted(db.execute(select(
            Invitation.event_id, Invitation.person_id, Invitation.status)).all()),
        "youths_met": db.scalar(select(func.sum(Walk.youths_met))),
        "pay_lines": sorted(db.execute(select(
            PayPeriod.month, PayLine.person_id, PayLine.kind, PayLine.amount)
            .join(PayPeriod, PayPeriod.id == PayLine.period_id)).all()),
        "period_totals": dict(db.execute(select(PayPeriod.month, PayPeriod.total)).all()),
        "paid": db.scalar(select(func.sum(PayLine.amount))),
    }


def due_ids(plan: retention.PurgePlan) -> set[int]:
    return {due.person_id for due in plan.persons}


def test_retention_time_counts_calendar_months_back_clamped_to_month_end():
    assert retention.months_before(date(2026, 11, 25), 24) == date(2024, 11, 25)
    assert retention.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert retention.months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_pay_lines_of_a_last_payment_in_2019_are_kept_through_2026():
    assert retention.accounting_kept_through(2019) == date(2026, 12, 31)


def test_plan_lists_persons_past_retention_time(db, world):
    plan = retention.plan_purge(db, on=TODAY)
    assert due_ids(plan) == {world.gone.id, world.paid_2019.id, world.left.id, world.nobody.id}


def test_person_whose_enrolment_ended_exactly_the_retention_time_ago_is_kept(db, world):
    assert world.boundary.id not in due_ids(retention.plan_purge(db, on=TODAY))
    assert world.boundary.id in due_ids(retention.plan_purge(db, on=date(2026, 11, 26)))


@pytest.mark.parametrize("status", [EnrolmentStatus.APPLICANT, EnrolmentStatus.ACTIVE,
                                    EnrolmentStatus.WAITLISTED])
def test_person_with_an_enrolment_not_ended_is_never_purged(db, world, make_enrolment, status):
    year = db.scalars(select(Enrolment).where(Enrolment.person_id == world.gone.id)).one()
    make_enrolment(world.gone, "Berga", school_year=year.school_year, status=status)
    assert world.gone.id not in due_ids(retention.plan_purge(db, on=date(2040, 1, 1)))


def test_waitlisted_and_active_polare_stay_however_old_their_records(db, world):
    plan = retention.plan_purge(db, on=date(2040, 1, 1))
    assert world.waiting.id not in due_ids(plan)
    assert world.active.id not in due_ids(plan)


def test_declined_enrolment_counts_from_the_end_of_its_school_year(db, world):
    assert world.declined.id not in due_ids(retention.plan_purge(db, on=date(2027, 7, 31)))
    assert world.declined.id in due_ids(retention.plan_purge(db, on=date(2027, 8, 1)))


def test_person_without_enrolment_counts_from_registration(db, world):
    due = next(d for d in retention.plan_purge(db, on=TODAY).persons
               if d.person_id == world.nobody.id)
    assert (due.last_closed, due.counted_from) == (None, date(2023, 1, 10))


def test_purge_is_refused_without_a_deletion_decision(db, world):
    with pytest.raises(DomainError, match="gallringsbeslut"):
        retention.run_purge(db, None, on=TODAY)
    assert db.get(Person, world.left.id).anonymised_at is None


def test_purge_anonymises_names_number_contacts_and_guardians(db, world, decision):
    left_id, birth = world.left.id, world.left.birth_date
    retention.run_purge(db, None, on=TODAY)
    db.expire_all()
    person = db.get(Person, left_id)
    assert (person.first_name, person.last_name, person.personnummer) == ("Anonymiserad", "",
                                                                          None)
    assert (person.phone, person.email, person.address, person.school, person.notes) == (
        "", "", "", "", "")
    assert person.birth_date == birth
    assert person.anonymised_at is not None
    assert db.scalar(select(func.count(Guardian.id)).where(Guardian.person_id == left_id)) == 0
    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == left_id)).one()
    assert (enrolment.consent_guardian_id, enrolment.end_reason) == (None, "")
    assert enrolment.consent_date == date(2024, 8, 10)


def test_persons_not_due_are_left_as_they_were(db, world, decision):
    before = [(p.first_name, p.personnummer) for p in (world.boundary, world.active,
                                                        world.waiting, world.declined)]
    retention.run_purge(db, None, on=TODAY)
    db.expire_all()
    after = [(db.get(Person, p.id).first_name, db.get(Person, p.id).personnummer)
             for p in (world.boundary, world.active, world.waiting, world.declined)]
    assert after == before


def test_each_purge_is_audited_with_the_decision_reference(db, world, decision):
    retention.run_purge(db, None, on=TODAY)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "purge",
                                                  AuditEntry.entity == "person")).all()
    purged_persons = {e.entity_id for e in entries if "vårdnadshavare" in e.note}
    assert purged_persons == {str(p.id) for p in (world.gone, world.paid_2019, world.left,
                                                  world.nobody)}
    assert all(DECISION_REF in entry.note for entry in entries)


def test_pay_lines_keep_name_and_number_for_seven_years_after_the_last_payment(db, world,
                                                                             decision):
    retention.run_purge(db, None, on=TODAY)
    lines = {line.person_id: line for line in db.scalars(select(PayLine))}
    assert lines[world.paid_2019.id].personnummer is not None
    assert (lines[world.paid_2019.id].first_name, lines[world.paid_2019.id].last_name) == (
        "Pelle", "Nitton")
    assert lines[world.left.id].first_name == "Elsa"
    assert (lines[world.gone.id].personnummer, lines[world.gone.id].first_name) == (
        None, "Anonymiserad")


def test_pay_lines_of_a_2019_payment_are_anonymised_on_new_year_2027(db, world, decision):
    retention.run_purge(db, None, on=date(2026, 12, 31))
    line = db.scalars(select(PayLine).where(PayLine.person_id == world.paid_2019.id)).one()
    assert line.personnummer is not None
    result = retention.run_purge(db, None, on=date(2027, 1, 1))
    assert result.pay_line_persons == 1
    assert (line.personnummer, line.first_name) == (None, "Anonymiserad")


def test_pay_lines_of_a_person_still_kept_are_not_anonymised(db, world, decision, make_enrolment,
                                                             school_year):
    make_enrolment(world.gone, "Ryd", school_year=school_year)
    plan = retention.plan_purge(db, on=TODAY)
    assert world.gone.id not in {due.person_id for due in plan.pay_lines}


def test_pay_lines_of_a_person_anonymised_earlier_are_anonymised_when_due(db, world, decision):
    retention.run_purge(db, None, on=date(2026, 11, 25))
    line = db.scalars(select(PayLine).where(PayLine.person_id == world.paid_2019.id)).one()
    assert db.get(Person, world.paid_2019.id).anonymised_at is not None
    assert line.first_name == "Pelle"
    plan = retention.plan_purge(db, on=date(2027, 1, 1))
    assert [due.person_id for due in plan.pay_lines] == [world.paid_2019.id]
    assert world.paid_2019.id not in due_ids(plan)


def test_statistics_and_payroll_totals_are_identical_after_the_purge(db, world, decision):
    before = statistics(db)
    result = retention.run_purge(db, None, on=date(2027, 1, 1))
    db.expire_all()
    assert (result.persons, result.pay_line_persons) == (5, 2)
    assert statistics(db) == before
    assert before["paid"] == Decimal("1050.00")


def test_dry_run_changes_nothing(db, world):
    before = statistics(db), [(p.id, p.first_name, p.personnummer) for p in db.scalars(
        select(Person).order_by(Person.id))]
    plan = retention.plan_purge(db, on=TODAY)
    db.expire_all()
    after = statistics(db), [(p.id, p.first_name, p.personnummer) for p in db.scalars(
        select(Person).order_by(Person.id))]
    assert plan.persons
    assert after == before


def test_a_second_purge_finds_nothing_to_do(db, world, decision):
    retention.run_purge(db, None, on=TODAY)
    assert retention.plan_purge(db, on=TODAY).is_empty


def test_purge_refuses_a_plan_that_changed_since_it_was_reviewed(db, world, decision,
                                                                make_person):
    token = retention.plan_purge(db, on=TODAY).token
    make_person(first_name="Ny", last_name="Gammal", birth_date=date(2005, 1, 1),
                created_at=datetime(2020, 1, 1))
    with pytest.raises(ConflictError, match="ändrats"):
        retention.run_purge(db, None, on=TODAY, expected_token=token)


def test_purge_removes_the_persons_data_from_the_audit_log(db, world, decision):
    person = world.left
    pnr = person.personnummer
    record(db, None, "update", "person", person.id,
           changes={"first_name": ["Elisabet", "Elsa"], "prior_years": [0, 1]},
           note="Namnbyte för Elisabet Slut")
    record(db, None, "consent", "enrolment", person.enrolments[0].id,
           note=f"Samtycke från {world.mother.name}")
    record(db, None, "view", "search", "", note=f"sökte {pnr}")
    retention.run_purge(db, None, on=TODAY)
    texts = [f"{entry.changes} {entry.note}" for entry in db.scalars(select(AuditEntry))]
    for secret in (pnr, "Elisabet", "Maria Slut", "Allergisk", "Katedralskolan", "Malmö"):
        assert not [text for text in texts if secret in text], secret
    update = db.scalars(select(AuditEntry).where(
        AuditEntry.entity == "person", AuditEntry.entity_id == str(person.id),
        AuditEntry.action == "update")).one()
    assert update.changes == {"first_name": [REDACTED, REDACTED], "prior_years": [0, 1]}


def test_purge_takes_the_persons_name_out_of_the_notes_of_their_walks_and_events(
        db, world, decision):
    walk = db.scalars(select(Walk).join(Participation)
                      .where(Participation.person_id == world.left.id)).one()
    walk.note = "Elsa Slut kom sent. Lugn kväll vid torget."
    event = db.scalars(select(Invitation).where(Invitation.person_id == world.left.id)
                       ).one().event
    event.notes = "Elsa behöver skjuts, ring +46705550002."
    record(db, None, "update", "walk", walk.id, changes={"note": ["", walk.note]})
    history = record(db, None, "update", "event", event.id,
                     changes={"notes": ["", event.notes]})
    db.commit()
    retention.run_purge(db, None, on=TODAY)
    assert walk.note == f"{REDACTED} kom sent. Lugn kväll vid torget."
    assert event.notes == f"{REDACTED} behöver skjuts, ring {REDACTED}."
    assert history.changes == {"notes": ["", event.notes]}


def _table_contents(db) -> dict[str, set[str]]:
    return {table.name: {repr(tuple(row)) for row in db.execute(select(table))}
            for table in flask_db.metadata.sorted_tables}


def test_every_table_a_purge_changes_is_overwritten_after_it(db, world, decision):
    """PostgreSQL VACUUMs PURGED_TABLES after a purge: no changed table may be missing."""
    enrolment = world.left.enrolments[0]
    db.add(Application(enrolment_id=enrolment.id, first_name="Elsa", last_name="Slut",
                       privacy_notice_version="1"))
    db.add(ConsentRequest(enrolment_id=enrolment.id, guardian_id=world.mother.id,
                          token_hash="2" * 64, expires_at=datetime(2024, 8, 15)))
    walk = db.scalars(select(Walk).join(Participation)
                      .where(Participation.person_id == world.left.id)).one()
    walk.note = "Elsa Slut kom sent."
    db.scalars(select(Invitation).where(Invitation.person_id == world.left.id)
               ).one().event.notes = "Elsa behöver skjuts."
    record(db, None, "update", "walk", walk.id, note="test fixture")
    db.commit()
    before = _table_contents(db)
    retention.run_purge(db, None, on=TODAY)
    db.flush()
    after = _table_contents(db)
    # Rows added leave nothing behind; rows changed or deleted leave their old versions.
    changed = {name for name in before if before[name] - after[name]}
    assert {"persons", "applications", "consent_requests", "walks", "events"} <= changed
    assert changed <= set(retention.PURGED_TABLES)


def test_purge_redacts_an_entry_filed_under_another_record_that_refers_to_the_person(
        db, world, decision):
    entry = record(db, None, "confirm_training", "walk", 4711,
                   note="Godkänd trots saknad obligatorisk utbildning: Elsa Slut.",
                   persons=[world.left.id, world.active.id])
    retention.run_purge(db, None, on=TODAY)
    assert entry.note == f"Godkänd trots saknad obligatorisk utbildning: {REDACTED}."
    assert {ref.person_id for ref in entry.persons} == {world.left.id, world.active.id}


def test_purge_leaves_entries_referring_only_to_persons_it_keeps(db, world, decision):
    entry = record(db, None, "import", "walk", 4712, note="Alva Aktiv importerad.",
                   persons=[world.active.id])
    retention.run_purge(db, None, on=TODAY)
    assert entry.note == "Alva Aktiv importerad."
