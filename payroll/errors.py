"""Errors raised by the pay rules: a Swedish sentence, and a code where a caller words it.

Every error's text (`str(error)`) is a sentence in Swedish written by the pay rules, never
translated: it is what tests, logs and tracebacks show. Two errors carry what a caller needs
to word them itself, in the reader's language: `BandError.problem` (with `bands`, `age` and
`years`) and `ClosePeriodError.reason` (with `expected` and `version`);
`polare.pay.wording` turns them into the refusals that the pages, the CLI and the
importers show. `NoRateInForceError` and `NoBandError` carry `problem` and `values`, and are
collected in `PeriodResult.errors` as `LineError`s: their sentence, with the same code, which the
period pages word in the reader's language. The other errors (`InvalidMonthError`,
`IllegalTransitionError`, `PeriodClosedError`) carry only their text: the web layer checks
months and statuses before it asks the pay rules.
"""

from __future__ import annotations


class PayrollError(Exception):
    """Base class of every pay-rule error."""


class BandError(PayrollError):
    """A rate table version has a bad row, an overlap or a gap.

    `problem` names it, so a caller can word it in the user's language: "negative",
    "decimals", "ages_reversed", "years_reversed" (of `bands[0]`), "overlap" (of `bands[0]`
    and `bands[1]` at `age` and `years`), "gap" (at `age` and `years`) or "index_too_low".
    """

    def __init__(self, message: str, *, problem: str, bands: tuple = (),
                 age: int | None = None, years: int | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.bands = bands
        self.age = age
        self.years = years


class LineError(str):
    """A line that could not be computed: the pay rules' Swedish sentence, with its code.

    It is a str, so it compares, joins and is stored as its sentence (tests, logs, the CLI's
    FEL lines, the follow-up's stored errors); `problem` ("no_rate" or "no_band") and `values`
    let a caller word it in the reader's language.
    """

    problem: str
    values: dict[str, object]

    def __new__(cls, text: str, *, problem: str, values: dict[str, object]) -> LineError:
        error = super().__new__(cls, text)
        error.problem = problem
        error.values = dict(values)
        return error


class _LineProblem(PayrollError):
    """A participation's stipend cannot be computed; `values` name what a caller words."""

    problem = ""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.values = values

    def line_error(self) -> LineError:
        """Return the error as PeriodResult.errors holds it."""
        return LineError(str(self), problem=self.problem, values=self.values)


class NoBandError(_LineProblem):
    """No row of the rate table version covers an age and a number of years.

    `values`: version (its label) and version_from, age, years; and walk, day, team, person
    once a walk is known.
    """

    problem = "no_band"


class NoRateInForceError(_LineProblem):
    """No rate table version is in force on a walk's date. `values`: walk, day, team."""

    problem = "no_rate"


class InvalidMonthError(PayrollError):
    """A pay period is not a month written as YYYY-MM."""


class IllegalTransitionError(PayrollError):
    """A pay period status change is not allowed."""


class PeriodClosedError(PayrollError):
    """A closed pay period cannot be computed again."""


class ClosePeriodError(PayrollError):
    """A pay period cannot be closed now.

    `reason` says why, so a caller can word it in the user's language: "closed" (it already
    is), "no_first_period" (none is set and nothing is payable), "out_of_turn" (`expected` is
    the month to close next), "not_ended" (its last day has not passed), "errors" (lines that
    cannot be computed) or "undecided" (`version` carries no decision).
    """

    def __init__(self, message: str, *, reason: str, expected: str | None = None,
                 version: object = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.expected = expected
        self.version = version
