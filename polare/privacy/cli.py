"""`flask gdpr purge [--dry-run]` and `flask backup OUT`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from polare.clock import local_today
from polare.extensions import db
from polare.privacy import bp, retention
from polare.privacy.backup import backup_sqlite, pg_dump_command, sqlite_database_path
from polare.transactions import command_unit_of_work, refusal_ends_command

gdpr_cli = AppGroup("gdpr", help="Data protection: retention (gallring).")


def echo_plan(plan: retention.PurgePlan) -> None:
    """Print what a purge would change."""
    click.echo(f"Gallring per {plan.on.isoformat()}: lagringstid {plan.retention_months} "
               f"månader, inskrivningar avslutade före {plan.cutoff.isoformat()}.")
    click.echo(f"Gallringsbeslut: {plan.decision_ref}" if plan.decision_ref
               else "Gallringsbeslut: SAKNAS (ange diarienumret under Administration → "
                    "Inställningar innan gallring).")
    click.echo(f"Personer att anonymisera: {len(plan.persons)}")
    for due in plan.persons:
        counted = (f"sista inskrivning avslutad {due.last_closed.isoformat()}" if due.last_closed
                   else f"ingen inskrivning, registrerad {due.counted_from.isoformat()}")
        click.echo(f"  #{due.person_id}  {due.name} (född {due.birth_year}; {counted})")
    click.echo(f"Personer vars lönerader ska anonymiseras (sista utbetalning "
               f"{plan.latest_purgeable_payment_year} eller tidigare): {len(plan.pay_lines)}")
    for lines in plan.pay_lines:
        click.echo(f"  #{lines.person_id}  {lines.name} (sista utbetalning "
                   f"{lines.last_payment_year}, lönerader: {lines.line_count})")


@gdpr_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be anonymised; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Anonymise polare past the retention time, under the deletion decision in settings."""
    today = local_today()
    plan = retention.plan_purge(db.session, on=today)
    echo_plan(plan)
    if dry_run:
        click.echo("Torrkörning: ingenting ändrades.")
        return
    with command_unit_of_work():
        result = retention.run_purge(db.session, None, on=today, expected_token=plan.token)
    overwritten = retention.overwrite_purged_data(
        db.engine, wait_ms=current_app.config["POLARE_CHECKPOINT_WAIT_MS"])
    if not overwritten.complete:
        click.echo("Varning: databasfilen kunde inte skrivas över helt nu "
                   f"({overwritten.detail}). Kör kommandot igen när ingen använder Polare.",
                   err=True)
    click.echo(f"Klart enligt gallringsbeslut {result.decision_ref}: {result.persons} personer "
               f"anonymiserade, {result.pay_lines} lönerader ({result.pay_line_persons} personer) "
               f"anonymiserade, {result.audit_entries_redacted} loggposter rensade.")


@bp.cli.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Copy the SQLite database consistently to OUT while the app runs (PostgreSQL: pg_dump)."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        click.echo("Databasen är PostgreSQL. Säkerhetskopiera den med pg_dump, till exempel:\n\n"
                   f"  {pg_dump_command(url, str(out))}\n\n"
                   "Lösenordet läses från PGPASSWORD eller ~/.pgpass. "
                   "Se README, avsnittet om säkerhetskopior.", err=True)
        raise SystemExit(1)
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(f"Säkerhetskopiering av {url.get_backend_name()} stöds inte.")
    with refusal_ends_command():
        info = backup_sqlite(sqlite_database_path(url), out)
    click.echo(f"Säkerhetskopia klar: {info.path} ({info.tables} tabeller, "
               f"{info.size_bytes / 1_000_000:.1f} MB). Filen innehåller personuppgifter: "
               "förvara den skyddat.")


bp.cli.add_command(gdpr_cli)
