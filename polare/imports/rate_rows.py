"""Import kind `arvodestabell`: stipend rate tables, one version per distinct Giltig från.

Each version is saved through the payroll service, which refuses bands that overlap or leave
an eligible age or year uncovered. A version already in Polare from the same date must have
exactly the file's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import payroll
from exports import Row, parse_date
from polare.errors import DomainError
from polare.imports.cells import Cells, Column, amount, text_parser, whole_number
from polare.imports.context import ImportContext, RowState, Tally
from polare.imports.report import RowProblem, blame
from polare.pay.models import RateVersion
from polare.pay.services import decide_rate_version, save_rate_version

COLUMNS = (
    Column("Giltig från", _l("Datum tabellen gäller från (ÅÅÅÅ-MM-DD). Alla rader med samma "
                             "datum är en tabellversion.")),
    Column("Ålder från", _l("Lägsta ålder i raden (hela år).")),
    Column("Ålder till", _l("Högsta ålder i raden; tomt = ingen övre gräns.")),
    Column("År från", _l("Lägsta antal år i verksamheten, från 1.")),
    Column("År till", _l("Högsta antal år i verksamheten; tomt = ingen övre gräns.")),
    Column("Belopp", _l("Arvode per nattvandring i kronor, t.ex. 250 eller 262,50.")),
    Column("Beslut", _l("Beslutets diarienummer eller referens; samma på varje rad i "
                        "versionen. Valfri kolumn: utan beslut kan ingen period som använder "
                        "versionen stängas."), optional=True),
    Column("Beslutsdatum", _l("Beslutets datum (ÅÅÅÅ-MM-DD), ifyllt tillsammans med Beslut. "
                              "Valfri kolumn."), optional=True),
)
HEADERS = tuple(column.name for column in COLUMNS)


@dataclass(frozen=True)
class RateRowValues:
    """One row of the file, parsed."""

    number: int
    effective_from: date
    band: payroll.RateBand
    #: (reference, date) of the decision, or None when the row gives none.
    decision: tuple[str, date] | None = None


def import_rates(ctx: ImportContext, rows: Sequence[Row]) -> None:
    """Check every row, then save one version per date whose rows are all good."""
    versions: dict[date, list[RateRowValues]] = {}
    bad_dates: set[date] = set()
    for row in rows:
        cells = Cells(row)
        effective_from = cells.get("Giltig från", parse_date)
        parsed = _parse(cells, effective_from)
        if parsed is None:
            ctx.result.add_problem([row.number], RowProblem(cells.problems))
            if effective_from is not None:
                bad_dates.add(effective_from)
            continue
        versions.setdefault(parsed.effective_from, []).append(parsed)
    for effective_from, version_rows in versions.items():
        decisions = {row.decision for row in version_rows}
        if len(decisions) > 1:
            ctx.result.add_problem([version_rows[0].number], RowProblem.one("Beslut", DomainError(
                "imports.decisions_differ", day=effective_from.isoformat())))
        elif effective_from not in bad_dates:
            _import_version(ctx, effective_from, version_rows)


def _parse(cells: Cells, effective_from: date | None) -> RateRowValues | None:
    """Return the row's values, or None (the problems are in `cells`) when one is bad."""
    age_from = cells.get("Ålder från", whole_number)
    age_to = cells.get("Ålder till", whole_number, required=False)
    years_from = cells.get("År från", whole_number)
    years_to = cells.get("År till", whole_number, required=False)
    money = cells.get("Belopp", amount)
    decision = _decision(cells)
    if (effective_from is None or age_from is None or years_from is None or money is None
            or cells.problems):
        return None
    return RateRowValues(cells.number, effective_from,
                         payroll.RateBand(age_from, age_to, years_from, years_to, money),
                         decision)


def _decision(cells: Cells) -> tuple[str, date] | None:
    """Return the row's decision (Beslut, Beslutsdatum): both cells or neither."""
    reference = cells.get("Beslut", text_parser("Beslut", 120), required=False)
    decided_on = cells.get("Beslutsdatum", parse_date, required=False)
    if reference and decided_on is not None:
        return reference, decided_on
    if reference:
        cells.refuse("Beslutsdatum", DomainError("imports.decision_date_missing"))
    elif decided_on is not None:
        cells.refuse("Beslut", DomainError("imports.decision_reference_missing"))
    return None


def _import_version(ctx: ImportContext, effective_from: date,
                    rows: list[RateRowValues]) -> None:
    """Save the version, or find that Polare already has exactly it."""
    first = rows[0].number
    where = _("Tabellen från %(day)s (rad %(first)s–%(last)s)", day=effective_from.isoformat(),
              first=first, last=rows[-1].number)
    existing = ctx.session.scalar(select(RateVersion).options(selectinload(RateVersion.rows))
                                  .where(RateVersion.effective_from == effective_from))
    if existing is not None:
        same = _band_set(existing) == {_key(row.band) for row in rows}
        if same and len(existing.rows) == len(rows):
            decision = rows[0].decision
            if decision is None or existing.decided:
                ctx.count(len(rows), Tally(RowState.EXISTING))
                return
            tally = ctx.attempt([first], lambda: _decide(ctx, existing, decision))
            if tally is not None:
                ctx.count(len(rows), tally)
        else:
            ctx.result.add_problem([first], RowProblem.one("Giltig från", DomainError(
                "imports.version_exists_differently", where=where)))
        return
    tally = ctx.attempt([first], lambda: _save(ctx, effective_from, rows, where))
    if tally is not None:
        ctx.count(len(rows), tally)


def _save(ctx: ImportContext, effective_from: date, rows: list[RateRowValues],
          where: str) -> Tally:
    """Save the version through the payroll service."""
    try:
        with blame("Giltig från", {"rows": "Ålder från", "effective_from": "Giltig från",
                                   "reference": "Beslut"}):
            version = save_rate_version(
                ctx.session, ctx.actor, None, effective_from=effective_from, label="",
                note=_("Importerad från %(file)s.", file=ctx.result.logged_filename),
                bands=[row.band for row in rows])
            if rows[0].decision is not None:
                reference, decided_on = rows[0].decision
                decide_rate_version(ctx.session, ctx.actor, version.id, reference=reference,
                                    decided_on=decided_on)
    except RowProblem as problem:
        raise RowProblem([(column, f"{where}: {reason}")
                          for column, reason in problem.problems]) from problem
    tally = Tally()
    tally.add("rate_version")
    return tally


def _decide(ctx: ImportContext, version: RateVersion, decision: tuple[str, date]) -> Tally:
    """Record the file's decision for a version Polare already has without one."""
    reference, decided_on = decision
    with blame("Beslut", {"reference": "Beslut"}):
        decide_rate_version(ctx.session, ctx.actor, version.id, reference=reference,
                            decided_on=decided_on)
    return Tally(RowState.CHANGED)


def _key(band: payroll.RateBand) -> tuple[int, int | None, int, int | None, Decimal]:
    """Return what makes two bands the same."""
    return (band.age_from, band.age_to, band.years_from, band.years_to,
            payroll.to_money(band.amount))


def _band_set(version: RateVersion) -> set[tuple[int, int | None, int, int | None, Decimal]]:
    """Return the stored version's bands as comparable keys."""
    return {(row.age_from, row.age_to, row.years_from, row.years_to,
             payroll.to_money(row.amount)) for row in version.rows}
