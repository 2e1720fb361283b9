"""Reading the cells of one row into typed values, collecting every problem of the row."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from exports import Row, parse_decimal, parse_int, parse_text
from exports.readers import CellValue
from polare.auth.models import User
from polare.errors import DomainError
from polare.events.models import EventType
from polare.imports.report import Reason, RowProblem
from polare.org.models import District, SchoolYear, Team
from polare.roster.identity import check_text, normalise_phone, parse_personnummer

T = TypeVar("T")


def missing() -> DomainError:
    """Return the refusal of an empty cell that must have a value."""
    return DomainError("imports.value_missing")


class Cells:
    """The values of one row, parsed column by column; problems are collected, not raised.

    A parser refuses a cell with a ValueError (those of `exports` and of the roster's
    identity checks) or a DomainError (those here); either becomes the cell's problem.
    """

    def __init__(self, row: Row) -> None:
        self.row = row
        self.problems: list[tuple[str, str]] = []

    @property
    def number(self) -> int:
        return self.row.number

    def raw(self, column: str) -> CellValue:
        """Return the cell as read from the file."""
        return self.row.values[column]

    def get(self, column: str, parse: Callable[[CellValue], T], *,
            required: bool = True) -> T | None:
        """Return the parsed cell, or None when it is empty (a problem if required) or bad."""
        value = self.raw(column)
        if value is None:
            if required:
                self.refuse(column, missing())
            return None
        try:
            return parse(value)
        except (ValueError, DomainError) as error:
            self.refuse(column, str(error))
            return None

    def refuse(self, column: str, reason: Reason) -> None:
        """Add a problem found by comparing cells."""
        self.problems.append((column, str(reason)))

    def check(self) -> None:
        """Raise the row's problems, if it has any."""
        if self.problems:
            raise RowProblem(self.problems)


def text_parser(label: str, max_length: int) -> Callable[[CellValue], str]:
    """Return a parser of free text: no control characters, at most `max_length` characters."""

    def parse(value: CellValue) -> str:
        text = check_text(parse_text(value), label)
        if len(text) > max_length:
            raise DomainError("imports.too_long", n=max_length)
        return text

    return parse


def choice_parser(choices: Mapping[str, T]) -> Callable[[CellValue], T]:
    """Return a parser of one of the words in `choices` (case ignored)."""

    def parse(value: CellValue) -> T:
        word = parse_text(value).strip().casefold()
        if word not in choices:
            raise DomainError("imports.not_a_choice", value=parse_text(value),
                              choices=", ".join(choices))
        return choices[word]

    return parse


def personnummer_parser(today: date) -> Callable[[CellValue], str]:
    """Return a parser of a personnummer in any accepted form, giving the canonical form."""

    def parse(value: CellValue) -> str:
        return parse_personnummer(parse_text(value), today).canonical

    return parse


def phone(value: CellValue) -> str:
    """Parse a phone number as the forms accept it, giving the stored form (+46701234567)."""
    return normalise_phone(parse_text(value))


def email(value: CellValue) -> str:
    """Parse an e-mail address as the forms accept it, giving the stored (normalised) form."""
    text = parse_text(value).strip()
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise DomainError("imports.email_invalid", address=text) from error


def whole_number(value: CellValue) -> int:
    """Parse a whole number that is not negative."""
    number = parse_int(value)
    if number < 0:
        raise DomainError("imports.negative")
    return number


def amount(value: CellValue) -> Decimal:
    """Parse an amount in kronor with at most two decimals, not negative."""
    number = parse_decimal(value)
    if number < 0:
        raise DomainError("imports.amount_negative")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError("imports.amount_decimals")
    return number


class Lookups:
    """Reference data by the names users write in spreadsheets, read once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._teams = {t.name.casefold(): t for t in session.scalars(select(Team))}
        self._years = {y.label: y for y in session.scalars(select(SchoolYear))}
        self._districts = {d.name.casefold(): d for d in session.scalars(select(District))}
        self._types = {t.name.casefold(): t for t in session.scalars(select(EventType))}
        self._users: dict[str, User | None] = {}

    def team(self, value: CellValue) -> Team:
        """Return the team named in the cell."""
        team = self._teams.get(parse_text(value).strip().casefold())
        if team is None:
            raise DomainError("imports.unknown_team", name=parse_text(value))
        return team

    def school_year(self, value: CellValue) -> SchoolYear:
        """Return the school year labelled in the cell, e.g. '2026/27'."""
        label = parse_text(value).strip()
        year = self._years.get(label)
        if year is None:
            raise DomainError("imports.unknown_school_year", label=label)
        return year

    def district(self, value: CellValue) -> District:
        """Return the district (stadsdel) named in the cell."""
        district = self._districts.get(parse_text(value).strip().casefold())
        if district is None:
            raise DomainError("imports.unknown_district", name=parse_text(value))
        return district

    def event_type(self, value: CellValue) -> EventType:
        """Return the event type named in the cell."""
        event_type = self._types.get(parse_text(value).strip().casefold())
        if event_type is None:
            raise DomainError("imports.unknown_event_type", name=parse_text(value))
        return event_type

    def users(self, value: CellValue) -> tuple[User, ...]:
        """Return the staff users named in the cell (usernames separated by commas)."""
        names = [name.strip() for name in parse_text(value).split(",") if name.strip()]
        if not names:
            raise missing()
        users = []
        for name in names:
            if name not in self._users:
                self._users[name] = self.session.scalar(select(User).where(User.username == name))
            user = self._users[name]
            if user is None:
                raise DomainError("imports.unknown_user", name=name)
            users.append(user)
        return tuple(users)


@dataclass(frozen=True)
class Column:
    """A column of an import template: its header and what to write in it."""

    name: str
    #: Lazily translated, so it is shown in the reader's language.
    help_text: object
    #: A file may leave the column out altogether.
    optional: bool = False
