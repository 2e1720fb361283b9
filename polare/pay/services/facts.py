"""Load the pay rules' inputs from the database in a handful of set-based queries.

A period of 60,000 lines is loaded with about ten queries whatever its size: participations,
persons, walks, teams and districts come in one joined query of plain tuples (no ORM objects,
no query per line); years in the programme are computed in Python from one query of
ever-activated enrolments.

Corrections need the frozen lines of earlier periods, and all of history would grow without end.
Only the participations whose frozen pay could be wrong now are loaded (`_correction_candidates`):
those deleted, no longer payable, moved to another date, already corrected, priced by another
rate version today, or belonging to a person whose age or years on those dates no longer match
what was frozen. Everything else provably pays what it was paid: a rate version used by a closed
period is never edited, and age and years grow with the date, so a person whose frozen lines of
one (age, years) agree at the first and the last of their dates agree on every date between.
`load_facts(..., all_history=True)` loads everything; a test checks both give the same lines.

Every line depends on one participation and its person alone, so the lines of some persons are
computed from their facts alone: one person's page, or a team's dashboard and report (the persons
who walked with the team, `persons_of_teams`), cost what those persons' data cost, however many
teams the service holds.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Result,
    ScalarSelect,
    Select,
    and_,
    case,
    exists,
    func,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

import payroll
from polare.org.models import District, SchoolYear, Settings, Team
from polare.pay.models import LineKind, PayLine, PayPeriod, PeriodStatus, RateRow
from polare.pay.models import RateVersion as RateVersionRow
from polare.reports.sql import month_of
from polare.roster.models import Enrolment, Person
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus

#: Above this many persons whose age or years drifted, all of history is loaded instead.
MAX_DRIFTED_PERSONS = 500
#: Ids per IN list: well under SQLite's limit of bound parameters.
ID_BATCH = 10_000


@dataclass(frozen=True)
class Names:
    """A person's names and personnummer as a line shows them."""

    first_name: str
    last_name: str
    personnummer: str


@dataclass
class Facts:
    """Everything compute_period needs for one month, and what the exports add to it."""

    month: str
    latest_closed: str | None
    #: Första löneperiod: walks before it are outside Polare's payroll, never paid.
    first_period: str | None
    versions: tuple[payroll.RateVersion, ...]
    participations: list[payroll.Participation]
    frozen: list[payroll.FrozenLine]
    #: person_id -> names, from current data or, for removed participations, the frozen line.
    names: dict[int, Names] = field(default_factory=dict)
    #: team name -> cost centre.
    cost_centres: dict[str, str] = field(default_factory=dict)
    #: line_id of a frozen line -> its row (Rad) in its period's Underlag.
    line_numbers: dict[int, int] = field(default_factory=dict)

    def compute(self, month: str | None = None) -> payroll.PeriodResult:
        """Return the lines and errors of the month (or of another open month loaded too)."""
        return payroll.compute_period(
            month or self.month, self.participations, self.versions, self.frozen,
            self.latest_closed, self.first_period,
        )


def person_name(first_name: str, last_name: str) -> str:
    """Return the name as lines are sorted and shown: 'Efternamn, Förnamn'."""
    return f"{last_name}, {first_name}" if first_name else last_name


#: The statuses of a closed month (attested months are closed for good).
CLOSED_STATUSES = (PeriodStatus.CLOSED, PeriodStatus.ATTESTED)


def _latest_closed() -> ScalarSelect[Any]:
    return (select(func.max(PayPeriod.month)).where(PayPeriod.status.in_(CLOSED_STATUSES))
            .scalar_subquery())


def latest_closed_month(session: Session) -> str | None:
    """Return the latest closed month, or None when nothing is closed."""
    return session.scalar(select(_latest_closed()))


def first_pay_period(session: Session) -> str | None:
    """Return the first pay period: the setting; else the first month ever closed (also if
    reopened since); else the earliest month with an approved, attended participation; None
    when there is none of these.

    One query; the earliest participation, the one search over every walk of the country, is
    the last argument of a COALESCE and read only when neither of the others is there.
    """
    return session.scalar(select(_first_pay_period()))


