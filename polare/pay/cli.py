"""`flask payroll preview|close|attest|reopen|export` and `flask rates index|decide`.

A refusal is one line on standard error and exit status 1, never a traceback.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from payroll import format_sek
from polare.auth.models import Role, User
from polare.extensions import db
from polare.pay import bp, services
from polare.pay.forms import parse_amount
from polare.transactions import command_unit_of_work

payroll_group = AppGroup("payroll", help="Arvoden: förhandsgranska, stäng, attestera, öppna igen "
                                           "och exportera perioder.")
rates_group = AppGroup("rates", help="Arvodestabeller.")
bp.cli.add_command(payroll_group)
bp.cli.add_command(rates_group)

STATUS_LABELS = {"open": "öppen, PRELIMINÄR", "closed": "stängd, väntar på attest",
                 "attested": "attesterad"}


def _actor(username: str | None) -> User | None:
    """Return the user named by --as (payroll or admin), or None to record 'system'."""
    if username is None:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise click.ClickException(f"Det finns ingen aktiv användare {username}.")
    if user.role not in (Role.PAYROLL, Role.ADMIN):
        raise click.ClickException(f"{username} har inte rollen lön eller administratör.")
    return user


def _echo_totals(month: str, preview: services.PeriodPreview) -> None:
    click.echo(f"{month}: {len(preview.lines)} rader, {len(preview.summary.persons)} polare, "
               f"totalt {_money(preview.summary.total.amount)}.")


def _money(amount: Decimal) -> str:
    return format_sek(amount).replace("\u00a0", " ")


def _print_preview(preview: services.PeriodPreview) -> None:
    """Print a period's lines per person, the team totals and any errors."""
    status = ("utanför Polares lönehantering" if preview.outside
              else STATUS_LABELS[preview.status.value])
    click.echo(f"Period {preview.month} ({status})")
    for person in preview.summary.persons:
        flag = "  NEGATIV SUMMA" if person.negative else ""
        click.echo(f"\n{person.name} {person.personnummer}{flag}")
        for d in person.lines:
            line = d.line
            click.echo(
                f"  {line.walk_date}  {d.kind_label:<17} {line.team:<12} "
                f"ålder {line.age}, år {line.years}, {line.band_label}, "
                f"{d.version_name}: {_money(line.amount):>14}"
                + (f"  ({d.concerns})" if line.refers_to is not None else "")
            )
        click.echo(f"  {'Summa':<70}{_money(person.total):>14}")
    click.echo("\nTeam")
    for team in (*preview.summary.teams, preview.summary.total):
        click.echo(f"  {team.team:<14} {team.persons:>4} polare {team.occasions:>6} pass "
                   f"{_money(team.amount):>16}")
    for error in preview.errors:
        click.echo(f"FEL: {error}", err=True)


@payroll_group.command("preview")
@click.argument("month")
def preview_command(month: str) -> None:
    """Print the lines of MONTH (YYYY-MM) per person, and the totals."""
    with command_unit_of_work():
        preview = services.preview_period(db.session, month)
    _print_preview(preview)
    if preview.errors:
        raise SystemExit(1)


@payroll_group.command("close")
@click.argument("month")
@click.option("--as", "username", help="Användaren som stänger (lön eller admin); "
              "utan den registreras 'system'.")
@click.option("--yes", is_flag=True, help="Stäng utan att fråga.")
def close_command(month: str, username: str | None, yes: bool) -> None:
    """Close MONTH (YYYY-MM) for good: its lines are frozen."""
    actor = _actor(username)
    with command_unit_of_work():
        preview = services.preview_period(db.session, month)
        _echo_totals(month, preview)
        if preview.is_open and preview.close_refusal is None and not yes:
            click.confirm("Raderna låses och perioden väntar sedan på attest. Stäng perioden?",
                          abort=True)
        services.close_period(db.session, actor, month, expected_digest=preview.digest)
    click.echo(f"Perioden {month} är stängd och väntar på attest.")


@payroll_group.command("attest")
@click.argument("month")
@click.option("--as", "username", required=True,
              help="Användaren som attesterar: en annan än den som stängde, med attesträtt.")
