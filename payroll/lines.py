"""Pay lines: what a period pays, and the frozen lines of closed periods (SPEC §7)."""

from dataclasses import dataclass, fields
from datetime import date, time
from decimal import Decimal
from enum import StrEnum


class LineKind(StrEnum):
    """The kind of a pay line, in the order lines of one participation are listed."""

    ORDINARY = "ordinary"
    LATE = "late"
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        """Name the kind in Swedish, as the payroll exports show it."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    LineKind.ORDINARY: "ordinarie",
    LineKind.LATE: "efterregistrering",
    LineKind.CORRECTION: "rättelse",
}
_KIND_ORDER = {kind: position for position, kind in enumerate(LineKind)}

#: Kinds that pay a participation in the first place; a correction refers to one of these.
PAYMENT_KINDS = frozenset({LineKind.ORDINARY, LineKind.LATE})


@dataclass(frozen=True, kw_only=True, slots=True)
class PayLine:
    """One line of a pay period: a payment, a late payment or a correction."""

    period: str
    kind: LineKind
    participation_id: int
    person_id: int
    walk_id: int
    #: The walk's own date, also for late entries and corrections.
    walk_date: date
    age: int
    years: int
    version_id: int
    band_label: str
    amount: Decimal
    #: line_id of the frozen ordinary or late line a correction corrects; None otherwise.
    refers_to: int | None = None
    #: Why a correction was made, in Swedish; empty for ordinary lines.
    reason: str = ""
    team: str = ""
    district: str = ""
    start: time | None = None
    end: time | None = None
    person_name: str = ""
    personnummer: str = ""
    #: The bounds of the band that priced the line (`band_label` in words); None on lines
    #: whose band was not kept (the band's upper bounds are also None when open-ended).
    band_age_from: int | None = None
    band_age_to: int | None = None
    band_years_from: int | None = None
    band_years_to: int | None = None

    def sort_key(self) -> tuple:
        """Return the key that orders lines the same way for the same input."""
        return (
            self.person_name,
            self.personnummer,
            self.walk_date,
            self.start is not None,
            self.start or time.min,
            self.participation_id,
            _KIND_ORDER[self.kind],
            self.amount,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class FrozenLine(PayLine):
    """A line of a closed period, as stored; never changed, only corrected."""

    line_id: int


def freeze(line: PayLine, line_id: int) -> FrozenLine:
    """Return the line as it is stored when its period is closed."""
    values = {field.name: getattr(line, field.name) for field in fields(PayLine)}
    return FrozenLine(**values, line_id=line_id)


@dataclass(frozen=True)
class PeriodResult:
    """The computed lines of one open period, and the errors that stop it from closing."""

    period: str
    lines: tuple[PayLine, ...]
    errors: tuple[str, ...]
