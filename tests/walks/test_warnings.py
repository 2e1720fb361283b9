"""Warnings that do not refuse: late minors, missing required training and its confirmation."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError
from polare.org.services import get_settings
from polare.walks.models import ParticipationStatus, WalkStatus
from polare.walks.rules import walk_warnings
from polare.walks.workflow import WalkLog, approve_walk, complete_walk, log_walk
from tests.walks.conftest import LAST_FRIDAY


def _kinds(db, walk) -> list[tuple[str, int]]:
    return [(w.kind, w.person_id) for w in walk_warnings(db, walk)]


def test_minor_on_walk_ending_after_22_is_warned_not_refused(db, make_walk, polare, train):
    train(polare)
    walk = make_walk([polare], start_time=time(19, 0), end_time=time(23, 0))
    warnings = walk_warnings(db, walk)
    assert [(w.kind, w.person_id) for w in warnings] == [("minor_late", polare.id)]
    assert warnings[0].message == (
        "Elsa Ek är 17 år och nattvandringen slutar 23:00, efter den senaste sluttiden för "
        "polare under 18 (22:00).")
    assert walk.id is not None


def test_minor_on_walk_ending_at_22_is_not_warned(db, make_walk, polare, train):
    train(polare)
    assert _kinds(db, make_walk([polare], end_time=time(22, 0))) == []


def test_minor_on_walk_ending_at_0130_after_midnight_is_warned(db, make_walk, polare, train):
    train(polare)
    walk = make_walk([polare], start_time=time(20, 0), end_time=time(1, 30))
    assert _kinds(db, walk) == [("minor_late", polare.id)]


def test_adult_on_late_walk_is_not_warned(db, make_walk, adult, train):
    train(adult)
    assert _kinds(db, make_walk([adult], start_time=time(22, 0), end_time=time(2, 0))) == []


def test_polare_turning_18_on_the_walk_date_is_an_adult(db, make_walk, make_person,
                                                        make_enrolment, train):
    person = make_person(birth_date=date(2008, 11, 27))
    make_enrolment(person, "Ryd")
    train(person)
    assert _kinds(db, make_walk([person], end_time=time(23, 30))) == []


def test_latest_end_for_minors_is_a_setting(db, make_walk, polare, train):
    train(polare)
    get_settings(db).minor_latest_end = time(23, 30)
    assert _kinds(db, make_walk([polare], end_time=time(23, 0))) == []


def test_minor_marked_absent_is_not_warned(db, make_walk, polare, supervisor, train):
    train(polare)
    walk = make_walk([polare], walk_date=LAST_FRIDAY, end_time=time(23, 0))
    log_walk(db, supervisor, walk.id, WalkLog({polare.id: ParticipationStatus.ABSENT}, 1, 0, {}),
             version=walk.version)
    assert _kinds(db, walk) == []


def test_polare_lacking_required_training_is_warned(db, make_walk, adult):
    warnings = walk_warnings(db, make_walk([adult]))
    assert [(w.kind, w.person_id) for w in warnings] == [("training", adult.id)]
    assert warnings[0].message == "Omar Berg saknar obligatorisk utbildning: Ledarskapsutbildning."


def test_training_attended_in_the_school_year_removes_the_warning(db, make_walk, adult, train):
    train(adult)
    assert _kinds(db, make_walk([adult])) == []


@pytest.fixture
def untrained_completed(db, make_walk, adult, supervisor):
    """Last Friday's completed walk where an untrained adult attended."""
    walk = make_walk([adult], walk_date=LAST_FRIDAY)
    log_walk(db, supervisor, walk.id, WalkLog({adult.id: ParticipationStatus.ATTENDED}, 9, 2, {}),
             version=walk.version)
    complete_walk(db, supervisor, walk.id, version=walk.version,
                  now=datetime(2026, 11, 21, 8, 0))
    return walk


def test_approving_with_missing_training_needs_confirmation(db, untrained_completed,
                                                            make_user):
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    with pytest.raises(DomainError, match="Omar Berg saknar obligatorisk utbildning") as refused:
        approve_walk(db, coordinator, untrained_completed.id,
                     version=untrained_completed.version)
    assert refused.value.field == "confirm_training"
    assert untrained_completed.status == WalkStatus.COMPLETED


def test_confirmed_approval_with_missing_training_is_recorded(db, untrained_completed, adult,
                                                             make_user):
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    walk = approve_walk(db, coordinator, untrained_completed.id,
                        version=untrained_completed.version, confirm_training=True)
    assert walk.status == WalkStatus.APPROVED
    assert walk.training_confirmed_by_id == coordinator.id
    assert walk.training_confirmed_at == walk.approved_at
    entry = db.scalars(select(AuditEntry).where(
        AuditEntry.entity == "walk", AuditEntry.entity_id == str(walk.id),
        AuditEntry.action == "confirm_training")).one()
    assert entry.username == coordinator.username
    assert entry.changes == {f"missing_training[{adult.id}]": [None, ["Ledarskapsutbildning"]]}


def test_training_confirmation_refers_to_polare_by_id_never_by_name(db, untrained_completed,
                                                                   adult, make_user):
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    walk = approve_walk(db, coordinator, untrained_completed.id,
                        version=untrained_completed.version, confirm_training=True)
    entry = db.scalars(select(AuditEntry).where(
        AuditEntry.entity == "walk", AuditEntry.entity_id == str(walk.id),
        AuditEntry.action == "confirm_training")).one()
    assert [ref.person_id for ref in entry.persons] == [adult.id]
    assert "Omar" not in entry.note
    assert "Berg" not in entry.note
