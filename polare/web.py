"""Small helpers shared by the views."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from polare.errors import DomainError


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Attach a refusal to the form field it names, or flash it; the form keeps its input."""
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None and hasattr(field, "errors"):
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        field.errors.append(error.message)
    flash(error.message, "danger")
