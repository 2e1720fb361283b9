"""Walk pages: the list, the approval queue, planning, the walk, logging and status moves."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import time
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from polare.auth.access import ensure_team, roles, team_ids_for
from polare.clock import local_now, local_today
from polare.converters import id_argument, page_number
from polare.extensions import db
from polare.org.models import District, Team
from polare.walks import bp, queries, rules
from polare.walks.forms import (
    ApproveForm,
    LogForm,
    PlanForm,
    SeriesForm,
    StatusForm,
    WalkEditForm,
    WalkFilterForm,
    log_form_class,
)
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus
from polare.walks.planning import WalkPlan, plan_series, plan_walk, update_walk
from polare.walks.roles import PLANNERS
from polare.walks.saving import Refused, save_walk_form
from polare.walks.workflow import (
    WalkLog,
    approve_walk,
    cancel_walk,
    complete_walk,
    log_walk,
    send_back_walk,
)
from polare.web import act

PAGE_SIZE = 25
#: With more teams than this, the walk list's filter offers the chosen team's districts only.
MANY_TEAMS = 30
DEFAULT_START, DEFAULT_END = time(19, 0), time(23, 0)


def walk_or_404(walk_id: int) -> Walk:
    """Return the walk with its people and incidents; 404, or 403 outside the user's teams."""
    walk = db.session.get(Walk, walk_id, options=[
        selectinload(Walk.participations).selectinload(Participation.person),
        selectinload(Walk.staff), selectinload(Walk.incidents),
    ])
    if walk is None:
        abort(404)
    ensure_team(current_user, walk.team_id)
    return walk


def _my_teams() -> list[Team]:
    ids = team_ids_for(current_user)
    query = select(Team).where(Team.active.is_(True)).order_by(Team.name)
    if ids is not None:
        query = query.where(Team.id.in_(ids))
    return list(db.session.scalars(query))


def _chosen_team(teams: list[Team]) -> Team:
    wanted = id_argument("team_id")
    for team in teams:
        if team.id == wanted:
            return team
    if wanted is not None or not teams:
        abort(404)
    return teams[0]


def _district_choices(team_id: int) -> dict[str, list[tuple[int, str]]]:
    """Return the districts grouped by team, the walk's own team first."""
    districts = db.session.scalars(
        select(District).join(District.team).order_by(Team.name, District.is_home.desc(),
                                                      District.name)
    ).all()
    groups: dict[str, list[tuple[int, str]]] = {}
    own = [d for d in districts if d.team_id == team_id]
    if own:
        groups[_("%(team)s (eget område)", team=own[0].team.name)] = [(d.id, d.name) for d in own]
    for district in districts:
        if district.team_id != team_id:
            label = _("%(team)s (utanför eget område)", team=district.team.name)
            groups.setdefault(label, []).append((district.id, district.name))
    return groups


def _fill_plan_choices(form: WalkEditForm | SeriesForm, team: Team,
                       walk: Walk | None = None) -> None:
    form.district_id.choices = _district_choices(team.id)
    staff_now = [u.id for u in walk.staff] if walk else []
    form.staff_ids.choices = [
        (u.id, u.display_name)
        for u in queries.staff_choices(db.session, team.id, [*staff_now, current_user.id])
        if u.id in staff_now or rules.is_walk_staff(u, team.id)
    ]
    people_now = [p.person_id for p in walk.participations] if walk else []
    form.person_ids.choices = [
        (p.id, p.full_name)
        for p in queries.plannable_polare(db.session, team.id, local_today(), people_now)
    ]


def _plan_from(form: WalkEditForm | SeriesForm, team_id: int, walk_date: Any) -> WalkPlan:
    return WalkPlan(
        team_id=team_id, walk_date=walk_date, start_time=form.start_time.data,
        end_time=form.end_time.data, district_id=form.district_id.data,
        meeting_point=form.meeting_point.data or "", staff_ids=form.staff_ids.data or [],
        person_ids=form.person_ids.data or [],
    )


def _flash_warnings(walks: list[Walk]) -> None:
    """Flash the walks' warnings once each (the walk list shows no warnings of its own)."""
    messages: list[str] = []
    for walk in walks:
        for warning in rules.walk_warnings(db.session, walk):
            if warning.message not in messages:
                messages.append(warning.message)
    for message in messages:
        flash(message, "warning")


