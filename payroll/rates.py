"""Rate table versions: bands of age × years in the programme (SPEC §6)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import combinations

from payroll.errors import BandError, NoBandError
from payroll.money import ORE, round_to_krona


def span_text(low: int, high: int | None) -> str:
    """Write an inclusive range the Swedish way: '15–17', '18+' or '3'."""
    if high is None:
        return f"{low}+"
    if high == low:
        return str(low)
    return f"{low}–{high}"


def _within(value: int, low: int, high: int | None) -> bool:
    """Tell whether value lies in the inclusive range low..high (None = open)."""
    return low <= value and (high is None or value <= high)


def _meet(low_a: int, high_a: int | None, low_b: int, high_b: int | None) -> int | None:
    """Return the smallest value in both inclusive ranges, or None if they are disjoint."""
    low = max(low_a, low_b)
    highs = [high for high in (high_a, high_b) if high is not None]
    if highs and low > min(highs):
        return None
    return low


@dataclass(frozen=True)
class RateBand:
    """One row of a rate table: an amount for an age range and a years-in-programme range."""

    age_from: int
    age_to: int | None  # None = no upper age
    years_from: int
    years_to: int | None  # None = no upper number of years
    amount: Decimal

    def contains(self, age: int, years: int) -> bool:
        """Tell whether this band covers the age and years (bounds inclusive)."""
        return _within(age, self.age_from, self.age_to) and _within(
            years, self.years_from, self.years_to
        )

    @property
    def label(self) -> str:
        """Describe the band, e.g. '15–17 år, 1 år i verksamheten'."""
        return (
            f"{span_text(self.age_from, self.age_to)} år, "
            f"{span_text(self.years_from, self.years_to)} år i verksamheten"
        )

    @property
    def short_label(self) -> str:
        """Describe the band briefly, e.g. '15–17 år/2+ år'."""
        ages, years = span_text(self.age_from, self.age_to), span_text(self.years_from,
                                                                        self.years_to)
        return f"{ages} år/{years} år"


@dataclass(frozen=True)
class RateVersion:
    """A rate table in force from effective_from until the next version."""

    id: int
    effective_from: date
    bands: tuple[RateBand, ...]
    label: str = ""
    #: Whether the version carries its decision (reference and date); needed to close a month.
    decided: bool = False

    @property
    def name(self) -> str:
        """Name the version for users: its label, or the date it takes effect."""
        return self.label or f"från {self.effective_from.isoformat()}"


def _check_band(band: RateBand) -> None:
    """Refuse a band with a bad amount or a range whose start is after its end."""
    if band.amount < 0:
        raise BandError(f"Beloppet för {band.short_label} får inte vara negativt",
                        problem="negative", bands=(band,))
    if band.amount != band.amount.quantize(ORE):
        raise BandError(f"Beloppet för {band.short_label} får ha högst två decimaler",
                        problem="decimals", bands=(band,))
    if band.age_to is not None and band.age_from > band.age_to:
        raise BandError(f"Raden {band.short_label}: åldern börjar efter att den slutar",
                        problem="ages_reversed", bands=(band,))
    if band.years_to is not None and band.years_from > band.years_to:
        raise BandError(f"Raden {band.short_label}: åren börjar efter att de slutar",
                        problem="years_reversed", bands=(band,))


def _check_overlaps(bands: Sequence[RateBand]) -> None:
    """Refuse two bands that share a cell, naming both and the first shared cell."""
    for first, second in combinations(bands, 2):
        age = _meet(first.age_from, first.age_to, second.age_from, second.age_to)
        years = _meet(first.years_from, first.years_to, second.years_from, second.years_to)
        if age is not None and years is not None:
            raise BandError(
                f"Raderna {first.short_label} och {second.short_label} överlappar "
                f"(ålder {age}, år {years})",
                problem="overlap", bands=(first, second), age=age, years=years,
            )


def _check_coverage(bands: Sequence[RateBand], min_age: int, max_age: int) -> None:
    """Refuse a gap: an eligible age and years ≥ 1 that no band covers.

    Years are checked up to one past the largest finite bound, which also verifies that
    open-ended bands cover everything beyond it.
    """
    bounds = [b.years_from for b in bands] + [b.years_to for b in bands if b.years_to is not None]
    top_years = max(bounds, default=0) + 1
    for age in range(min_age, max_age + 1):
        for years in range(1, top_years + 1):
            if not any(band.contains(age, years) for band in bands):
                raise BandError(f"Ingen rad täcker ålder {age} med {years} år i verksamheten",
                                problem="gap", age=age, years=years)


def validate_bands(bands: Iterable[RateBand], min_age: int, max_age: int) -> None:
    """Refuse bands with a bad row, an overlap or a gap, with a message naming it."""
    bands = tuple(bands)
    for band in bands:
        _check_band(band)
    _check_overlaps(bands)
    _check_coverage(bands, min_age, max_age)


def version_in_force(versions: Iterable[RateVersion], on: date) -> RateVersion | None:
    """Return the version with the latest effective_from on or before the date, if any.

    Two versions from the same date are resolved by the higher id, so the answer never
    depends on the order of the input.
    """
    candidates = [v for v in versions if v.effective_from <= on]
    return max(candidates, key=lambda v: (v.effective_from, v.id), default=None)


def find_band(version: RateVersion, age: int, years: int) -> RateBand:
    """Return the band of the version that covers the age and years."""
    for band in version.bands:
        if band.contains(age, years):
            return band
    raise NoBandError(
        f"Tabellen {version.name} har ingen rad för ålder {age} med {years} år i verksamheten",
        version=version.label, version_from=version.effective_from.isoformat(), age=age,
        years=years,
    )


def index_version(
    version: RateVersion,
    percent: Decimal,
    effective_from: date,
    new_id: int = 0,
    label: str = "",
) -> RateVersion:
    """Return a new version with every amount raised by percent, rounded half up to kronor."""
    if not isinstance(percent, Decimal):
        raise TypeError("percent must be a Decimal")
    factor = 1 + percent / 100
    if factor < 0:
        raise BandError("Uppräkningen får inte vara lägre än -100 %", problem="index_too_low")
    bands = tuple(
        replace(band, amount=round_to_krona(band.amount * factor)) for band in version.bands
    )
    return RateVersion(id=new_id, effective_from=effective_from, bands=bands, label=label)
