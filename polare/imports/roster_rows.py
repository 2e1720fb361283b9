"""Import kind `polare`: persons with one enrolment per row, through the roster services.

A row that finds its person, guardian and enrolment already as the file says changes nothing.
An existing person's name must match the file (a wrong personnummer must not land on someone
else); their phone, e-mail and prior years are updated when the file gives other values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exports import Row, parse_date
from polare.auth.access import can_access_team
from polare.errors import DomainError
from polare.imports.cells import (
    Cells,
    Column,
    choice_parser,
    email,
    personnummer_parser,
    phone,
    text_parser,
    whole_number,
)
from polare.imports.context import ImportContext, RowState, Tally
from polare.imports.report import RowProblem, blame
from polare.org.models import SchoolYear, Team
from polare.privacy.lookups import LookupLimitError, count_personnummer_lookup, lookups_used_up
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from polare.roster.services import (
    STATUS_NAMES,
    ConsentMissingError,
    GuardianInput,
    PersonInput,
    activate_enrolment,
    add_guardian,
    create_enrolment,
    create_person,
    is_visible,
    register_consent,
    scope_team_ids,
    update_guardian,
    update_person,
    waitlist_enrolment,
)

COLUMNS = (
    Column("Personnummer", _l("ÅÅÅÅMMDD-NNNN; även ÅÅMMDD-NNNN och samordningsnummer.")),
    Column("Förnamn", _l("Krävs.")),
    Column("Efternamn", _l("Krävs.")),
    Column("Telefon", _l("Polarens mobilnummer, t.ex. 070-123 45 67. Får vara tomt.")),
    Column("E-post", _l("Får vara tomt.")),
    Column("Team", _l("Teamets namn, t.ex. Ryd: ett av dina team.")),
    Column("Läsår", _l("T.ex. 2026/27.")),
    Column("Status", _l("aktiv, sökande eller väntelista.")),
    Column("Startdatum", _l("Dagen polaren blev aktiv (ÅÅÅÅ-MM-DD). Bara när status är aktiv.")),
    Column("Vårdnadshavare", _l("Namn. Krävs med samtycke för den som är under 18 på "
                                "startdatumet.")),
    Column("Vårdnadshavare telefon", _l("Krävs när vårdnadshavare är ifylld.")),
    Column("Samtycke datum", _l("Datum för vårdnadshavarens skriftliga samtycke, senast "
                                "startdatumet.")),
    Column("Tidigare år", _l("Antal läsår i verksamheten innan Polare började användas. "
                             "Tomt = 0.")),
)
HEADERS = tuple(column.name for column in COLUMNS)

STATUSES = {
    "aktiv": EnrolmentStatus.ACTIVE,
    "sökande": EnrolmentStatus.APPLICANT,
    "väntelista": EnrolmentStatus.WAITLISTED,
}
PERSON_COLUMNS = {
    "personnummer": "Personnummer", "first_name": "Förnamn", "last_name": "Efternamn",
    "phone": "Telefon", "email": "E-post", "prior_years": "Tidigare år",
}
GUARDIAN_COLUMNS = {"name": "Vårdnadshavare", "phone": "Vårdnadshavare telefon"}


@dataclass(frozen=True)
class PolareRow:
    """One row of the file, parsed."""

    number: int
    personnummer: str
    first_name: str
    last_name: str
    phone: str
    email: str
    team: Team
    year: SchoolYear
    status: EnrolmentStatus
    start: date | None
    guardian: str
    guardian_phone: str
    consent_date: date | None
    prior_years: int | None

    def person_values(self) -> dict[str, object]:
        """Return the columns that describe the person, which every row of theirs must share."""
        return {"Förnamn": self.first_name, "Efternamn": self.last_name,
                "Telefon": self.phone, "E-post": self.email, "Tidigare år": self.prior_years}


def import_polare(ctx: ImportContext, rows: Sequence[Row]) -> None:
    """Check every row, then apply the good ones in file order."""
    parsed = _parse_all(ctx, rows)
    if scope_team_ids(ctx.actor) is not None:  # a match elsewhere is a lookup: any left?
        ctx.lookup_refusal = lookups_used_up(ctx.actor)
    for row in parsed:
        tally = ctx.attempt([row.number], lambda row=row: _apply(ctx, row))
        if tally is not None:
            ctx.count(1, tally)


def _parse_all(ctx: ImportContext, rows: Sequence[Row]) -> list[PolareRow]:
    """Parse the rows and check that rows of the same person agree; return the good ones."""
    good = []
    persons: dict[str, PolareRow] = {}
    enrolments: dict[tuple[str, int, int], int] = {}
    for row in rows:
        cells = Cells(row)
        parsed = _parse(ctx, cells)
        if parsed is not None:
            _check_agreement(cells, parsed, persons, enrolments)
        if not ctx.accepts(cells):
            continue
        assert parsed is not None  # noqa: S101 (no problems means every cell parsed)
        good.append(parsed)
    return good


def _parse(ctx: ImportContext, cells: Cells) -> PolareRow | None:
    """Return the row's values, or None when a required one is missing or bad."""
    lookups = ctx.lookups
    values = {
        "personnummer": cells.get("Personnummer", personnummer_parser(ctx.today)),
        "first_name": cells.get("Förnamn", text_parser("Förnamn", 80)),
        "last_name": cells.get("Efternamn", text_parser("Efternamn", 80)),
        "phone": cells.get("Telefon", phone, required=False) or "",
        "email": cells.get("E-post", email, required=False) or "",
        "team": cells.get("Team", lookups.team),
        "year": cells.get("Läsår", lookups.school_year),
        "status": cells.get("Status", choice_parser(STATUSES)),
        "start": cells.get("Startdatum", parse_date, required=False),
        "guardian": cells.get("Vårdnadshavare", text_parser("Vårdnadshavare", 120),
                              required=False) or "",
        "guardian_phone": cells.get("Vårdnadshavare telefon", phone, required=False) or "",
        "consent_date": cells.get("Samtycke datum", parse_date, required=False),
        "prior_years": cells.get("Tidigare år", whole_number, required=False),
    }
    team = values["team"]
    if team is not None and not can_access_team(ctx.actor, team.id):
        cells.refuse("Team", DomainError("imports.not_your_team"))
    _check_dependent_columns(cells, values)
    if cells.problems:
        return None
    return PolareRow(number=cells.number, **values)  # type: ignore[arg-type]


