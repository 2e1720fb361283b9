"""Log in, log out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from polare.auth import bp, services
from polare.auth.access import ALL_ROLES, public, roles
from polare.auth.forms import ChangePasswordForm, LoginForm
from polare.extensions import db
from polare.security import clear_site_data
from polare.transactions import keep_on_refusal
from polare.web import save_form


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirect)."""
    if not target or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _clear_session_keeping_language() -> None:
    """Start a fresh session (no fixation) that keeps the chosen language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _refused(template: str, form: FlaskForm, refusal: services.LoginRefused) -> Response:
    """Answer a refused attempt: 401, or 429 with Retry-After once attempts are blocked.

    The failure the attempt counted is kept, though the refusal ends the request.
    """
    keep_on_refusal(db.session)  # the failure it counted, and its audit row
    response = make_response(render_template(template, form=form))
    if isinstance(refusal, services.LoginThrottled):
        response.status_code = 429
        response.headers["Retry-After"] = str(refusal.retry_after)
    else:
        response.status_code = 401
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session, form.username.data, form.password.data,
                services.LoginPolicy.from_config(current_app.config),
                address=request.remote_addr or "")
        except services.LoginRefused as refusal:
            flash(refusal.message, "danger")
            return _refused("auth/login.html", form, refusal)
        _clear_session_keeping_language()
        session.permanent = True
        login_user(user)
        return redirect(safe_next(form.next.data) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles(*ALL_ROLES)
def logout():
    services.logout(db.session, current_user)
    logout_user()
    _clear_session_keeping_language()
    flash(_("Du är utloggad."), "info")
    return clear_site_data(redirect(url_for("auth.login")))


@bp.route("/account/password", methods=["GET", "POST"])
@roles(*ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            done = save_form(
                form, lambda: services.change_own_password(
                    db.session, current_user, form.current_password.data,
                    form.new_password.data, services.LoginPolicy.from_config(current_app.config)),
                _("Lösenordet är bytt."), url_for("main.index"))
        except services.LoginRefused as refusal:
            form.current_password.errors.append(refusal.message)
            return _refused("auth/change_password.html", form, refusal)
        if done is not None:
            login_user(current_user._get_current_object())  # new token: renew this cookie
            return clear_site_data(done)
    return render_template("auth/change_password.html", form=form)
