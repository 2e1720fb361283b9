"""Enrolment actions: activate, waitlist, decline, end, register guardian consent."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from polare import clock
from polare.auth.access import roles
from polare.extensions import db
from polare.recruitment.flags import enrolment_summary
from polare.roster import bp
from polare.roster.forms import STATUS_LABELS, ActivateForm, ConfirmForm, ConsentForm, EndForm
from polare.roster.models import ENROLMENT_TRANSITIONS, Enrolment, EnrolmentStatus
from polare.roster.roles import EDITORS
from polare.roster.scope import enrolment_or_404
from polare.roster.services import (
    CapReachedError,
    activate_enrolment,
    age_on,
    decline_enrolment,
    end_enrolment,
    reference_day,
    register_consent,
    waitlist_enrolment,
)
from polare.roster.services.queries import ADULT_AGE
from polare.web import refusal_of, save_form, show_refusal


def _render(enrolment: Enrolment, *, status: int = 200, cap_error: str = "",
            activate_form: ActivateForm | None = None, end_form: EndForm | None = None,
            consent_form: ConsentForm | None = None):
    """Show the enrolment with the forms of the moves its status allows."""
    day = reference_day(enrolment.school_year, clock.local_today())
    if activate_form is None:
        activate_form = ActivateForm(formdata=None, data={"on": day})
    if end_form is None:
        end_form = EndForm(formdata=None, data={"on": day})
    if consent_form is None:
        consent_form = ConsentForm(formdata=None, data={
            "guardian_id": enrolment.consent_guardian_id,
            "consent_date": enrolment.consent_date})
    consent_form.guardian_id.choices = [(g.id, f"{g.name} ({g.relation})" if g.relation
                                         else g.name) for g in enrolment.person.guardians]
    person = enrolment.person
    return render_template(
        "roster/enrolment.html", enrolment=enrolment, person=person,
        allowed=ENROLMENT_TRANSITIONS[enrolment.status], statuses=EnrolmentStatus,
        status_labels=STATUS_LABELS, age=age_on(person.birth_date, max(day, person.birth_date)),
        is_minor=age_on(person.birth_date, max(day, person.birth_date)) < ADULT_AGE,
        activate_form=activate_form, end_form=end_form, consent_form=consent_form,
        confirm_form=ConfirmForm(formdata=None), cap_error=cap_error,
        may_consent=enrolment.status not in (EnrolmentStatus.DECLINED, EnrolmentStatus.ENDED),
        recruitment=enrolment_summary(db.session, enrolment),
    ), status


def _to_roster(enrolment: Enrolment):
    return redirect(url_for("roster.index", team=enrolment.team_id,
                            year=enrolment.school_year_id))


@bp.route("/enrolments/<id:enrolment_id>")
@roles(*EDITORS)
def enrolment_view(enrolment_id: int):
    return _render(enrolment_or_404(db.session, current_user, enrolment_id))


@bp.route("/enrolments/<id:enrolment_id>/activate", methods=["POST"])
@roles(*EDITORS)
def enrolment_activate(enrolment_id: int):
    enrolment = enrolment_or_404(db.session, current_user, enrolment_id)
    form = ActivateForm()
    if not form.validate_on_submit():
        return _render(enrolment, activate_form=form, status=422)
    refusal = refusal_of(lambda: activate_enrolment(db.session, current_user, enrolment.id,
                                                    on=form.on.data))
    if isinstance(refusal, CapReachedError):
        return _render(enrolment, activate_form=form, cap_error=refusal.message, status=422)
    if refusal is not None:
        show_refusal(form, refusal)
        return _render(enrolment, activate_form=form, status=422)
    flash(_("%(name)s är aktiv från %(day)s.", name=enrolment.person.full_name,
            day=form.on.data.isoformat()), "success")
    return _to_roster(enrolment)


def _simple_move(enrolment_id: int, move: Callable[..., Enrolment],
                 message: Callable[[str], str]):
    """Run a move that needs nothing but a confirmation, then go back to the roster."""
    enrolment = enrolment_or_404(db.session, current_user, enrolment_id)
    if not ConfirmForm().validate_on_submit():
        return _render(enrolment, status=400)
    refusal = refusal_of(lambda: move(db.session, current_user, enrolment.id))
    if refusal is not None:
        flash(refusal.message, "danger")
        return _render(enrolment, status=422)
    flash(message(enrolment.person.full_name), "success")
    return _to_roster(enrolment)


@bp.route("/enrolments/<id:enrolment_id>/waitlist", methods=["POST"])
@roles(*EDITORS)
def enrolment_waitlist(enrolment_id: int):
    return _simple_move(enrolment_id, waitlist_enrolment,
                        lambda name: _("%(name)s står nu på väntelistan.", name=name))


@bp.route("/enrolments/<id:enrolment_id>/decline", methods=["POST"])
@roles(*EDITORS)
def enrolment_decline(enrolment_id: int):
    return _simple_move(enrolment_id, decline_enrolment,
                        lambda name: _("Anmälan för %(name)s är avböjd.", name=name))


@bp.route("/enrolments/<id:enrolment_id>/end", methods=["POST"])
@roles(*EDITORS)
def enrolment_end(enrolment_id: int):
    enrolment = enrolment_or_404(db.session, current_user, enrolment_id)
    form = EndForm()
    if not form.validate_on_submit():
        return _render(enrolment, end_form=form, status=422)
    name = enrolment.person.full_name
    done = save_form(
        form, lambda: end_enrolment(db.session, current_user, enrolment.id, on=form.on.data,
                                    reason=form.reason.data),
        _("Anmälan för %(name)s är avslutad från %(day)s; platsen är ledig.",
          name=name, day=form.on.data.isoformat()),
        url_for("roster.index", team=enrolment.team_id, year=enrolment.school_year_id))
    return done if done is not None else _render(enrolment, end_form=form, status=422)


@bp.route("/enrolments/<id:enrolment_id>/consent", methods=["POST"])
@roles(*EDITORS)
def enrolment_consent(enrolment_id: int):
    enrolment = enrolment_or_404(db.session, current_user, enrolment_id)
    form = ConsentForm()
    form.guardian_id.choices = [(g.id, g.name) for g in enrolment.person.guardians]
    if not form.validate_on_submit():
        return _render(enrolment, consent_form=form, status=422)
    done = save_form(
        form, lambda: register_consent(db.session, current_user, enrolment.id,
                                       guardian_id=form.guardian_id.data,
                                       consent_date=form.consent_date.data,
                                       today=clock.local_today()),
        _("Samtycket är registrerat."),
        url_for("roster.enrolment_view", enrolment_id=enrolment.id))
    return done if done is not None else _render(enrolment, consent_form=form, status=422)
