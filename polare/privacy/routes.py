"""Data protection pages (admin only): retention, registerutdrag."""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from polare.auth.access import roles
from polare.auth.models import Role
from polare.clock import local_today
from polare.errors import ConflictError, DomainError, NotFoundError
from polare.extensions import db
from polare.privacy import bp, extract, retention, search
from polare.privacy.forms import ExtractForm, PersonSearchForm, PurgeForm
from polare.roster.identity import mask_personnummer
from polare.roster.models import Person
from polare.web import show_domain_error

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The retention page lists at most this many persons of each kind (the counts are exact).
LIST_LIMIT = 200


def masked(person: Person) -> str:
    """Return the person's personnummer with the last four digits hidden."""
    return mask_personnummer(person.personnummer) if person.personnummer else ""


def _render_index(form: PurgeForm, status: int = 200):
    plan = retention.plan_purge(db.session, on=local_today())
    form.plan_token.data = plan.token
    return render_template("privacy/index.html", plan=plan, form=form,
                           limit=LIST_LIMIT), status


@bp.route("/")
@roles(Role.ADMIN)
def index():
    return _render_index(PurgeForm(formdata=None))


@bp.route("/purge", methods=["POST"])
@roles(Role.ADMIN)
def purge():
    form = PurgeForm()
    if not form.validate_on_submit():
        return _render_index(form, 422)
    try:
        result = retention.run_purge(db.session, current_user, on=local_today(),
                                     expected_token=form.plan_token.data)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _render_index(form, 409 if isinstance(error, ConflictError) else 422)
    db.session.commit()
    retention.overwrite_purged_data(db.engine,
                                    wait_ms=current_app.config["POLARE_CHECKPOINT_WAIT_MS"])
    flash(_("Gallringen är klar enligt %(ref)s. Anonymiserade personer: %(persons)s. "
            "Anonymiserade lönerader: %(lines)s.", ref=result.decision_ref,
            persons=result.persons, lines=result.pay_lines), "success")
    return redirect(url_for("privacy.index"))


@bp.route("/persons", methods=["GET", "POST"])
@roles(Role.ADMIN)
def person_search():
    form = PersonSearchForm()
    persons = None
    if form.validate_on_submit():
        persons = search.find_persons(db.session, form.query.data)
    return render_template("privacy/search.html", form=form, persons=persons, masked=masked)


@bp.route("/persons/<id:person_id>")
@roles(Role.ADMIN)
def person(person_id: int):
    found = db.session.get(Person, person_id)
    if found is None:
        abort(404)
    return render_template("privacy/person.html", person=found, masked=masked,
                           summary=extract.extract_summary(db.session, person_id),
                           form=ExtractForm(formdata=None))


@bp.route("/persons/<id:person_id>/extract", methods=["POST"])
@roles(Role.ADMIN)
def person_extract(person_id: int):
    if not ExtractForm().validate_on_submit():
        abort(400)
    try:
        filename, data = extract.export_extract(db.session, current_user, person_id,
                                                on=local_today())
    except NotFoundError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=filename)