def _check_dependent_columns(cells: Cells, values: dict[str, object]) -> None:
    """Refuse columns that need, or exclude, another column."""
    if values["status"] == EnrolmentStatus.ACTIVE and cells.raw("Startdatum") is None:
        cells.refuse("Startdatum", DomainError("imports.start_required"))
    if (values["status"] not in (None, EnrolmentStatus.ACTIVE)
            and cells.raw("Startdatum") is not None):
        cells.refuse("Startdatum", DomainError("imports.start_only_when_active"))
    if cells.raw("Vårdnadshavare") is None:
        if cells.raw("Vårdnadshavare telefon") is not None:
            cells.refuse("Vårdnadshavare", DomainError("imports.guardian_required_for_phone"))
        if cells.raw("Samtycke datum") is not None:
            cells.refuse("Vårdnadshavare", DomainError("imports.guardian_required_for_consent"))
    elif cells.raw("Vårdnadshavare telefon") is None:
        cells.refuse("Vårdnadshavare telefon", DomainError("imports.guardian_phone_required"))


def _check_agreement(cells: Cells, row: PolareRow, persons: dict[str, PolareRow],
                     enrolments: dict[tuple[str, int, int], int]) -> None:
    """Refuse a row that describes a person differently, or repeats an enrolment."""
    first = persons.setdefault(row.personnummer, row)
    for column, value in row.person_values().items():
        other = first.person_values()[column]
        if value != other:
            cells.refuse(column, DomainError("imports.person_differs", row=first.number,
                                             value="" if other is None else other))
    key = (row.personnummer, row.team.id, row.year.id)
    earlier = enrolments.setdefault(key, row.number)
    if earlier != row.number:
        cells.refuse("Läsår", DomainError("imports.enrolment_repeated", row=earlier))


def _apply(ctx: ImportContext, row: PolareRow) -> Tally:
    """Bring the person, guardian, enrolment, consent and status to what the row says."""
    if ctx.lookup_refusal is not None:
        raise RowProblem.one("Personnummer", ctx.lookup_refusal)
    tally = Tally()
    person = _person(ctx, row, tally)
    ctx.result.person_ids.add(person.id)
    guardian = _guardian(ctx, person, row, tally)
    enrolment = _enrolment(ctx, person, row, tally)
    if row.consent_date is not None and guardian is not None:
        _consent(ctx, enrolment, guardian, row.consent_date, tally)
    _status(ctx, enrolment, row, tally)
    return tally


def _person(ctx: ImportContext, row: PolareRow, tally: Tally) -> Person:
    """Return the row's person, registering them or updating their contact details."""
    person = ctx.session.scalar(select(Person).where(Person.personnummer == row.personnummer))
    if person is None:
        with blame("Personnummer", PERSON_COLUMNS):
            person = create_person(ctx.session, ctx.actor, PersonInput(
                personnummer=row.personnummer, first_name=row.first_name,
                last_name=row.last_name, phone=row.phone, email=row.email,
                prior_years=row.prior_years or 0), today=ctx.today)
        tally.add("person")
        return person
    visible = is_visible(ctx.session, ctx.actor, person)
    if not visible:
        _count_lookup(ctx, person)
    _check_same_name(person, row, visible=visible)
    phone_number = row.phone or person.phone
    address = row.email or person.email
    prior_years = person.prior_years if row.prior_years is None else row.prior_years
    if (phone_number, address, prior_years) != (person.phone, person.email, person.prior_years):
        with blame("Personnummer", PERSON_COLUMNS):
            update_person(ctx.session, ctx.actor, person, PersonInput(
                personnummer=row.personnummer, first_name=person.first_name,
                last_name=person.last_name, phone=phone_number, email=address,
                address=person.address, school=person.school, notes=person.notes,
                prior_years=prior_years), today=ctx.today)
        tally.add("person_update", RowState.CHANGED)
    return person


