"""Sending a consent link after the commit: by e-mail when a server is set, else by hand.

An e-mail cannot be taken back, so the request's changes (the link itself) are committed before
it is sent: a link never reaches a guardian unless it is stored. The outcome is then committed
in a unit of work of its own; a failed e-mail loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from polare import clock
from polare.extensions import db
from polare.recruitment.consent import note_mail_result
from polare.recruitment.mail import mail_configured, send_consent_link
from polare.recruitment.models import ConsentRequest
from polare.transactions import unit_of_work


@dataclass(frozen=True)
class Delivery:
    """How a link went out: `link` is shown to the coordinator when it was not e-mailed."""

    link: str
    mailed: bool
    #: Why the e-mail failed ('' when it was sent or no server is set).
    error: str = ""


def consent_link(token: str) -> str:
    """Return the full address of a consent link."""
    return url_for("recruitment.consent", token=token, _external=True)


def deliver_link(request: ConsentRequest, token: str, actor: object) -> Delivery:
    """Commit the request's link, e-mail it and record the outcome; a failure loses nothing."""
    db.session.commit()
    link = consent_link(token)
    if not mail_configured():
        return Delivery(link=link, mailed=False)
    error = send_consent_link(request, link)
    with unit_of_work(db.session):
        note_mail_result(db.session, actor, request, error, now=clock.utcnow())
    return Delivery(link=link, mailed=not error, error=error)
