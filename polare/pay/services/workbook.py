"""The payroll workbook of a period: Lönefil, Underlag and Summering (SPEC §8)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from exports import Sheet, write_workbook
from exports.xlsx import AMOUNT_FORMAT, TEXT_FORMAT
from polare.audit.services import record
from polare.auth.models import User
from polare.batch import cycle_collection_paused
from polare.clock import utcnow
from polare.errors import NotFoundError
from polare.org.services import get_settings
from polare.pay.models import PayrollExport, PeriodStatus
from polare.pay.services.details import LineDetail, local_time
from polare.pay.services.periods import PeriodPreview, preview_period

PRELIMINARY = "PRELIMINÄR"
NOT_ATTESTED = "EJ ATTESTERAD"
FINAL = "Slutlig (perioden är attesterad)"
#: What a workbook of a period in each status is, as its Status says.
STATUS_TEXT = {PeriodStatus.OPEN: PRELIMINARY, PeriodStatus.CLOSED: NOT_ATTESTED,
               PeriodStatus.ATTESTED: FINAL}
_FILENAME_SUFFIX = {PeriodStatus.OPEN: "-PRELIMINAR", PeriodStatus.CLOSED: "-EJ-ATTESTERAD",
                    PeriodStatus.ATTESTED: ""}
WHOLE_NUMBER = "0"

LONEFIL = "Lönefil"
UNDERLAG = "Underlag"
SUMMERING = "Summering"
LONEFIL_HEADERS = ("Personnummer", "Efternamn", "Förnamn", "Löneart", "Antal", "Belopp",
                   "Period", "Kostnadsställe")
UNDERLAG_HEADERS = ("Rad", "Personnummer", "Namn", "Datum", "Team", "Stadsdel", "Start", "Slut",
                    "Ålder", "År i verksamheten", "Tabellversion", "Belopp", "Typ", "Avser")
SUMMERING_HEADERS = ("Team", "Antal polare", "Antal pass", "Belopp")
#: The column a workbook that is not final adds to every sheet, so its headers stay in row 1.
STATUS_HEADER = "Status"


def workbook_filename(month: str, status: PeriodStatus) -> str:
    """Return arvoden-YYYY-MM.xlsx for an attested period, else marked -PRELIMINAR (open) or
    -EJ-ATTESTERAD (closed)."""
    return f"arvoden-{month}{_FILENAME_SUFFIX[status]}.xlsx"


def _lonefil_rows(preview: PeriodPreview, pay_code: str) -> list[tuple[Any, ...]]:
    """Return one row per person and cost centre, persons in the preview's order."""
    groups: dict[tuple[int, str], list[LineDetail]] = {}
    for detail in preview.lines:
        groups.setdefault((detail.line.person_id, detail.cost_centre), []).append(detail)
    rows = []
    for (_person, cost_centre), lines in groups.items():
        first = lines[0]
        rows.append((
            first.personnummer, first.last_name, first.first_name, pay_code,
            sum(d.occasions for d in lines),
            sum((d.line.amount for d in lines), Decimal("0.00")),
            preview.month, cost_centre,
        ))
    return rows


def _underlag_rows(preview: PeriodPreview) -> Iterator[tuple[Any, ...]]:
    """Yield one row per line, numbered (Rad) as it was frozen or in the preview's order."""
    for number, d in enumerate(preview.lines, start=1):
        line = d.line
        yield (d.line_no or number, d.personnummer, d.name, line.walk_date, line.team,
               line.district, line.start, line.end, line.age, line.years, d.version_name,
               line.amount, d.kind_label, d.concerns)


def _summering_rows(preview: PeriodPreview, created_at: datetime,
                    created_by: str) -> list[tuple[Any, ...]]:
    """Return the team rows, the total, then status, period, creation and any warnings."""
    summary = preview.summary
    rows: list[tuple[Any, ...]] = [
        (team.team, team.persons, team.occasions, team.amount)
        for team in (*summary.teams, summary.total)
    ]
    rows.append((None, None, None, None))
    rows += [
        ("Status", STATUS_TEXT[preview.status], None, None),
        ("Period", preview.month, None, None),
        ("Skapad", created_at, None, None),
        ("Skapad av", created_by, None, None),
    ]
    for person in summary.negative_persons:
        rows.append(("Negativ summa", f"{person.name} ({person.personnummer})", None,
                     person.total))
    rows += [("Kan inte beräknas", error, None, None) for error in preview.errors]
    return rows


