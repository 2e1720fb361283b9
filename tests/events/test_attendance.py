"""Invitations and attendance marking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError, NotFoundError
from polare.events import attendance
from polare.events.models import Invitation, InvitationStatus
from polare.events.training import missing_required_training
from polare.roster.models import EnrolmentStatus

ON = date(2026, 11, 25)


def _invitation_count(db, event) -> int:
    return db.scalar(select(func.count(Invitation.id)).where(Invitation.event_id == event.id))


@pytest.fixture
def ryd_team(make_person, make_enrolment):
    """Three active polare in Ryd, one applicant in Ryd, one active polare in Berga."""
    active = [make_person(first_name=name) for name in ("Alva", "Bo", "Cleo")]
    for person in active:
        make_enrolment(person, "Ryd")
    applicant = make_person(first_name="Dino")
    make_enrolment(applicant, "Ryd", status=EnrolmentStatus.APPLICANT)
    berga = make_person(first_name="Ebba")
    make_enrolment(berga, "Berga")
    return {"active": active, "applicant": applicant, "berga": berga}


def test_inviting_all_creates_one_invitation_per_active_polare(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    assert attendance.invite_active_polare(db, None, event) == 3
    invited = set(db.scalars(select(Invitation.person_id).where(Invitation.event_id == event.id)))
    assert invited == {p.id for p in ryd_team["active"]}


def test_inviting_all_twice_in_a_row_adds_nobody(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    attendance.invite_active_polare(db, None, event)
    assert attendance.invite_active_polare(db, None, event) == 0
    assert _invitation_count(db, event) == 3


def test_inviting_all_after_picking_someone_adds_only_the_others(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    attendance.invite_persons(db, None, event, [ryd_team["active"][0].id])
    assert attendance.invite_active_polare(db, None, event) == 2
    assert _invitation_count(db, event) == 3


def test_inviting_all_to_an_all_team_event_invites_every_team(db, make_event, ryd_team):
    event = make_event(type_name="Nätverksträff", team=None)
    assert attendance.invite_active_polare(db, None, event) == 4


def test_coordinator_inviting_all_to_an_all_team_event_invites_own_team_only(
    db, make_event, make_user, ryd_team
):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = make_event(type_name="Nätverksträff", team=None)
    assert attendance.invite_active_polare(db, berga, event) == 1
    assert db.scalar(select(Invitation.person_id).where(Invitation.event_id == event.id)) == \
        ryd_team["berga"].id


def test_inviting_is_audited_with_the_invited_people(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    attendance.invite_active_polare(db, None, event)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "invite")).one()
    assert entry.changes["invited_person_ids"][1] == sorted(p.id for p in ryd_team["active"])


def test_picked_applicant_with_a_place_in_the_team_can_be_invited(db, make_event, ryd_team):
    event = make_event(type_name="Introduktion", team="Ryd")
    assert attendance.invite_persons(db, None, event, [ryd_team["applicant"].id]) == 1


def test_person_without_a_place_in_the_events_team_cannot_be_invited(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    with pytest.raises(DomainError, match="ingen plats i Ryd läsåret 2026/27") as refused:
        attendance.invite_persons(db, None, event,
                                  [ryd_team["active"][0].id, ryd_team["berga"].id])
    assert refused.value.field == "person_ids"
    assert _invitation_count(db, event) == 0


def test_person_with_a_place_in_another_school_year_cannot_be_invited(
    db, make_event, make_person, make_enrolment
):
    from polare.org.models import SchoolYear

    last_year = db.scalars(select(SchoolYear).where(SchoolYear.label == "2025/26")).one()
    veteran = make_person()
    make_enrolment(veteran, "Ryd", school_year=last_year)
    with pytest.raises(DomainError, match="ingen plats"):
        attendance.invite_persons(db, None, make_event(team="Ryd"), [veteran.id])


def test_declined_applicant_cannot_be_invited(db, make_event, make_person, make_enrolment):
    declined = make_person()
    make_enrolment(declined, "Ryd", status=EnrolmentStatus.DECLINED)
    with pytest.raises(DomainError, match="ingen plats"):
        attendance.invite_persons(db, None, make_event(team="Ryd"), [declined.id])


def test_coordinator_cannot_invite_another_teams_polare_to_an_all_team_event(
    db, make_event, make_user, ryd_team
):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = make_event(type_name="Nätverksträff", team=None)
    with pytest.raises(DomainError, match="^Okänd polare$"):
        attendance.invite_persons(db, berga, event, [ryd_team["active"][0].id])


def test_nobody_chosen_is_refused(db, make_event):
    with pytest.raises(DomainError, match="minst en"):
        attendance.invite_persons(db, None, make_event(), [])


def test_nobody_can_be_invited_to_a_cancelled_event(db, make_event, ryd_team):
    event = make_event(cancelled=True)
    with pytest.raises(DomainError, match="inställd"):
        attendance.invite_active_polare(db, None, event)


def test_candidates_are_the_uninvited_people_with_a_place(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    attendance.invite_persons(db, None, event, [ryd_team["active"][0].id])
    names = [c.person.first_name for c in attendance.candidates(db, None, event)]
    assert names == ["Bo", "Cleo", "Dino"]


def test_marking_attended_completes_required_training(db, make_event, polare, school_year):
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id]
    attendance.mark_attendance(db, None, event, polare.id, InvitationStatus.ATTENDED, on=ON)
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id] == []


def test_changing_a_mark_to_absent_takes_the_training_back(db, make_event, polare, school_year):
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    attendance.mark_attendance(db, None, event, polare.id, InvitationStatus.ATTENDED, on=ON)
    attendance.mark_attendance(db, None, event, polare.id, InvitationStatus.ABSENT, on=ON)
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id] == [
        "Ledarskapsutbildning"
    ]


def test_marking_records_who_and_old_and_new_status(db, make_event, make_user, polare):
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    invitation = attendance.mark_attendance(db, coordinator, event, polare.id,
                                            InvitationStatus.ATTENDED, on=ON)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "invitation")).one()
    assert invitation.marked_by_id == coordinator.id
    assert invitation.marked_at is not None
    assert entry.changes == {"status": ["invited", "attended"]}


def test_attendance_cannot_be_marked_before_the_event_day(db, make_event, polare):
    event = make_event(event_date=date(2026, 12, 5))
    attendance.invite_persons(db, None, event, [polare.id])
    with pytest.raises(DomainError, match="från och med"):
        attendance.mark_attendance(db, None, event, polare.id, InvitationStatus.ATTENDED, on=ON)


def test_attendance_can_be_marked_only_as_attended_or_absent(db, make_event, polare):
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    with pytest.raises(DomainError, match="deltog eller frånvarande"):
        attendance.mark_attendance(db, None, event, polare.id, InvitationStatus.INVITED, on=ON)


def test_attendance_of_someone_not_invited_is_not_found(db, make_event, polare):
    with pytest.raises(NotFoundError):
        attendance.mark_attendance(db, None, make_event(), polare.id,
                                   InvitationStatus.ATTENDED, on=ON)


def test_coordinator_cannot_mark_another_teams_polare_at_an_all_team_event(
    db, make_event, make_user, ryd_team
):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = make_event(type_name="Nätverksträff", team=None)
    attendance.invite_active_polare(db, None, event)
    with pytest.raises(NotFoundError):
        attendance.mark_attendance(db, berga, event, ryd_team["active"][0].id,
                                   InvitationStatus.ATTENDED, on=ON)
    attendance.mark_attendance(db, berga, event, ryd_team["berga"].id,
                               InvitationStatus.ATTENDED, on=ON)


def test_unmarked_invitation_can_be_removed(db, make_event, polare):
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    attendance.remove_invitation(db, None, event, polare.id)
    assert _invitation_count(db, event) == 0


def test_marked_invitation_cannot_be_removed(db, make_event, polare):
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    attendance.mark_attendance(db, None, event, polare.id, InvitationStatus.ABSENT, on=ON)
    with pytest.raises(DomainError, match="kan inte tas bort"):
        attendance.remove_invitation(db, None, event, polare.id)


def test_summary_per_event_counts_invited_attended_and_absent(db, make_event, ryd_team):
    event = make_event(team="Ryd")
    attendance.invite_active_polare(db, None, event)
    first, second, _third = ryd_team["active"]
    attendance.mark_attendance(db, None, event, first.id, InvitationStatus.ATTENDED, on=ON)
    attendance.mark_attendance(db, None, event, second.id, InvitationStatus.ABSENT, on=ON)
    counts = attendance.attendance_counts(db, None, [event.id])[event.id]
    assert (counts.invited, counts.attended, counts.absent, counts.unmarked) == (3, 1, 1, 1)


def test_summary_of_an_all_team_event_counts_own_teams_polare_for_a_coordinator(
    db, make_event, make_user, ryd_team
):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = make_event(type_name="Nätverksträff", team=None)
    attendance.invite_active_polare(db, None, event)
    assert attendance.attendance_counts(db, berga, [event.id])[event.id].invited == 1
    assert attendance.attendance_counts(db, None, [event.id])[event.id].invited == 4
    assert [i.person_id for i in attendance.invitations_for(db, berga, event)] == [
        ryd_team["berga"].id
    ]


def test_events_attended_lists_the_school_years_attended_events(
    db, make_event, invite, polare, school_year
):
    training = make_event(event_date=date(2026, 10, 10))
    network = make_event(type_name="Nätverksträff", team=None, event_date=date(2026, 9, 5))
    skipped = make_event(type_name="Föräldramöte", event_date=date(2026, 11, 2))
    invite(db, training, polare, InvitationStatus.ATTENDED)
    invite(db, network, polare, InvitationStatus.ATTENDED)
    invite(db, skipped, polare, InvitationStatus.ABSENT)
    assert attendance.events_attended(db, polare.id, school_year.id) == [network, training]
    assert attendance.attended_counts(db, [polare.id], school_year.id) == {polare.id: 2}
