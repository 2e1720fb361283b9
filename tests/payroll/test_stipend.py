from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from payroll import (
    Explanation,
    NoBandError,
    NoRateInForceError,
    Participation,
    RateBand,
    RateVersion,
    stipend_for,
)

MakeParticipation = Callable[..., Participation]


def test_stipend_explains_age_years_version_band_and_amount(
    participation: Participation, version: RateVersion
) -> None:
    assert stipend_for(participation, [version]) == Explanation(
        age=17,
        years=1,
        version_id=1,
        version_label="från 2026-01-01",
        effective_from=date(2026, 1, 1),
        band_label="15–17 år, 1 år i verksamheten",
        amount=Decimal("500.00"),
        band_age_from=15,
        band_age_to=17,
        band_years_from=1,
        band_years_to=1,
    )


def test_age_is_taken_on_the_walk_date(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    day_before = make_participation(walk_date=date(2027, 6, 14))
    birthday = make_participation(walk_date=date(2027, 6, 15))
    assert stipend_for(day_before, [version]).amount == Decimal("500.00")
    assert stipend_for(birthday, [version]).amount == Decimal("600.00")


def test_rate_is_taken_from_the_version_in_force_on_the_walk_date(
    make_participation: MakeParticipation,
    make_version: Callable[..., RateVersion],
) -> None:
    raised = make_version(
        2, date(2026, 11, 6), (RateBand(15, None, 1, None, Decimal("650.00")),), "2026 höst"
    )
    versions = [make_version(), raised]
    before = stipend_for(make_participation(walk_date=date(2026, 11, 5)), versions)
    after = stipend_for(make_participation(walk_date=date(2026, 11, 6)), versions)
    assert (before.version_id, before.amount) == (1, Decimal("500.00"))
    assert (after.version_id, after.version_label, after.amount) == (
        2,
        "2026 höst",
        Decimal("650.00"),
    )


def test_no_version_in_force_names_the_walk(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    early = make_participation(walk_id=17, walk_date=date(2025, 12, 31))
    with pytest.raises(NoRateInForceError, match="nattvandring 17 den 2025-12-31, team Ryd"):
        stipend_for(early, [version])


def test_missing_band_names_the_walk_and_the_person(
    make_participation: MakeParticipation, version: RateVersion
) -> None:
    too_young = make_participation(walk_id=17, birth_date=date(2012, 1, 1))
    with pytest.raises(NoBandError) as caught:
        stipend_for(too_young, [version])
    assert str(caught.value) == (
        "Tabellen från 2026-01-01 har ingen rad för ålder 14 med 1 år i verksamheten "
        "(nattvandring 17 den 2026-11-05, team Ryd, Andersson, Anna)"
    )
