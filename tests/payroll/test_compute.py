from collections.abc import Callable
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll import (
    FrozenLine,
    LineKind,
    Participation,
    PayLine,
    PeriodClosedError,
    RateBand,
    RateVersion,
    compute_period,
    years_in_programme,
)

MakeParticipation = Callable[..., Participation]
Freeze = Callable[..., tuple[FrozenLine, ...]]
Frozen = tuple[FrozenLine, ...]

OCTOBER_WALK = date(2026, 10, 8)


def amounts(lines: tuple[PayLine, ...]) -> list[tuple[LineKind, Decimal]]:
    """Return (kind, amount) of each line."""
    return [(line.kind, line.amount) for line in lines]


@pytest.fixture
def paid_in_october(
    make_participation: MakeParticipation, version: RateVersion, frozen: Freeze
) -> Frozen:
    """Return the frozen October line of the default polare's walk of 8 October."""
    walk = make_participation(walk_date=OCTOBER_WALK)
    return frozen(compute_period("2026-10", [walk], [version], [], None).lines, 41)


def test_payable_participation_is_paid_in_its_walk_month(
    participation: Participation, version: RateVersion
) -> None:
    result = compute_period("2026-11", [participation], [version], [], None)
    [line] = result.lines
    assert (line.period, line.kind, line.amount, line.refers_to) == (
        "2026-11",
        LineKind.ORDINARY,
        Decimal("500.00"),
        None,
    )
    assert (line.age, line.years, line.version_id) == (17, 1, 1)
    assert line.band_label == "15–17 år, 1 år i verksamheten"
    assert (line.team, line.person_name, line.start) == ("Ryd", "Andersson, Anna", time(19, 0))
    assert result.errors == ()