def _districts_of(team_ids: Collection[int], district_id: int | None = None,
                  ) -> list[tuple[int, str]]:
    """Return (id, "district (team)") of the teams' districts and the one asked for, in one
    query."""
    wanted = Team.id.in_(team_ids)
    if district_id:
        wanted = or_(wanted, District.id == district_id)
    rows = db.session.execute(
        select(District.id, District.name, Team.name).join(District.team).where(wanted)
        .order_by(Team.name, District.name)
    )
    return [(row_id, f"{name} ({team})") for row_id, name, team in rows]


def _filter_districts(form: WalkFilterForm, teams: list[Team]) -> list[tuple[int, str]]:
    """Return the districts the walk list's filter offers: those of the user's teams, or with
    more than MANY_TEAMS, of the team chosen (and the district asked for), so the page does
    not list every district of the country."""
    if len(teams) <= MANY_TEAMS:
        return _districts_of([team.id for team in teams])
    chosen = form.team_id.data if form.team_id.data in {team.id for team in teams} else None
    if chosen is None:
        form.district_id.description = _("Välj ett team för att välja bland dess stadsdelar.")
    return _districts_of([chosen] if chosen else [], form.district_id.data)


def _home_district(team: Team) -> int | None:
    return next((d.id for d in team.districts if d.is_home), None)


@bp.route("/")
@roles(*PLANNERS)
def index():
    teams = _my_teams()
    form = WalkFilterForm(request.args)
    form.team_id.choices = [("", _("Alla team")), *((t.id, t.name) for t in teams)]
    form.district_id.choices = [("", _("Alla stadsdelar")), *_filter_districts(form, teams)]
    filters = queries.WalkFilter()
    if form.validate():
        filters = queries.WalkFilter(
            team_id=form.team_id.data, status=WalkStatus(form.status.data)
            if form.status.data else None, district_id=form.district_id.data,
            date_from=form.date_from.data, date_to=form.date_to.data)
    today = local_today()
    page = queries.walk_list_page(db.session, current_user, filters, today,
                                  page=page_number(), per_page=PAGE_SIZE)
    counts = queries.headcounts(db.session, [walk.id for walk in page.items])
    return render_template("walks/index.html", form=form, page=page, counts=counts,
                           teams=teams, today=today)


@bp.route("/approve")
@roles(*PLANNERS)
def approval_queue():
    page = db.paginate(queries.approval_queue_query(current_user), page=page_number(),
                       per_page=PAGE_SIZE, error_out=False)
    gaps = rules.training_gaps_by_walk(db.session, page.items)
    forms = {walk.id: ApproveForm(formdata=None, version=walk.version) for walk in page.items}
    return render_template("walks/queue.html", page=page, gaps=gaps, forms=forms)


def _planned(form: PlanForm, team: Team) -> str:
    """Plan the walk of the form; return the URL of its page."""
    walk = plan_walk(db.session, current_user, _plan_from(form, team.id, form.walk_date.data))
    flash(_("Nattvandringen är planerad."), "success")  # its page lists the warnings
    return url_for("walks.detail", walk_id=walk.id)


def _series_planned(form: SeriesForm, team: Team) -> str:
    """Plan the series of the form; return the URL of the team's planned walks."""
    walks = plan_series(db.session, current_user, _plan_from(form, team.id, form.first_date.data),
                        last_date=form.last_date.data, weekdays=form.weekdays.data)
    flash(ngettext("%(num)s nattvandring är planerad.",
                   "%(num)s nattvandringar är planerade.", len(walks)), "success")
    _flash_warnings(walks)
    return url_for("walks.index", team_id=team.id, status="planned")


@bp.route("/new", methods=["GET", "POST"])
@roles(*PLANNERS)
def plan():
    teams = _my_teams()
    team = _chosen_team(teams)
    form = PlanForm()
    _fill_plan_choices(form, team)
    if request.method == "GET":
        form.start_time.data, form.end_time.data = DEFAULT_START, DEFAULT_END
        form.district_id.data = _home_district(team)
        if rules.is_walk_staff(current_user, team.id):
            form.staff_ids.data = [current_user.id]
    status = 200
    if form.validate_on_submit():
        saved = save_walk_form(form, lambda: _planned(form, team))
        if not isinstance(saved, Refused):
            return saved
        status = saved.status
    elif request.method == "POST":
        status = 422
    return render_template("walks/plan.html", form=form, team=team, teams=teams,
                           walk=None), status