def _first_pay_period() -> ColumnElement[Any]:
    setting = select(Settings.first_pay_period).where(Settings.id == 1).scalar_subquery()
    first_closed = (select(func.min(PayPeriod.month))
                    .where(or_(PayPeriod.status.in_(CLOSED_STATUSES),
                               PayPeriod.reopened_at.is_not(None))).scalar_subquery())
    first_walked = (
        select(month_of(Walk.walk_date))
        .where(Walk.status == WalkStatus.APPROVED,
               exists().where(Participation.walk_id == Walk.id,
                              Participation.status == ParticipationStatus.ATTENDED))
        .order_by(Walk.walk_date).limit(1).scalar_subquery())
    return func.coalesce(func.nullif(setting, ""), first_closed, first_walked)


class PayCalendar(NamedTuple):
    """Where the payroll stands: the latest closed month and the first pay period."""

    latest_closed: str | None
    first_period: str | None


def pay_calendar(session: Session) -> PayCalendar:
    """Return the latest closed month and the first pay period, read in one statement."""
    return PayCalendar(*session.execute(select(_latest_closed(), _first_pay_period())).one())


def load_versions(session: Session) -> tuple[payroll.RateVersion, ...]:
    """Return every stored rate version as the pay rules' RateVersion, in one query."""
    versions: dict[int, tuple[date, str, bool]] = {}
    bands: dict[int, list[payroll.RateBand]] = defaultdict(list)
    rows = session.execute(
        select(
            RateVersionRow.id, RateVersionRow.effective_from, RateVersionRow.label,
            RateVersionRow.decision_reference, RateVersionRow.decision_date,
            RateRow.age_from, RateRow.age_to, RateRow.years_from, RateRow.years_to,
            RateRow.amount,
        )
        .outerjoin(RateRow, RateRow.version_id == RateVersionRow.id)
        .order_by(RateVersionRow.effective_from, RateRow.age_from, RateRow.years_from)
    )
    for (vid, start, label, reference, decided_on,
         age_from, age_to, years_from, years_to, amount) in rows:
        versions[vid] = (start, label, bool(reference) and decided_on is not None)
        if amount is not None:
            bands[vid].append(
                payroll.RateBand(age_from, age_to, years_from, years_to, payroll.to_money(amount))
            )
    return tuple(
        payroll.RateVersion(id=vid, effective_from=start, bands=tuple(bands[vid]), label=label,
                            decided=decided)
        for vid, (start, label, decided) in versions.items()
    )


def month_span(month: str) -> tuple[date, date]:
    """Return the first and last day of a month 'YYYY-MM'."""
    year, number = payroll.parse_month(month)
    following = payroll.parse_month(payroll.next_month(month))
    return date(year, number, 1), date.fromordinal(date(*following, 1).toordinal() - 1)


def plain_rows(session: Session, statement: Select[Any]) -> Result[Any]:
    """Run a select of plain columns on the session's connection, past the ORM's row loading.

    For tens of thousands of rows the ORM's result handling costs twice the query itself.
    Pending changes are flushed first, as the session would before a query.
    """
    session.flush()
    return session.connection().execute(statement)


