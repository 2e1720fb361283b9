"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, jsonify, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from polare.errors import DomainError
from polare.extensions import db
from polare.submissions.models import SubmissionKey
from polare.submissions.services import claim_key, earlier_submission

#: Header of an entry sent by the phone's offline queue: a repeat is answered in JSON.
OFFLINE_HEADER = "X-Polare-Offline"


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Attach a refusal to the form field it names, or flash it; the form keeps its input."""
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None and hasattr(field, "errors"):
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        field.errors.append(error.message)
    flash(error.message, "danger")


def commit_or_show(form: FlaskForm, action: Callable[[], object], message: str, target: str,
                   category: str = "success") -> Response | None:
    """Run a service call, then commit, flash `message` and redirect to `target`.

    If the service refuses (DomainError), roll back, show the refusal on the form and return
    None, so the view renders the form again with the user's input. A form with a one-time key
    is saved once (see `save_once`).
    """

    def run() -> str:
        action()
        flash(message, category)
        return target

    try:
        return save_once(form, run)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return None


def save_once(form: FlaskForm, create: Callable[[], str]) -> Response:
    """Run `create` once per form key, commit and redirect to the URL it returns.

    `create` saves through the services, flashes what it did and returns the URL of the
    result; a DomainError it raises reaches the caller with nothing saved (the caller rolls
    back). The form's one-time key (`SubmitOnceMixin`) is stored in the same transaction, so a
    second submission with it (a double tap, a retry on a slow network) creates nothing and is
    sent where the first one went: `answer_repeated_submission` answers it before the view
    runs, and the database refuses a concurrent one. A form without a key is saved as it is.
    """
    field = getattr(form, "submission_key", None)
    if field is None or not field.data:
        target = create()
        db.session.commit()
        return redirect(target)
    claimed = claim_key(db.session, current_user.id, field.data)
    if claimed is None:
        db.session.rollback()
        return _repeated(earlier_submission(db.session, field.data))
    claimed.target_url = create()
    db.session.commit()
    return redirect(claimed.target_url)


def answer_repeated_submission() -> Response | None:
    """Send a POST whose one-time key was saved before to the first submission's result."""
    key = request.form.get("submission_key") if request.method == "POST" else None
    if not key or not current_user.is_authenticated:
        return None
    earlier = earlier_submission(db.session, key)
    return _repeated(earlier) if earlier is not None else None


def _repeated(earlier: SubmissionKey | None) -> Response:
    """Answer a repeated submission with the first one's result; save nothing."""
    owner, target = (earlier.user_id, earlier.target_url) if earlier else (None, "")
    db.session.rollback()
    if owner != current_user.id:
        abort(409)
    if request.headers.get(OFFLINE_HEADER):
        return jsonify(status="saved", repeated=True, url=target)
    flash(_("Formuläret var redan skickat och sparades en gång."), "info")
    return redirect(target)
