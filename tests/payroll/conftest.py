"""Factories for the pay-rule tests: deterministic data, no app, no database."""

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal

import pytest

from payroll import FrozenLine, Participation, PayLine, RateBand, RateVersion, freeze

#: Ages 15–20, years ≥ 1: the bands most tests use.
STANDARD_BANDS = (
    RateBand(15, 17, 1, 1, Decimal("500.00")),
    RateBand(15, 17, 2, None, Decimal("550.00")),
    RateBand(18, None, 1, 2, Decimal("600.00")),
    RateBand(18, None, 3, None, Decimal("700.00")),
)


@pytest.fixture(scope="session")
def standard_bands() -> tuple[RateBand, ...]:
    """Return the standard bands: ages 15–20 by years ≥ 1."""
    return STANDARD_BANDS


@pytest.fixture(scope="session")
def make_participation() -> Callable[..., Participation]:
    """Return a factory of participations: a 17-year-old first-year polare, paid."""

    def make(**overrides: object) -> Participation:
        values: dict = {
            "participation_id": 1,
            "person_id": 1,
            "walk_id": 1,
            "walk_date": date(2026, 11, 5),
            "birth_date": date(2009, 6, 15),
            "years_in_programme": 1,
            "payable": True,
            "team": "Ryd",
            "district": "Ryd",
            "start": time(19, 0),
            "end": time(23, 0),
            "person_name": "Andersson, Anna",
            "personnummer": "20090615-0000",
        }
        values.update(overrides)
        return Participation(**values)

    return make


@pytest.fixture(scope="session")
def participation(make_participation: Callable[..., Participation]) -> Participation:
    """Return the default participation."""
    return make_participation()


@pytest.fixture(scope="session")
def make_version() -> Callable[..., RateVersion]:
    """Return a factory of rate versions with the standard bands."""

    def make(
        version_id: int = 1,
        effective_from: date = date(2026, 1, 1),
        bands: tuple[RateBand, ...] = STANDARD_BANDS,
        label: str = "",
    ) -> RateVersion:
        return RateVersion(version_id, effective_from, bands, label)

    return make


@pytest.fixture(scope="session")
def version(make_version: Callable[..., RateVersion]) -> RateVersion:
    """Return the default rate version, in force from 2026-01-01."""
    return make_version()


@pytest.fixture(scope="session")
def frozen() -> Callable[..., tuple[FrozenLine, ...]]:
    """Return a function that freezes lines with ids counting from a start."""

    def freeze_all(lines: tuple[PayLine, ...], first_id: int = 1) -> tuple[FrozenLine, ...]:
        return tuple(freeze(line, first_id + n) for n, line in enumerate(lines))

    return freeze_all
