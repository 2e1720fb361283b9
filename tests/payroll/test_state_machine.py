"""Stateful property: whatever changes after a close, closed months end up paid exactly right."""

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
            RateVersion(1, date(2025, 8, 1), bands(*map(Decimal, ("500", "550", "600", "700"))))
        ]
        self.latest_closed: str | None = None
        self.closes = 0
        self.first_closed: str | None = None
        self.frozen: list[FrozenLine] = []

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
        return compute_period(month, *inputs, self.latest_closed)

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
        self.versions.append(RateVersion(version_id, effective_from, bands(*amounts)))

    @precondition(lambda self: self.latest_closed is None or self.latest_closed < LAST_MONTH)
    @rule(data=st.data())
    def close_earliest_open_month(self, data: st.DataObject) -> None:
        """Compute the earliest open month, close it and freeze its lines."""
        if self.latest_closed is None:
            month = data.draw(st.sampled_from(FIRST_MONTHS))
            self.first_closed = month
        else:
            month = next_month(self.latest_closed)
        result = self.compute(month)
        check_close(month, result, self.latest_closed)
        first_id = len(self.frozen) + 1
        self.frozen += [freeze(line, first_id + n) for n, line in enumerate(result.lines)]
        self.latest_closed = month
        self.closes += 1
        self.assert_closed_months_paid_exactly()

    def assert_closed_months_paid_exactly(self) -> None:
        """Check every participation of a closed month against what it is due now.

        Right after the first close, walks before the first closed month are not paid yet:
        they become late entries when the next month closes.
        """
        paid: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for line in self.frozen:
            paid[line.participation_id] += line.amount
        for pid, (_, walk_id) in self.participants.items():
            walk_month = month_of(WALKS[walk_id][0])
            if walk_month > self.latest_closed:
                assert pid not in paid
            elif self.closes == 1 and walk_month < self.first_closed:
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
        """Refuse to reopen, recompute or close again the latest closed month."""
        with pytest.raises(IllegalTransitionError):
            check_transition("closed", "open")
        with pytest.raises(PeriodClosedError):
            self.compute(self.latest_closed)
        skipped = next_month(next_month(self.latest_closed))
        result = self.compute(skipped)
        with pytest.raises(ClosePeriodError):
            check_close(skipped, result, self.latest_closed)

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