def _with_status(status: str | None, headers: tuple[str, ...], rows: Iterable[tuple[Any, ...]],
                 widths: tuple[int, ...]) -> tuple[tuple[str, ...], Iterable[tuple[Any, ...]],
                                                   tuple[int, ...]]:
    """Add the Status column (every non-empty row says it) unless the workbook is final."""
    if status is None:
        return headers, rows, widths
    marked = (row + ((status,) if any(v is not None for v in row) else (None,)) for row in rows)
    return (*headers, STATUS_HEADER), marked, (*widths, 16)


def payroll_sheets(preview: PeriodPreview, *, pay_code: str, created_at: datetime,
                   created_by: str) -> list[Sheet]:
    """Return the three sheets of a period's payroll workbook.

    Only an attested period's workbook is final; any other carries its status (PRELIMINÄR,
    EJ ATTESTERAD) in a last Status column of every sheet.
    """
    status = None if preview.is_attested else STATUS_TEXT[preview.status]
    lonefil = _with_status(status, LONEFIL_HEADERS, _lonefil_rows(preview, pay_code),
                           (16, 20, 16, 10, 8, 14, 10, 16))
    underlag = _with_status(status, UNDERLAG_HEADERS, _underlag_rows(preview),
                            (6, 16, 26, 12, 14, 14, 8, 8, 8, 19, 32, 12, 18, 48))
    summering = _with_status(status, SUMMERING_HEADERS,
                             _summering_rows(preview, created_at, created_by), (18, 40, 12, 16))
    return [
        Sheet(LONEFIL, *lonefil[:2], widths=lonefil[2],
              number_formats={0: TEXT_FORMAT, 4: WHOLE_NUMBER, 5: AMOUNT_FORMAT}),
        Sheet(UNDERLAG, *underlag[:2], widths=underlag[2],
              number_formats={0: WHOLE_NUMBER, 1: TEXT_FORMAT, 8: WHOLE_NUMBER,
                              9: WHOLE_NUMBER, 11: AMOUNT_FORMAT}),
        Sheet(SUMMERING, *summering[:2], widths=summering[2], number_formats={3: AMOUNT_FORMAT},
              filter_rows=len(preview.summary.teams) + 1),
    ]


@dataclass(frozen=True)
class WorkbookExport:
    """A written payroll workbook and its record."""

    filename: str
    record: PayrollExport


@cycle_collection_paused()
def export_workbook(session: Session, actor: User | None, month: str,
                    out: BinaryIO) -> WorkbookExport:
    """Write a period's payroll workbook to out (seekable) and record who, when and its hash."""
    preview = preview_period(session, month)
    if preview.outside:
        # No workbook exists for a month outside Polare's payroll (the page answers 404).
        raise NotFoundError("pay.period_outside", month=month,
                            first=preview.first_period)
    created = utcnow()
    created_by = actor.display_name if actor is not None else "system"
    sheets = payroll_sheets(preview, pay_code=get_settings(session).pay_code,
                            created_at=local_time(created), created_by=created_by)
    written = write_workbook(sheets, out)
    out.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: out.read(1 << 16), b""):
        digest.update(chunk)
    out.seek(0)
    filename = workbook_filename(month, preview.status)
    export = PayrollExport(
        month=month, period_status=preview.status.value, filename=filename,
        row_count=written.row_counts[UNDERLAG], sha256=digest.hexdigest(),
        created_by_id=getattr(actor, "id", None), created_at=created,
    )
    session.add(export)
    session.flush()
    record(session, actor, "export", "pay_period", month,
           note=f"{filename}, {export.row_count} rader, SHA-256 {export.sha256}",
           persons={detail.line.person_id for detail in preview.lines})
    return WorkbookExport(filename=filename, record=export)


def exports_of(session: Session, month: str) -> list[tuple[PayrollExport, str]]:
    """Return the period's exports, newest first, with who made them."""
    return [
        (export, user.display_name if user is not None else "system")
        for export, user in session.execute(
            select(PayrollExport, User)
            .outerjoin(User, PayrollExport.created_by_id == User.id)
            .where(PayrollExport.month == month)
            .order_by(PayrollExport.created_at.desc(), PayrollExport.id.desc())
        )
    ]