def among(session: Session, column: Any, ids: Select[Any]) -> ColumnElement[bool]:
    """Return `column IN (ids)`; on PostgreSQL `column = ANY(ARRAY(ids))`.

    The planner cannot know how few ids a query of history finds, and for an IN it plans a hash
    of all of them: at 1,000 teams a hash of a million estimated ids, spilled to disk with a
    scan of every pay line. The array is computed once, then looked up through the index.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == func.any(func.array(ids.scalar_subquery()))
    return column.in_(ids)


class YearsInProgramme:
    """Years in the programme of many persons on many dates.

    Built from the school years (start, end) and, per person, the starts of the school years
    in which they were ever active; `load` reads both in two bulk queries, and a page that has
    read them already builds it from what it holds.
    """

    def __init__(self, school_years: Iterable[tuple[date, date]],
                 starts: Mapping[int, Collection[date]]) -> None:
        self._school_year_ends = dict(school_years)
        self._school_year_starts = sorted(self._school_year_ends)
        self._starts = starts
        self._known: dict[tuple[int, int, date], int] = {}
        self._school_year_of: dict[date, date] = {}

    @classmethod
    def load(cls, session: Session, person_filter: ColumnElement[bool]) -> YearsInProgramme:
        """Read the school years and the ever-activated enrolments of the persons filtered."""
        school_years = session.execute(select(SchoolYear.starts_on, SchoolYear.ends_on)).all()
        starts: dict[int, list[date]] = defaultdict(list)
        rows = plain_rows(
            session,
            select(Enrolment.person_id, SchoolYear.starts_on)
            .join(SchoolYear, Enrolment.school_year_id == SchoolYear.id)
            .where(Enrolment.activated_on.is_not(None), person_filter)
            .distinct()
        )
        for person_id, starts_on in rows:
            starts[person_id].append(starts_on)
        return cls(school_years, starts)

    def _school_year_start(self, day: date) -> date:
        """Return the start of the school year containing the day, or the day itself."""
        index = bisect.bisect_right(self._school_year_starts, day) - 1
        if index >= 0:
            start = self._school_year_starts[index]
            if day <= self._school_year_ends[start]:
                return start
        return day

    def on(self, person_id: int, prior_years: int, day: date) -> int:
        """Return the person's years in the programme on the day (SPEC §3)."""
        if day not in self._school_year_of:
            self._school_year_of[day] = self._school_year_start(day)
        school_year = self._school_year_of[day]
        key = (person_id, prior_years, school_year)
        if key not in self._known:
            self._known[key] = payroll.years_in_programme(
                self._starts.get(person_id, ()), school_year, prior_years
            )
        return self._known[key]


_PAYABLE = and_(
    Participation.status == ParticipationStatus.ATTENDED, Walk.status == WalkStatus.APPROVED
)
#: 1 when the participation is payable, else 0 (no enum values to convert per row).
_PAYABLE_FLAG = case((_PAYABLE, 1), else_=0)


def _participation_select() -> Select[Any]:
    """Return the joined query of participation facts, one plain tuple per participation."""
    return (
        select(
            Participation.id, Participation.person_id, Participation.walk_id, Walk.walk_date,
            Person.birth_date, Person.prior_years, _PAYABLE_FLAG,
            Team.name, District.name, Walk.start_time, Walk.end_time,
            Person.first_name, Person.last_name, Person.personnummer,
        )
        .join(Walk, Participation.walk_id == Walk.id)
        .join(Person, Participation.person_id == Person.id)
        .join(Team, Walk.team_id == Team.id)
        .join(District, Walk.district_id == District.id)
    )


def _payment_exists(participation_id: Any) -> ColumnElement[bool]:
    """Return a clause that is true when the participation has an ordinary or late line."""
    return exists().where(
        PayLine.participation_id == participation_id, PayLine.kind != LineKind.CORRECTION
    )


def persons_of_teams(session: Session, team_ids: Collection[int]) -> list[int]:
    """Return the persons who walked with any of the teams, or were paid for such a walk."""
    team_walks = select(Walk.id).where(Walk.team_id.in_(team_ids))
    walked = select(Participation.person_id).where(Participation.walk_id.in_(team_walks))
    paid = select(PayLine.person_id).where(PayLine.walk_id.in_(team_walks))
    return sorted(session.scalars(walked.union(paid)))