def test_participation_that_is_not_payable_gets_no_line(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    absent = make_participation(payable=False)
    assert compute_period("2026-11", [absent], [version], [], None).lines == ()


def test_participation_of_another_month_is_not_paid_here(
    participation: Participation, version: RateVersion
) -> None:
    assert compute_period("2026-12", [participation], [version], [], None).lines == ()


def test_computing_a_closed_month_is_refused(
    participation: Participation, version: RateVersion
) -> None:
    with pytest.raises(PeriodClosedError, match="2026-11 är stängd"):
        compute_period("2026-11", [participation], [version], [], "2026-11")


def test_birthday_inside_a_month_changes_the_rate_on_the_right_walk(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    born = date(2008, 11, 15)
    walks = [
        make_participation(participation_id=1, walk_date=date(2026, 11, 14), birth_date=born),
        make_participation(participation_id=2, walk_date=date(2026, 11, 15), birth_date=born),
    ]
    lines = compute_period("2026-11", walks, [version], [], None).lines
    assert [(line.walk_date.day, line.age, line.amount) for line in lines] == [
        (14, 17, Decimal("500.00")),
        (15, 18, Decimal("600.00")),
    ]


def test_new_school_year_inside_a_month_changes_years_on_the_right_walk(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    school_years = [date(2025, 8, 18), date(2026, 8, 17)]

    def walk(participation_id: int, on: date) -> Participation:
        current = max(start for start in school_years if start <= on)
        years = years_in_programme(school_years, current, prior_years=0)
        return make_participation(
            participation_id=participation_id, walk_date=on, years_in_programme=years
        )

    walks = [walk(1, date(2026, 8, 16)), walk(2, date(2026, 8, 17))]
    lines = compute_period("2026-08", walks, [version], [], None).lines
    assert [(line.walk_date.day, line.years, line.amount) for line in lines] == [
        (16, 1, Decimal("500.00")),
        (17, 2, Decimal("550.00")),
    ]


def test_no_version_in_force_is_an_error_naming_the_walk_never_a_zero_line(
    make_participation: MakeParticipation, make_version: Callable[..., RateVersion]
) -> None:
    walk = make_participation(walk_id=17, walk_date=date(2026, 11, 5))
    december = make_version(effective_from=date(2026, 12, 1))
    result = compute_period("2026-11", [walk], [december], [], None)
    assert result.lines == ()
    assert result.errors == (
        "Ingen arvodestabell gäller för nattvandring 17 den 2026-11-05, team Ryd: lägg in en "
        "tabellversion som gäller från det datumet eller tidigare",
    )


def test_each_walk_without_a_rate_is_named_once_in_date_order(
    make_participation: MakeParticipation,
) -> None:
    walks = [
        make_participation(participation_id=3, walk_id=9, walk_date=date(2026, 11, 20)),
        make_participation(participation_id=1, walk_id=9, walk_date=date(2026, 11, 20)),
        make_participation(participation_id=2, walk_id=4, walk_date=date(2026, 11, 2)),
    ]
    errors = compute_period("2026-11", walks, [], [], None).errors
    assert [error.split(":")[0] for error in errors] == [
        "Ingen arvodestabell gäller för nattvandring 4 den 2026-11-02, team Ryd",
        "Ingen arvodestabell gäller för nattvandring 9 den 2026-11-20, team Ryd",
    ]


def test_walk_with_no_band_for_the_polare_is_an_error(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    too_old = make_participation(birth_date=date(1990, 1, 1), years_in_programme=0)
    result = compute_period("2026-11", [too_old], [version], [], None)
    assert result.lines == ()
    assert result.errors == (
        "Tabellen från 2026-01-01 har ingen rad för ålder 36 med 0 år i verksamheten "
        "(nattvandring 1 den 2026-11-05, team Ryd, Andersson, Anna)",
    )


def test_an_error_carries_its_code_and_the_values_that_name_the_walk(
    make_participation: MakeParticipation, version: RateVersion,
    make_version: Callable[..., RateVersion],
) -> None:
    too_old = make_participation(birth_date=date(1990, 1, 1), years_in_programme=0)
    [no_band] = compute_period("2026-11", [too_old], [version], [], None).errors
    [no_rate] = compute_period("2026-11", [make_participation(walk_id=17)],
                               [make_version(effective_from=date(2026, 12, 1))], [], None).errors
    walk = {"day": "2026-11-05", "team": "Ryd"}
    assert (no_rate.problem, no_rate.values) == (
        "no_rate", {"walk": 17, **walk, "person": "Andersson, Anna"})
    assert (no_band.problem, no_band.values) == (
        "no_band", {"version": "", "version_from": "2026-01-01", "age": 36, "years": 0,
                    "walk": 1, **walk, "person": "Andersson, Anna"})


def test_frozen_participation_is_not_paid_again(
    make_participation: MakeParticipation, version: RateVersion, paid_in_october: Frozen
) -> None:
    walk = make_participation(walk_date=OCTOBER_WALK)
    assert compute_period("2026-11", [walk], [version], paid_in_october, "2026-10").lines == ()


def test_late_entry_lands_in_earliest_open_period(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    walk = make_participation(walk_date=OCTOBER_WALK)
    [line] = compute_period("2026-11", [walk], [version], [], "2026-10").lines
    assert (line.period, line.kind, line.walk_date, line.amount) == (
        "2026-11",
        LineKind.LATE,
        OCTOBER_WALK,
        Decimal("500.00"),
    )
    assert line.reason == "Efterregistrering från 2026-10"


def test_late_entry_is_not_paid_in_a_later_open_period(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    walk = make_participation(walk_date=OCTOBER_WALK)
    assert compute_period("2026-12", [walk], [version], [], "2026-10").lines == ()


def test_unpaid_walks_of_closed_months_are_paid_late(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    walk = make_participation(walk_date=date(2026, 3, 5))
    assert amounts(compute_period("2026-11", [walk], [version], [], "2026-10", "2026-01").lines
                   ) == [(LineKind.LATE, Decimal("500.00"))]


def test_walks_before_the_first_pay_period_are_never_paid_late(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    walk = make_participation(walk_date=date(2026, 3, 5))
    assert compute_period("2026-11", [walk], [version], [], "2026-10", "2026-04").lines == ()


def test_walks_before_the_first_pay_period_are_not_paid_in_their_month(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    walk = make_participation(walk_date=date(2026, 3, 5))
    assert compute_period("2026-03", [walk], [version], [], None, "2026-04").lines == ()


def test_correction_refers_to_the_original_line_when_no_longer_payable(
    make_participation: MakeParticipation, version: RateVersion, paid_in_october: Frozen
) -> None:
    absent = make_participation(walk_date=OCTOBER_WALK, payable=False)
    [line] = compute_period("2026-11", [absent], [version], paid_in_october, "2026-10").lines
    assert (line.period, line.kind, line.amount, line.refers_to, line.walk_date) == (
        "2026-11",
        LineKind.CORRECTION,
        Decimal("-500.00"),
        41,
        OCTOBER_WALK,
    )
    assert line.reason == "Närvaro ändrad / ej längre godkänd"
    assert (line.age, line.years, line.version_id) == (17, 1, 1)


def test_removed_participant_is_corrected_to_zero(
    version: RateVersion, paid_in_october: Frozen
) -> None:
    [line] = compute_period("2026-11", [], [version], paid_in_october, "2026-10").lines
    assert (line.kind, line.amount, line.refers_to, line.person_name) == (
        LineKind.CORRECTION,
        Decimal("-500.00"),
        41,
        "Andersson, Anna",
    )
    assert line.reason == "Deltagaren borttagen från passet"


def test_rate_version_in_a_closed_month_is_corrected_with_the_new_version(
    make_participation: MakeParticipation,
    version: RateVersion,
    make_version: Callable[..., RateVersion],
    paid_in_october: Frozen,
) -> None:
    raised = make_version(2, date(2026, 10, 1), (RateBand(15, None, 1, None, Decimal("525.50")),))
    walk = make_participation(walk_date=OCTOBER_WALK)
    [line] = compute_period("2026-11", [walk], [version, raised], paid_in_october, "2026-10").lines
    assert (line.kind, line.amount, line.refers_to, line.version_id) == (
        LineKind.CORRECTION,
        Decimal("25.50"),
        41,
        2,
    )
    assert line.reason == "Nytt belopp (ålder/år/tabell ändrad)"


def test_participation_payable_again_is_corrected_back(
    make_participation: MakeParticipation,
    version: RateVersion,
    frozen: Freeze,
    paid_in_october: Frozen,
) -> None:
    absent = make_participation(walk_date=OCTOBER_WALK, payable=False)
    november = compute_period("2026-11", [absent], [version], paid_in_october, "2026-10")
    history = paid_in_october + frozen(november.lines, 42)
    walk = make_participation(walk_date=OCTOBER_WALK)
    [line] = compute_period("2026-12", [walk], [version], history, "2026-11").lines
    assert (line.kind, line.amount, line.refers_to) == (LineKind.CORRECTION, Decimal("500.00"), 41)
    assert line.reason == "Närvaro godkänd igen"


def test_no_correction_when_the_amount_is_unchanged(
    make_participation: MakeParticipation,
    version: RateVersion,
    make_version: Callable[..., RateVersion],
    paid_in_october: Frozen,
) -> None:
    same = make_version(2, date(2026, 10, 1))
    walk = make_participation(walk_date=OCTOBER_WALK)
    result = compute_period("2026-11", [walk], [version, same], paid_in_october, "2026-10")
    assert result.lines == ()


def test_corrections_wait_for_the_earliest_open_period(
    make_participation: MakeParticipation, version: RateVersion, paid_in_october: Frozen
) -> None:
    absent = make_participation(walk_date=OCTOBER_WALK, payable=False)
    assert compute_period("2026-12", [absent], [version], paid_in_october, "2026-10").lines == ()


def test_duplicate_participation_is_refused(
    participation: Participation, version: RateVersion
) -> None:
    with pytest.raises(ValueError, match="given twice"):
        compute_period("2026-11", [participation, participation], [version], [], None)


def test_two_frozen_payments_of_one_participation_are_refused(
    version: RateVersion, paid_in_october: Frozen
) -> None:
    twice = paid_in_october + (replace(paid_in_october[0], line_id=99),)
    with pytest.raises(ValueError, match="2 frozen ordinary or late lines"):
        compute_period("2026-11", [], [version], twice, "2026-10")


def test_lines_are_ordered_by_person_then_walk(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    walks = [
        make_participation(participation_id=1, person_name="Öberg, Ola", walk_id=2),
        make_participation(participation_id=2, person_name="Berg, Bo", walk_date=date(2026, 11, 9)),
        make_participation(participation_id=3, person_name="Berg, Bo", start=time(18, 0)),
    ]
    lines = compute_period("2026-11", walks, [version], [], None).lines
    assert [line.participation_id for line in lines] == [3, 2, 1]


@st.composite
def months_of_walks(draw: st.DrawFn) -> list[Participation]:
    """Draw participations of a few persons on walks in October and November 2026."""
    count = draw(st.integers(1, 8))
    return [
        Participation(
            participation_id=pid,
            person_id=draw(st.integers(1, 3)),
            walk_id=draw(st.integers(1, 4)),
            walk_date=draw(st.dates(date(2026, 10, 1), date(2026, 11, 30))),
            birth_date=draw(st.dates(date(2006, 1, 1), date(2011, 10, 31))),
            years_in_programme=draw(st.integers(1, 4)),
            payable=draw(st.booleans()),
            person_name=draw(st.sampled_from(["", "Berg, Bo", "Öberg, Ola"])),
            start=draw(st.none() | st.sampled_from([time(18, 0), time(19, 30)])),
        )
        for pid in range(1, count + 1)
    ]


@given(months_of_walks(), st.randoms(use_true_random=False))
def test_same_data_in_any_order_gives_the_same_lines(
    walks: list[Participation], rnd: Random
) -> None:
    versions = [
        RateVersion(1, date(2026, 1, 1), (RateBand(15, None, 1, None, Decimal("500.00")),)),
        RateVersion(2, date(2026, 11, 10), (RateBand(15, None, 1, None, Decimal("510.00")),)),
    ]
    first = compute_period("2026-11", walks, versions, [], "2026-10")
    shuffled = list(walks)
    rnd.shuffle(shuffled)
    again = compute_period("2026-11", shuffled, list(reversed(versions)), [], "2026-10")
    assert again == first
    assert compute_period("2026-11", walks, versions, [], "2026-10") == first
