"""Guardian consent by link: issue, open, consent, withdraw (SPEC §3).

A link carries a random token; only its SHA-256 is stored. It can give consent once, within
LINK_VALID of being sent; after that it shows the consent and can withdraw it, which has no
time limit. Consent given by link is written onto the enrolment as paper consent is (with no
registering user), so activation accepts either; a withdrawal removes it again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from polare.audit.services import changes_between, record, snapshot
from polare.errors import DomainError
from polare.recruitment.actors import GUARDIAN_LINK
from polare.recruitment.models import ConsentRequest, ConsentRequestStatus
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian
from polare.roster.services.enrolments import ENROLMENT_FIELDS

#: How long a link can give consent after it was sent.
LINK_VALID = timedelta(days=14)
#: Version of the consent text; change it when the text on the guardian's page changes.
CONSENT_TEXT_VERSION = "samtycke-1"
CLOSED_STATUSES = (EnrolmentStatus.DECLINED, EnrolmentStatus.ENDED)
PENDING = (ConsentRequestStatus.SENT, ConsentRequestStatus.OPENED)

#: What the coordinator sees for each state of a request.
STATE_LABELS = {
    "sent": _l("skickad"),
    "opened": _l("öppnad"),
    "consented": _l("samtycke"),
    "withdrawn": _l("återkallad"),
    "expired": _l("utgången"),
}


class LinkUnusableError(DomainError):
    """The link cannot do what was asked (expired, used, withdrawn, or the enrolment closed)."""


def token_hash(token: str) -> str:
    """Return the stored form of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def state_of(request: ConsentRequest, now: datetime) -> str:
    """Return the request's state as shown: sent, opened, consented, withdrawn or expired."""
    return "expired" if request.is_expired(now) else request.status.value


def text_version(language: str, minor_latest_end: str) -> str:
    """Return the version of the consent text in a language with the latest end time shown."""
    return f"{CONSENT_TEXT_VERSION}/{language}/{minor_latest_end}"


def requests_of(session: Session, enrolment_id: int) -> list[ConsentRequest]:
    """Return the enrolment's consent requests, newest first."""
    return list(session.scalars(
        select(ConsentRequest).where(ConsentRequest.enrolment_id == enrolment_id)
        .options(joinedload(ConsentRequest.guardian))
        .order_by(ConsentRequest.created_at.desc(), ConsentRequest.id.desc())))


def _audit(session: Session, actor: object, request: ConsentRequest, note: str) -> None:
    record(session, actor, "consent_link", "enrolment", request.enrolment_id, note=note,
           persons=[request.enrolment.person_id])


def _live_request(session: Session, enrolment: Enrolment,
                  guardian: Guardian) -> ConsentRequest | None:
    """Return the guardian's pending or consented request for the enrolment, if any."""
    return session.scalars(select(ConsentRequest).where(
        ConsentRequest.enrolment_id == enrolment.id, ConsentRequest.guardian_id == guardian.id,
        ConsentRequest.status.in_((*PENDING, ConsentRequestStatus.CONSENTED)))).first()


def refusal_to_issue(session: Session, enrolment: Enrolment,
                     guardian_id: int) -> DomainError | None:
    """Return why no link can be issued to the guardian for the enrolment, or None."""
    guardian = session.get(Guardian, guardian_id)
    if guardian is None or guardian.person_id != enrolment.person_id:
        return DomainError("recruitment.choose_guardian", field="guardian_id")
    if not guardian.email:
        return DomainError("recruitment.guardian_without_email", field="guardian_id",
                           name=guardian.name)
    if enrolment.status in CLOSED_STATUSES:
        return DomainError("recruitment.enrolment_closed")
    request = _live_request(session, enrolment, guardian)
    if request is not None and request.status == ConsentRequestStatus.CONSENTED:
        return DomainError("recruitment.guardian_consented", name=guardian.name)
    return None


def issue_link(session: Session, actor: object, enrolment: Enrolment, guardian_id: int, *,
               now: datetime) -> tuple[ConsentRequest, str]:
    """Create a consent link for one of the person's guardians, or renew an unused one.

    Return the request and the token, which is stored only as its hash: the caller sends it.
    Refuse what `refusal_to_issue` names.
    """
    refusal = refusal_to_issue(session, enrolment, guardian_id)
    if refusal is not None:
        raise refusal
    guardian = session.get(Guardian, guardian_id)
    request = _live_request(session, enrolment, guardian)
    renewed = request is not None
    if request is None:
        request = ConsentRequest(enrolment_id=enrolment.id, guardian_id=guardian.id,
                                 created_at=now, created_by_id=getattr(actor, "id", None))
        session.add(request)
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    request.status = ConsentRequestStatus.SENT
    request.expires_at = now + LINK_VALID
    request.mailed_at, request.mail_error = None, ""
    session.flush()
    _audit(session, actor, request,
           f"Samtyckeslänk {'förnyad' if renewed else 'skapad'} för {guardian.name} "
           f"<{guardian.email}>, giltig till {request.expires_at:%Y-%m-%d %H:%M} UTC")
    return request, token