def _count_lookup(ctx: ImportContext, person: Person) -> None:
    """Count a match on another team's person as a personnummer lookup (audited, limited).

    Once the importer's lookups are used up, this row and every later one are refused alike,
    so the report tells nothing more about which numbers are registered.
    """
    if person.id in ctx.result.looked_up:
        return
    ctx.result.looked_up.add(person.id)
    try:
        count_personnummer_lookup(ctx.actor)
    except LookupLimitError as error:
        ctx.lookup_refusal = error
        raise RowProblem.one("Personnummer", error) from error


def _check_same_name(person: Person, row: PolareRow, *, visible: bool) -> None:
    """Refuse a row whose name is not the registered person's (named only within scope)."""
    if visible:
        reason = DomainError("imports.name_differs", name=person.full_name)
    else:
        reason = DomainError("imports.name_differs_elsewhere")
    problems = [
        (column, reason)
        for column, stored, given in (("Förnamn", person.first_name, row.first_name),
                                      ("Efternamn", person.last_name, row.last_name))
        if stored.casefold() != given.casefold()
    ]
    if problems:
        raise RowProblem(problems)


def _guardian(ctx: ImportContext, person: Person, row: PolareRow,
              tally: Tally) -> Guardian | None:
    """Return the row's guardian of the person (by name), adding or updating them."""
    if not row.guardian:
        return None
    guardians = ctx.session.scalars(select(Guardian).where(Guardian.person_id == person.id))
    guardian = next((g for g in guardians if g.name.casefold() == row.guardian.casefold()), None)
    data = GuardianInput(name=row.guardian, phone=row.guardian_phone)
    with blame("Vårdnadshavare", GUARDIAN_COLUMNS):
        if guardian is None:
            tally.add("guardian", RowState.CHANGED)
            return add_guardian(ctx.session, ctx.actor, person, data)
        if guardian.phone != row.guardian_phone:
            tally.add("guardian", RowState.CHANGED)
            return update_guardian(ctx.session, ctx.actor, guardian, GuardianInput(
                name=guardian.name, phone=row.guardian_phone, email=guardian.email,
                relation=guardian.relation))
    return guardian


def _enrolment(ctx: ImportContext, person: Person, row: PolareRow, tally: Tally) -> Enrolment:
    """Return the person's enrolment in the row's team and school year, creating it."""
    enrolment = ctx.session.scalar(select(Enrolment).where(
        Enrolment.person_id == person.id, Enrolment.team_id == row.team.id,
        Enrolment.school_year_id == row.year.id))
    if enrolment is not None:
        return enrolment
    with blame("Team", {"school_year_id": "Läsår"}):
        enrolment = create_enrolment(ctx.session, ctx.actor, person, row.team.id, row.year.id,
                                     on=row.start or ctx.today)
    tally.add("enrolment")
    return enrolment


def _consent(ctx: ImportContext, enrolment: Enrolment, guardian: Guardian, consent_date: date,
             tally: Tally) -> None:
    """Record the guardian's consent unless the enrolment already has exactly it."""
    if (enrolment.consent_date, enrolment.consent_guardian_id) == (consent_date, guardian.id):
        return
    with blame("Samtycke datum", {"guardian_id": "Vårdnadshavare"}):
        register_consent(ctx.session, ctx.actor, enrolment.id, guardian_id=guardian.id,
                         consent_date=consent_date, today=ctx.today)
    tally.add("consent", RowState.CHANGED)


def _status(ctx: ImportContext, enrolment: Enrolment, row: PolareRow, tally: Tally) -> None:
    """Move the enrolment to the row's status through the workflow, if it is not there."""
    current = enrolment.status
    if row.status == EnrolmentStatus.ACTIVE:
        if current in (EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED):
            if enrolment.activated_on != row.start:
                raise RowProblem.one("Startdatum", DomainError(
                    "imports.activated_on_other_day",
                    day=enrolment.activated_on.isoformat() if enrolment.activated_on else "–"))
            return
        with blame("Status", {"on": "Startdatum"}, {ConsentMissingError: "Samtycke datum"}):
            activate_enrolment(ctx.session, ctx.actor, enrolment.id, on=row.start)
        tally.add("activation", RowState.CHANGED)
    elif current == row.status:
        return
    elif row.status == EnrolmentStatus.WAITLISTED and current == EnrolmentStatus.APPLICANT:
        with blame("Status"):
            waitlist_enrolment(ctx.session, ctx.actor, enrolment.id)
        tally.add("waitlisting", RowState.CHANGED)
    else:
        raise RowProblem.one("Status", DomainError("imports.status_already",
                                                   status=STATUS_NAMES[current]))
