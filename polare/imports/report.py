"""What an import found: every bad row's problems, and what was created or already there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import gettext as _

from polare.errors import DomainError

#: Singular and plural Swedish names of what an import creates, by key.
THINGS: dict[str, tuple[str, str]] = {
    "person": ("person", "personer"),
    "enrolment": ("anmälan", "anmälningar"),
    "activation": ("aktivering", "aktiveringar"),
    "waitlisting": ("placering på väntelista", "placeringar på väntelista"),
    "guardian": ("vårdnadshavare", "vårdnadshavare"),
    "consent": ("samtycke", "samtycken"),
    "person_update": ("ändrad person", "ändrade personer"),
    "event": ("aktivitet", "aktiviteter"),
    "invitation": ("inbjudan", "inbjudningar"),
    "attendance": ("närvaromarkering", "närvaromarkeringar"),
    "walk": ("nattvandring", "nattvandringar"),
    "approval": ("godkännande", "godkännanden"),
    "participation": ("deltagare", "deltagare"),
    "rate_version": ("tabellversion", "tabellversioner"),
}


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of one row: its number as the spreadsheet shows it, the column, the reason."""

    row: int
    column: str
    reason: str


#: Why a cell or a row is wrong: a refusal (worded now, in the reader's language) or its text.
Reason = str | DomainError


class RowProblem(Exception):
    """A row (or a group of rows) cannot be imported; `problems` are (column, reason) pairs.

    A reason given as a refusal is worded by its domain's wording module when the problem is
    found, so the report keeps the text the user reads.
    """

    def __init__(self, problems: Sequence[tuple[str, Reason]]) -> None:
        worded = [(column, str(reason)) for column, reason in problems]
        super().__init__("; ".join(f"{column}: {reason}" for column, reason in worded))
        self.problems = worded

    @classmethod
    def one(cls, column: str, reason: Reason) -> RowProblem:
        """Return a problem with a single column."""
        return cls([(column, reason)])


@contextmanager
def blame(
    default_column: str,
    fields: Mapping[str, str] | None = None,
    errors: Mapping[type[DomainError], str] | None = None,
) -> Iterator[None]:
    """Turn a service's DomainError into a RowProblem on the column its field names.

    `fields` maps the service's field names to columns; `errors` maps error classes to
    columns, for refusals that name no field; anything else goes to `default_column`.
    """
    try:
        yield
    except DomainError as error:
        column = next((col for cls, col in (errors or {}).items() if isinstance(error, cls)),
                      None) or (fields or {}).get(error.field or "", default_column)
        raise RowProblem.one(column, error) from error


@dataclass
class ImportResult:
    """The outcome of one import: errors (then nothing was kept) or what it did."""

    kind: str
    filename: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Rows that created something, changed something, or found everything already there.
    new_rows: int = 0
    changed_rows: int = 0
    existing_rows: int = 0
    created: Counter[str] = field(default_factory=Counter)
    #: Things worth knowing about a successful import (e.g. confirmed training warnings).
    notes: list[str] = field(default_factory=list)
    #: The polare the rows touched; the import's audit entry refers to them by id.
    person_ids: set[int] = field(default_factory=set)
    #: Persons outside the importer's teams whose personnummer a row matched: each is an
    #: audited lookup, whether the import is kept or refused.
    looked_up: set[int] = field(default_factory=set)

    @property
    def logged_filename(self) -> str:
        """Return the file as the audit log keeps it: its type and size, not the name given."""
        extension = self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""
        return f"fil.{extension} ({self.rows} rader)" if extension else f"fil ({self.rows} rader)"

    @property
    def ok(self) -> bool:
        """Tell whether every row passed (and the import was kept)."""
        return not self.errors

    @property
    def bad_rows(self) -> int:
        """Return how many distinct rows have at least one problem."""
        return len({error.row for error in self.errors})

    def add_problem(self, row_numbers: Sequence[int], problem: RowProblem) -> None:
        """Record a problem on each of the rows."""
        for number in row_numbers:
            for column, reason in problem.problems:
                self.errors.append(RowError(number, column, reason))

    def sorted_errors(self) -> list[RowError]:
        """Return the errors by row, without repeats, in the order the columns were found."""
        seen: set[RowError] = set()
        unique = []
        for error in self.errors:
            if error not in seen:
                seen.add(error)
                unique.append(error)
        return sorted(unique, key=lambda error: error.row)

    def summary(self) -> str:
        """Describe a successful import in one sentence or two, in the reader's language."""
        text = _("%(rows)s rader: %(new)s nya, %(changed)s ändrade, %(existing)s fanns redan.",
                 rows=self.rows, new=self.new_rows, changed=self.changed_rows,
                 existing=self.existing_rows)
        made = [f"{count} {THINGS[key][0] if count == 1 else THINGS[key][1]}"
                for key, count in self.created.items() if count]
        if made:
            text += " " + _("Sparat: %(things)s.", things=", ".join(made))
        return text

    def failure(self) -> str:
        """Describe a refused import in one sentence, in the reader's language."""
        return DomainError("imports.rows_refused", bad=self.bad_rows, rows=self.rows).message
