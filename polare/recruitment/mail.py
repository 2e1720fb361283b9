"""E-mail of consent links over SMTP (Flask-Mailman), sent after the request is committed."""

from __future__ import annotations

import smtplib

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_mailman import EmailMessage
from flask_mailman.backends.smtp import EmailBackend

from polare.extensions import mail
from polare.recruitment.models import ConsentRequest


def mail_configured() -> bool:
    """Tell whether a mail server is set (MAIL_SERVER); without one links go by hand."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _connection() -> EmailBackend:
    config = current_app.config
    return mail.get_connection(
        backend="smtp", host=config["MAIL_SERVER"], port=config["MAIL_PORT"],
        username=config.get("MAIL_USERNAME") or "", password=config.get("MAIL_PASSWORD") or "",
        use_tls=config.get("MAIL_USE_TLS", False), timeout=config.get("MAIL_TIMEOUT", 15))


def send_consent_link(request: ConsentRequest, link: str) -> str:
    """E-mail the link to the request's guardian; return '' when sent, else why it failed."""
    enrolment = request.enrolment
    body = render_template("recruitment/consent_mail.txt", request=request, link=link,
                           person=enrolment.person, team=enrolment.team,
                           year=enrolment.school_year)
    connection = _connection()
    message = EmailMessage(
        subject=_("Samtycke till polarverksamheten för %(name)s", name=enrolment.person.first_name),
        body=body, from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[request.guardian.email], connection=connection)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.warning("consent link e-mail failed: %s", error)
        return str(error) or error.__class__.__name__
    finally:
        _drop(connection)
    return ""


def _drop(connection: EmailBackend) -> None:
    """Close the socket of a connection a failure left open (a refused STARTTLS or login)."""
    if connection.connection is not None:
        connection.connection.close()
        connection.connection = None
