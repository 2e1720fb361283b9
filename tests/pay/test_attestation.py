"""Attestation and reopening of closed periods, and the first pay period setting (SPEC §7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import String, func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError, PermissionDeniedError
from polare.org.services import update_settings
from polare.pay import services
from polare.pay.models import PayLine, PayPeriod, PeriodStatus
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance

NOVEMBER_WALK = date(2026, 11, 5)


@pytest.fixture
def closed_november(db, rate_table, polare, make_walk, payroll_user) -> PayPeriod:
    """November with one 200 kr line, closed by Lena Lön."""
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    return services.close_period(db, payroll_user, "2026-11")


def lines_of(db, period: PayPeriod) -> int:
    return db.scalar(select(func.count(PayLine.id)).where(PayLine.period_id == period.id))


def test_a_second_person_with_attesträtt_attests_a_closed_month(db, closed_november, attestant):
    services.attest_period(db, attestant, "2026-11")
    assert closed_november.status == PeriodStatus.ATTESTED
    assert closed_november.attested_by_id == attestant.id
    assert closed_november.attested_at is not None
    assert db.scalar(select(AuditEntry.action).where(AuditEntry.action == "attest")) == "attest"


def test_the_closer_cannot_attest_their_own_close(db, closed_november, payroll_user):
    payroll_user.can_attest = True
    with pytest.raises(PermissionDeniedError, match="annan person än den som stängde"):
        services.attest_period(db, payroll_user, "2026-11")
    assert closed_november.status == PeriodStatus.CLOSED


def test_a_user_without_attesträtt_cannot_attest(db, closed_november, make_user):
    other = make_user(Role.PAYROLL, full_name="Olle Utan")
    with pytest.raises(PermissionDeniedError, match="Olle Utan har inte attesträtt"):
        services.attest_period(db, other, "2026-11")


def test_an_open_month_cannot_be_attested(db, rate_table, attestant):
    with pytest.raises(DomainError, match="2026-11 är inte stängd"):
        services.attest_period(db, attestant, "2026-11")


def test_an_attested_month_cannot_be_attested_again(db, closed_november, attestant):
    services.attest_period(db, attestant, "2026-11")
    with pytest.raises(DomainError, match="attesterad och slutlig"):
        services.attest_period(db, attestant, "2026-11")


def test_the_closer_reopens_an_unattested_month_with_a_reason_and_its_lines_are_unfrozen(
        db, closed_november, payroll_user, polare):
    services.reopen_period(db, payroll_user, "2026-11", "Fel närvaro")
    assert closed_november.status == PeriodStatus.OPEN
    assert lines_of(db, closed_november) == 0
    assert (closed_november.reopen_reason, closed_november.reopened_by_id) == (
        "Fel närvaro", payroll_user.id)
    note = db.scalar(select(AuditEntry.note).where(AuditEntry.action == "reopen"))
    assert note == "2026-11: 1 rader upplåsta. Fel närvaro"


def test_a_reopened_month_is_recomputed_and_closed_again(db, closed_november, payroll_user,
                                                          attestant, make_walk, polare):
    walk = db.scalar(select(PayLine.walk_id))
    services.reopen_period(db, attestant, "2026-11", "Närvaron var fel")
    from polare.walks.models import Walk

    set_attendance(db, db.get(Walk, walk), polare, ABSENT)
    assert services.preview_period(db, "2026-11").lines == ()
    period = services.close_period(db, payroll_user, "2026-11")
    assert (period.status, period.total) == (PeriodStatus.CLOSED, Decimal("0.00"))


def test_reopening_needs_a_reason(db, closed_november, payroll_user):
    with pytest.raises(DomainError, match="Ange varför perioden öppnas igen"):
        services.reopen_period(db, payroll_user, "2026-11", "  ")


def test_an_attested_month_cannot_be_reopened(db, closed_november, payroll_user, attestant):
    services.attest_period(db, attestant, "2026-11")
    with pytest.raises(DomainError, match="attesterad och slutlig"):
        services.reopen_period(db, attestant, "2026-11", "Fel")
    assert lines_of(db, closed_november) == 1


def test_someone_neither_closer_nor_attestant_cannot_reopen(db, closed_november, make_user):
    other = make_user(Role.PAYROLL)
    with pytest.raises(PermissionDeniedError, match="Bara den som stängde perioden"):
        services.reopen_period(db, other, "2026-11", "Fel")


def test_only_the_latest_closed_month_can_be_reopened(db, closed_november, payroll_user):
    services.close_period(db, payroll_user, "2026-12", today=date(2027, 1, 1))
    with pytest.raises(DomainError, match="2026-11 kan inte öppnas igen: öppna först 2026-12"):
        services.reopen_period(db, payroll_user, "2026-11", "Fel")


def test_an_open_month_cannot_be_reopened(db, rate_table, payroll_user):
    with pytest.raises(DomainError, match="2026-11 är inte stängd"):
        services.reopen_period(db, payroll_user, "2026-11", "Fel")


def test_the_first_pay_period_cannot_change_once_a_month_is_closed(db, closed_november):
    with pytest.raises(DomainError, match="perioden 2026-11 är redan stängd"):
        update_settings(db, None, first_pay_period="2026-10")


@pytest.mark.parametrize("month", ["2026-13", "0000-01", "2026-1", "2026-00"])
def test_the_first_pay_period_must_be_a_month(db, month):
    with pytest.raises(DomainError, match="år-månad"):
        update_settings(db, None, first_pay_period=month)


def test_a_decision_needs_a_reference(db, undecided_rate_table):
    with pytest.raises(DomainError, match="Ange beslutets diarienummer"):
        services.decide_rate_version(db, None, undecided_rate_table.id, reference=" ",
                                     decided_on=date(2024, 6, 1))


def test_a_decision_of_a_version_a_closed_month_used_cannot_change(db, closed_november,
                                                                   rate_table):
    with pytest.raises(DomainError, match="har använts i en stängd period"):
        services.decide_rate_version(db, None, rate_table.id, reference="KS 2025/1",
                                     decided_on=date(2025, 1, 1))


def test_amounts_are_stored_exactly_not_as_floats(db, closed_november):
    sqlite = db.get_bind().dialect.name == "sqlite"
    type_of = func.typeof if sqlite else func.pg_typeof
    kinds = db.execute(select(type_of(PayLine.amount).cast(String),
                              type_of(PayPeriod.total).cast(String))
                       .join(PayPeriod, PayLine.period_id == PayPeriod.id)).one()
    assert tuple(kinds) == (("integer", "integer") if sqlite else ("numeric", "numeric"))
    assert db.scalar(select(PayLine.amount)) == Decimal("200.00")


REFUSALS_IN_ENGLISH = {
    "attest_own": "The period 2026-11 must be attested by someone other than the person who "
                  "closed it.",
    "attest_twice": "The period 2026-11 is attested and final.",
    "reopen_without_reason": "Give the reason for reopening the period.",
    "reopen_by_other": "Only the person who closed the period or an attestant can reopen it.",
}


@pytest.mark.parametrize("case", sorted(REFUSALS_IN_ENGLISH))
def test_attestation_refusals_are_worded_in_english(app, db, closed_november, payroll_user,
                                                    attestant, make_user, case):
    payroll_user.can_attest = True
    other = make_user(Role.PAYROLL)
    actions = {
        "attest_own": lambda: services.attest_period(db, payroll_user, "2026-11"),
        "attest_twice": lambda: (services.attest_period(db, attestant, "2026-11"),
                                 services.attest_period(db, attestant, "2026-11")),
        "reopen_without_reason": lambda: services.reopen_period(db, payroll_user, "2026-11", ""),
        "reopen_by_other": lambda: services.reopen_period(db, other, "2026-11", "Fel"),
    }
    with force_locale("en"):
        with pytest.raises(DomainError) as refused:
            actions[case]()
        assert refused.value.message == REFUSALS_IN_ENGLISH[case]


def test_a_month_closed_without_a_named_user_cannot_be_attested(db, rate_table, polare,
                                                               make_walk, attestant):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    with pytest.raises(DomainError, match="stängdes utan namngiven användare"):
        services.attest_period(db, attestant, "2026-11")


def _referred(db, action: str) -> list[int]:
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == action)).one()
    return [ref.person_id for ref in entry.persons]


def test_closing_attesting_and_reopening_refer_to_the_polare_the_lines_pay(
        db, closed_november, payroll_user, attestant, polare, make_walk):
    assert _referred(db, "close") == [polare.id]
    services.reopen_period(db, payroll_user, "2026-11", "Fel närvaro")
    assert _referred(db, "reopen") == [polare.id]
    services.close_period(db, payroll_user, "2026-11")
    services.attest_period(db, attestant, "2026-11")
    assert _referred(db, "attest") == [polare.id]
