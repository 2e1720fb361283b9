"""Logging without a signal: the log pages a phone keeps, and the entries it sends later."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from polare.auth.access import roles
from polare.clock import local_today
from polare.extensions import db
from polare.walks import bp, queries
from polare.walks.forms import LogForm
from polare.walks.models import Walk, WalkStatus
from polare.walks.phone import answer, invalid_entry, save_entry
from polare.walks.roles import PLANNERS
from polare.walks.routes import log_form_for, save_log, walk_or_404


@bp.route("/offline-pages")
@roles(*PLANNERS)
def offline_pages():
    """List the log pages the phone keeps, with a fresh form token for sending entries."""
    walks = queries.walks_to_keep_offline(db.session, current_user, local_today())
    return jsonify(pages=[url_for("walks.log", walk_id=walk.id) for walk in walks],
                   csrf_token=generate_csrf())


@bp.route("/<id:walk_id>/log/offline", methods=["POST"])
@roles(*PLANNERS)
def log_from_phone(walk_id: int):
    """Save an entry made offline, once per phone-made key; answer in JSON.

    A resend of a saved key is answered by `answer_repeated_submission` before this view.
    A changed walk is answered 409 with what the server holds, so the phone shows both.
    """
    walk = walk_or_404(walk_id)
    form = log_form_for(walk)
    if walk.status == WalkStatus.CANCELLED:
        return answer("refused", 422,
                      message=_("Nattvandringen är inställd och kan inte ändras."))
    if not form.validate_on_submit() or not form.submission_key.data:
        return invalid_entry(form)
    return save_entry(form, lambda: _logged_from_phone(form, walk),
                      lambda: log_form_for(walk_or_404(walk_id), stored=True))


def _logged_from_phone(form: LogForm, walk: Walk) -> str:
    save_log(form, walk)
    return url_for("walks.detail", walk_id=walk.id)
