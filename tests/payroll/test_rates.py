from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from payroll import (
    BandError,
    NoBandError,
    RateBand,
    RateVersion,
    find_band,
    index_version,
    validate_bands,
    version_in_force,
)

MIN_AGE, MAX_AGE = 15, 20


@st.composite
def band_grids(draw: st.DrawFn) -> tuple[list[int], list[int], tuple[RateBand, ...]]:
    """Draw bands that tile ages ≥ 15 × years ≥ 1; amount = 100 × age row + years column."""
    age_cuts = [MIN_AGE, *draw(st.lists(st.integers(16, 22), max_size=3, unique=True))]
    years_cuts = [1, *draw(st.lists(st.integers(2, 6), max_size=3, unique=True))]
    age_cuts.sort()
    years_cuts.sort()
    bands = []
    for row, age_from in enumerate(age_cuts):
        age_to = age_cuts[row + 1] - 1 if row + 1 < len(age_cuts) else None
        for column, years_from in enumerate(years_cuts):
            years_to = years_cuts[column + 1] - 1 if column + 1 < len(years_cuts) else None
            amount = Decimal(100 * row + column)
            bands.append(RateBand(age_from, age_to, years_from, years_to, amount))
    order = draw(st.permutations(bands))
    return age_cuts, years_cuts, tuple(order)


@pytest.mark.parametrize(
    ("band", "label"),
    [
        (RateBand(15, 17, 1, 1, Decimal(1)), "15–17 år, 1 år i verksamheten"),
        (RateBand(18, None, 3, None, Decimal(1)), "18+ år, 3+ år i verksamheten"),
        (RateBand(16, 16, 1, 2, Decimal(1)), "16 år, 1–2 år i verksamheten"),
    ],
)
def test_band_label_names_ages_and_years(band: RateBand, label: str) -> None:
    assert band.label == label


def test_standard_bands_are_valid(standard_bands: tuple[RateBand, ...]) -> None:
    validate_bands(standard_bands, MIN_AGE, MAX_AGE)


@given(band_grids())
def test_band_grids_are_valid(grid: tuple[list[int], list[int], tuple[RateBand, ...]]) -> None:
    validate_bands(grid[2], MIN_AGE, MAX_AGE)


@given(band_grids())
def test_find_band_picks_the_right_band_at_every_boundary(
    grid: tuple[list[int], list[int], tuple[RateBand, ...]],
) -> None:
    age_cuts, years_cuts, bands = grid
    version = RateVersion(1, date(2026, 1, 1), bands)
    ages = {a + d for a in age_cuts for d in (-1, 0)} - {MIN_AGE - 1} | {40}
    years = {y + d for y in years_cuts for d in (-1, 0)} - {0} | {30}
    for age in ages:
        for year in years:
            row = sum(1 for cut in age_cuts if cut <= age) - 1
            column = sum(1 for cut in years_cuts if cut <= year) - 1
            assert find_band(version, age, year).amount == 100 * row + column


@given(band_grids(), st.data())
def test_dropping_any_band_leaves_a_named_gap(
    grid: tuple[list[int], list[int], tuple[RateBand, ...]], data: st.DataObject
) -> None:
    bands = list(grid[2])
    dropped = bands.pop(data.draw(st.integers(0, len(bands) - 1)))
    assume(dropped.age_from <= MAX_AGE)
    with pytest.raises(BandError, match="Ingen rad täcker ålder"):
        validate_bands(bands, MIN_AGE, MAX_AGE)


def test_band_overlap_is_named() -> None:
    bands = [
        RateBand(15, 17, 1, 2, Decimal(500)),
        RateBand(17, 18, 2, None, Decimal(550)),
    ]
    with pytest.raises(BandError) as caught:
        validate_bands(bands, MIN_AGE, MAX_AGE)
    assert str(caught.value) == (
        "Raderna 15–17 år/1–2 år och 17–18 år/2+ år överlappar (ålder 17, år 2)"
    )


def test_open_ended_bands_overlap_beyond_their_starts(
    standard_bands: tuple[RateBand, ...],
) -> None:
    bands = [*standard_bands, RateBand(19, None, 5, None, Decimal(800))]
    with pytest.raises(BandError, match=r"18\+ år/3\+ år och 19\+ år/5\+ år .*ålder 19, år 5"):
        validate_bands(bands, MIN_AGE, MAX_AGE)


def test_band_gap_is_named() -> None:
    bands = [
        RateBand(15, 17, 1, 2, Decimal(500)),
        RateBand(15, 15, 3, None, Decimal(500)),
        RateBand(17, 17, 3, None, Decimal(500)),
        RateBand(18, None, 1, None, Decimal(600)),
    ]
    with pytest.raises(BandError) as caught:
        validate_bands(bands, MIN_AGE, MAX_AGE)
    assert str(caught.value) == "Ingen rad täcker ålder 16 med 3 år i verksamheten"


