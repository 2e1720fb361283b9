"""Pages of the events domain: event list, event forms, invitations, attendance, event types."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from polare.auth.access import roles, team_ids_for
from polare.auth.models import Role
from polare.clock import local_today
from polare.converters import page_number
from polare.errors import DomainError
from polare.events import attendance, bp
from polare.events import services as events
from polare.events.answers import answer_mark
from polare.events.forms import (
    ActionForm,
    CancelEventForm,
    EventFilterForm,
    EventForm,
    EventTypeForm,
    InviteForm,
    MarkForm,
    NewEventForm,
    NewEventTypeForm,
)
from polare.events.models import Event, EventType, InvitationStatus
from polare.events.training import required_training_summary
from polare.extensions import db
from polare.org.models import SchoolYear, Team
from polare.org.services import school_year_on
from polare.transactions import wants_json
from polare.web import act, save_form, save_once

STAFF = (Role.COORDINATOR, Role.SUPERVISOR)
PAST_PER_PAGE = 20


def _event_or_404(event_id: int) -> Event:
    """Return the event if the user may see it; NotFoundError (404) if not."""
    return events.get_event(db.session, current_user, event_id)


def _changeable_event_or_403(event_id: int) -> Event:
    """Return the event if the user may edit or cancel it; 404 if unseen, else 403."""
    event = _event_or_404(event_id)
    if not events.may_change_event(current_user, event):
        abort(403)
    return event


def _teams_in_scope() -> list[Team]:
    ids = team_ids_for(current_user)
    query = select(Team).order_by(Team.name)
    if ids is None:
        query = query.where(Team.active.is_(True))
    else:
        query = query.where(Team.id.in_(ids))
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- list


def _filter_form(current_year: SchoolYear | None) -> EventFilterForm:
    form = EventFilterForm(request.args)
    form.team.choices = [("", _("Alla mina aktiviteter")), (events.ALL_TEAMS, _("Gemensamma"))]
    form.team.choices += [(str(t.id), t.name) for t in _teams_in_scope()]
    form.type.choices = [("", _("Alla typer"))]
    form.type.choices += [(str(t.id), t.label) for t in events.event_types(db.session)]
    years = db.session.scalars(select(SchoolYear).order_by(SchoolYear.starts_on.desc()))
    form.year.choices = [("", _("Alla läsår"))] + [(str(y.id), y.label) for y in years]
    if "year" not in request.args and current_year is not None:
        form.year.data = str(current_year.id)
    return form


def _chosen(value: str | None, choices: list[Any]) -> str:
    """Return the value when it is one of the choices, else "" (an unknown filter is ignored)."""
    return value if value and value in {str(key) for key, _label in choices} else ""


@bp.route("/")
@roles(Role.COORDINATOR, Role.SUPERVISOR)
def index():
    today = local_today()
    current_year = school_year_on(db.session, today)
    form = _filter_form(current_year)
    team = _chosen(form.team.data, form.team.choices)
    type_id = _chosen(form.type.data, form.type.choices)
    year_id = _chosen(form.year.data, form.year.choices)
    query = events.filtered_events(
        current_user, team=team, type_id=int(type_id) if type_id else None,
        school_year_id=int(year_id) if year_id else None,
    )
    upcoming = db.session.scalars(
        query.where(Event.event_date >= today).order_by(Event.event_date, Event.start_time)
    ).all()
    past = db.paginate(
        query.where(Event.event_date < today)
        .order_by(Event.event_date.desc(), Event.start_time.desc()),
        page=page_number(), per_page=PAST_PER_PAGE, error_out=False,
    )
    shown = [e.id for e in upcoming] + [e.id for e in past.items]
    summary_year = db.session.get(SchoolYear, int(year_id)) if year_id else current_year
    summaries = [
        (team_row, required_training_summary(db.session, team_row.id, summary_year.id))
        for team_row in _teams_in_scope()
    ] if summary_year is not None else []
    return render_template(
        "events/index.html", form=form, upcoming=upcoming, past=past,
        counts=attendance.attendance_counts(db.session, current_user, shown),
        summaries=summaries, summary_year=summary_year,
        can_plan=current_user.role in (Role.ADMIN, Role.COORDINATOR),
    )


# ---------------------------------------------------------------- create, edit, cancel


def _fill_choices(form: EventForm, event: Event | None) -> None:
    types = events.event_types(db.session)
    form.type_id.choices = [
        (t.id, t.label) for t in types if t.active or (event is not None and t.id == event.type_id)
    ]
    teams = _teams_in_scope()
    if event is not None and event.team is not None and event.team not in teams:
        teams.append(event.team)
    form.team_id.choices = [("", _("Alla team"))] + [(str(t.id), t.name) for t in teams]
    if event is None:
        own = [(str(t.id), t.name) for t in _teams_in_scope()]
        form.organiser_team_id.choices = (
            own if team_ids_for(current_user) is not None
            else [("", _("Administratörerna"))] + own)
    else:
        del form.organiser_team_id  # set once, when the event is created


def _event_values(form: EventForm) -> dict[str, Any]:
    return {
        "type_id": form.type_id.data, "title": form.title.data,
        "event_date": form.event_date.data, "start_time": form.start_time.data,
        "end_time": form.end_time.data,
        "team_id": int(form.team_id.data) if form.team_id.data else None,
        "place": form.place.data or "", "notes": form.notes.data or "",
    }


def _organiser_value(form: EventForm) -> int | None:
    return int(form.organiser_team_id.data) if form.organiser_team_id.data else None


def _created(form: EventForm) -> str:
    """Create the event of the form; return the URL of its page."""
    event = events.create_event(db.session, current_user, **_event_values(form),
                                organiser_team_id=_organiser_value(form))
    flash(_("Aktiviteten är skapad. Bjud in polare nedan."), "success")
    return url_for("events.detail", event_id=event.id)


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def create():
    form = NewEventForm()
    _fill_choices(form, None)
    if request.method == "GET":
        teams = _teams_in_scope()
        form.team_id.data = str(teams[0].id) if len(teams) == 1 else ""
    if form.validate_on_submit():
        done = save_once(form, lambda: _created(form))
        if done is not None:
            return done
    return render_template("events/form.html", form=form, event=None), (
        422 if request.method == "POST" else 200)


@bp.route("/<id:event_id>/edit", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def edit(event_id: int):
    event = _changeable_event_or_403(event_id)
    form = EventForm(obj=event, data=None if request.method == "POST" else {
        "team_id": str(event.team_id) if event.team_id else ""})
    _fill_choices(form, event)
    if form.validate_on_submit():
        done = save_form(
            form, lambda: events.update_event(db.session, current_user, event,
                                              **_event_values(form)),
            _("Ändringarna är sparade."), url_for("events.detail", event_id=event.id))
        if done is not None:
            return done
    return render_template("events/form.html", form=form, event=event), (
        422 if request.method == "POST" else 200)


@bp.route("/<id:event_id>/cancel", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def cancel(event_id: int):
    event = _changeable_event_or_403(event_id)
    form = CancelEventForm()
    if form.validate_on_submit():
        return act(
            lambda: events.cancel_event(db.session, current_user, event,
                                        reason=form.reason.data or ""),
            url_for("events.detail", event_id=event.id), _("Aktiviteten är inställd."))
    return render_template("events/cancel.html", form=form, event=event)


# ---------------------------------------------------------------- event page and attendance


@bp.route("/<id:event_id>")
@roles(Role.COORDINATOR, Role.SUPERVISOR)
def detail(event_id: int):
    event = _event_or_404(event_id)
    invitations = attendance.invitations_for(db.session, current_user, event)
    team_names = (
        attendance.team_names_of(db.session, [i.person_id for i in invitations],
                                 event.school_year_id)
        if event.team_id is None else {}
    )
    counts = attendance.attendance_counts(db.session, current_user, [event.id])
    return render_template(
        "events/detail.html", event=event, invitations=invitations, team_names=team_names,
        counts=counts.get(event.id, attendance.AttendanceCounts()),
        can_mark=not event.cancelled and event.event_date <= local_today(),
        can_plan=current_user.role in (Role.ADMIN, Role.COORDINATOR),
        can_change=events.may_change_event(current_user, event),
        action_form=ActionForm(),
    )


def _mark_status(form: MarkForm) -> InvitationStatus:
    """Return the status the tapped button asks for, or refuse one that is not a mark."""
    if form.validate_on_submit() and form.status.data in {s.value for s in attendance.MARKS}:
        return InvitationStatus(form.status.data)
    raise DomainError("events.choose_mark", field="status")


@bp.route("/<id:event_id>/attendance/<id:person_id>", methods=["POST"])
@roles(Role.COORDINATOR, Role.SUPERVISOR)
def mark(event_id: int, person_id: int):
    event = _event_or_404(event_id)
    form = MarkForm()
    back = url_for("events.detail", event_id=event.id, _anchor=f"p{person_id}")

    def marked():
        status = _mark_status(form)
        attendance.mark_attendance(db.session, current_user, event, person_id, status,
                                   on=local_today())
        if wants_json():
            counts = attendance.attendance_counts(db.session, current_user, [event.id])[event.id]
            return jsonify(status=status.value, invited=counts.invited,
                           attended=counts.attended, absent=counts.absent,
                           unmarked=counts.unmarked)
        return redirect(back)

    return answer_mark(marked, back)


# ---------------------------------------------------------------- invitations


def _invited(form: InviteForm, event: Event) -> str:
    """Invite the persons chosen in the form; return the URL of the invitation page."""
    added = attendance.invite_persons(db.session, current_user, event, form.person_ids.data or [])
    flash(_("%(n)s inbjudna.", n=added), "success")
    return url_for("events.invite", event_id=event.id)


@bp.route("/<id:event_id>/invite", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def invite(event_id: int):
    event = _event_or_404(event_id)
    form = InviteForm()
    people = attendance.candidates(db.session, current_user, event)
    form.person_ids.choices = [(c.person.id, c.person.full_name) for c in people]
    status = 200
    if form.validate_on_submit():
        done = save_once(form, lambda: _invited(form, event))
        if done is not None:
            return done
        status = 422
    elif request.method == "POST":
        status = 422
    invitations = attendance.invitations_for(db.session, current_user, event)
    return render_template(
        "events/invite.html", event=event, form=form, candidates=people,
        invitations=invitations, action_form=ActionForm(),
    ), status


@bp.route("/<id:event_id>/invite-all", methods=["POST"])
@roles(Role.COORDINATOR)
def invite_all(event_id: int):
    event = _event_or_404(event_id)
    back = url_for("events.detail", event_id=event.id)
    if not ActionForm().validate_on_submit():
        return redirect(back)
    return act(lambda: _invited_all(event), back)


def _invited_all(event: Event) -> None:
    """Invite the event's active polare and say how many were new."""
    added = attendance.invite_active_polare(db.session, current_user, event)
    if added:
        flash(_("%(n)s aktiva polare är inbjudna.", n=added), "success")
    else:
        flash(_("Alla aktiva polare var redan inbjudna."), "info")