def request_by_token(session: Session, token: str) -> ConsentRequest | None:
    """Return the request the link's token belongs to, if any."""
    if not token or len(token) > 100:
        return None
    return session.scalars(
        select(ConsentRequest).where(ConsentRequest.token_hash == token_hash(token))
        .options(joinedload(ConsentRequest.enrolment).joinedload(Enrolment.person),
                 joinedload(ConsentRequest.guardian))).first()


def note_opened(session: Session, request: ConsentRequest, *, now: datetime) -> bool:
    """Record the first opening of a link that can still give consent; tell if it was new."""
    if request.status != ConsentRequestStatus.SENT or request.is_expired(now):
        return False
    request.status = ConsentRequestStatus.OPENED
    request.opened_at = now
    session.flush()
    _audit(session, GUARDIAN_LINK, request, f"Samtyckeslänken öppnad av {request.guardian.name}")
    return True


def issue_link_if_due(session: Session, actor: object, enrolment: Enrolment, guardian_id: int,
                      *, now: datetime) -> tuple[ConsentRequest, str] | None:
    """Issue a link as `issue_link` does, or return None when none is due (never a refusal).

    A link is not due when that guardian already consented, still has one waiting to be used
    (an application sent twice must not make the first e-mail's link useless), or the
    enrolment is closed.
    """
    if refusal_to_issue(session, enrolment, guardian_id) is not None:
        return None
    waiting = _live_request(session, enrolment, session.get(Guardian, guardian_id))
    if waiting is not None and waiting.status in PENDING and not waiting.is_expired(now):
        return None
    return issue_link(session, actor, enrolment, guardian_id, now=now)


def refusal_to_give(request: ConsentRequest, now: datetime) -> LinkUnusableError | None:
    """Return why the link cannot give consent now (used, withdrawn, expired, closed), or None."""
    if request.status == ConsentRequestStatus.CONSENTED:
        return LinkUnusableError("recruitment.link_used")
    if request.status == ConsentRequestStatus.WITHDRAWN:
        return LinkUnusableError("recruitment.link_withdrawn")
    if request.is_expired(now):
        return LinkUnusableError("recruitment.link_expired")
    if request.enrolment.status in CLOSED_STATUSES:
        return LinkUnusableError("recruitment.consent_not_needed")
    return None


def refusal_to_withdraw(request: ConsentRequest) -> LinkUnusableError | None:
    """Return why the link cannot withdraw a consent (none was given by it), or None."""
    if request.status != ConsentRequestStatus.CONSENTED:
        return LinkUnusableError("recruitment.nothing_to_withdraw")
    return None


def give_consent(session: Session, request: ConsentRequest, *, now: datetime, today: date,
                 address: str, shown_version: str) -> ConsentRequest:
    """Record the guardian's consent through the link (once), and on the enrolment."""
    refusal = refusal_to_give(request, now)
    if refusal is not None:
        raise refusal
    request.status = ConsentRequestStatus.CONSENTED
    request.consented_at = now
    request.consent_address = address[:45]
    request.text_version = shown_version[:40]
    enrolment = request.enrolment
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    if enrolment.consent_date is None:
        enrolment.consent_date = today
        enrolment.consent_guardian_id = request.guardian_id
        enrolment.consent_registered_by_id = None
        enrolment.consent_registered_at = now
    session.flush()
    record(session, GUARDIAN_LINK, "consent", "enrolment", enrolment.id,
           changes=changes_between(before, snapshot(enrolment, ENROLMENT_FIELDS)),
           note=f"Samtycke via e-postlänk från {request.guardian.name} "
                f"(text {request.text_version})", persons=[enrolment.person_id])
    return request


def withdraw_consent(session: Session, request: ConsentRequest, *, now: datetime,
                     address: str) -> ConsentRequest:
    """Withdraw the consent given through the link; the enrolment's consent goes with it."""
    refusal = refusal_to_withdraw(request)
    if refusal is not None:
        raise refusal
    request.status = ConsentRequestStatus.WITHDRAWN
    request.withdrawn_at = now
    request.withdrawn_address = address[:45]
    enrolment = request.enrolment
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    enrolment.consent_date = None
    enrolment.consent_guardian_id = None
    enrolment.consent_registered_by_id = None
    enrolment.consent_registered_at = None
    session.flush()
    active = " Anmälan är aktiv." if enrolment.status == EnrolmentStatus.ACTIVE else ""
    record(session, GUARDIAN_LINK, "consent_withdrawn", "enrolment", enrolment.id,
           changes=changes_between(before, snapshot(enrolment, ENROLMENT_FIELDS)),
           note=f"Samtycke återkallat via e-postlänk av {request.guardian.name}.{active}",
           persons=[enrolment.person_id])
    return request


def note_mail_result(session: Session, actor: object, request: ConsentRequest, error: str, *,
                     now: datetime) -> None:
    """Record whether the link's e-mail went out ('' = sent) on the request."""
    if error:
        request.mail_error = error[:200]
        _audit(session, actor, request, f"E-post med samtyckeslänk misslyckades: {error[:150]}")
    else:
        request.mailed_at, request.mail_error = now, ""
        _audit(session, actor, request, f"E-post med samtyckeslänk skickad till "
                                        f"{request.guardian.email}")
    session.flush()

