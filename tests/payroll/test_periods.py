from datetime import date

import pytest

from payroll import (
    ClosePeriodError,
    IllegalTransitionError,
    InvalidMonthError,
    PeriodResult,
    PeriodStatus,
    check_close,
    check_transition,
    is_closed,
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


def test_closed_period_cannot_be_reopened() -> None:
    with pytest.raises(IllegalTransitionError, match="En stängd period kan inte öppnas igen"):
        check_transition("closed", "open")


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


def test_first_close_may_be_any_month() -> None:
    check_close("2026-10", empty("2026-10"), None)


def test_close_accepts_the_earliest_open_month() -> None:
    check_close("2026-11", empty("2026-11"), "2026-10")


def test_close_refuses_a_closed_month() -> None:
    with pytest.raises(ClosePeriodError, match="redan stängd"):
        check_close("2026-10", empty("2026-10"), "2026-10")


def test_close_refuses_a_month_out_of_turn() -> None:
    with pytest.raises(ClosePeriodError, match="2026-12 kan inte stängas före 2026-11"):
        check_close("2026-12", empty("2026-12"), "2026-10")


def test_close_refuses_a_result_with_errors() -> None:
    result = empty("2026-11", ("Ingen arvodestabell gäller för nattvandring 3",))
    with pytest.raises(ClosePeriodError, match="Perioden kan inte stängas: Ingen arvodestabell"):
        check_close("2026-11", result, "2026-10")


def test_close_refuses_a_result_of_another_month() -> None:
    with pytest.raises(ValueError, match="not 2026-11"):
        check_close("2026-11", empty("2026-12"), "2026-10")
