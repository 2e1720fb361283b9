"""The state of one import run: the session, who imports, today, and what has been found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from polare.auth.models import User
from polare.errors import DomainError
from polare.imports.cells import Cells, Lookups
from polare.imports.report import ImportResult, RowProblem


class RowState(IntEnum):
    """What a row did; a row that created something is new even if it also changed things."""

    EXISTING = 0
    CHANGED = 1
    NEW = 2


@dataclass
class Tally:
    """What applying one row (or one group of rows) did."""

    state: RowState = RowState.EXISTING
    things: Counter[str] = field(default_factory=Counter)

    def add(self, thing: str, state: RowState = RowState.NEW, count: int = 1) -> None:
        """Count something the row made or changed."""
        self.things[thing] += count
        self.state = max(self.state, state)


@dataclass
class ImportContext:
    """Everything a kind's importer needs; `attempt` applies rows inside a savepoint."""

    session: Session
    actor: User
    today: date
    #: Local time in Sweden, naive like the walks' times.
    now: datetime
    result: ImportResult
    lookups: Lookups
    #: Set once the importer's personnummer lookups are used up: every later row is refused.
    lookup_refusal: DomainError | None = None

    def accepts(self, cells: Cells) -> bool:
        """Tell whether a row's cells are all good; record what is wrong with them if not."""
        try:
            cells.check()
        except RowProblem as problem:
            self.result.add_problem([cells.number], problem)
            return False
        return True

    def attempt(self, row_numbers: Sequence[int], action: Callable[[], Tally]) -> Tally | None:
        """Run `action` in a savepoint; on a RowProblem undo it and blame the rows."""
        savepoint = self.session.begin_nested()
        try:
            tally = action()
        except RowProblem as problem:
            savepoint.rollback()
            self.result.add_problem(row_numbers, problem)
            return None
        except IntegrityError:
            # A uniqueness rule the services check first, broken by a parallel change.
            savepoint.rollback()
            self.result.add_problem(row_numbers, RowProblem.one(
                "", DomainError("imports.saved_concurrently")))
            return None
        savepoint.commit()
        return tally

    def count(self, rows: int, tally: Tally) -> None:
        """Add what `rows` rows did to the result."""
        self.result.created.update(tally.things)
        if tally.state == RowState.NEW:
            self.result.new_rows += rows
        elif tally.state == RowState.CHANGED:
            self.result.changed_rows += rows
        else:
            self.result.existing_rows += rows
