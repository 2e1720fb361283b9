"""Planning walks: who may walk (enrolment, overlap), staff, districts, series, changes."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.roster.models import EnrolmentStatus
from polare.walks.models import ParticipationStatus, Walk, WalkStatus
from polare.walks.planning import (
    SeriesConflictError,
    WalkPlan,
    plan_series,
    plan_walk,
    series_dates,
    update_walk,
)
from polare.walks.workflow import cancel_walk
from tests.walks.conftest import FRIDAY


def _plan(teams, districts, staff, persons=(), **overrides) -> WalkPlan:
    values = {
        "team_id": teams["Ryd"].id, "walk_date": FRIDAY, "start_time": time(19, 0),
        "end_time": time(23, 0), "district_id": districts["Ryd"].id, "meeting_point": "Torget",
        "staff_ids": [staff.id], "person_ids": [p.id for p in persons],
    }
    values.update(overrides)
    return WalkPlan(**values)


def test_planned_walk_holds_its_polare_as_scheduled_and_is_audited(db, make_walk, polare,
                                                                   supervisor):
    walk = make_walk([polare], actor=supervisor)
    assert walk.status == WalkStatus.PLANNED
    assert [(p.person_id, p.status) for p in walk.participations] == [
        (polare.id, ParticipationStatus.SCHEDULED)]
    assert walk.staff == [supervisor]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "walk",
                                                AuditEntry.entity_id == str(walk.id))).one()
    assert entry.action == "create"
    assert entry.username == supervisor.username
    assert entry.changes["participants"] == [None, [polare.id]]


def test_walk_in_another_teams_district_is_marked_outside_own_area(make_walk):
    assert make_walk(district="Ryd").outside_own_area is False
    assert make_walk(district="Ekholmen").outside_own_area is True


def test_polare_in_overlapping_walk_of_another_team_is_refused(make_walk, make_user, polare):
    berga_staff = make_user(Role.COORDINATOR, teams=("Berga",))
    make_walk([polare], team="Berga", staff_ids=[berga_staff.id],
              start_time=time(21, 0), end_time=time(0, 30))
    with pytest.raises(DomainError, match="redan med på en nattvandring som överlappar") as no:
        make_walk([polare], start_time=time(19, 0), end_time=time(21, 30))
    assert "Elsa Ek" in no.value.message
    assert "(Berga)" in no.value.message
    assert no.value.field == "person_ids"


def test_overlap_past_midnight_is_refused(make_walk, polare):
    make_walk([polare], start_time=time(22, 0), end_time=time(1, 30))
    with pytest.raises(DomainError, match="överlappar"):
        make_walk([polare], walk_date=date(2026, 11, 28), start_time=time(1, 0),
                  end_time=time(3, 0))


def test_walks_back_to_back_do_not_overlap(make_walk, polare):
    make_walk([polare], start_time=time(19, 0), end_time=time(21, 0))
    later = make_walk([polare], start_time=time(21, 0), end_time=time(23, 0))
    assert later.participations[0].person_id == polare.id


def test_cancelled_walk_does_not_block_its_polare(db, make_walk, polare):
    first = make_walk([polare])
    cancel_walk(db, None, first.id, version=first.version)
    again = make_walk([polare])
    assert again.participations[0].person_id == polare.id


def test_polare_without_enrolment_is_refused(make_walk, make_person):
    outsider = make_person(first_name="Ines", last_name="Inget")
    with pytest.raises(DomainError, match="Ines Inget har ingen aktiv inskrivning 2026-11-27"):
        make_walk([outsider])


def test_polare_whose_enrolment_ended_before_the_walk_is_refused(make_walk, make_person,
                                                                make_enrolment):
    person = make_person(first_name="Ella", last_name="Slutat")
    make_enrolment(person, "Ryd", status=EnrolmentStatus.ENDED, ended_on=date(2026, 11, 27))
    with pytest.raises(DomainError, match="ingen aktiv inskrivning"):
        make_walk([person])


def test_polare_activated_after_the_walk_date_is_refused(make_walk, make_person,
                                                        make_enrolment):
    person = make_person()
    make_enrolment(person, "Ryd", activated_on=date(2026, 11, 28))
    with pytest.raises(DomainError, match="ingen aktiv inskrivning"):
        make_walk([person])


def test_applicant_is_refused(make_walk, make_person, make_enrolment):
    person = make_person()
    make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    with pytest.raises(DomainError, match="ingen aktiv inskrivning"):
        make_walk([person])


def test_polare_active_in_another_team_may_walk_with_this_team(make_walk, make_person,
                                                              make_enrolment):
    person = make_person()
    make_enrolment(person, "Berga")
    assert make_walk([person]).participations[0].person_id == person.id


def test_walk_without_staff_is_refused(make_walk):
    with pytest.raises(DomainError, match="Minst en personal") as refused:
        make_walk(staff_ids=[])
    assert refused.value.field == "staff_ids"


@pytest.mark.parametrize(("role", "team"), [(Role.SUPERVISOR, "Berga"), (Role.PAYROLL, "Ryd")])
def test_staff_who_does_not_work_with_the_team_is_refused(make_walk, make_user, role, team):
    other = make_user(role, teams=(team,))
    with pytest.raises(DomainError, match="kan inte vara ansvarig personal"):
        make_walk(staff_ids=[other.id])


def test_inactive_staff_is_refused(make_walk, make_user):
    gone = make_user(Role.SUPERVISOR, teams=("Ryd",), active=False)
    with pytest.raises(DomainError, match="kan inte vara ansvarig personal"):
        make_walk(staff_ids=[gone.id])


def test_supervisor_cannot_plan_for_another_team(db, teams, districts, make_user, supervisor):
    berga = make_user(Role.SUPERVISOR, teams=("Berga",))
    with pytest.raises(NotFoundError):
        plan_walk(db, berga, _plan(teams, districts, supervisor))


def test_payroll_cannot_plan_walks(db, teams, districts, make_user, supervisor):
    with pytest.raises(PermissionDeniedError):
        plan_walk(db, make_user(Role.PAYROLL), _plan(teams, districts, supervisor))


def test_series_dates_are_the_chosen_weekdays_between_the_dates():
    assert series_dates(date(2026, 11, 23), date(2026, 12, 6), {4, 5}) == [
        date(2026, 11, 27), date(2026, 11, 28), date(2026, 12, 4), date(2026, 12, 5)]


def test_series_plans_every_friday_and_saturday_with_one_series_id(db, teams, districts,
                                                                   supervisor, polare):
    walks = plan_series(db, supervisor, _plan(teams, districts, supervisor, [polare],
                                              walk_date=date(2026, 11, 27)),
                        last_date=date(2026, 12, 19), weekdays={4, 5})
    assert [w.walk_date.isoformat() for w in walks] == [
        "2026-11-27", "2026-11-28", "2026-12-04", "2026-12-05", "2026-12-11", "2026-12-12",
        "2026-12-18", "2026-12-19"]
    assert len({w.series_id for w in walks}) == 1
    assert all(w.start_time == time(19, 0) and w.end_time == time(23, 0) for w in walks)


def test_series_with_a_conflicting_date_plans_nothing_and_reports_it(db, teams, districts,
                                                                     supervisor, polare,
                                                                     make_walk):
    make_walk([polare], walk_date=date(2026, 12, 5), start_time=time(20, 0),
              end_time=time(22, 0))
    before = db.scalar(select(Walk.id).order_by(Walk.id.desc()))
    with pytest.raises(SeriesConflictError) as refused:
        plan_series(db, supervisor, _plan(teams, districts, supervisor, [polare]),
                    last_date=date(2026, 12, 19), weekdays={4, 5})
    assert str(refused.value.conflicts[0]).startswith("2026-12-05: Elsa Ek är redan med")
    assert len(refused.value.conflicts) == 1
    assert db.scalar(select(Walk.id).order_by(Walk.id.desc())) == before


def test_series_without_weekdays_is_refused(db, teams, districts, supervisor):
    with pytest.raises(DomainError, match="minst en veckodag"):
        plan_series(db, supervisor, _plan(teams, districts, supervisor),
                    last_date=date(2026, 12, 19), weekdays=set())


def test_update_checks_overlap_at_the_new_time(db, teams, districts, supervisor, polare,
                                               make_walk):
    make_walk([polare], start_time=time(22, 0), end_time=time(23, 30))
    early = make_walk([polare], start_time=time(19, 0), end_time=time(21, 0))
    with pytest.raises(DomainError, match="överlappar"):
        update_walk(db, supervisor, early.id,
                    _plan(teams, districts, supervisor, [polare], end_time=time(22, 30)),
                    version=early.version)


def test_update_of_a_walk_may_keep_its_own_time(db, teams, districts, supervisor, polare,
                                                make_walk, adult):
    walk = make_walk([polare], start_time=time(19, 0), end_time=time(23, 0))
    update_walk(db, supervisor, walk.id,
                _plan(teams, districts, supervisor, [polare, adult], meeting_point="Nytt"),
                version=walk.version)
    assert {p.person_id for p in walk.participations} == {polare.id, adult.id}
    assert walk.meeting_point == "Nytt"
    assert walk.version == 2


def test_update_cannot_move_a_walk_to_another_team(db, teams, districts, supervisor,
                                                   make_walk):
    walk = make_walk()
    with pytest.raises(DomainError, match="team kan inte ändras"):
        update_walk(db, supervisor, walk.id,
                    _plan(teams, districts, supervisor, team_id=teams["Berga"].id),
                    version=walk.version)
