"""Required-training status and the team summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from polare.events.models import InvitationStatus
from polare.events.training import (
    lacks_required_training,
    missing_required_training,
    required_training_summary,
)
from polare.org.models import SchoolYear
from polare.roster.models import Person
from tests.statements import counted_statements


def test_polare_without_attendance_lacks_required_training(db, polare, school_year):
    assert missing_required_training(db, [polare.id], school_year.id) == {
        polare.id: ["Ledarskapsutbildning"]
    }


def test_attending_required_event_completes_training(db, polare, school_year, make_event,
                                                     invite):
    invite(db, make_event(), polare, InvitationStatus.ATTENDED)
    assert missing_required_training(db, [polare.id], school_year.id) == {polare.id: []}


def test_absent_or_invited_does_not_count_as_training(db, polare, make_person, school_year,
                                                      make_event, invite):
    other = make_person()
    event = make_event()
    invite(db, event, polare, InvitationStatus.ABSENT)
    invite(db, event, other, InvitationStatus.INVITED)
    missing = missing_required_training(db, [polare.id, other.id], school_year.id)
    assert missing == {polare.id: ["Ledarskapsutbildning"], other.id: ["Ledarskapsutbildning"]}


def test_cancelled_event_does_not_count_as_training(db, polare, school_year, make_event,
                                                    invite):
    invite(db, make_event(cancelled=True), polare, InvitationStatus.ATTENDED)
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id]


def test_training_is_missing_again_when_the_school_year_turns(db, polare, school_year,
                                                               make_event, invite):
    invite(db, make_event(), polare, InvitationStatus.ATTENDED)
    next_year = db.scalars(select(SchoolYear).where(SchoolYear.label == "2027/28")).one()
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id] == []
    assert missing_required_training(db, [polare.id], next_year.id)[polare.id] == [
        "Ledarskapsutbildning"
    ]


def test_non_required_or_inactive_types_are_not_demanded(db, polare, school_year, event_types):
    event_types["Ledarskapsutbildning"].active = False
    db.flush()
    assert missing_required_training(db, [polare.id], school_year.id) == {polare.id: []}


def test_every_required_type_is_listed_when_missing(db, polare, school_year, event_types,
                                                    make_event, invite):
    event_types["Introduktion"].required = True
    db.flush()
    invite(db, make_event("Introduktion"), polare, InvitationStatus.ATTENDED)
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id] == [
        "Ledarskapsutbildning"
    ]


def test_lacks_required_training_filters_in_sql(db, polare, make_person, make_enrolment,
                                                school_year, make_event, invite):
    trained = make_person(first_name="Tova")
    make_enrolment(trained, "Ryd")
    invite(db, make_event(), trained, InvitationStatus.ATTENDED)
    lacking = db.scalars(
        select(Person.id).where(Person.id.in_([polare.id, trained.id]),
                                lacks_required_training(Person.id, school_year.id))
    ).all()
    assert lacking == [polare.id]


def test_summary_counts_active_polare_of_the_team_with_training(
    db, polare, make_person, make_enrolment, school_year, make_event, invite, teams
):
    second, ended, in_berga = make_person(), make_person(), make_person()
    make_enrolment(second, "Ryd")
    make_enrolment(ended, "Ryd", status="ended", ended_on=date(2026, 9, 1))
    make_enrolment(in_berga, "Berga")
    event = make_event(team=None)
    for person in (polare, ended, in_berga):
        invite(db, event, person, InvitationStatus.ATTENDED)
    assert required_training_summary(db, teams["Ryd"].id, school_year.id) == [
        ("Ledarskapsutbildning", 1, 2)
    ]


def test_missing_training_is_one_statement_from_the_persons_invitations(
    db, polare, make_person, school_year, make_event, invite
):
    """One query, which SQLite (no statistics) plans from the persons' invitations, not from
    every event of the school year in the country."""
    for _other_team_event in range(3):
        invite(db, make_event(team="Berga"), make_person(), InvitationStatus.ATTENDED)
    invite(db, make_event(), polare, InvitationStatus.ATTENDED)
    team = [make_person(first_name=f"P{i}") for i in range(24)]
    db.flush()
    with counted_statements() as sent:
        missing = missing_required_training(db, [polare.id, *(p.id for p in team)],
                                            school_year.id)
    assert len(sent) == 1
    assert missing[polare.id] == []
    assert missing[team[0].id] == ["Ledarskapsutbildning"]
    if db.get_bind().dialect.name == "sqlite":
        statement, parameters = sent[0]
        plan = [row[-1] for row in db.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters)]
        searches = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
        assert searches[0].startswith("SEARCH invitations USING INDEX ix_invitations_person_id")
