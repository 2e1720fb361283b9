"""Pay lines as pages and exports show them: names, cost centre, version, and their sums."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

import payroll
from payroll.lines import PAYMENT_KINDS
from polare.clock import LOCAL_TZ
from polare.pay.models import RateVersion
from polare.pay.services.facts import Facts, StoredRow, frozen_line, sums_before
from polare.pay.services.rates import version_title

ZERO = Decimal("0.00")
TOTAL_LABEL = "Totalt"

#: Å, Ä, Ö after Z, in that order, as Swedish lists sort them.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def local_time(moment: datetime) -> datetime:
    """Return a stored UTC time as Swedish local time, to the minute, without a zone."""
    return (moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ)
            .replace(tzinfo=None, second=0, microsecond=0))


def swedish_key(text: str) -> str:
    """Return a key that sorts names the Swedish way (Å, Ä, Ö after Z)."""
    return text.casefold().translate(_SWEDISH_ORDER)


@dataclass(frozen=True, slots=True)
class LineDetail:
    """A pay line with what a page or the payroll file shows besides the rules' fields."""

    line: payroll.PayLine
    first_name: str
    last_name: str
    personnummer: str
    cost_centre: str
    #: The version that priced the line; None when it is not known.
    version: VersionName | None
    #: Paid walks the line adds: 1 for a payment; for a correction -1 when it takes a walk's
    #: whole pay back, 1 when it pays a walk again, 0 when it only changes the amount.
    occasions: int
    #: For a correction: the period of the line it corrects.
    refers_to_period: str | None = None
    #: True for a frozen line of a closed period, False for a preliminary one.
    final: bool = False
    #: The frozen line's row (Rad) in its period's Underlag; None for a preliminary line.
    line_no: int | None = None
    #: For a correction: the Rad of the line it corrects in that period's Underlag.
    refers_to_line_no: int | None = None

    @property
    def version_name(self) -> str:
        """Name the version in Swedish, as the payroll file does; empty when it is not known."""
        return self.version.title if self.version is not None else ""

    @property
    def name(self) -> str:
        """Return 'Förnamn Efternamn'."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def kind_label(self) -> str:
        """Return ordinarie, efterregistrering or rättelse."""
        return self.line.kind.label

    @property
    def concerns(self) -> str:
        """Say what the line pays for (Avser): the walk's month, and for a correction its line."""
        walk_month = payroll.month_of(self.line.walk_date)
        if self.line.kind in PAYMENT_KINDS:
            return walk_month
        row = self.refers_to_line_no or self.line.refers_to
        return f"{self.refers_to_period or walk_month}, rad {row}: {self.line.reason}"


@dataclass(frozen=True)
class PersonSummary:
    """One person's lines in a period and their sum."""

    person_id: int
    name: str
    personnummer: str
    lines: tuple[LineDetail, ...]
    occasions: int
    total: Decimal

    @property
    def negative(self) -> bool:
        """Tell whether the person's total is negative (exported as it is, and flagged)."""
        return self.total < 0


@dataclass(frozen=True)
class TeamRow:
    """A team's (or all teams') distinct polare, net paid walks and amount."""

    team: str
    persons: int
    occasions: int
    amount: Decimal


@dataclass(frozen=True)
class Summary:
    """Per-person and per-team sums of a period's lines."""

    persons: tuple[PersonSummary, ...]
    teams: tuple[TeamRow, ...]
    total: TeamRow

    @property
    def negative_persons(self) -> tuple[PersonSummary, ...]:
        """Return the persons whose total is negative."""
        return tuple(person for person in self.persons if person.negative)


def occasion_change(paid_before: Decimal, amount: Decimal) -> int:
    """Return how a correction changes the number of paid walks: -1, 0 or 1."""
    return int(paid_before + amount != 0) - int(paid_before != 0)


class VersionName(NamedTuple):
    """What names a rate version: its date, its label and its title in Swedish."""

    effective_from: date
    label: str
    title: str


def version_names(session: Session) -> dict[int, VersionName]:
    """Return every version's name by id."""
    return {
        vid: _version_name(start, label)
        for vid, start, label in session.execute(
            select(RateVersion.id, RateVersion.effective_from, RateVersion.label)
        )
    }


def names_of_versions(versions: Iterable[payroll.RateVersion]) -> dict[int, VersionName]:
    """Return the name of each loaded version by id (no query: the versions carry them)."""
    return {version.id: _version_name(version.effective_from, version.label)
            for version in versions}


def _version_name(effective_from: date, label: str) -> VersionName:
    return VersionName(effective_from, label, version_title(effective_from, label))


