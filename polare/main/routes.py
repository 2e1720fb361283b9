"""Start page, health check and language switch."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from polare.auth.access import ALL_ROLES, public, roles
from polare.auth.models import ROLE_LABELS, Role
from polare.auth.routes import safe_next
from polare.clock import local_now, local_today
from polare.extensions import db
from polare.main import bp
from polare.recruitment.flags import new_applications_for
from polare.reports.dashboard import ATTENTION_ROWS, build_dashboard
from polare.walks.queries import next_walks

#: Roles whose start page leads with tonight's walk and the next one, to log them.
WALK_LOGGERS = (Role.SUPERVISOR, Role.COORDINATOR)


@bp.route("/")
@roles(*ALL_ROLES)
def index():
    today = local_today()
    board = build_dashboard(db.session, current_user, today,
                            rebuild_seconds=current_app.config["POLARE_REBUILD_SECONDS"])
    walks = (next_walks(db.session, current_user, local_now())
             if current_user.role in WALK_LOGGERS else None)
    return render_template("main/index.html", board=board, next_walks=walks, today=today,
                           role_label=ROLE_LABELS[current_user.role], attention_rows=ATTENTION_ROWS,
                           new_applications=new_applications_for(db.session, current_user))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means the database cannot serve
        current_app.logger.exception("health check failed")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/lang/<code>")
@public
def language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
