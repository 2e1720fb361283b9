"""`flask import KIND FILE --as USERNAME`: the same import as the upload page."""

from __future__ import annotations

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
from polare.imports.runner import apply_import, read_import


@bp.cli.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True,
              help="Användaren som importerar; importen följer användarens roll och team.")
def import_command(kind: str, file: Path, username: str) -> None:
    """Import FILE (.xlsx or .csv) of KIND; nothing is imported if any row is wrong."""
    try:
        read = read_import(kind, file.name, file.read_bytes())  # before the write lock
        actor = db.session.scalar(select(User).where(User.username == username))
        if actor is None or not actor.active:
            raise click.ClickException(f"Det finns ingen aktiv användare {username}.")
        result = apply_import(db.session, actor, read, today=local_today(), now=local_now())
    except (ImportFileError, DomainError) as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    if not result.ok:
        db.session.rollback()
        click.echo(result.failure(), err=True)
        for error in result.sorted_errors():
            click.echo(f"Rad {error.row}, {error.column or '-'}: {error.reason}", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"{file.name}: {result.summary()}")
    for note in result.notes:
        click.echo(note)
