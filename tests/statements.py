"""Count the SQL statements the app sends, as the issue 23 targets count them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from polare.extensions import db as flask_db

#: Most statements a page may send per request (issue 23).
MOST_PER_PAGE = 20


@contextmanager
def counted_statements() -> Iterator[list[tuple[str, Any]]]:
    """Collect (statement, parameters) of each statement sent on the app's engine in the
    block.

    As the benchmark counts them: a request's start counts (its BEGIN, in a test a SAVEPOINT
    of the test's transaction), its end does not (COMMIT, in a test RELEASE SAVEPOINT).
    """
    sent: list[tuple[str, Any]] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith("RELEASE SAVEPOINT"):
            sent.append((statement, parameters))

    event.listen(flask_db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(flask_db.engine, "before_cursor_execute", count)


def page_statements(client: Any, url: str) -> list[str]:
    """Fetch the page (status 200) and return the statements it sent."""
    with counted_statements() as sent:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [statement for statement, _parameters in sent]
