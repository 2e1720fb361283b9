"""The enrolment workflow: transitions, eligibility, consent, the cap, waiting list, ending."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.errors import DomainError
from polare.org.models import SchoolYear, TeamYear
from polare.org.services import set_team_year_cap
from polare.roster.models import EnrolmentStatus
from polare.roster.services import (
    CapReachedError,
    ConsentMissingError,
    EnrolmentTransitionError,
    NotEligibleError,
    activate_enrolment,
    active_enrolment_on,
    continue_to_next_year,
    count_active,
    create_enrolment,
    decline_enrolment,
    end_enrolment,
    register_consent,
    waiting_list,
    waitlist_enrolment,
)
from tests.conftest import TODAY
from tests.roster.conftest import MINOR_BIRTH

ON = date(2026, 11, 20)


# ---------------------------------------------------------------- transitions and dates


def test_activation_records_the_date_and_is_audited(db, applicant):
    enrolment = applicant()
    activate_enrolment(db, None, enrolment.id, on=ON)
    assert (enrolment.status, enrolment.activated_on) == (EnrolmentStatus.ACTIVE, ON)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "enrolment",
                                                AuditEntry.action == "update")).one()
    assert entry.changes["status"] == ["applicant", "active"]
    assert entry.changes["activated_on"] == [None, ON.isoformat()]


@pytest.mark.parametrize("status", [EnrolmentStatus.DECLINED, EnrolmentStatus.ENDED,
                                    EnrolmentStatus.ACTIVE])
def test_only_applicants_and_waitlisted_can_be_activated(db, make_person, make_enrolment,
                                                         status):
    enrolment = make_enrolment(make_person(birth_date=date(2007, 1, 1)), status=status)
    with pytest.raises(EnrolmentTransitionError, match="kan inte bli aktiv"):
        activate_enrolment(db, None, enrolment.id, on=ON)


def test_an_active_enrolment_cannot_be_waitlisted(db, polare):
    with pytest.raises(EnrolmentTransitionError):
        waitlist_enrolment(db, None, polare.enrolments[0].id)


def test_activation_date_must_lie_in_the_school_year(db, applicant):
    enrolment = applicant()
    with pytest.raises(DomainError, match="utanför läsåret 2026/27") as refusal:
        activate_enrolment(db, None, enrolment.id, on=date(2027, 8, 1))
    assert refusal.value.field == "on"


# ---------------------------------------------------------------- eligibility


def test_age_under_the_minimum_is_refused_naming_the_age(db, applicant):
    enrolment = applicant(birth_date=date(2012, 1, 5))
    with pytest.raises(NotEligibleError, match="Åldern 14 är under 15"):
        activate_enrolment(db, None, enrolment.id, on=ON)


def test_age_over_the_maximum_is_refused_naming_the_age(db, applicant):
    enrolment = applicant(birth_date=date(2005, 1, 5))
    with pytest.raises(NotEligibleError, match="Åldern 21 är över 20"):
        activate_enrolment(db, None, enrolment.id, on=ON)


@pytest.mark.parametrize("birth", [date(2011, 11, 20), date(2005, 11, 21)])
def test_the_age_limits_are_inclusive(db, applicant, make_guardian, birth):
    enrolment = applicant(birth_date=birth)
    if birth.year > 2008:
        register_consent(db, None, enrolment.id, guardian_id=make_guardian(enrolment.person).id,
                         consent_date=ON, today=TODAY)
    activate_enrolment(db, None, enrolment.id, on=ON)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_age_is_taken_on_the_activation_date(db, applicant):
    enrolment = applicant(birth_date=date(2011, 12, 1))
    with pytest.raises(NotEligibleError):
        activate_enrolment(db, None, enrolment.id, on=date(2026, 11, 30))


# ---------------------------------------------------------------- consent


def test_a_minor_without_guardian_consent_is_refused(db, applicant):
    enrolment = applicant(birth_date=MINOR_BIRTH)
    with pytest.raises(ConsentMissingError, match="Samtycke från vårdnadshavare saknas"):
        activate_enrolment(db, None, enrolment.id, on=ON)


def test_a_minor_with_consent_is_activated(db, applicant, make_guardian):
    enrolment = applicant(birth_date=MINOR_BIRTH)
    guardian = make_guardian(enrolment.person)
    register_consent(db, None, enrolment.id, guardian_id=guardian.id,
                     consent_date=date(2026, 11, 1), today=TODAY)
    activate_enrolment(db, None, enrolment.id, on=ON)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_consent_dated_after_the_activation_date_does_not_count(db, applicant, make_guardian):
    enrolment = applicant(birth_date=MINOR_BIRTH)
    register_consent(db, None, enrolment.id, guardian_id=make_guardian(enrolment.person).id,
                     consent_date=date(2026, 11, 22), today=TODAY)
    with pytest.raises(ConsentMissingError, match="daterat 2026-11-22"):
        activate_enrolment(db, None, enrolment.id, on=ON)


def test_turning_18_on_the_activation_date_needs_no_consent(db, applicant):
    enrolment = applicant(birth_date=date(2008, 11, 20))
    activate_enrolment(db, None, enrolment.id, on=ON)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_consent_records_who_registered_it(db, applicant, make_guardian, make_user):
    coordinator = make_user()
    enrolment = applicant(birth_date=MINOR_BIRTH)
    guardian = make_guardian(enrolment.person)
    register_consent(db, coordinator, enrolment.id, guardian_id=guardian.id,
                     consent_date=date(2026, 11, 1), today=TODAY)
    assert enrolment.consent_registered_by_id == coordinator.id
    assert enrolment.consent_guardian_id == guardian.id
    assert isinstance(enrolment.consent_registered_at, datetime)


def test_consent_from_another_persons_guardian_is_refused(db, applicant, make_guardian,
                                                          polare):
    enrolment = applicant(birth_date=MINOR_BIRTH)
    with pytest.raises(DomainError) as refusal:
        register_consent(db, None, enrolment.id, guardian_id=make_guardian(polare).id,
                         consent_date=date(2026, 11, 1), today=TODAY)
    assert refusal.value.field == "guardian_id"


def test_consent_dated_in_the_future_is_refused(db, applicant, make_guardian):
    enrolment = applicant(birth_date=MINOR_BIRTH)
    with pytest.raises(DomainError, match="framtiden"):
        register_consent(db, None, enrolment.id, guardian_id=make_guardian(enrolment.person).id,
                         consent_date=date(2026, 11, 26), today=TODAY)


# ---------------------------------------------------------------- the cap


def test_cap_refuses_21st_active_enrolment(db, fill_team, applicant):
    fill_team("Ryd", 20)
    enrolment = applicant()
    with pytest.raises(CapReachedError, match="Ryd har redan 20 aktiva polare 2026/27"):
        activate_enrolment(db, None, enrolment.id, on=ON)
    assert count_active(db, enrolment.team_id, enrolment.school_year_id) == 20


def test_the_21st_can_be_waitlisted_instead(db, fill_team, applicant):
    fill_team("Ryd", 20)
    enrolment = applicant()
    waitlist_enrolment(db, None, enrolment.id)
    assert enrolment.status == EnrolmentStatus.WAITLISTED


def test_ending_an_enrolment_frees_its_place(db, fill_team, applicant):
    active = fill_team("Ryd", 20)
    enrolment = applicant()
    end_enrolment(db, None, active[0].id, on=ON, reason="Flyttat")
    activate_enrolment(db, None, enrolment.id, on=ON)
    assert count_active(db, enrolment.team_id, enrolment.school_year_id) == 20


def test_the_cap_counts_per_team(db, fill_team, applicant):
    fill_team("Berga", 20)
    enrolment = applicant("Ryd")
    activate_enrolment(db, None, enrolment.id, on=ON)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_a_changed_cap_holds_for_that_team_year(db, fill_team, applicant, school_year):
    enrolments = fill_team("Skäggetorp", 2)
    set_team_year_cap(db, None, enrolments[0].team_id, school_year.id, 2)
    enrolment = applicant("Skäggetorp")
    with pytest.raises(CapReachedError, match="Skäggetorp har redan 2 aktiva polare"):
        activate_enrolment(db, None, enrolment.id, on=ON)


def test_creating_an_enrolment_makes_the_team_year_row_with_the_default_cap(
    db, make_person, teams, school_year
):
    create_enrolment(db, None, make_person(), teams["Berga"].id, school_year.id, on=ON)
    team_year = db.scalars(select(TeamYear).where(TeamYear.team_id == teams["Berga"].id,
                                                  TeamYear.school_year_id == school_year.id)
                           ).one()
    assert team_year.cap == 20


def test_active_in_another_team_the_same_year_is_refused(db, make_person, make_enrolment):
    person = make_person(birth_date=date(2007, 1, 1))
    make_enrolment(person, "Ryd")
    other = make_enrolment(person, "Berga", status=EnrolmentStatus.APPLICANT)
    with pytest.raises(DomainError, match="redan aktiv i Ryd 2026/27"):
        activate_enrolment(db, None, other.id, on=ON)


# ---------------------------------------------------------------- waiting list, decline, end


def test_waiting_list_is_in_the_order_people_were_put_on_it(db, applicant):
    first, second, third = applicant(), applicant(), applicant()
    for enrolment in (second, third, first):
        waitlist_enrolment(db, None, enrolment.id)
    assert [e.id for e in waiting_list(db, first.team_id, first.school_year_id)] == [
        second.id, third.id, first.id]


def test_a_waitlisted_enrolment_can_be_declined(db, applicant):
    enrolment = applicant()
    waitlist_enrolment(db, None, enrolment.id)
    decline_enrolment(db, None, enrolment.id)
    assert enrolment.status == EnrolmentStatus.DECLINED


def test_ending_needs_a_reason(db, polare):
    with pytest.raises(DomainError) as refusal:
        end_enrolment(db, None, polare.enrolments[0].id, on=ON, reason="  ")
    assert refusal.value.field == "reason"


def test_ending_before_the_activation_date_is_refused(db, make_person, make_enrolment):
    enrolment = make_enrolment(make_person(), activated_on=date(2026, 9, 1))
    with pytest.raises(DomainError, match="före aktiveringsdatumet 2026-09-01"):
        end_enrolment(db, None, enrolment.id, on=date(2026, 8, 31), reason="Slutat")


def test_end_date_and_reason_are_recorded_and_audited(db, polare):
    enrolment = polare.enrolments[0]
    end_enrolment(db, None, enrolment.id, on=ON, reason="Flyttat")
    assert (enrolment.status, enrolment.ended_on, enrolment.end_reason) == (
        EnrolmentStatus.ENDED, ON, "Flyttat")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "enrolment",
                                                AuditEntry.action == "update")).one()
    assert entry.changes["ended_on"] == [None, ON.isoformat()]


# ---------------------------------------------------------------- active on a day


def test_active_on_a_day_follows_activation_end_and_school_year(db, polare):
    enrolment = polare.enrolments[0]
    end_enrolment(db, None, enrolment.id, on=date(2026, 12, 1), reason="Slutat")
    assert active_enrolment_on(db, polare.id, date(2026, 7, 31)) is None
    assert active_enrolment_on(db, polare.id, date(2026, 8, 1)) is enrolment
    assert active_enrolment_on(db, polare.id, date(2026, 11, 30)) is enrolment
    assert active_enrolment_on(db, polare.id, date(2026, 12, 1)) is None


def test_an_applicant_is_not_active(db, applicant):
    enrolment = applicant()
    assert active_enrolment_on(db, enrolment.person_id, ON) is None


def test_active_never_reaches_past_the_school_year(db, polare):
    assert active_enrolment_on(db, polare.id, date(2027, 8, 1)) is None


# ---------------------------------------------------------------- next school year


def _next_year(db) -> SchoolYear:
    return db.scalars(select(SchoolYear).where(SchoolYear.label == "2027/28")).one()


def test_continue_enrols_the_chosen_actives_as_applicants_next_year(db, fill_team,
                                                                    school_year):
    active = fill_team("Ryd", 3)
    nxt = _next_year(db)
    created = continue_to_next_year(db, None, active[0].team_id, school_year.id, nxt.id,
                                    [active[0].person_id, active[2].person_id], on=TODAY)
    assert {e.person_id for e in created} == {active[0].person_id, active[2].person_id}
    assert all(e.status == EnrolmentStatus.APPLICANT and e.school_year_id == nxt.id
               for e in created)


def test_continue_refuses_someone_who_was_not_active_in_the_team(db, fill_team, applicant,
                                                                 school_year):
    active = fill_team("Ryd", 1)
    outsider = applicant()
    with pytest.raises(DomainError, match="Bara polare som var aktiva"):
        continue_to_next_year(db, None, active[0].team_id, school_year.id, _next_year(db).id,
                              [outsider.person_id], on=TODAY)


def test_continue_refuses_someone_already_enrolled_next_year(db, fill_team, school_year):
    active = fill_team("Ryd", 1)
    args = (active[0].team_id, school_year.id, _next_year(db).id, [active[0].person_id])
    continue_to_next_year(db, None, *args, on=TODAY)
    with pytest.raises(DomainError, match="redan anmäld 2027/28"):
        continue_to_next_year(db, None, *args, on=TODAY)


def test_enrolling_twice_in_the_same_team_year_is_refused(db, polare, teams, school_year):
    with pytest.raises(DomainError, match="redan anmäld till Ryd 2026/27"):
        create_enrolment(db, None, polare, teams["Ryd"].id, school_year.id, on=TODAY)
