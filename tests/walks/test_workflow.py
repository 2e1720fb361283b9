"""Logging a walk and moving it: completed, approved (who and when), sent back, cancelled."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError, PermissionDeniedError
from polare.roster.models import EnrolmentStatus
from polare.walks.models import IncidentCategory, ParticipationStatus, WalkStatus
from polare.walks.planning import WalkPlan, update_walk
from polare.walks.workflow import (
    WalkLog,
    approve_walk,
    cancel_walk,
    complete_walk,
    log_walk,
    send_back_walk,
)
from tests.walks.conftest import LAST_FRIDAY

AFTER_THE_WALK = datetime(2026, 11, 21, 9, 0)
ATTENDED, ABSENT = ParticipationStatus.ATTENDED, ParticipationStatus.ABSENT


@pytest.fixture
def categories(db) -> dict[str, IncidentCategory]:
    return {c.name: c for c in db.scalars(select(IncidentCategory))}


@pytest.fixture
def walked(make_walk, polare, adult):
    """Last Friday's walk with two polare, not yet logged."""
    return make_walk([polare, adult], walk_date=LAST_FRIDAY)


def _log(walk, attendance, met=14, talked=3, **extra) -> WalkLog:
    return WalkLog(attendance=attendance, youths_met=met, youths_talked=talked,
                   incidents=extra.pop("incidents", {}), note=extra.pop("note", ""), **extra)


def _completed(db, walk, supervisor, polare, adult):
    log_walk(db, supervisor, walk.id, _log(walk, {polare.id: ATTENDED, adult.id: ATTENDED}),
             version=walk.version)
    return complete_walk(db, supervisor, walk.id, version=walk.version, now=AFTER_THE_WALK)


