"""Admin pages: users, teams, districts, school years, settings and the audit log."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from polare.admin import bp
from polare.admin.forms import (
    AuditFilterForm,
    DistrictForm,
    NewDistrictForm,
    NewSchoolYearForm,
    NewTeamForm,
    NewUserForm,
    ResetPasswordForm,
    SchoolYearForm,
    SettingsForm,
    TeamForm,
    UserForm,
)
from polare.audit.models import AuditEntry
from polare.auth import services as users
from polare.auth.access import roles
from polare.auth.models import ROLE_LABELS, Role, User
from polare.clock import utc_start_of_local_day
from polare.converters import page_number
from polare.extensions import db
from polare.org import services as org
from polare.org.models import District, SchoolYear, Team
from polare.roster.models import Person
from polare.web import act, save_form

ADMIN = Role.ADMIN


def _team_choices() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))]


def _get_or_404(model: type, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/")
@roles(ADMIN)
def index():
    return render_template("admin/index.html")


@bp.route("/users")
@roles(ADMIN)
def user_list():
    all_users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=all_users, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@roles(ADMIN)
def user_create():
    form = NewUserForm()
    form.teams.choices = _team_choices()
    if form.validate_on_submit():
        done = save_form(
            form, lambda: users.create_user(
                db.session, current_user, username=form.username.data,
                password=form.password.data or "", role=Role(form.role.data),
                teams=[db.session.get(Team, tid) for tid in form.teams.data],
                full_name=form.full_name.data or "", email=form.email.data or "",
                must_change_password=True, can_attest=form.can_attest.data,
            ),
            _("Användaren %(name)s är skapad.", name=form.username.data),
            url_for("admin.user_list"))
        if done is not None:
            return done
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@roles(ADMIN)
def user_edit(user_id: int):
    user = _get_or_404(User, user_id)
    # Not `obj=user`: WTForms would read `user.teams` (Team objects) over the ids given here.
    form = UserForm(data=None if request.method == "POST" else {
        "username": user.username, "full_name": user.full_name, "email": user.email,
        "role": user.role.value, "teams": [t.id for t in user.teams], "active": user.active})
    form.teams.choices = _team_choices()
    del form.password
    if form.validate_on_submit():
        done = save_form(
            form, lambda: users.update_user(
                db.session, current_user, user, full_name=form.full_name.data or "",
                email=form.email.data or "", role=Role(form.role.data),
                teams=[db.session.get(Team, tid) for tid in form.teams.data],
                active=form.active.data, can_attest=form.can_attest.data,
            ),
            _("Ändringarna är sparade."), url_for("admin.user_list"))
        if done is not None:
            return done
    return render_template("admin/user_form.html", form=form, user=user,
                           reset_form=ResetPasswordForm(formdata=None))


@bp.route("/users/<id:user_id>/password", methods=["POST"])
@roles(ADMIN)
def user_reset_password(user_id: int):
    user = _get_or_404(User, user_id)
    form = ResetPasswordForm()
    back = url_for("admin.user_edit", user_id=user.id)
    if not form.validate_on_submit():
        flash(_("Skriv ett lösenord."), "danger")
        return redirect(back)
    return act(lambda: users.set_password(db.session, current_user, user, form.password.data,
                                          force_change=form.force_change.data),
               back, _("Nytt lösenord är satt för %(name)s.", name=user.username))


@bp.route("/teams")
@roles(ADMIN)
def team_list():
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    return render_template("admin/teams.html", teams=teams)


@bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/teams/<id:team_id>", methods=["GET", "POST"])
@roles(ADMIN)
def team_edit(team_id: int | None):
    team = _get_or_404(Team, team_id) if team_id else None
    form = (TeamForm if team else NewTeamForm)(obj=team)
    if form.validate_on_submit():
        done = save_form(
            form, lambda: org.save_team(db.session, current_user, team, name=form.name.data,
                                        cost_centre=form.cost_centre.data,
                                        active=form.active.data),
            _("Teamet är sparat."), url_for("admin.team_list"))
        if done is not None:
            return done
    return render_template("admin/simple_form.html", form=form,
                           title=_("Team") if team is None else team.name,
                           back=url_for("admin.team_list"))


@bp.route("/districts")
@roles(ADMIN)
def district_list():
    districts = db.session.scalars(
        select(District).join(District.team).order_by(Team.name, District.is_home.desc(),
                                                      District.name)
    ).all()
    return render_template("admin/districts.html", districts=districts)


@bp.route("/districts/new", methods=["GET", "POST"], defaults={"district_id": None})
@bp.route("/districts/<id:district_id>", methods=["GET", "POST"])
@roles(ADMIN)
def district_edit(district_id: int | None):
    district = _get_or_404(District, district_id) if district_id else None
    form = (DistrictForm if district else NewDistrictForm)(obj=district)
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        done = save_form(
            form, lambda: org.save_district(db.session, current_user, district,
                                            name=form.name.data, team_id=form.team_id.data,
                                            is_home=form.is_home.data),
            _("Stadsdelen är sparad."), url_for("admin.district_list"))
        if done is not None:
            return done
    return render_template("admin/simple_form.html", form=form, title=_("Stadsdel"),
                           back=url_for("admin.district_list"))


@bp.route("/school-years")
@roles(ADMIN)
def school_year_list():
    years = db.session.scalars(select(SchoolYear).order_by(SchoolYear.starts_on.desc())).all()
    return render_template("admin/school_years.html", years=years)


@bp.route("/school-years/new", methods=["GET", "POST"], defaults={"year_id": None})
@bp.route("/school-years/<id:year_id>", methods=["GET", "POST"])
@roles(ADMIN)
def school_year_edit(year_id: int | None):
    year = _get_or_404(SchoolYear, year_id) if year_id else None
    form = (SchoolYearForm if year else NewSchoolYearForm)(obj=year)
    if form.validate_on_submit():
        done = save_form(
            form, lambda: org.save_school_year(db.session, current_user, year,
                                               label=form.label.data,
                                               starts_on=form.starts_on.data,
                                               ends_on=form.ends_on.data),
            _("Läsåret är sparat."), url_for("admin.school_year_list"))
        if done is not None:
            return done
    return render_template("admin/simple_form.html", form=form, title=_("Läsår"),
                           back=url_for("admin.school_year_list"))


@bp.route("/settings", methods=["GET", "POST"])
@roles(ADMIN)
def settings():
    current = org.get_settings(db.session)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in org.SETTINGS_FIELDS}
        values["deletion_decision_ref"] = values["deletion_decision_ref"] or ""
        values["first_pay_period"] = (values["first_pay_period"] or "").strip() or None
        done = save_form(
            form, lambda: org.update_settings(db.session, current_user, **values),
            _("Inställningarna är sparade."), url_for("admin.settings"))
        if done is not None:
            return done
    return render_template("admin/simple_form.html", form=form, title=_("Inställningar"),
                           back=url_for("admin.index"))


AUDIT_PAGE_SIZE = 50


@bp.route("/audit")
@roles(ADMIN)
def audit_log():
    form = AuditFilterForm(request.args)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if form.validate():
        if form.username.data:
            query = query.where(AuditEntry.username == form.username.data.strip())
        if form.entity.data:
            query = query.where(AuditEntry.entity == form.entity.data.strip())
        if form.date_from.data:
            query = query.where(AuditEntry.at >= utc_start_of_local_day(form.date_from.data))
        if form.date_to.data:
            query = query.where(
                AuditEntry.at < utc_start_of_local_day(form.date_to.data + timedelta(days=1)))
    page = db.paginate(query.options(selectinload(AuditEntry.persons)),
                       page=page_number(), per_page=AUDIT_PAGE_SIZE, error_out=False)
    return render_template("admin/audit.html", form=form, page=page,
                           names=_referred_names(page.items))


def _referred_names(entries: list[AuditEntry]) -> dict[int, str]:
    """Return the names of the persons the entries refer to (entries hold only their ids)."""
    ids = {ref.person_id for entry in entries for ref in entry.persons}
    if not ids:
        return {}
    return {person.id: person.full_name
            for person in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