def test_gap_after_last_finite_years_is_found() -> None:
    bands = [RateBand(15, None, 1, 2, Decimal(500))]
    with pytest.raises(BandError, match="ålder 15 med 3 år"):
        validate_bands(bands, MIN_AGE, MAX_AGE)


def test_gap_at_oldest_eligible_age_is_found() -> None:
    bands = [RateBand(15, 19, 1, None, Decimal(500))]
    with pytest.raises(BandError, match="ålder 20 med 1 år"):
        validate_bands(bands, MIN_AGE, MAX_AGE)


def test_empty_table_is_refused() -> None:
    with pytest.raises(BandError, match="ålder 15 med 1 år"):
        validate_bands([], MIN_AGE, MAX_AGE)


def test_negative_amount_is_refused(standard_bands: tuple[RateBand, ...]) -> None:
    bands = [replace(standard_bands[0], amount=Decimal("-1.00")), *standard_bands[1:]]
    with pytest.raises(BandError, match="15–17 år/1 år får inte vara negativt"):
        validate_bands(bands, MIN_AGE, MAX_AGE)


def test_amount_with_more_than_two_decimals_is_refused(
    standard_bands: tuple[RateBand, ...],
) -> None:
    bands = [replace(standard_bands[0], amount=Decimal("500.005")), *standard_bands[1:]]
    with pytest.raises(BandError, match="högst två decimaler"):
        validate_bands(bands, MIN_AGE, MAX_AGE)


def test_trailing_zero_decimals_are_accepted(standard_bands: tuple[RateBand, ...]) -> None:
    bands = [replace(standard_bands[0], amount=Decimal("500.000")), *standard_bands[1:]]
    validate_bands(bands, MIN_AGE, MAX_AGE)


@pytest.mark.parametrize(
    ("band", "message"),
    [
        (RateBand(17, 15, 1, None, Decimal(500)), "åldern börjar efter att den slutar"),
        (RateBand(15, None, 3, 2, Decimal(500)), "åren börjar efter att de slutar"),
    ],
)
def test_band_starting_after_it_ends_is_refused(band: RateBand, message: str) -> None:
    with pytest.raises(BandError, match=message):
        validate_bands([band], MIN_AGE, MAX_AGE)


def test_version_in_force_is_latest_effective_on_or_before_the_date(
    make_version: Callable[..., RateVersion],
) -> None:
    old = make_version(1, date(2026, 1, 1))
    new = make_version(2, date(2026, 7, 1))
    assert version_in_force([new, old], date(2026, 6, 30)) == old
    assert version_in_force([new, old], date(2026, 7, 1)) == new


def test_no_version_is_in_force_before_the_first(version: RateVersion) -> None:
    assert version_in_force([version], date(2025, 12, 31)) is None


def test_versions_from_the_same_day_resolve_by_id_in_any_order(
    make_version: Callable[..., RateVersion],
) -> None:
    first, second = make_version(1), make_version(2)
    assert version_in_force([first, second], date(2026, 2, 1)) == second
    assert version_in_force([second, first], date(2026, 2, 1)) == second


def test_find_band_without_a_covering_row_raises(version: RateVersion) -> None:
    with pytest.raises(NoBandError, match="ingen rad för ålder 14 med 1 år"):
        find_band(version, 14, 1)


def test_indexation_rounds_half_up_to_whole_kronor() -> None:
    version = RateVersion(1, date(2026, 1, 1), (RateBand(15, None, 1, None, Decimal("235.50")),))
    indexed = index_version(version, Decimal("0"), date(2027, 1, 1))
    assert str(indexed.bands[0].amount) == "236.00"


@pytest.mark.parametrize(
    ("amount", "percent", "result"),
    [("500.00", "2.5", "513.00"), ("499.00", "1.1", "504.00"), ("600.00", "-10", "540.00")],
)
def test_indexation_applies_the_percentage(amount: str, percent: str, result: str) -> None:
    version = RateVersion(1, date(2026, 1, 1), (RateBand(15, None, 1, None, Decimal(amount)),))
    indexed = index_version(version, Decimal(percent), date(2027, 1, 1))
    assert indexed.bands[0].amount == Decimal(result)


def test_indexation_keeps_the_bands_and_takes_the_new_date(version: RateVersion) -> None:
    indexed = index_version(version, Decimal("3"), date(2027, 1, 1), new_id=7, label="2027")
    assert (indexed.id, indexed.effective_from, indexed.label) == (7, date(2027, 1, 1), "2027")
    assert [b.label for b in indexed.bands] == [b.label for b in version.bands]
    validate_bands(indexed.bands, MIN_AGE, MAX_AGE)


def test_indexation_refuses_a_float_percentage(version: RateVersion) -> None:
    with pytest.raises(TypeError):
        index_version(version, 3.0, date(2027, 1, 1))  # type: ignore[arg-type]


def test_indexation_below_minus_100_percent_is_refused(version: RateVersion) -> None:
    with pytest.raises(BandError, match="-100"):
        index_version(version, Decimal("-101"), date(2027, 1, 1))
