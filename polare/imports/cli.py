"""`flask import KIND FILE --as USERNAME`: the same import as the upload page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import select

from exports import ImportFileError
from polare.auth.models import User
from polare.clock import local_now, local_today
from polare.errors import DomainError
from polare.extensions import db
from polare.imports import bp
from polare.imports.kinds import KINDS
from polare.imports.report import ImportResult
from polare.imports.runner import apply_import, keep_only_lookups, read_import
from polare.transactions import unit_of_work


@contextmanager
def _refusals_end_the_command() -> Iterator[None]:
    """End the command with a refusal of the file or of the import as one line."""
    try:
        yield
    except (ImportFileError, DomainError) as error:
        raise click.ClickException(error.message) from error


@bp.cli.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True,
              help="Användaren som importerar; importen följer användarens roll och team.")
def import_command(kind: str, file: Path, username: str) -> None:
    """Import FILE (.xlsx or .csv) of KIND; nothing is imported if any row is wrong."""
    with _refusals_end_the_command():
        read = read_import(kind, file.name, file.read_bytes())  # before the write lock
        with unit_of_work(db.session):
            actor = db.session.scalar(select(User).where(User.username == username))
            if actor is None or not actor.active:
                raise click.ClickException(f"Det finns ingen aktiv användare {username}.")
            result = apply_import(db.session, actor, read, today=local_today(), now=local_now())
            if not result.ok:
                keep_only_lookups(db.session, actor, result)
        if not result.ok:
            _report_refused(result)
            raise SystemExit(1)  # nothing is kept but the audit of the file's lookups
    click.echo(f"{file.name}: {result.summary()}")
    for note in result.notes:
        click.echo(note)


def _report_refused(result: ImportResult) -> None:
    """Print why the import was refused, and every row's problems, on standard error."""
    click.echo(result.failure(), err=True)
    for error in result.sorted_errors():
        click.echo(f"Rad {error.row}, {error.column or '-'}: {error.reason}", err=True)