@bp.route("/series", methods=["GET", "POST"])
@roles(*PLANNERS)
def plan_many():
    teams = _my_teams()
    team = _chosen_team(teams)
    form = SeriesForm()
    _fill_plan_choices(form, team)
    if request.method == "GET":
        form.start_time.data, form.end_time.data = DEFAULT_START, DEFAULT_END
        form.district_id.data = _home_district(team)
        form.weekdays.data = [4, 5]
        if rules.is_walk_staff(current_user, team.id):
            form.staff_ids.data = [current_user.id]
    status, conflicts = 200, []
    if form.validate_on_submit():
        saved = save_walk_form(form, lambda: _series_planned(form, team))
        if not isinstance(saved, Refused):
            return saved
        status, conflicts = saved.status, saved.conflicts
    elif request.method == "POST":
        status = 422
    return render_template("walks/series.html", form=form, team=team, teams=teams,
                           conflicts=conflicts), status


@bp.route("/<id:walk_id>")
@roles(*PLANNERS)
def detail(walk_id: int):
    walk = walk_or_404(walk_id)
    gaps = rules.training_gaps_by_walk(db.session, [walk])[walk.id]
    return render_template(
        "walks/detail.html", walk=walk, warnings=rules.walk_warnings(db.session, walk),
        gaps=gaps, approve_form=ApproveForm(formdata=None, version=walk.version),
        status_form=StatusForm(formdata=None, version=walk.version),
        duration=rules.format_hours(walk.ends_at - walk.starts_at),
        started=local_now() >= walk.starts_at,
    )


def _changed(form: WalkEditForm, walk: Walk) -> str:
    """Save the changed plan of the walk; return the URL of its page."""
    update_walk(db.session, current_user, walk.id,
                _plan_from(form, walk.team_id, form.walk_date.data),
                version=form.version.data or 0)
    flash(_("Ändringarna är sparade."), "success")  # the walk's page lists the warnings
    return url_for("walks.detail", walk_id=walk.id)


@bp.route("/<id:walk_id>/edit", methods=["GET", "POST"])
@roles(*PLANNERS)
def edit(walk_id: int):
    walk = walk_or_404(walk_id)
    if walk.status == WalkStatus.CANCELLED:
        flash(_("Nattvandringen är inställd och kan inte ändras."), "danger")
        return redirect(url_for("walks.detail", walk_id=walk.id))
    team = walk.team
    form = WalkEditForm(data=None if request.method == "POST" else {
        "walk_date": walk.walk_date, "start_time": walk.start_time, "end_time": walk.end_time,
        "district_id": walk.district_id, "meeting_point": walk.meeting_point,
        "staff_ids": [u.id for u in walk.staff],
        "person_ids": [p.person_id for p in walk.participations], "version": walk.version,
    })
    _fill_plan_choices(form, team, walk)
    status = 200
    if form.validate_on_submit():
        saved = save_walk_form(form, lambda: _changed(form, walk))
        if not isinstance(saved, Refused):
            return saved
        status = saved.status
    elif request.method == "POST":
        status = 422
    return render_template("walks/plan.html", form=form, team=team, teams=[team],
                           walk=walk), status


def log_form_for(walk: Walk, *, stored: bool = False) -> LogForm:
    """Return the walk's log form: as posted, or as stored (`stored`, or on a GET)."""
    categories = queries.incident_categories(db.session, [i.category_id for i in walk.incidents])
    form_class = log_form_class(walk.participations, categories)
    data = None
    if stored or request.method != "POST":
        data = {"youths_met": walk.youths_met, "youths_talked": walk.youths_talked,
                "note": walk.note, "version": walk.version}
        for participation in walk.participations:
            if participation.status != ParticipationStatus.SCHEDULED:
                data[f"attendance_{participation.person_id}"] = participation.status.value
        for incident in walk.incidents:
            data[f"incident_{incident.category_id}"] = incident.count
    form = form_class(formdata=None, data=data) if stored else form_class(data=data)
    on_walk = {p.person_id for p in walk.participations}
    form.joined_person_id.choices = [("", _("Ingen"))] + [
        (p.id, p.full_name)
        for p in queries.polare_active_on(db.session, walk.team_id, walk.walk_date)
        if p.id not in on_walk
    ]
    return form