def frozen_details(rows: Iterable[StoredRow], history: Iterable[StoredRow],
                   names_of_versions: Mapping[int, VersionName]) -> tuple[LineDetail, ...]:
    """Return stored lines with their details, from lines read already.

    `history` holds every stored line of the rows' participations, so what a correction's
    participation was paid before it, and the line it corrects, are found among them.
    """
    paid: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    lines: dict[int, tuple[str, int]] = {}
    for row in history:
        paid[row.participation_id].append((row.month, row.amount))
        lines[row.id] = (row.month, row.line_no)
    return stored_line_details(rows, paid, names_of_versions, lines)


def stored_line_details(
    rows: Iterable[StoredRow], paid: Mapping[int, list[tuple[str, Decimal]]],
    names_of_versions: Mapping[int, VersionName],
    referred: Mapping[int, tuple[str, int]],
) -> tuple[LineDetail, ...]:
    """Return stored lines with their details, in person order: `paid` holds what each
    corrected participation was paid per month, `referred` the month and line number of the
    lines corrections refer to, by id."""
    details = []
    for row in rows:
        line = frozen_line(row)
        occasions = 1
        if line.kind == payroll.LineKind.CORRECTION:
            before = sum((a for m, a in paid.get(line.participation_id, ()) if m < row.month),
                         ZERO)
            occasions = occasion_change(before, line.amount)
        month, line_no = referred.get(row.refers_to_id, (None, None))
        details.append(LineDetail(
            line=line, first_name=row.first_name, last_name=row.last_name,
            personnummer=row.personnummer or "", cost_centre=row.cost_centre,
            version=names_of_versions.get(line.version_id), occasions=occasions,
            refers_to_period=month, final=True, line_no=row.line_no, refers_to_line_no=line_no,
        ))
    return in_person_order(sorted(details, key=lambda d: d.line.sort_key()))


def details_of_result(result: payroll.PeriodResult, facts: Facts,
                      names_of_versions: Mapping[int, VersionName]) -> tuple[LineDetail, ...]:
    """Return the computed lines of an open period with their details."""
    originals = {line.line_id: line for line in facts.frozen}
    paid = sums_before(facts.frozen)
    details = []
    for line in result.lines:
        names = facts.names[line.person_id]
        original = originals.get(line.refers_to) if line.refers_to is not None else None
        occasions = (1 if line.kind in PAYMENT_KINDS
                     else occasion_change(paid.get(line.participation_id, ZERO), line.amount))
        details.append(LineDetail(
            line=line, first_name=names.first_name, last_name=names.last_name,
            personnummer=line.personnummer or (original.personnummer if original else ""),
            cost_centre=facts.cost_centres.get(line.team, ""),
            version=names_of_versions.get(line.version_id),
            occasions=occasions,
            refers_to_period=original.period if original else None,
            refers_to_line_no=facts.line_numbers.get(line.refers_to) if original else None,
        ))
    return in_person_order(details)


def in_person_order(details: Iterable[LineDetail]) -> tuple[LineDetail, ...]:
    """Order lines by person (Swedish order); lines in the pay rules' order stay so."""
    keys: dict[tuple[str, int], tuple[str, int]] = {}

    def person_key(detail: LineDetail) -> tuple[str, int]:
        person = (detail.line.person_name, detail.line.person_id)
        if person not in keys:
            keys[person] = (swedish_key(person[0]), person[1])
        return keys[person]

    return tuple(sorted(details, key=person_key))


def summarise(details: Sequence[LineDetail]) -> Summary:
    """Return per-person and per-team sums; the lines must be in LineDetail order."""
    by_person: dict[int, _Sums] = {}
    by_team: dict[str, _Sums] = {}
    total = _Sums()
    for detail in details:
        line = detail.line
        person = by_person.get(line.person_id)
        if person is None:
            person = by_person[line.person_id] = _Sums()
        team = by_team.get(line.team)
        if team is None:
            team = by_team[line.team] = _Sums()
        person.add(detail)
        team.add(detail)
        total.add(detail)
    persons = tuple(
        PersonSummary(
            person_id=person_id, name=sums.lines[0].name,
            personnummer=sums.lines[0].personnummer, lines=tuple(sums.lines),
            occasions=sums.occasions, total=sums.amount,
        )
        for person_id, sums in by_person.items()
    )
    teams = tuple(by_team[team].row(team) for team in sorted(by_team, key=swedish_key))
    return Summary(persons=persons, teams=teams, total=total.row(TOTAL_LABEL))


class _Sums:
    """Lines, distinct persons, net paid walks and amount, added up in one pass."""

    __slots__ = ("lines", "persons", "occasions", "amount")

    def __init__(self) -> None:
        self.lines: list[LineDetail] = []
        self.persons: set[int] = set()
        self.occasions = 0
        self.amount = ZERO

    def add(self, detail: LineDetail) -> None:
        self.lines.append(detail)
        self.persons.add(detail.line.person_id)
        self.occasions += detail.occasions
        self.amount += detail.line.amount

    def row(self, team: str) -> TeamRow:
        return TeamRow(team=team, persons=len(self.persons), occasions=self.occasions,
                       amount=self.amount)