class _Loader:
    """Builds the Facts of one month; each method is one or two set-based queries."""

    def __init__(self, session: Session, month: str | None, persons: Collection[int] | None,
                 all_history: bool, *, history: list[StoredRow] | None = None,
                 years: YearsInProgramme | None = None) -> None:
        self.session = session
        #: None: everyone.
        self.persons = persons
        self.all_history = all_history
        #: The stored lines of every participation the persons were ever paid for, read by
        #: the caller (one person's page): all of history, in place of the candidates query.
        self.history = history
        self.latest_closed, self.first_period = pay_calendar(session)
        #: None: every open month at once (one person's page).
        self.month = month
        earliest = payroll.earliest_open(self.latest_closed)
        self.takes_arrears = earliest is not None and month in (None, earliest)
        self.years = years or YearsInProgramme.load(
            session, self._for_person(Enrolment.person_id))
        self.names: dict[int, Names] = {}
        self.line_numbers: dict[int, int] = {}

    def _for_person(self, column: Any) -> ColumnElement[bool]:
        return column.in_(self.persons) if self.persons is not None else true()

    def load(self) -> Facts:
        versions = load_versions(self.session)
        frozen = self._frozen_lines(self._history(versions)) if self.takes_arrears else []
        participations = self._participations(sorted({line.participation_id for line in frozen}))
        return Facts(
            month=self.month or "", latest_closed=self.latest_closed,
            first_period=self.first_period, versions=versions, participations=participations,
            frozen=frozen, names=self.names,
            cost_centres=self._cost_centres(participations, frozen),
            line_numbers=self.line_numbers,
        )

    def _history(self, versions: Sequence[payroll.RateVersion]) -> list[StoredRow]:
        """Return the stored lines corrections may need: as given, or of the candidates."""
        if self.history is not None:
            return self.history
        return stored_lines(
            self.session, among(self.session, PayLine.participation_id,
                                self._correction_candidates(versions)))

    def _participations(self, corrected: list[int]) -> list[payroll.Participation]:
        """Return the payable unpaid participations wanted, and those of the frozen lines."""
        unpaid = [and_(_PAYABLE, condition, self._for_person(Participation.person_id))
                  for condition in self._unpaid_conditions()]
        if self.history is not None:
            # A person's few rows: one query (the candidates query, which reads all of
            # history, is not run).
            return self._read(or_(*unpaid, Participation.id.in_(corrected)))
        participations = [p for condition in unpaid for p in self._read(condition)]
        if self.takes_arrears:
            # The candidates query reads all of history: it ran once, for the frozen lines;
            # their participations are fetched by id (one query even for none, so a page sends
            # as many statements whatever the data).
            for start in range(0, max(len(corrected), 1), ID_BATCH):
                participations.extend(
                    self._read(Participation.id.in_(corrected[start:start + ID_BATCH])))
        return participations

    def _read(self, condition: ColumnElement[bool]) -> list[payroll.Participation]:
        return [self._participation(row) for row in plain_rows(
            self.session, _participation_select().where(condition))]

    def _unpaid_conditions(self) -> list[ColumnElement[bool]]:
        """Return the conditions of the month's walks, and of late entries when it takes them."""
        closed_end = month_span(self.latest_closed)[1] if self.latest_closed else None
        if self.month is None:
            # Every open month at once: whatever was never paid.
            return [~_payment_exists(Participation.id) if closed_end else true()]
        first, last = month_span(self.month)
        wanted = and_(Walk.walk_date >= first, Walk.walk_date <= last)
        if closed_end is not None:
            # A walk paid in a closed month and moved since is paid once: its frozen line is
            # corrected in the month to close next, never paid again as the new month's own.
            wanted = and_(wanted, ~_payment_exists(Participation.id))
        # Late entries are a query of their own: with the payment check as a top-level
        # condition, PostgreSQL answers it with one anti-join instead of a lookup per row.
        conditions = [wanted]
        if self.takes_arrears:
            conditions.append(
                and_(Walk.walk_date <= closed_end, ~_payment_exists(Participation.id)))
        return conditions

    def _cost_centres(self, participations: Iterable[payroll.Participation],
                      frozen: Iterable[payroll.FrozenLine]) -> dict[str, str]:
        """Return the cost centre of each team (of the lines' teams when persons are given)."""
        query = select(Team.name, Team.cost_centre)
        if self.persons is not None:
            query = query.where(Team.name.in_(
                {p.team for p in participations} | {line.team for line in frozen}))
        return dict(self.session.execute(query).all())

    def _participation(self, row: Any) -> payroll.Participation:
        (pid, person_id, walk_id, walk_date, birth_date, prior_years, payable,
         team, district, start, end, first_name, last_name, personnummer) = row
        self.names[person_id] = Names(first_name, last_name, personnummer or "")
        return payroll.Participation(
            participation_id=pid, person_id=person_id, walk_id=walk_id, walk_date=walk_date,
            birth_date=birth_date,
            years_in_programme=self.years.on(person_id, prior_years, walk_date),
            payable=bool(payable),
            team=team, district=district, start=start, end=end,
            person_name=person_name(first_name, last_name), personnummer=personnummer or "",
        )

    def _correction_candidates(self, versions: Sequence[payroll.RateVersion]) -> Select[Any]:
        """Return a query of the participation ids whose frozen pay may differ from today's."""
        if self.all_history:
            return select(PayLine.participation_id).where(self._for_person(PayLine.person_id))
        corrected = aliased(PayLine)
        # The version in force on each line's date, as a CASE over the few versions (latest
        # start first) rather than a subquery per line.
        latest_first = sorted(versions, key=lambda v: (v.effective_from, v.id), reverse=True)
        version_now = case(
            *((PayLine.walk_date >= version.effective_from, version.id)
              for version in latest_first),
            else_=None,
        ) if latest_first else null()
        drifted = self._drifted_persons()
        drift = true() if drifted is None else PayLine.person_id.in_(drifted)
        return (
            select(PayLine.participation_id)
            .outerjoin(Participation, Participation.id == PayLine.participation_id)
            .outerjoin(Walk, Walk.id == Participation.walk_id)
            .where(
                PayLine.kind != LineKind.CORRECTION,
                self._for_person(PayLine.person_id),
                or_(
                    Participation.id.is_(None),
                    ~_PAYABLE,
                    Walk.walk_date != PayLine.walk_date,
                    Participation.person_id != PayLine.person_id,
                    exists().where(corrected.participation_id == PayLine.participation_id,
                                   corrected.kind == LineKind.CORRECTION),
                    version_now.is_distinct_from(PayLine.rate_version_id),
                    drift,
                ),
            )
        )

    def _drifted_persons(self) -> list[int] | None:
        """Return persons whose age or years on their frozen dates changed; None = too many."""
        persons = dict(
            (pid, (birth, prior)) for pid, birth, prior in plain_rows(
                self.session,
                select(Person.id, Person.birth_date, Person.prior_years).where(
                    exists().where(PayLine.person_id == Person.id), self._for_person(Person.id)
                )
            )
        )
        groups = plain_rows(
            self.session,
            select(PayLine.person_id, PayLine.age, PayLine.years,
                   func.min(PayLine.walk_date), func.max(PayLine.walk_date))
            .where(PayLine.kind != LineKind.CORRECTION, self._for_person(PayLine.person_id))
            .group_by(PayLine.person_id, PayLine.age, PayLine.years)
        )
        drifted = set()
        for person_id, age, years, first, last in groups:
            birth, prior = persons[person_id]
            for day in (first, last):
                if (payroll.age_on(birth, day) != age
                        or self.years.on(person_id, prior, day) != years):
                    drifted.add(person_id)
        if len(drifted) > MAX_DRIFTED_PERSONS:
            return None
        return sorted(drifted)

    def _frozen_lines(self, rows: Iterable[StoredRow]) -> list[payroll.FrozenLine]:
        """Return the stored lines as frozen lines, noting their names and row numbers."""
        lines = []
        for row in rows:
            self.names.setdefault(
                row.person_id, Names(row.first_name, row.last_name, row.personnummer or "")
            )
            lines.append(frozen_line(row))
            if row.line_no is not None:
                self.line_numbers[row.id] = row.line_no
        return lines


