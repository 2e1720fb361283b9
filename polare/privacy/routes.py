"""Data protection pages (admin only): retention, registerutdrag."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import abort, current_app, flash, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import event

from polare.auth.access import roles
from polare.auth.models import Role
from polare.clock import local_today
from polare.extensions import db
from polare.privacy import bp, extract, retention, search
from polare.privacy.forms import ExtractForm, PersonSearchForm, PurgeForm
from polare.roster.identity import mask_personnummer
from polare.roster.models import Person
from polare.web import save_once

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
    done = save_once(form, lambda: _purged(form))
    if done is not None:
        return done
    # Refused on the box (no deletion decision), or else the list changed since it was shown.
    return _render_index(form, 422 if form.confirm.errors else 409)


def _purged(form: PurgeForm) -> str:
    """Purge what the page showed; overwrite it in the database files once it is committed."""
    result = retention.run_purge(db.session, current_user, on=local_today(),
                                 expected_token=form.plan_token.data)
    wait_ms = current_app.config["POLARE_CHECKPOINT_WAIT_MS"]
    _after_commit(lambda: retention.overwrite_purged_data(db.engine, wait_ms=wait_ms))
    flash(_("Gallringen är klar enligt %(ref)s. Anonymiserade personer: %(persons)s. "
            "Anonymiserade lönerader: %(lines)s.", ref=result.decision_ref,
            persons=result.persons, lines=result.pay_lines), "success")
    return url_for("privacy.index")


def _after_commit(action: Callable[[], object]) -> None:
    """Run `action` once the request's changes are committed (a refused request never is)."""
    event.listen(db.session(), "after_commit", lambda _session: action(), once=True)


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
    filename, data = extract.export_extract(db.session, current_user, person_id,
                                            on=local_today())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=filename)
