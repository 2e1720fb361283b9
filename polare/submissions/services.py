"""Claiming and finding one-time keys; keys older than KEEP_DAYS are pruned as new ones come."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from polare.clock import utcnow
from polare.submissions.models import SubmissionKey

#: How long a key is remembered: longer than any page stays open or a retry takes.
KEEP_DAYS = 7


def earlier_submission(session: Session, key: str) -> SubmissionKey | None:
    """Return the saved submission of `key`, if there is one."""
    return session.get(SubmissionKey, key, populate_existing=True)


def claim_key(session: Session, user_id: int, key: str) -> SubmissionKey | None:
    """Add the key in the current transaction; None if another transaction saved it first.

    The primary key makes the database refuse a concurrent duplicate: on PostgreSQL the second
    insert waits for the first transaction and fails when it commits (on SQLite, writers are
    serialised by BEGIN IMMEDIATE, so the duplicate is found before). After None the
    transaction is spoilt and the caller rolls back.
    """
    _prune(session)
    claimed = SubmissionKey(key=key, user_id=user_id)
    session.add(claimed)
    try:
        session.flush()
    except IntegrityError:
        return None
    return claimed


def _prune(session: Session) -> None:
    """Delete keys older than KEEP_DAYS; rows another transaction is deleting are skipped."""
    old = (select(SubmissionKey.key)
           .where(SubmissionKey.created_at < utcnow() - timedelta(days=KEEP_DAYS))
           .with_for_update(skip_locked=True))
    session.execute(delete(SubmissionKey).where(SubmissionKey.key.in_(old)),
                    execution_options={"synchronize_session": False})