class StoredRow(NamedTuple):
    """A stored pay line with its period's month, as `stored_lines` reads it.

    A plain named tuple: reading a field of it costs a tenth of reading one from a SQLAlchemy
    row, which counts when a closed month of 60,000 lines is exported.
    """

    id: int
    kind: LineKind
    participation_id: int
    person_id: int
    walk_id: int
    walk_date: date
    start_time: time | None
    end_time: time | None
    team_name: str
    cost_centre: str
    district_name: str
    personnummer: str | None
    first_name: str
    last_name: str
    age: int
    years: int
    rate_version_id: int | None
    band_label: str
    amount: Decimal
    refers_to_id: int | None
    reason: str
    line_no: int | None
    band_age_from: int | None
    band_age_to: int | None
    band_years_from: int | None
    band_years_to: int | None
    month: str


def stored_lines(session: Session, *conditions: ColumnElement[bool]) -> list[StoredRow]:
    """Return the stored lines matching the conditions, with their month, in id order."""
    result = plain_rows(
        session,
        select(*(getattr(PayLine, name) for name in StoredRow._fields[:-1]), PayPeriod.month)
        .join(PayPeriod, PayLine.period_id == PayPeriod.id)
        .where(*conditions)
        .order_by(PayLine.id)
    )
    return [StoredRow._make(row) for row in result]


