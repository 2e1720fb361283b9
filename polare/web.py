"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from polare.errors import DomainError
from polare.extensions import db


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
    None, so the view renders the form again with the user's input.
    """
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return None
    db.session.commit()
    flash(message, category)
    return redirect(target)
