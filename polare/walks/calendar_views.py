"""The calendar feed page (show and renew the secret address) and the feed itself."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from polare.auth.access import public, roles
from polare.clock import local_today
from polare.extensions import db, limiter
from polare.walks import bp
from polare.walks.calendar import calendar_feed, renew_calendar_token, user_for_calendar_token
from polare.walks.forms import CalendarTokenForm
from polare.walks.roles import PLANNERS


@bp.route("/calendar")
@roles(*PLANNERS)
def calendar():
    token = current_user.calendar_token
    feed_url = url_for("walks.calendar_feed", token=token, _external=True) if token else None
    return render_template("walks/calendar.html", feed_url=feed_url,
                           form=CalendarTokenForm(formdata=None))


@bp.route("/calendar/renew", methods=["POST"])
@roles(*PLANNERS)
def calendar_renew():
    form = CalendarTokenForm()
    if form.validate_on_submit():
        renew_calendar_token(db.session, current_user, current_user)
        flash(_("Kalenderflödet har en ny adress. Den gamla adressen fungerar inte längre."),
              "success")
    return redirect(url_for("walks.calendar"))


@bp.route("/calendar/<token>.ics", endpoint="calendar_feed")
@public
@limiter.limit("60 per minute")
def calendar_feed_view(token: str):
    user = user_for_calendar_token(db.session, token)
    if user is None:
        abort(404)
    return Response(calendar_feed(db.session, user, today=local_today()),
                    mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="polare.ics"'})