#: The stored line kinds as the pay rules name them.
_RULES_KIND = {kind: payroll.LineKind(kind.value) for kind in LineKind}


def frozen_line(row: StoredRow) -> payroll.FrozenLine:
    """Return a row of `stored_lines` as the pay rules' FrozenLine."""
    return payroll.FrozenLine(
        line_id=row.id, period=row.month, kind=_RULES_KIND[row.kind],
        participation_id=row.participation_id, person_id=row.person_id,
        walk_id=row.walk_id, walk_date=row.walk_date, age=row.age, years=row.years,
        version_id=row.rate_version_id or 0, band_label=row.band_label,
        amount=payroll.to_money(row.amount), refers_to=row.refers_to_id, reason=row.reason,
        team=row.team_name, district=row.district_name, start=row.start_time,
        end=row.end_time, person_name=person_name(row.first_name, row.last_name),
        personnummer=row.personnummer or "", band_age_from=row.band_age_from,
        band_age_to=row.band_age_to, band_years_from=row.band_years_from,
        band_years_to=row.band_years_to,
    )


def load_facts(session: Session, month: str, *, persons: Collection[int] | None = None,
               all_history: bool = False) -> Facts:
    """Load what the pay rules need to compute an open month (only the persons' part, if
    given)."""
    return _Loader(session, month, persons, all_history).load()


def load_open_facts(session: Session, person_id: int, history: list[StoredRow], *,
                    years: YearsInProgramme | None = None) -> Facts:
    """Load one person's facts of every open month; compute each with `Facts.compute(month)`.

    `history` holds the stored lines of every participation the person was ever paid for
    (`person_history_lines`): the corrections are computed from all of it, as
    `load_facts(..., all_history=True)` does, which for one person costs no more than finding
    the candidates would. `years` may bring the person's years in the programme already read.
    """
    loader = _Loader(session, None, [person_id], all_history=True, history=history,
                     years=years)
    facts = loader.load()
    facts.month = payroll.earliest_open(loader.latest_closed) or ""
    return facts


def person_history_lines(session: Session, person_id: int) -> list[StoredRow]:
    """Return the stored lines of every participation the person was ever paid for."""
    return stored_lines(session, PayLine.participation_id.in_(
        select(PayLine.participation_id).where(PayLine.person_id == person_id)))


def sums_before(lines: Iterable[payroll.FrozenLine]) -> dict[int, Decimal]:
    """Return what the given frozen lines paid, per participation."""
    sums: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in lines:
        sums[line.participation_id] += line.amount
    return dict(sums)
