"""The coordinator's side: an enrolment's applications and its guardians' consent links."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from polare import clock
from polare.auth.access import roles
from polare.auth.models import Role
from polare.extensions import db
from polare.recruitment import bp
from polare.recruitment.applications import applications_of, mark_seen
from polare.recruitment.consent import (
    STATE_LABELS,
    issue_link,
    refusal_to_issue,
    requests_of,
    state_of,
)
from polare.recruitment.delivery import Delivery, deliver_link
from polare.recruitment.forms import SendLinkForm
from polare.recruitment.mail import mail_configured
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian
from polare.roster.scope import enrolment_or_404

EDITORS = (Role.COORDINATOR,)


def _render(enrolment: Enrolment, *, delivery: Delivery | None = None, status: int = 200):
    now = clock.utcnow()
    consent_requests = requests_of(db.session, enrolment.id)
    return render_template(
        "recruitment/application.html", enrolment=enrolment, person=enrolment.person,
        applications=applications_of(db.session, enrolment.id),
        consent_requests=[(r, state_of(r, now)) for r in consent_requests],
        state_labels=STATE_LABELS, send_form=SendLinkForm(formdata=None), delivery=delivery,
        mail_configured=mail_configured(),
        may_send=enrolment.status not in (EnrolmentStatus.DECLINED, EnrolmentStatus.ENDED),
    ), status


@bp.route("/roster/enrolments/<id:enrolment_id>/application")
@roles(*EDITORS)
def application(enrolment_id: int):
    enrolment = enrolment_or_404(db.session, current_user, enrolment_id)
    applications = applications_of(db.session, enrolment.id)
    if any(a.seen_at is None for a in applications):
        mark_seen(db.session, current_user, applications, clock.utcnow())
    return _render(enrolment)


@bp.route("/roster/enrolments/<id:enrolment_id>/consent-link", methods=["POST"])
@roles(*EDITORS)
def send_consent_link(enrolment_id: int):
    enrolment = enrolment_or_404(db.session, current_user, enrolment_id)
    form = SendLinkForm()
    if not form.validate_on_submit():
        return _render(enrolment, status=400)
    guardian = db.session.get(Guardian, int(form.guardian_id.data))
    if guardian is None or guardian.person_id != enrolment.person_id:
        abort(404)
    refusal = refusal_to_issue(db.session, enrolment, guardian.id)
    if refusal is not None:
        flash(refusal.message, "danger")
        return _render(enrolment, status=422)
    consent_request, token = issue_link(db.session, current_user, enrolment, guardian.id,
                                        now=clock.utcnow())
    delivery = deliver_link(consent_request, token, current_user)
    if delivery.mailed:
        flash(_("Samtyckeslänken är skickad till %(email)s.",
                email=consent_request.guardian.email), "success")
    elif delivery.error:
        flash(_("E-posten kunde inte skickas (%(error)s). Begäran är sparad: försök igen, "
                "eller skicka länken nedan själv.", error=delivery.error), "danger")
    return _render(enrolment, delivery=delivery)
