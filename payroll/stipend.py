"""The stipend of one participation and its explanation (SPEC §6)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from payroll.ages import age_on
from payroll.errors import NoBandError, NoRateInForceError
from payroll.money import to_money
from payroll.rates import RateVersion, find_band, version_in_force


@dataclass(frozen=True, kw_only=True, slots=True)
class Participation:
    """One polare on one walk, as the pay rules need it."""

    participation_id: int
    person_id: int
    walk_id: int
    walk_date: date
    birth_date: date
    #: Years in the programme on the walk's date, computed by the caller.
    years_in_programme: int
    #: Attended and the walk approved; False when absent, cancelled or not approved.
    payable: bool
    team: str = ""
    district: str = ""
    start: time | None = None
    end: time | None = None
    person_name: str = ""
    personnummer: str = ""

    def describe_walk(self) -> str:
        """Name the walk for a message, e.g. 'nattvandring 17 den 2026-11-05, team Ryd'."""
        team = f", team {self.team}" if self.team else ""
        return f"nattvandring {self.walk_id} den {self.walk_date.isoformat()}{team}"

    def walk_values(self) -> dict[str, object]:
        """Return what names the walk in a coded error: walk, day, team and person."""
        return {"walk": self.walk_id, "day": self.walk_date.isoformat(), "team": self.team,
                "person": self.person_name}


@dataclass(frozen=True)
class Explanation:
    """Why a participation is paid what it is: age, years, version, band and amount."""

    age: int
    years: int
    version_id: int
    version_label: str
    effective_from: date
    band_label: str
    amount: Decimal
    band_age_from: int | None = None
    band_age_to: int | None = None
    band_years_from: int | None = None
    band_years_to: int | None = None


def stipend_for(participation: Participation, versions: Iterable[RateVersion]) -> Explanation:
    """Return the stipend of a participation, explained, from the version in force."""
    p = participation
    version = version_in_force(versions, p.walk_date)
    if version is None:
        raise NoRateInForceError(
            f"Ingen arvodestabell gäller för {p.describe_walk()}: lägg in en tabellversion "
            "som gäller från det datumet eller tidigare", **p.walk_values()
        )
    age = age_on(p.birth_date, p.walk_date)
    try:
        band = find_band(version, age, p.years_in_programme)
    except NoBandError as exc:
        who = f", {p.person_name}" if p.person_name else ""
        raise NoBandError(f"{exc} ({p.describe_walk()}{who})",
                          **exc.values, **p.walk_values()) from exc
    return Explanation(
        age=age,
        years=p.years_in_programme,
        version_id=version.id,
        version_label=version.name,
        effective_from=version.effective_from,
        band_label=band.label,
        amount=to_money(band.amount),
        band_age_from=band.age_from,
        band_age_to=band.age_to,
        band_years_from=band.years_from,
        band_years_to=band.years_to,
    )
