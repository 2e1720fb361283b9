"""Stateful property: whatever changes, closes, attests and reopens, nothing is paid twice.

Closed months end up paid exactly right, walks before the first pay period are never paid,
and an attested month never changes.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from payroll import (
    ClosePeriodError,
    FrozenLine,
    IllegalTransitionError,
    LineKind,
    Participation,
    PeriodClosedError,
    PeriodResult,
    RateBand,
    RateVersion,
    check_close,
    check_transition,
    compute_period,
    freeze,
    month_of,
    next_month,
    parse_month,
    stipend_for,
    years_in_programme,
)

SCHOOL_YEARS = (date(2025, 8, 1), date(2026, 8, 1))
#: person_id: (name, birth date, prior years); birthdays fall inside the walk months.
PERSONS = {
    1: ("Andersson, Anna", date(2008, 2, 29), 0),
    2: ("Berg, Bo", date(2010, 7, 15), 0),
    3: ("Öberg, Ola", date(2006, 9, 10), 1),
}
#: walk_id: (date, team); a birthday and a new school year fall between walks of one month.
WALKS = {
    1: (date(2026, 5, 12), "Ryd"),
    2: (date(2026, 6, 20), "Berga"),
    3: (date(2026, 7, 14), "Ryd"),
    4: (date(2026, 7, 15), "Ryd"),
    5: (date(2026, 8, 1), "Berga"),
    6: (date(2026, 9, 9), "Ryd"),
    7: (date(2026, 9, 10), "Berga"),
    8: (date(2026, 10, 3), "Ryd"),
}
#: participation_id: (person_id, walk_id)
START = {1: (1, 1), 2: (2, 1), 3: (3, 2), 4: (2, 3), 5: (2, 4), 6: (1, 5), 7: (3, 6), 8: (3, 7)}
START |= {9: (1, 8), 10: (2, 8)}
FIRST_MONTHS = ("2026-04", "2026-05", "2026-06", "2026-07")
LAST_MONTH = "2026-12"
#: A day after every month the machine closes.
AFTER_ALL = date(2027, 1, 1)



def previous_month(month: str) -> str:
    """Return the month before the given one."""
    year, number = parse_month(month)
    return f"{year - (number == 1):04d}-{(number - 2) % 12 + 1:02d}"


amounts = st.decimals(min_value=0, max_value=2000, places=2)


def bands(young_first: Decimal, young: Decimal, old_early: Decimal, old: Decimal) -> tuple:
    """Return bands covering ages 15–20 × years ≥ 1 with the given amounts."""
    return (
        RateBand(15, 17, 1, 1, young_first),
        RateBand(15, 17, 2, None, young),
        RateBand(18, None, 1, 2, old_early),
        RateBand(18, None, 3, None, old),
    )


class PayrollMachine(RuleBasedStateMachine):
    """Change attendance, approvals, participants and rates while closing months in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.participants = dict(START)
        self.attended = dict.fromkeys(START, True)
        self.approved = dict.fromkeys(WALKS, True)
        self.removed: set[int] = set()
        self.versions = [
            RateVersion(1, date(2025, 8, 1), bands(*map(Decimal, ("500", "550", "600", "700"))),
                        decided=True)
        ]
        self.latest_closed: str | None = None
        self.first_period: str | None = None
        self.frozen: list[FrozenLine] = []
        self.next_line_id = 1
        #: The lines of each attested month as they were when it was attested.
        self.attested: dict[str, list[FrozenLine]] = {}

    def participation(self, pid: int) -> Participation:
        """Return a participation as the web layer would load it now."""
        person_id, walk_id = self.participants[pid]
        name, birth, prior = PERSONS[person_id]
        walk_date, team = WALKS[walk_id]
        school_year = max(start for start in SCHOOL_YEARS if start <= walk_date)
        return Participation(
            participation_id=pid,
            person_id=person_id,
            walk_id=walk_id,
            walk_date=walk_date,
            birth_date=birth,
            years_in_programme=years_in_programme(SCHOOL_YEARS, school_year, prior),
            payable=self.attended[pid] and self.approved[walk_id],
            team=team,
            person_name=name,
        )

    def current(self) -> list[Participation]:
        """Return every participation not removed."""
        return [self.participation(pid) for pid in self.participants if pid not in self.removed]

    def due(self, pid: int) -> Decimal:
        """Return what the current data says a participation should be paid in total."""
        if pid in self.removed:
            return Decimal("0.00")
        participation = self.participation(pid)
        if not participation.payable:
            return Decimal("0.00")
        return stipend_for(participation, self.versions).amount

    def compute(self, month: str, *, reorder: bool = False) -> PeriodResult:
        """Compute a month from the current data, optionally with every input reversed."""
        inputs = [self.current(), self.versions, self.frozen]
        if reorder:
            inputs = [list(reversed(items)) for items in inputs]
        return compute_period(month, *inputs, self.latest_closed, self.first_period)

    def live(self) -> list[int]:
        """Return the ids of participations not removed."""
        return sorted(set(self.participants) - self.removed)

    @rule(data=st.data(), attended=st.booleans())
    def set_attendance(self, data: st.DataObject, attended: bool) -> None:
        """Mark a participant present or absent."""
        self.attended[data.draw(st.sampled_from(sorted(self.participants)))] = attended

    @rule(walk_id=st.sampled_from(sorted(WALKS)), approved=st.booleans())
    def set_approval(self, walk_id: int, approved: bool) -> None:
        """Approve a walk, or take the approval back (cancel it)."""
        self.approved[walk_id] = approved

    @precondition(lambda self: self.live())
    @rule(data=st.data())
    def remove_participant(self, data: st.DataObject) -> None:
        """Remove a participant from a walk."""
        self.removed.add(data.draw(st.sampled_from(self.live())))

    @precondition(lambda self: self.removed)
    @rule(data=st.data())
    def add_participant_again(self, data: st.DataObject) -> None:
        """Add a removed participant back to the walk, as a new participation."""
        old = data.draw(st.sampled_from(sorted(self.removed)))
        pid = max(self.participants) + 1
        self.participants[pid] = self.participants[old]
        self.attended[pid] = True

    @rule(
        effective_from=st.dates(date(2026, 4, 1), date(2026, 12, 31)),
        amounts=st.tuples(amounts, amounts, amounts, amounts),
    )
    def add_rate_version(self, effective_from: date, amounts: tuple) -> None:
        """Add a rate version, possibly effective in a closed month."""
        version_id = len(self.versions) + 1
        self.versions.append(RateVersion(version_id, effective_from, bands(*amounts),
                                         decided=True))

    def close(self, month: str) -> None:
        """Check, then close the month and freeze its lines."""
        result = self.compute(month)
        check_close(month, result, self.latest_closed, first_period=self.first_period,
                    today=AFTER_ALL, versions=self.versions)
        self.frozen += [freeze(line, self.next_line_id + n) for n, line in enumerate(result.lines)]
        self.next_line_id += len(result.lines)
        self.latest_closed = month

    @precondition(lambda self: self.latest_closed is None)
    @rule(month=st.sampled_from(FIRST_MONTHS))
    def close_the_first_pay_period(self, month: str) -> None:
        """Close the first pay period (set now, unless a reopened close set it before)."""
        self.first_period = self.first_period or month
        self.close(self.first_period)
        self.assert_closed_months_paid_exactly()

    @precondition(lambda self: self.latest_closed is not None and self.latest_closed < LAST_MONTH)
    @rule()
    def close_the_next_month(self) -> None:
        """Close the month after the latest closed one."""
        self.close(next_month(self.latest_closed))
        self.assert_closed_months_paid_exactly()

    def lines_of(self, month: str) -> list[FrozenLine]:
        """Return the frozen lines of a month."""
        return [line for line in self.frozen if line.period == month]

    def closed_not_attested(self) -> list[str]:
        """Return the closed months waiting for attestation."""
        months = sorted({line.period for line in self.frozen} | {self.latest_closed or ""})
        return [m for m in months if m and m >= (self.first_period or "") and
                m <= (self.latest_closed or "") and m not in self.attested]

    @precondition(lambda self: self.latest_closed is not None and self.closed_not_attested())
    @rule(data=st.data())
    def attest_a_closed_month(self, data: st.DataObject) -> None:
        """Attest a closed month: its lines are final."""
        month = data.draw(st.sampled_from(self.closed_not_attested()))
        check_transition("closed", "attested")
        self.attested[month] = self.lines_of(month)

    @precondition(lambda self: self.latest_closed is not None)
    @rule()
    def reopen_the_latest_closed_month(self) -> None:
        """Reopen the latest closed month unless attested: its lines are unfrozen."""
        month = self.latest_closed
        if month in self.attested:
            with pytest.raises(IllegalTransitionError):
                check_transition("attested", "open")
            return
        check_transition("closed", "open")
        self.frozen = [line for line in self.frozen if line.period != month]
        self.latest_closed = None if month == self.first_period else previous_month(month)

    def assert_closed_months_paid_exactly(self) -> None:
        """Check every participation against what it is due now, right after a close.

        Walks before the first pay period and after the latest closed month are unpaid.
        """
        paid: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for line in self.frozen:
            paid[line.participation_id] += line.amount
        for pid, (_, walk_id) in self.participants.items():
            walk_month = month_of(WALKS[walk_id][0])
            if walk_month > self.latest_closed or walk_month < self.first_period:
                assert pid not in paid
            else:
                assert paid[pid] == self.due(pid), (pid, paid[pid], self.due(pid))

    @precondition(lambda self: self.latest_closed is not None and self.latest_closed < LAST_MONTH)
    @rule(data=st.data())
    def preview_an_open_month(self, data: st.DataObject) -> None:
        """Compute an open month twice from reordered input and get the same lines."""
        later = [next_month(self.latest_closed)]
        while later[-1] < LAST_MONTH:
            later.append(next_month(later[-1]))
        month = data.draw(st.sampled_from(later))
        result = self.compute(month)
        assert self.compute(month, reorder=True) == result
        assert all(line.period == month for line in result.lines)
        if month != later[0]:
            assert all(line.kind is LineKind.ORDINARY for line in result.lines)
            assert all(month_of(line.walk_date) == month for line in result.lines)

    @precondition(lambda self: self.latest_closed is not None)
    @rule()
    def closed_month_stays_closed(self) -> None:
        """Refuse to recompute or close again the latest closed month, or to skip a month."""
        with pytest.raises(PeriodClosedError):
            self.compute(self.latest_closed)
        closed = self.latest_closed
        skipped = next_month(next_month(closed))
        for month, result in ((closed, PeriodResult(closed, (), ())),
                              (skipped, self.compute(skipped))):
            with pytest.raises(ClosePeriodError):
                check_close(month, result, closed, first_period=self.first_period,
                            today=AFTER_ALL, versions=self.versions)

    @invariant()
    def attested_months_never_change(self) -> None:
        """Check that every attested month still has exactly the lines it was attested with."""
        for month, lines in self.attested.items():
            assert self.lines_of(month) == lines

    @invariant()
    def nothing_before_the_first_pay_period_is_paid(self) -> None:
        """Check that no frozen line pays a walk before the first pay period."""
        if self.first_period is not None:
            assert all(month_of(line.walk_date) >= self.first_period for line in self.frozen)

    @invariant()
    def nothing_is_paid_twice(self) -> None:
        """Check that no participation has more than one frozen ordinary or late line."""
        payments = [
            line.participation_id
            for line in self.frozen
            if line.kind in (LineKind.ORDINARY, LineKind.LATE)
        ]
        assert len(payments) == len(set(payments))

    @invariant()
    def corrections_refer_to_the_frozen_payment(self) -> None:
        """Check that each correction refers to the payment line of its own participation."""
        payment_of = {
            line.line_id: line.participation_id
            for line in self.frozen
            if line.kind is not LineKind.CORRECTION
        }
        for line in self.frozen:
            if line.kind is LineKind.CORRECTION:
                assert payment_of[line.refers_to] == line.participation_id


TestPayrollMachine = PayrollMachine.TestCase
TestPayrollMachine.settings = settings(max_examples=75, stateful_step_count=30, deadline=None)
