"""Preview and closing of pay periods from stored data: the rules of SPEC §6 and §7."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import select

from payroll import LineKind
from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import ConflictError, DomainError
from polare.pay import services
from polare.pay.models import PayLine, PayPeriod, PeriodStatus
from polare.reports.dashboard import build_dashboard
from polare.walks.models import WalkStatus
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance, set_walk_status

NOVEMBER_WALK = date(2026, 11, 5)


def amounts(preview: services.PeriodPreview) -> list[tuple[str, Decimal]]:
    return [(d.line.kind.value, d.line.amount) for d in preview.lines]


def test_seventeen_year_old_in_her_second_year_is_paid_by_the_right_band_in_november(
        db, rate_table, second_year_polare, make_walk):
    make_walk(NOVEMBER_WALK, [(second_year_polare, ATTENDED)])
    preview = services.preview_period(db, "2026-11")
    [detail] = preview.lines
    line = detail.line
    assert (line.age, line.years, line.amount) == (17, 2, Decimal("230.00"))
    assert line.band_label == "15–17 år, 2 år i verksamheten"
    assert detail.version_name == "Exempelvärden (från 2024-08-01)"
    assert (detail.first_name, detail.last_name) == ("Elsa", "Ek")
    assert detail.personnummer == second_year_polare.personnummer
    assert detail.cost_centre == "KS-4102"
    assert preview.status == PeriodStatus.OPEN
    assert preview.errors == ()


def test_first_year_polare_is_paid_the_first_year_amount(db, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    [detail] = services.preview_period(db, "2026-11").lines
    assert (detail.line.years, detail.line.amount) == (1, Decimal("200.00"))


def test_prior_years_count_towards_years_in_programme(db, rate_table, make_person,
                                                      make_enrolment, make_walk):
    veteran = make_person(prior_years=2)
    make_enrolment(veteran, "Ryd")
    make_walk(NOVEMBER_WALK, [(veteran, ATTENDED)])
    [detail] = services.preview_period(db, "2026-11").lines
    assert (detail.line.years, detail.line.amount) == (3, Decimal("260.00"))


def test_years_count_ever_activated_enrolments_of_any_team_but_not_applications(
        db, rate_table, polare, make_enrolment, make_walk):
    from polare.org.models import SchoolYear
    from polare.roster.models import EnrolmentStatus

    years = {y.label: y for y in db.scalars(select(SchoolYear))}
    make_enrolment(polare, "Berga", school_year=years["2024/25"], status=EnrolmentStatus.ENDED,
                   ended_on=date(2025, 6, 1))
    make_enrolment(polare, "Skäggetorp", school_year=years["2025/26"],
                   status=EnrolmentStatus.APPLICANT)
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    [detail] = services.preview_period(db, "2026-11").lines
    assert detail.line.years == 2


def test_only_attended_participations_of_approved_walks_are_paid(
        db, rate_table, polare, make_person, make_enrolment, make_walk):
    absent = make_person(first_name="Frida")
    make_enrolment(absent, "Ryd")
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED), (absent, ABSENT)])
    make_walk(date(2026, 11, 6), [(polare, ATTENDED)], status=WalkStatus.COMPLETED)
    make_walk(date(2026, 11, 7), [(polare, ATTENDED)], status=WalkStatus.CANCELLED)
    preview = services.preview_period(db, "2026-11")
    assert [(d.line.walk_date, d.name) for d in preview.lines] == [(NOVEMBER_WALK, "Elsa Ek")]


def test_preview_is_idempotent(db, rate_table, polare, make_person, make_enrolment, make_walk):
    other = make_person(first_name="Örjan", last_name="Åberg")
    make_enrolment(other, "Berga")
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    make_walk(date(2026, 11, 12), [(other, ATTENDED)], team="Berga")
    first = services.preview_period(db, "2026-11")
    second = services.preview_period(db, "2026-11")
    assert first.lines == second.lines
    assert first.digest == second.digest
    assert [p.name for p in first.summary.persons] == ["Elsa Ek", "Örjan Åberg"]


def test_no_rate_in_force_names_the_walk_and_refuses_closing(db, polare, make_walk, add_version):
    add_version(date(2026, 12, 1))
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    preview = services.preview_period(db, "2026-11")
    assert preview.lines == ()
    [error] = preview.errors
    assert f"nattvandring {walk.id} den 2026-11-05" in error
    assert "team Ryd" in error
    assert preview.close_refusal is not None
    with pytest.raises(DomainError, match=f"nattvandring {walk.id} den 2026-11-05"):
        services.close_period(db, None, "2026-11")
    assert db.scalar(select(PayLine.id)) is None


def test_an_english_reader_sees_the_walk_without_a_rate_and_the_refusal_in_english(
        db, webapp, web_login_as, polare, make_walk, add_version):
    add_version(date(2026, 12, 1))
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    web_login_as(Role.PAYROLL)
    webapp.get("/lang/en")
    page = webapp.get("/payroll/periods/2026-11")
    named = (f"No rate table applies to night walk {walk.id} on 2026-11-05, team Ryd: add a "
             "table version in force from that date or earlier")
    assert page.html.find(class_="alert-danger").li.get_text() == named
    assert f"The period cannot be closed: {named}" in page.text
    assert "Ingen arvodestabell" not in page.text


def test_closing_freezes_the_lines_with_who_and_when(db, rate_table, second_year_polare,
                                                     make_walk, payroll_user):
    walk = make_walk(NOVEMBER_WALK, [(second_year_polare, ATTENDED)], start=time(19, 0),
                     end=time(23, 30))
    period = services.close_period(db, payroll_user, "2026-11")
    assert period.status == PeriodStatus.CLOSED
    assert (period.closed_by_id, period.total) == (payroll_user.id, Decimal("230.00"))
    assert period.closed_at is not None
    [line] = db.scalars(select(PayLine)).all()
    assert (line.kind.value, line.walk_id, line.walk_date, line.amount) == (
        "ordinary", walk.id, NOVEMBER_WALK, Decimal("230.00"))
    assert (line.age, line.years, line.rate_version_id) == (17, 2, rate_table.id)
    assert (line.first_name, line.last_name, line.personnummer) == (
        "Elsa", "Ek", second_year_polare.personnummer)
    assert (line.team_name, line.cost_centre, line.district_name) == ("Ryd", "KS-4102", "Ryd")
    assert (line.start_time, line.end_time) == (time(19, 0), time(23, 30))
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "close")).one()
    assert audit.changes == {"status": ["open", "closed"], "total": [None, "230.00"]}
    assert audit.username == payroll_user.username


def test_a_closed_period_is_final(db, rate_table, polare, make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    with pytest.raises(DomainError, match="redan stängd"):
        services.close_period(db, None, "2026-11")
    set_attendance(db, walk, polare, ABSENT)
    preview = services.preview_period(db, "2026-11")
    assert preview.status == PeriodStatus.CLOSED
    assert amounts(preview) == [("ordinary", Decimal("200.00"))]
    assert all(d.final for d in preview.lines)


def test_later_change_to_a_november_walk_is_corrected_in_december_referring_to_the_line(
        db, rate_table, polare, make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    frozen = db.scalars(select(PayLine)).one()
    set_attendance(db, walk, polare, ABSENT)
    [detail] = services.preview_period(db, "2026-12").lines
    assert detail.line.kind == LineKind.CORRECTION
    assert detail.line.amount == Decimal("-200.00")
    assert detail.line.refers_to == frozen.id
    assert detail.refers_to_period == "2026-11"
    assert detail.line.reason == "Närvaro ändrad / ej längre godkänd"
    assert detail.line.walk_date == NOVEMBER_WALK
    assert detail.occasions == -1
    assert detail.concerns == "2026-11, rad 1: Närvaro ändrad / ej längre godkänd"
    assert frozen.line_no == 1


def test_walk_sent_back_after_closing_gives_a_negative_correction(db, rate_table, polare,
                                                                  make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    set_walk_status(db, walk, WalkStatus.COMPLETED)
    assert amounts(services.preview_period(db, "2026-12")) == [
        ("correction", Decimal("-200.00"))]


def test_participant_removed_after_closing_gives_a_correction_naming_it(db, rate_table, polare,
                                                                        make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    walk.participations.clear()
    db.flush()
    from polare.audit.services import record

    record(db, None, "update", "walk", walk.id, note="participant removed")
    [detail] = services.preview_period(db, "2026-12").lines
    assert (detail.line.amount, detail.line.reason) == (
        Decimal("-200.00"), "Deltagaren borttagen från passet")
    assert detail.name == "Elsa Ek"


def test_new_rate_version_effective_in_a_closed_period_gives_a_correction(
        db, rate_table, polare, make_walk, add_version):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    add_version(date(2026, 11, 1), amount_shift=Decimal("12.50"))
    [detail] = services.preview_period(db, "2026-12").lines
    assert (detail.line.kind, detail.line.amount) == (LineKind.CORRECTION, Decimal("12.50"))
    assert detail.occasions == 0


def test_changed_prior_years_after_closing_gives_a_correction(db, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    polare.prior_years = 1
    db.flush()
    from polare.audit.services import record

    record(db, None, "update", "person", polare.id, changes={"prior_years": [0, 1]})
    [detail] = services.preview_period(db, "2026-12").lines
    assert (detail.line.years, detail.line.amount) == (2, Decimal("30.00"))
    assert detail.line.reason == "Nytt belopp (ålder/år/tabell ändrad)"


def test_late_approval_is_paid_in_the_earliest_open_period_with_its_original_date(
        db, rate_table, polare, make_walk, first_pay_period):
    first_pay_period("2026-11")
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)], status=WalkStatus.COMPLETED)
    services.close_period(db, None, "2026-11")
    set_walk_status(db, walk, WalkStatus.APPROVED)
    [detail] = services.preview_period(db, "2026-12").lines
    assert (detail.line.kind, detail.line.walk_date, detail.line.amount) == (
        LineKind.LATE, NOVEMBER_WALK, Decimal("200.00"))
    assert detail.concerns == "2026-11"
    assert services.preview_period(db, "2027-01").lines == ()


def test_closing_december_freezes_late_entries_and_corrections(db, rate_table, polare,
                                                               make_walk):
    paid = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    late = make_walk(date(2026, 11, 19), [(polare, ATTENDED)], status=WalkStatus.COMPLETED)
    services.close_period(db, None, "2026-11")
    set_attendance(db, paid, polare, ABSENT)
    set_walk_status(db, late, WalkStatus.APPROVED)
    period = services.close_period(db, None, "2026-12", today=date(2027, 1, 1))
    assert period.total == Decimal("0.00")
    kinds = db.scalars(select(PayLine.kind).where(PayLine.period_id == period.id)).all()
    assert sorted(k.value for k in kinds) == ["correction", "late"]
    assert services.preview_period(db, "2027-01").lines == ()


def test_negative_person_total_is_flagged(db, rate_table, polare, make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    set_attendance(db, walk, polare, ABSENT)
    preview = services.preview_period(db, "2026-12")
    [person] = preview.summary.negative_persons
    assert (person.name, person.total) == ("Elsa Ek", Decimal("-200.00"))
    assert preview.summary.total.amount == Decimal("-200.00")


def test_first_close_is_the_earliest_month_with_a_payable_walk(db, rate_table, polare,
                                                               make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    with pytest.raises(DomainError, match="nästa period att stänga är 2026-11"):
        services.close_period(db, None, "2026-10")


def test_periods_are_closed_one_by_one(db, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    with pytest.raises(DomainError, match="2027-01 kan inte stängas: perioderna stängs i tur "
                                          "och ordning och nästa period att stänga är 2026-12"):
        services.close_period(db, None, "2027-01", today=date(2027, 2, 1))


def test_a_month_whose_last_day_has_not_passed_cannot_be_closed(db, rate_table, polare,
                                                                make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    with pytest.raises(DomainError, match="2026-11 kan inte stängas förrän månaden är slut"):
        services.close_period(db, None, "2026-11", today=date(2026, 11, 30))
    assert db.scalar(select(PayPeriod.status).where(PayPeriod.month == "2026-11")) == \
        PeriodStatus.OPEN


def test_nothing_can_be_closed_without_a_first_pay_period(db, rate_table):
    with pytest.raises(DomainError, match="ingen första löneperiod"):
        services.close_period(db, None, "2026-11")


def test_closing_is_refused_when_a_rate_version_used_has_no_decision(
        db, undecided_rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    with pytest.raises(DomainError, match="Arvodestabellen från 2024-08-01 saknar beslut"):
        services.close_period(db, None, "2026-11")


def test_a_month_an_earlier_close_would_have_swallowed_is_refused_cleanly(
        db, rate_table, polare, make_walk, first_pay_period):
    first_pay_period("2026-10")
    make_walk(date(2026, 10, 8), [(polare, ATTENDED)])
    with pytest.raises(DomainError, match="nästa period att stänga är 2026-10"):
        services.close_period(db, None, "2026-11")
    services.close_period(db, None, "2026-10")
    with pytest.raises(DomainError, match="2026-10 är redan stängd"):
        services.close_period(db, None, "2026-10")


def test_closing_is_refused_when_the_lines_changed_since_the_review(
        db, rate_table, polare, make_walk, first_pay_period):
    first_pay_period("2026-11")
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    reviewed = services.preview_period(db, "2026-11").digest
    set_attendance(db, walk, polare, ABSENT)
    with pytest.raises(ConflictError, match="ändrats sedan du granskade"):
        services.close_period(db, None, "2026-11", expected_digest=reviewed)
    period = db.scalar(select(PayPeriod).where(PayPeriod.month == "2026-11"))
    assert period is None or period.status == PeriodStatus.OPEN


def test_walks_before_the_first_pay_period_are_shown_outside_and_never_paid(
        db, rate_table, polare, make_walk, first_pay_period):
    first_pay_period("2026-11")
    make_walk(date(2026, 10, 8), [(polare, ATTENDED)])
    october = services.preview_period(db, "2026-10")
    assert october.outside
    assert [d.line.amount for d in october.lines] == [Decimal("200.00")]
    assert "före den första löneperioden 2026-11" in october.close_refusal
    services.close_period(db, None, "2026-11")
    assert services.preview_period(db, "2026-12").lines == ()


def test_invalid_month_is_refused_with_a_message(db):
    with pytest.raises(DomainError, match="år-månad"):
        services.preview_period(db, "november")


def test_list_of_periods_shows_closed_totals_and_the_next_to_close(db, rate_table, polare,
                                                                   make_walk, payroll_user):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    make_walk(date(2026, 12, 3), [(polare, ATTENDED)])
    services.close_period(db, payroll_user, "2026-11")
    rows = {row.month: row for row in services.list_periods(db, date(2027, 1, 1))}
    assert rows["2026-11"].status == PeriodStatus.CLOSED
    assert (rows["2026-11"].total, rows["2026-11"].closed_by) == (Decimal("200.00"), "Lena Lön")
    assert rows["2026-12"].closable_next
    assert rows["2026-12"].payable_walks == 1


def test_list_of_periods_puts_the_month_to_close_next_first(db, rate_table, polare, make_walk,
                                                             payroll_user):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    make_walk(date(2026, 12, 3), [(polare, ATTENDED)])
    services.close_period(db, payroll_user, "2026-11")
    months = [row.month for row in services.list_periods(db, date(2027, 2, 10))]
    assert months == ["2026-12", "2027-02", "2026-11"]


def test_list_of_periods_gives_open_months_their_preliminary_total(db, rate_table, polare,
                                                                  make_walk, payroll_user):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    make_walk(date(2026, 12, 3), [(polare, ATTENDED)])
    services.close_period(db, payroll_user, "2026-11")
    rows = {row.month: row for row in services.list_periods(db, date(2027, 1, 1))}
    assert (rows["2026-12"].total, rows["2026-12"].preliminary) == (None, Decimal("200.00"))
    assert rows["2026-11"].preliminary is None
    assert rows["2027-01"].preliminary == Decimal("0.00")


def test_closed_correction_keeps_its_reference_and_a_second_change_corrects_again(
        db, rate_table, polare, make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    original = db.scalars(select(PayLine)).one()
    set_attendance(db, walk, polare, ABSENT)
    services.close_period(db, None, "2026-12", today=date(2027, 1, 1))
    [frozen] = services.preview_period(db, "2026-12").lines
    assert (frozen.final, frozen.line.refers_to, frozen.refers_to_period, frozen.occasions) == (
        True, original.id, "2026-11", -1)
    set_attendance(db, walk, polare, ATTENDED)
    [again] = services.preview_period(db, "2027-01").lines
    assert (again.line.amount, again.line.reason, again.occasions) == (
        Decimal("200.00"), "Närvaro godkänd igen", 1)
    assert again.line.refers_to == original.id
    services.close_period(db, None, "2027-01", today=date(2027, 2, 1))
    assert services.preview_period(db, "2027-02").lines == ()


def test_start_page_reports_as_open_the_month_the_list_closes_next(db, rate_table, polare,
                                                                  make_walk, first_pay_period,
                                                                  make_user):
    first_pay_period("2026-10")
    make_walk(date(2026, 10, 8), [(polare, ATTENDED)])
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    today = date(2026, 12, 3)
    board = build_dashboard(db, make_user(Role.PAYROLL), today)
    first_row = services.list_periods(db, today)[0]
    assert board.cost.open_month == first_row.month == "2026-10"
    assert board.cost.open_total == first_row.preliminary == Decimal("200.00")


def _move(db, walk, day: date) -> None:
    """Move a walk to another day, as the planning form does, with its audit entry."""
    from polare.audit.services import record
    from polare.walks.rules import walk_span

    walk.walk_date = day
    walk.starts_at, walk.ends_at = walk_span(day, walk.start_time, walk.end_time)
    record(db, None, "update", "walk", walk.id, note="moved")
    db.flush()


def test_paid_walk_moved_into_the_month_to_close_next_is_not_paid_again(
        db, rate_table, polare, make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    _move(db, walk, date(2026, 12, 10))
    assert amounts(services.preview_period(db, "2026-12")) == []


def test_paid_walk_moved_into_a_later_open_month_is_not_paid_again(
        db, rate_table, polare, make_walk):
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    _move(db, walk, date(2027, 1, 14))
    assert amounts(services.preview_period(db, "2027-01")) == []
    assert amounts(services.preview_period(db, "2026-12")) == []
