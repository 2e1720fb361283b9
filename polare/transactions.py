"""The unit of work: one transaction per request and per command.

A view calls services and returns; it never commits or rolls back. When the response is a
success (below 400) the request's changes are committed in one transaction; a refusal, an
error page or an exception rolls them all back. A request that changed nothing ends without a
commit, as a read should. What a refused request must keep all the same (the failure a refused
login counted, the audit entry of a personnummer shown on a refused page) is written after the
refusal and marked with `keep_on_refusal`. A `DomainError` that leaves a view becomes the
page's message here: 404 or 403 for what is unseen or not allowed, JSON for the phone's
queue and scripts, otherwise a flashed refusal and the way back to the page the user was on.
CLI commands and importers use `unit_of_work` for the same rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, flash, jsonify, redirect, request
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine, ExecutionContext
from sqlalchemy.orm import Session, scoped_session
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.extensions import db


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block did; roll it all back if the block raises."""
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


#: Set in a session's `info` when it has written something since the request began.
_WROTE = "polare_request_wrote"
#: Set in a session's `info` when what it wrote is kept even if the request is refused.
_KEEP = "polare_keep_on_refusal"


def _note_write(session: Session, _flush_context: object) -> None:
    session.info[_WROTE] = True


def _note_statement_write(connection: Connection, _cursor: object, _statement: str,
                          _parameters: object, context: ExecutionContext | None,
                          _executemany: bool) -> None:
    """Note a write that bypassed the ORM's flush (a bulk insert, a Core update)."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        connection.info[_WROTE] = True


def _forget_statement_writes(connection: Connection) -> None:
    connection.info.pop(_WROTE, None)


def _take_statement_writes(session: Session) -> bool:
    """Tell whether the session's transaction wrote with statements outside a flush, and
    forget it (the next request starts counting afresh)."""
    actual = session() if isinstance(session, scoped_session) else session
    return actual.in_transaction() and bool(actual.connection().info.pop(_WROTE, False))


def keep_on_refusal(session: Session) -> None:
    """Commit what the session wrote, after the refusal, even though the answer is 4xx."""
    session.info[_KEEP] = True


def start_request() -> None:
    """Begin counting writes here: what came before (a test's fixtures) is not the request's."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        session.flush()
    session.info.pop(_WROTE, None)
    session.info.pop(_KEEP, None)
    _take_statement_writes(session)


@contextmanager
def refusal_ends_command() -> Iterator[None]:
    """End a CLI command with a refusal's text as one line (exit code 1)."""
    try:
        yield
    except DomainError as error:
        raise click.ClickException(error.message) from error


@contextmanager
def command_unit_of_work() -> Iterator[None]:
    """A CLI command's unit of work: commit at the end, or roll back and end with the refusal."""
    with refusal_ends_command(), unit_of_work(db.session):
        yield


def finish_request(response: Response) -> Response:
    """Commit a successful request's changes; roll back those of a refused or failed one."""
    session = db.session
    wrote = _take_statement_writes(session)
    wrote = session.info.pop(_WROTE, False) or wrote or bool(session.new or session.dirty
                                                             or session.deleted)
    keep = session.info.pop(_KEEP, False)
    if not wrote:
        return response
    if response.status_code < 400 or keep:
        session.commit()
    else:
        session.rollback()
    return response


def answer_refusal(error: DomainError) -> Response:
    """Turn a refusal that left a view into the page's answer; nothing it did is kept."""
    db.session.rollback()
    if isinstance(error, (NotFoundError, PermissionDeniedError)):
        page = NotFound() if isinstance(error, NotFoundError) else Forbidden()
        return current_app.make_response(current_app.handle_http_exception(page))
    if wants_json():
        return jsonify(status="refused", error=error.message,
                       field=error.field), 422
    flash(error.message, "danger")
    return redirect(_page_the_user_was_on())


def wants_json() -> bool:
    """Tell whether the caller (a script, the phone's queue) reads JSON rather than pages."""
    return request.accept_mimetypes.best == "application/json"


def _page_the_user_was_on() -> str:
    """The referring page of this site, else the address itself (GET shows it again)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return request.path


def init_unit_of_work(app: Flask) -> None:
    """Make each request one unit of work and answer refusals that leave a view."""
    if not event.contains(Session, "after_flush", _note_write):
        event.listen(Session, "after_flush", _note_write)
        event.listen(Engine, "after_cursor_execute", _note_statement_write)
        event.listen(Engine, "commit", _forget_statement_writes)
        event.listen(Engine, "rollback", _forget_statement_writes)
    app.before_request(start_request)
    app.after_request(finish_request)
    app.register_error_handler(DomainError, answer_refusal)
