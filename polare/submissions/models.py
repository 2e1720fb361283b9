"""The keys of create forms already saved, with where their first submission led."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from polare.clock import utcnow
from polare.extensions import db


class SubmissionKey(db.Model):
    """A create form's one-time key, stored in the transaction that created its record."""

    __tablename__ = "submission_keys"

    #: The key rendered into the form (uuid4 hex); the primary key refuses a second use.
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: Where the first submission redirected; a repeated submission goes there too.
    target_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