def _audit(db, walk, action):
    return db.scalars(select(AuditEntry).where(
        AuditEntry.entity == "walk", AuditEntry.entity_id == str(walk.id),
        AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_log_records_attendance_counts_incidents_and_note(db, walked, supervisor, polare, adult,
                                                          categories):
    fights = categories["Bråk"]
    log_walk(db, supervisor, walked.id, _log(
        walked, {polare.id: ATTENDED, adult.id: ABSENT}, incidents={fights.id: 2},
        note="Lugnt vid skolan."), version=walked.version)
    statuses = {p.person_id: p.status for p in walked.participations}
    assert statuses == {polare.id: ATTENDED, adult.id: ABSENT}
    assert (walked.youths_met, walked.youths_talked) == (14, 3)
    assert [(i.category_id, i.count) for i in walked.incidents] == [(fights.id, 2)]
    assert walked.note == "Lugnt vid skolan."
    changes = _audit(db, walked, "log")[0].changes
    assert changes[f"attendance[{adult.id}]"] == ["scheduled", "absent"]
    assert changes["youths_met"] == [None, 14]


def test_log_refuses_talked_with_more_than_met(db, walked, supervisor):
    with pytest.raises(DomainError, match="fler ungdomar"):
        log_walk(db, supervisor, walked.id, _log(walked, {}, met=2, talked=3),
                 version=walked.version)


def test_incident_count_of_zero_removes_the_incident(db, walked, supervisor, categories):
    police = categories["Kontakt med polis"].id
    log_walk(db, supervisor, walked.id, _log(walked, {}, incidents={police: 1}),
             version=walked.version)
    log_walk(db, supervisor, walked.id, _log(walked, {}, incidents={police: 0}),
             version=walked.version)
    assert walked.incidents == []


def test_polare_who_joined_on_the_night_is_added_as_attended(db, walked, supervisor,
                                                             make_person, make_enrolment):
    late = make_person(first_name="Sara", last_name="Sent")
    make_enrolment(late, "Ryd")
    log_walk(db, supervisor, walked.id, _log(walked, {}, joined_person_ids=[late.id]),
             version=walked.version)
    joined = [p for p in walked.participations if p.person_id == late.id][0]
    assert joined.status == ATTENDED
    assert joined.joined_on_night is True


def test_polare_joining_without_active_enrolment_is_refused(db, walked, supervisor,
                                                            make_person, make_enrolment):
    stranger = make_person(first_name="Kim", last_name="Utan")
    make_enrolment(stranger, "Ryd", status=EnrolmentStatus.APPLICANT)
    with pytest.raises(DomainError, match="Kim Utan har ingen aktiv inskrivning") as refused:
        log_walk(db, supervisor, walked.id, _log(walked, {}, joined_person_ids=[stranger.id]),
                 version=walked.version)
    assert refused.value.field == "joined_person_id"


def test_complete_needs_every_polare_marked(db, walked, supervisor, polare):
    log_walk(db, supervisor, walked.id, _log(walked, {polare.id: ATTENDED}),
             version=walked.version)
    with pytest.raises(DomainError, match="Markera närvarande eller frånvarande för Omar Berg"):
        complete_walk(db, supervisor, walked.id, version=walked.version, now=AFTER_THE_WALK)


def test_complete_needs_the_counts(db, walked, supervisor, polare, adult):
    log_walk(db, supervisor, walked.id,
             _log(walked, {polare.id: ATTENDED, adult.id: ATTENDED}, met=None, talked=None),
             version=walked.version)
    with pytest.raises(DomainError, match="hur många ungdomar"):
        complete_walk(db, supervisor, walked.id, version=walked.version, now=AFTER_THE_WALK)


def test_walk_cannot_be_completed_before_it_starts(db, walked, supervisor, polare, adult):
    log_walk(db, supervisor, walked.id, _log(walked, {polare.id: ATTENDED, adult.id: ABSENT}),
             version=walked.version)
    with pytest.raises(DomainError, match="har inte börjat"):
        complete_walk(db, supervisor, walked.id, version=walked.version,
                      now=datetime(2026, 11, 20, 18, 59))


def test_approve_requires_a_completed_walk(db, walked, make_user):
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    with pytest.raises(DomainError, match="Bara genomförda"):
        approve_walk(db, coordinator, walked.id, version=walked.version)


def test_approval_records_who_and_when(db, walked, supervisor, polare, adult, make_user,
                                       train):
    _completed(db, walked, supervisor, polare, adult)
    train(polare, adult)
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    approve_walk(db, coordinator, walked.id, version=walked.version)
    assert walked.status == WalkStatus.APPROVED
    assert walked.approved_by_id == coordinator.id
    assert walked.approved_at is not None
    assert walked.training_confirmed_by_id is None
    entry = _audit(db, walked, "approve")[0]
    assert entry.username == coordinator.username
    assert entry.changes["status"] == ["completed", "approved"]


def test_editing_an_approved_walk_sends_it_back_to_completed(db, walked, supervisor, polare,
                                                             adult, train):
    _completed(db, walked, supervisor, polare, adult)
    train(polare, adult)
    approve_walk(db, supervisor, walked.id, version=walked.version)
    update_walk(db, supervisor, walked.id, WalkPlan(
        walked.team_id, walked.walk_date, time(19, 0), time(22, 0), walked.district_id,
        walked.meeting_point, [supervisor.id], [polare.id, adult.id]), version=walked.version)
    assert walked.status == WalkStatus.COMPLETED
    assert walked.approved_by_id is None
    entry = _audit(db, walked, "update")[0]
    assert entry.changes["status"] == ["approved", "completed"]
    assert entry.changes["end_time"] == ["21:30:00", "22:00:00"]
    assert "skickades tillbaka" in entry.note


def test_logging_an_approved_walk_sends_it_back(db, walked, supervisor, polare, adult,
                                                train):
    _completed(db, walked, supervisor, polare, adult)
    train(polare, adult)
    approve_walk(db, supervisor, walked.id, version=walked.version)
    log_walk(db, supervisor, walked.id, _log(walked, {polare.id: ATTENDED, adult.id: ABSENT}),
             version=walked.version)
    assert walked.status == WalkStatus.COMPLETED
    assert _audit(db, walked, "log")[-1].changes[f"attendance[{adult.id}]"] == [
        "attended", "absent"]


def test_saving_an_approved_walk_unchanged_keeps_it_approved(db, walked, supervisor, polare,
                                                             adult, train):
    _completed(db, walked, supervisor, polare, adult)
    train(polare, adult)
    approve_walk(db, supervisor, walked.id, version=walked.version)
    version = walked.version
    log_walk(db, supervisor, walked.id, _log(walked, {polare.id: ATTENDED, adult.id: ATTENDED}),
             version=walked.version)
    assert walked.status == WalkStatus.APPROVED
    assert walked.version == version


def test_send_back_moves_an_approved_walk_to_completed_with_reason(db, walked, supervisor,
                                                                  polare, adult, train):
    _completed(db, walked, supervisor, polare, adult)
    train(polare, adult)
    approve_walk(db, supervisor, walked.id, version=walked.version)
    send_back_walk(db, supervisor, walked.id, version=walked.version, reason="Fel tid")
    assert walked.status == WalkStatus.COMPLETED
    assert _audit(db, walked, "send_back")[0].note == "Fel tid"


def test_cancelled_walk_cannot_be_logged(db, walked, supervisor):
    cancel_walk(db, supervisor, walked.id, version=walked.version, reason="Storm")
    with pytest.raises(DomainError, match="inställd"):
        log_walk(db, supervisor, walked.id, _log(walked, {}), version=walked.version)


def test_payroll_cannot_log_walks(db, walked, make_user):
    with pytest.raises(PermissionDeniedError):
        log_walk(db, make_user(Role.PAYROLL), walked.id, _log(walked, {}),
                 version=walked.version)