def walk_log_from(form: LogForm) -> WalkLog:
    """Return the log the form holds."""
    return WalkLog(
        attendance={pid: ParticipationStatus(field.data) if field.data in (
            ParticipationStatus.ATTENDED, ParticipationStatus.ABSENT) else None
            for pid, field in form.attendance_fields()},
        youths_met=form.youths_met.data, youths_talked=form.youths_talked.data,
        incidents={cid: field.data or 0 for cid, field in form.incident_fields()},
        note=form.note.data or "",
        joined_person_ids=[form.joined_person_id.data] if form.joined_person_id.data else [],
    )


def save_log(form: LogForm, walk: Walk) -> Walk:
    """Save the form's log of the walk and, if asked and still planned, mark it completed."""
    saved = log_walk(db.session, current_user, walk.id, walk_log_from(form),
                     version=form.version.data or 0)
    if form.complete.data and saved.status == WalkStatus.PLANNED:
        saved = complete_walk(db.session, current_user, walk.id, version=saved.version,
                              now=local_now())
    return saved


def _logged(form: LogForm, walk: Walk) -> str:
    """Save the log; return the URL of the walk's page."""
    save_log(form, walk)
    flash(_("Nattvandringen är sparad."), "success")
    return url_for("walks.detail", walk_id=walk.id)


@bp.route("/<id:walk_id>/log", methods=["GET", "POST"])
@roles(*PLANNERS)
def log(walk_id: int):
    walk = walk_or_404(walk_id)
    if walk.status == WalkStatus.CANCELLED:
        flash(_("Nattvandringen är inställd och kan inte ändras."), "danger")
        return redirect(url_for("walks.detail", walk_id=walk.id))
    form = log_form_for(walk)
    status = 200
    if form.validate_on_submit():
        saved = save_walk_form(form, lambda: _logged(form, walk))
        if not isinstance(saved, Refused):
            return saved
        status = saved.status
    elif request.method == "POST":
        status = 422
    return render_template("walks/log.html", form=form, walk=walk,
                           started=local_now() >= walk.starts_at), status


def _status_move(walk_id: int, move_walk: Callable[[int, int, str], Any], done: str):
    """Run a status move on the walk with the form's version and reason; back to the walk."""
    walk = walk_or_404(walk_id)
    form = StatusForm()
    back = url_for("walks.detail", walk_id=walk.id)
    if not form.validate_on_submit():
        return redirect(back)
    return act(lambda: move_walk(walk.id, form.version.data or 0, form.reason.data or ""),
               back, done)


@bp.route("/<id:walk_id>/complete", methods=["POST"])
@roles(*PLANNERS)
def complete(walk_id: int):
    return _status_move(
        walk_id, lambda wid, version, _reason: complete_walk(
            db.session, current_user, wid, version=version, now=local_now()),
        _("Nattvandringen är markerad som genomförd."))


@bp.route("/<id:walk_id>/cancel", methods=["POST"])
@roles(*PLANNERS)
def cancel(walk_id: int):
    return _status_move(
        walk_id, lambda wid, version, reason: cancel_walk(
            db.session, current_user, wid, version=version, reason=reason),
        _("Nattvandringen är inställd."))


@bp.route("/<id:walk_id>/send-back", methods=["POST"])
@roles(*PLANNERS)
def send_back(walk_id: int):
    return _status_move(
        walk_id, lambda wid, version, reason: send_back_walk(
            db.session, current_user, wid, version=version, reason=reason),
        _("Nattvandringen är tillbaka som genomförd och kan godkännas igen."))


@bp.route("/<id:walk_id>/approve", methods=["POST"])
@roles(*PLANNERS)
def approve(walk_id: int):
    walk = walk_or_404(walk_id)
    form = ApproveForm()
    back = (url_for("walks.approval_queue") if request.args.get("from") == "queue"
            else url_for("walks.detail", walk_id=walk.id))
    if not form.validate_on_submit():
        return redirect(back)
    return act(lambda: approve_walk(db.session, current_user, walk.id,
                                    version=form.version.data or 0,
                                    confirm_training=form.confirm_training.data),
               back, _("Nattvandringen %(day)s är godkänd.", day=walk.walk_date.isoformat()))
