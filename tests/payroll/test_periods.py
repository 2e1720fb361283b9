from datetime import date
from decimal import Decimal

import pytest

from payroll import (
    ClosePeriodError,
    IllegalTransitionError,
    InvalidMonthError,
    LineKind,
    PayLine,
    PeriodResult,
    PeriodStatus,
    RateBand,
    RateVersion,
    check_close,
    check_transition,
    is_closed,
    is_outside,
    month_of,
    next_month,
    parse_month,
)


def empty(month: str, errors: tuple[str, ...] = ()) -> PeriodResult:
    """Return a computed result without lines."""
    return PeriodResult(period=month, lines=(), errors=errors)


def test_month_of_writes_year_and_month() -> None:
    assert month_of(date(2026, 3, 31)) == "2026-03"


@pytest.mark.parametrize(("month", "after"), [("2026-11", "2026-12"), ("2026-12", "2027-01")])
def test_next_month_rolls_over_the_year(month: str, after: str) -> None:
    assert next_month(month) == after


def test_parse_month_returns_year_and_month() -> None:
    assert parse_month("2026-11") == (2026, 11)


@pytest.mark.parametrize("month", ["2026/11", "2026-1", "26-11", "", " 2026-11", "2026-11-01"])
def test_parse_month_refuses_other_shapes(month: str) -> None:
    with pytest.raises(InvalidMonthError, match="ska skrivas som år-månad"):
        parse_month(month)


@pytest.mark.parametrize("month", ["2026-00", "2026-13"])
def test_parse_month_refuses_months_that_do_not_exist(month: str) -> None:
    with pytest.raises(InvalidMonthError, match="månaden ska vara 01–12"):
        parse_month(month)


def test_open_period_can_be_closed() -> None:
    check_transition(PeriodStatus.OPEN, PeriodStatus.CLOSED)


def test_closed_period_can_be_attested() -> None:
    check_transition(PeriodStatus.CLOSED, PeriodStatus.ATTESTED)


def test_closed_period_can_be_reopened_until_attested() -> None:
    check_transition(PeriodStatus.CLOSED, PeriodStatus.OPEN)


@pytest.mark.parametrize("new", ["open", "closed"])
def test_attested_period_is_final(new: str) -> None:
    with pytest.raises(IllegalTransitionError, match="attesterad period är slutlig"):
        check_transition("attested", new)


def test_open_period_cannot_be_attested() -> None:
    with pytest.raises(IllegalTransitionError, match="måste stängas innan den attesteras"):
        check_transition("open", "attested")


def test_closed_period_cannot_be_closed_again() -> None:
    with pytest.raises(IllegalTransitionError, match="redan stängd"):
        check_transition("closed", "closed")


def test_unknown_status_is_refused() -> None:
    with pytest.raises(IllegalTransitionError, match="Okänd periodstatus"):
        check_transition("open", "locked")


def test_closed_months_run_up_to_the_latest_closed() -> None:
    assert is_closed("2026-09", "2026-10")
    assert is_closed("2026-10", "2026-10")
    assert not is_closed("2026-11", "2026-10")
    assert not is_closed("2026-10", None)


def test_months_before_the_first_pay_period_are_outside() -> None:
    assert is_outside("2026-01", "2026-02")
    assert not is_outside("2026-02", "2026-02")
    assert not is_outside("2026-01", None)


DECIDED = RateVersion(1, date(2024, 8, 1), (RateBand(15, None, 1, None, Decimal(200)),),
                      decided=True)
UNDECIDED = RateVersion(2, date(2026, 10, 1), DECIDED.bands)
TODAY = date(2026, 12, 3)


def close(month: str, result: PeriodResult, latest: str | None, *, first: str | None = "2026-10",
          today: date = TODAY, versions: tuple[RateVersion, ...] = (DECIDED,)) -> None:
    """Check closing with the first pay period 2026-10 on 2026-12-03, unless told otherwise."""
    check_close(month, result, latest, first_period=first, today=today, versions=versions)


def paid_with(version: RateVersion, month: str) -> PeriodResult:
    """Return a result of one line priced by the version."""
    line = PayLine(period=month, kind=LineKind.ORDINARY, participation_id=1, person_id=1,
                   walk_id=1, walk_date=date(2026, 11, 5), age=17, years=1,
                   version_id=version.id, band_label="", amount=Decimal("200.00"))
    return PeriodResult(period=month, lines=(line,), errors=())


def test_first_close_is_the_first_pay_period() -> None:
    close("2026-10", empty("2026-10"), None)


def test_first_close_refuses_a_month_after_the_first_pay_period() -> None:
    with pytest.raises(ClosePeriodError, match="nästa period att stänga är 2026-10") as caught:
        close("2026-11", empty("2026-11"), None)
    assert caught.value.expected == "2026-10"


def test_close_refuses_a_month_before_the_first_pay_period() -> None:
    with pytest.raises(ClosePeriodError, match="nästa period att stänga är 2026-10"):
        close("2026-09", empty("2026-09"), None)


def test_close_refuses_when_there_is_no_first_pay_period() -> None:
    with pytest.raises(ClosePeriodError, match="ingen första löneperiod"):
        close("2026-10", empty("2026-10"), None, first=None)


def test_close_accepts_the_earliest_open_month() -> None:
    close("2026-11", empty("2026-11"), "2026-10")


def test_close_refuses_a_closed_month() -> None:
    with pytest.raises(ClosePeriodError, match="redan stängd"):
        close("2026-10", empty("2026-10"), "2026-10")


def test_close_refuses_a_month_out_of_turn() -> None:
    with pytest.raises(ClosePeriodError, match="2026-12 kan inte stängas: nästa period att "
                                               "stänga är 2026-11"):
        close("2026-12", empty("2026-12"), "2026-10")


def test_close_refuses_a_month_whose_last_day_has_not_passed() -> None:
    with pytest.raises(ClosePeriodError, match="förrän månaden är slut") as caught:
        close("2026-11", empty("2026-11"), "2026-10", today=date(2026, 11, 30))
    assert caught.value.reason == "not_ended"


def test_close_accepts_a_month_the_day_after_its_last_day() -> None:
    close("2026-11", empty("2026-11"), "2026-10", today=date(2026, 12, 1))


def test_close_refuses_a_result_with_errors() -> None:
    result = empty("2026-11", ("Ingen arvodestabell gäller för nattvandring 3",))
    with pytest.raises(ClosePeriodError, match="Perioden kan inte stängas: Ingen arvodestabell"):
        close("2026-11", result, "2026-10")


def test_close_refuses_lines_priced_by_a_version_without_decision() -> None:
    with pytest.raises(ClosePeriodError, match="från 2026-10-01 saknar beslut") as caught:
        close("2026-11", paid_with(UNDECIDED, "2026-11"), "2026-10",
              versions=(DECIDED, UNDECIDED))
    assert caught.value.version == UNDECIDED


def test_close_accepts_an_undecided_version_no_line_uses() -> None:
    close("2026-11", paid_with(DECIDED, "2026-11"), "2026-10", versions=(DECIDED, UNDECIDED))


def test_close_refuses_a_result_of_another_month() -> None:
    with pytest.raises(ValueError, match="not 2026-11"):
        close("2026-11", empty("2026-12"), "2026-10")


def test_close_refuses_a_month_before_the_first_pay_period_after_closes_naming_the_next() -> None:
    with pytest.raises(ClosePeriodError, match="2026-09 kan inte stängas: nästa period att "
                                               "stänga är 2026-11"):
        close("2026-09", empty("2026-09"), "2026-10")
