"""The end of a school year closes its open enrolments, so retention can run."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.privacy import retention
from polare.roster.models import EnrolmentStatus
from polare.roster.services.year_end import close_ended_years
from tests.conftest import TODAY
from tests.privacy import factories


@pytest.fixture
def last_year(db):
    """The school year 2025/26, which ended 2026-07-31."""
    return factories.school_year(db, 2025)


@pytest.fixture
def left_open(db, make_person, make_enrolment, last_year):
    """Last year's enrolments nobody closed: one active, one applicant, one waitlisted."""
    active = make_enrolment(make_person(first_name="Aron", last_name="Kvar"), "Ryd",
                            school_year=last_year)
    applicant = make_enrolment(make_person(first_name="Sixten", last_name="Sökte"), "Ryd",
                               school_year=last_year, status=EnrolmentStatus.APPLICANT)
    waiting = make_enrolment(make_person(first_name="Vera", last_name="Väntade"), "Ryd",
                             school_year=last_year, status=EnrolmentStatus.WAITLISTED)
    db.commit()
    return {"active": active, "applicant": applicant, "waiting": waiting}


def test_active_enrolment_of_an_ended_year_ends_on_its_last_day(db, left_open):
    close_ended_years(db, None, on=TODAY)
    enrolment = left_open["active"]
    assert enrolment.status == EnrolmentStatus.ENDED
    assert enrolment.ended_on == date(2026, 7, 31)
    assert enrolment.end_reason == "läsåret slut"


def test_applicant_and_waitlisted_of_an_ended_year_are_declined_as_not_handled(db, left_open):
    close_ended_years(db, None, on=TODAY)
    for key in ("applicant", "waiting"):
        assert left_open[key].status == EnrolmentStatus.DECLINED
        assert left_open[key].end_reason == "ej hanterad"


def test_enrolments_of_the_current_school_year_stay_open(db, polare):
    close_ended_years(db, None, on=TODAY)
    assert polare.enrolments[0].status == EnrolmentStatus.ACTIVE


def test_year_end_closing_is_audited_and_refers_to_the_person(db, left_open):
    close_ended_years(db, None, on=TODAY)
    enrolment = left_open["applicant"]
    entry = db.scalars(select(AuditEntry).where(
        AuditEntry.action == "year_end", AuditEntry.entity_id == str(enrolment.id))).one()
    assert entry.changes["status"] == ["applicant", "declined"]
    assert [ref.person_id for ref in entry.persons] == [enrolment.person_id]
    assert "Sixten" not in entry.note


def test_a_closed_enrolment_lets_retention_count_from_the_year_end(db, left_open):
    close_ended_years(db, None, on=TODAY)
    later = date(2028, 8, 1)  # 24 months after 2026-07-31
    due = {d.person_id for d in retention.plan_purge(db, on=later).persons}
    assert {e.person_id for e in left_open.values()} <= due


def test_close_years_command_closes_and_counts(app, db, left_open, clock):
    clock.local(TODAY)
    result = app.test_cli_runner().invoke(args=["roster", "close-years"])
    assert result.exit_code == 0, result.output
    assert "stängda vid läsårets slut: 3" in result.output
    db.expire_all()
    assert left_open["active"].status == EnrolmentStatus.ENDED


def test_first_request_after_the_year_ends_closes_open_enrolments(app, db, client, left_open,
                                                                    monkeypatch, clock):
    monkeypatch.setitem(app.config, "POLARE_CLOSE_YEARS_ON_REQUEST", True)
    monkeypatch.setitem(app.extensions, "polare_year_end_checked_on", None)
    clock.local(TODAY)
    client.get("/login")
    db.expire_all()
    assert left_open["waiting"].status == EnrolmentStatus.DECLINED
    assert app.extensions["polare_year_end_checked_on"] == TODAY


def test_roster_lists_the_enrolments_closed_at_year_end_for_the_coordinator(
        db, client, login_as, left_open, last_year, teams):
    close_ended_years(db, None, on=TODAY)
    db.commit()
    login_as(Role.COORDINATOR, teams=("Ryd",))
    body = client.get(f"/roster/?team={teams['Ryd'].id}&year={last_year.id}").get_data(
        as_text=True)
    section = body[body.index('id="year-end-heading"'):body.index("</section>")]
    assert "Kvar, Aron" in section
    assert "Sökte, Sixten" in section
    assert "Väntade, Vera" in section


def test_roster_of_another_team_does_not_list_them(db, client, login_as, left_open, last_year,
                                                   teams):
    close_ended_years(db, None, on=TODAY)
    db.commit()
    login_as(Role.COORDINATOR, teams=("Berga",))
    body = client.get(f"/roster/?team={teams['Berga'].id}&year={last_year.id}").get_data(
        as_text=True)
    assert "Sixten" not in body
