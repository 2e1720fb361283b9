"""Applications sent through the public form, and guardians' consent requests by link."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.clock import utcnow
from polare.extensions import db, str_enum
from polare.roster.models import Enrolment, Guardian


class Application(db.Model):
    """What a youth sent through the public form; it belongs to an applicant enrolment.

    The person record is never changed by the form when the personnummer was already
    registered, so the details as typed are kept here for the coordinator to compare (the
    phone numbers as the roster stores them, in E.164).
    """

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_enrolment_seen", "enrolment_id", "seen_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    school: Mapped[str] = mapped_column(String(120), default="")
    #: The guardian the applicant named (under 18), as the roster checks it; '' otherwise.
    guardian_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    guardian_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    guardian_email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The applicant's few lines on why they apply.
    motivation: Mapped[str] = mapped_column(Text, default="")
    #: Version of the privacy notice the applicant confirmed having read.
    privacy_notice_version: Mapped[str] = mapped_column(String(20))
    #: When a coordinator first opened it; until then it is a *ny ansökan*.
    seen_at: Mapped[datetime | None]
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment] = relationship()


class ConsentRequestStatus(enum.StrEnum):
    SENT = "sent"
    OPENED = "opened"
    CONSENTED = "consented"
    WITHDRAWN = "withdrawn"


class ConsentRequest(db.Model):
    """A single-use link that lets a guardian consent to an enrolment, and later withdraw.

    Only the SHA-256 of the link's random token is stored: the link itself is in the e-mail
    (or shown once to the coordinator). Sending again replaces the token and the expiry.
    """

    __tablename__ = "consent_requests"
    __table_args__ = (Index("ix_consent_requests_enrolment", "enrolment_id", "guardian_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    guardian_id: Mapped[int] = mapped_column(
        ForeignKey("guardians.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[ConsentRequestStatus] = mapped_column(
        str_enum(ConsentRequestStatus, 20), default=ConsentRequestStatus.SENT
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None when the application form asked for it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The link can give consent until then (withdrawing has no end).
    expires_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    consented_at: Mapped[datetime | None]
    consent_address: Mapped[str] = mapped_column(String(45), default="")
    #: Which consent text the guardian was shown, e.g. 'samtycke-1/sv/22:00'.
    text_version: Mapped[str] = mapped_column(String(40), default="")
    withdrawn_at: Mapped[datetime | None]
    withdrawn_address: Mapped[str] = mapped_column(String(45), default="")
    #: Last time the e-mail went out; None while it has not (no mail server, or a failure).
    mailed_at: Mapped[datetime | None]
    #: Why the last attempt to e-mail the link failed ('' when it did not).
    mail_error: Mapped[str] = mapped_column(String(200), default="")

    enrolment: Mapped[Enrolment] = relationship()
    guardian: Mapped[Guardian] = relationship()

    def is_expired(self, now: datetime) -> bool:
        """Tell whether the link can no longer give consent (it was never used in time)."""
        return self.status in (ConsentRequestStatus.SENT, ConsentRequestStatus.OPENED) and (
            now >= self.expires_at)
