"""Finding a file's polare by personnummer, within what the importing user may see."""

from __future__ import annotations

from polare.errors import DomainError
from polare.imports.context import ImportContext
from polare.imports.report import RowProblem
from polare.roster.models import Person
from polare.roster.services.visibility import visible_person_by_personnummer


def known_polare(ctx: ImportContext, personnummer: str) -> Person:
    """Return the polare with the number in the importer's teams; anyone else is unknown.

    A number registered only in other teams gets the same answer as one never registered.
    """
    person = visible_person_by_personnummer(ctx.session, ctx.actor, personnummer)
    if person is None:
        raise RowProblem.one("Personnummer",
                             DomainError("imports.unknown_polare", number=personnummer))
    return person