@click.option("--yes", is_flag=True, help="Attestera utan att fråga.")
def attest_command(month: str, username: str, yes: bool) -> None:
    """Attest the closed MONTH (YYYY-MM): it becomes final."""
    actor = _actor(username)
    with command_unit_of_work():
        preview = services.preview_period(db.session, month)
        _echo_totals(month, preview)
        if not yes and services.attest_refusal(db.session, actor, month) is None:
            click.confirm("Attesten är slutgiltig. Attestera perioden?", abort=True)
        services.attest_period(db.session, actor, month)
    click.echo(f"Perioden {month} är attesterad.")


@payroll_group.command("reopen")
@click.argument("month")
@click.option("--as", "username", required=True,
              help="Användaren som öppnar: den som stängde, eller en attestant.")
@click.option("--reason", required=True, help="Varför perioden öppnas igen.")
def reopen_command(month: str, username: str, reason: str) -> None:
    """Reopen the closed MONTH (YYYY-MM) before it is attested: its lines are unfrozen."""
    actor = _actor(username)
    with command_unit_of_work():
        services.reopen_period(db.session, actor, month, reason)
    click.echo(f"Perioden {month} är öppen igen.")


@payroll_group.command("export")
@click.argument("month")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Filen som skrivs, t.ex. arvoden-2026-11.xlsx.")
@click.option("--as", "username", help="Användaren som exporterar; utan den 'system'.")
def export_command(month: str, out_path: str, username: str | None) -> None:
    """Write the payroll workbook of MONTH (YYYY-MM) to a file and record the export."""
    actor = _actor(username)
    target = Path(out_path)
    handle, temporary = tempfile.mkstemp(prefix=".arvoden-", suffix=".xlsx",
                                         dir=target.parent.resolve())
    try:
        with command_unit_of_work():
            with os.fdopen(handle, "w+b") as out:
                written = services.export_workbook(db.session, actor, month, out)
            os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    record = written.record
    click.echo(f"{target} ({written.filename}): {record.row_count} rader, "
               f"SHA-256 {record.sha256}")


@rates_group.command("index")
@click.option("--from", "effective_from", required=True,
              type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Datumet den nya versionen gäller från (ÅÅÅÅ-MM-DD).")
@click.option("--percent", required=True, help="Uppräkning i procent, t.ex. 2,5.")
@click.option("--label", default="", help="Benämning av den nya versionen.")
@click.option("--as", "username", help="Användaren som räknar upp; utan den 'system'.")
@click.option("--yes", is_flag=True, help="Spara utan att fråga.")
def index_command(effective_from: object, percent: str, label: str, username: str | None,
                  yes: bool) -> None:
    """Make a version from DATE: the one in force the day before, raised by PERCENT."""
    actor = _actor(username)
    day: date = effective_from.date()  # type: ignore[attr-defined]
    try:
        rate = parse_amount(percent)
    except ValueError as error:
        raise click.ClickException(f"Procenten {percent!r} är inget tal.") from error
    with command_unit_of_work():
        source = services.source_for_indexation(db.session, day)
        review = services.preview_indexation(db.session, source.id, rate, day, label)
        click.echo(f"{review.label}, gäller från {day}:")
        for old, new in review.rows:
            click.echo(f"  {old.label:<40} {_money(old.amount):>12} -> {_money(new.amount):>12}")
        if not yes:
            click.confirm("Spara den nya versionen?", abort=True)
        services.index_rates(db.session, actor, source.id, rate, day, label=label)
    click.echo("Den nya versionen är sparad.")


@rates_group.command("decide")
@click.argument("effective_from", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--reference", required=True, help="Beslutets diarienummer eller referens.")
@click.option("--date", "decided_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Beslutets datum (ÅÅÅÅ-MM-DD).")
@click.option("--as", "username", required=True, help="Användaren som registrerar beslutet.")
def decide_command(effective_from: object, reference: str, decided_on: object,
                   username: str) -> None:
    """Record the decision behind the version in force from EFFECTIVE_FROM (ÅÅÅÅ-MM-DD)."""
    actor = _actor(username)
    day: date = effective_from.date()  # type: ignore[attr-defined]
    with command_unit_of_work():
        version = services.version_by_date(db.session, day)
        services.decide_rate_version(db.session, actor, version.id, reference=reference,
                                     decided_on=decided_on.date())  # type: ignore[attr-defined]
    click.echo(f"Beslutet för tabellen från {day} är registrerat.")