@bp.route("/<id:event_id>/invitations/<id:person_id>/remove", methods=["POST"])
@roles(Role.COORDINATOR)
def uninvite(event_id: int, person_id: int):
    event = _event_or_404(event_id)
    back = url_for("events.invite", event_id=event.id)
    if not ActionForm().validate_on_submit():
        return redirect(back)
    return act(lambda: attendance.remove_invitation(db.session, current_user, event, person_id),
               back, _("Inbjudan är borttagen."))


# ---------------------------------------------------------------- event types (admin)


@bp.route("/types")
@roles(Role.ADMIN)
def types():
    return render_template("events/types.html", event_types=events.event_types(db.session))


@bp.route("/types/new", methods=["GET", "POST"], defaults={"type_id": None})
@bp.route("/types/<id:type_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def type_edit(type_id: int | None):
    event_type = db.session.get(EventType, type_id) if type_id else None
    if type_id and event_type is None:
        abort(404)
    form = (EventTypeForm if event_type else NewEventTypeForm)(obj=event_type)
    if form.validate_on_submit():
        done = save_form(
            form, lambda: events.save_event_type(
                db.session, current_user, event_type, name=form.name.data,
                name_en=form.name_en.data or "", required=form.required.data,
                active=form.active.data, sort_order=form.sort_order.data,
            ),
            _("Aktivitetstypen är sparad."), url_for("events.types"))
        if done is not None:
            return done
    return render_template("events/type_form.html", form=form, event_type=event_type), (
        422 if request.method == "POST" else 200)
