"""Public pages, no login: the application form (/ansok) and the guardian's consent link."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from polare import clock
from polare.auth.access import public
from polare.extensions import db, limiter
from polare.org.models import Team
from polare.org.services import get_settings
from polare.recruitment import bp
from polare.recruitment.actors import PUBLIC_FORM
from polare.recruitment.applications import (
    PRIVACY_NOTICE_VERSION,
    ApplicationInput,
    SubmittedApplication,
    application_school_year,
    open_teams,
    submit_application,
    team_by_slug,
    team_slug,
)
from polare.recruitment.consent import (
    give_consent,
    issue_link_if_due,
    note_opened,
    refusal_to_give,
    refusal_to_withdraw,
    request_by_token,
    state_of,
    text_version,
    withdraw_consent,
)
from polare.recruitment.delivery import deliver_link
from polare.recruitment.forms import ApplicationForm, GiveConsentForm, WithdrawConsentForm
from polare.recruitment.mail import mail_configured
from polare.recruitment.models import ConsentRequest
from polare.web import save_once

#: Largest application accepted, in bytes of the request body (the fields are far smaller).
MAX_APPLICATION_BYTES = 32 * 1024
_INPUT_FIELDS = ("personnummer", "first_name", "last_name", "phone", "email", "school",
                 "motivation", "guardian_name", "guardian_phone", "guardian_email")


def _apply_limit() -> str:
    return current_app.config["APPLY_RATE_LIMIT"]


def _notice_context() -> dict[str, object]:
    """Return what the privacy notice names: the retention time and whom to ask."""
    return {"retention_months": get_settings(db.session).retention_months,
            "privacy_contact": current_app.config.get("PRIVACY_CONTACT", ""),
            "notice_version": PRIVACY_NOTICE_VERSION}


@bp.route("/ansok")
@public
def choose_team():
    year = application_school_year(db.session, clock.local_today())
    teams = [(team, team_slug(team)) for team in open_teams(db.session)]
    return render_template("recruitment/choose_team.html", teams=teams, year=year)


@bp.route("/ansok/<team_slug>", methods=["GET", "POST"])
@public
@limiter.limit(_apply_limit, methods=["POST"])
def apply(team_slug: str):
    team = team_by_slug(db.session, team_slug)
    if team is None:
        abort(404)
    if (request.content_length or 0) > MAX_APPLICATION_BYTES:
        abort(413)
    year = application_school_year(db.session, clock.local_today())
    form = ApplicationForm()
    if request.method == "POST" and (request.form.get("website") or "").strip():
        return redirect(url_for("recruitment.thanks", team_slug=team_slug))
    if year is not None and form.validate_on_submit():
        data = ApplicationInput(**{name: getattr(form, name).data or "" for name in _INPUT_FIELDS})
        done = save_once(form, lambda: _applied(data, team, team_slug))
        if done is not None:
            return done
    status = 422 if request.method == "POST" else 200
    return render_template("recruitment/apply.html", form=form, team=team, year=year,
                           **_notice_context()), status


def _applied(data: ApplicationInput, team: Team, slug: str) -> str:
    """Store the application, send the guardian's link when due; return the thanks page."""
    submitted = submit_application(db.session, data, team, today=clock.local_today(),
                                   now=clock.utcnow())
    pending = _issue_quietly(submitted)
    if pending is not None:
        deliver_link(*pending, actor=PUBLIC_FORM)
    return url_for("recruitment.thanks", team_slug=slug)


def _issue_quietly(submitted: SubmittedApplication) -> tuple[ConsentRequest, str] | None:
    """Issue the named guardian's consent link, or nothing when none is due (never an error).

    A link is not due when that guardian already consented, still has one waiting to be used,
    or the enrolment is closed; the applicant is told the same either way.
    """
    if submitted.guardian is None:
        return None
    return issue_link_if_due(db.session, PUBLIC_FORM, submitted.application.enrolment,
                             submitted.guardian.id, now=clock.utcnow())


@bp.route("/ansok/<team_slug>/tack")
@public
def thanks(team_slug: str):
    team = team_by_slug(db.session, team_slug)
    if team is None:
        abort(404)
    return render_template("recruitment/thanks.html", team=team,
                           mail_configured=mail_configured())


def _link_or_404(token: str) -> ConsentRequest:
    consent_request = request_by_token(db.session, token)
    if consent_request is None:
        abort(404)
    return consent_request


def _latest_end() -> str:
    return get_settings(db.session).minor_latest_end.strftime("%H:%M")


def _current_version() -> str:
    """Return the version of the consent text as the page shows it now, in this language."""
    return text_version(str(get_locale()), _latest_end())


def _render_consent(consent_request: ConsentRequest, give_form: GiveConsentForm | None = None,
                    status: int = 200):
    latest_end = _latest_end()
    version = _current_version()
    if give_form is None:
        give_form = GiveConsentForm(formdata=None, data={"text_version": version})
    enrolment = consent_request.enrolment
    return render_template(
        "recruitment/consent.html", consent_request=consent_request, enrolment=enrolment,
        person=enrolment.person, state=state_of(consent_request, clock.utcnow()),
        latest_end=latest_end, give_form=give_form, withdraw_form=WithdrawConsentForm(),
        version=version, **_notice_context()), status


@bp.route("/samtycke/<token>")
@public
def consent(token: str):
    consent_request = _link_or_404(token)
    note_opened(db.session, consent_request, now=clock.utcnow())
    return _render_consent(consent_request)


@bp.route("/samtycke/<token>/ja", methods=["POST"])
@public
@limiter.limit(_apply_limit, methods=["POST"])
def consent_give(token: str):
    consent_request = _link_or_404(token)
    form = GiveConsentForm()
    if not form.validate_on_submit():
        return _render_consent(consent_request, form, status=422)
    if form.text_version.data != _current_version():
        flash(_("Texten har ändrats sedan du öppnade sidan. Läs den igen och bekräfta."),
              "warning")
        return _render_consent(consent_request, status=409)
    now = clock.utcnow()
    refusal = refusal_to_give(consent_request, now)
    if refusal is not None:
        flash(refusal.message, "danger")
        return _render_consent(consent_request, status=409)
    give_consent(db.session, consent_request, now=now, today=clock.local_today(),
                 address=request.remote_addr or "", shown_version=form.text_version.data)
    flash(_("Tack! Ditt samtycke är registrerat."), "success")
    return redirect(url_for("recruitment.consent", token=token))


@bp.route("/samtycke/<token>/aterkalla", methods=["POST"])
@public
@limiter.limit(_apply_limit, methods=["POST"])
def consent_withdraw(token: str):
    consent_request = _link_or_404(token)
    if not WithdrawConsentForm().validate_on_submit():
        return _render_consent(consent_request, status=400)
    refusal = refusal_to_withdraw(consent_request)
    if refusal is not None:
        flash(refusal.message, "danger")
        return _render_consent(consent_request, status=409)
    withdraw_consent(db.session, consent_request, now=clock.utcnow(),
                     address=request.remote_addr or "")
    flash(_("Ditt samtycke är återkallat. Samordnaren får veta det."), "success")
    return redirect(url_for("recruitment.consent", token=token))
