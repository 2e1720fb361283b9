"""Person pages: register a polare, edit details and guardians, enrol in a team-year."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from polare import clock
from polare.auth.access import (
    can_access_team,
    can_see_full_personnummer,
    ensure_team,
    roles,
)
from polare.converters import form_id, id_argument
from polare.errors import DomainError
from polare.extensions import db
from polare.org.models import SchoolYear
from polare.privacy.access_log import audit_personnummer_lookup, audit_personnummer_view
from polare.privacy.lookups import LookupLimitError, count_personnummer_lookup
from polare.roster import bp
from polare.roster.forms import (
    STATUS_LABELS,
    ConfirmForm,
    EnrolExistingForm,
    EnrolForm,
    GuardianForm,
    NewGuardianForm,
    NewPersonForm,
    PersonForm,
)
from polare.roster.history import person_history
from polare.roster.identity import InvalidPersonnummer, format_phone_se, parse_personnummer
from polare.roster.models import Guardian, Person
from polare.roster.person_page import PERSON_PAGE_LOADS, person_sections
from polare.roster.refusals import fields_prefixed, saved_once
from polare.roster.roles import EDITORS, VIEWERS
from polare.roster.scope import (
    chosen_team_and_year,
    may_edit,
    person_or_404,
    school_years,
    shown_personnummer,
    teams_for,
)
from polare.roster.services import (
    GuardianInput,
    PersonExistsError,
    PersonInput,
    UnknownPersonError,
    add_guardian,
    age_on,
    create_enrolment,
    create_person,
    find_person_by_personnummer,
    is_visible,
    remove_guardian,
    update_guardian,
    update_person,
)
from polare.transactions import keep_on_refusal
from polare.web import act, refusal_of, save_form, save_once, show_refusal


def _person_input(form: PersonForm) -> PersonInput:
    return PersonInput(
        personnummer=form.personnummer.data or "", first_name=form.first_name.data or "",
        last_name=form.last_name.data or "", phone=form.phone.data or "",
        email=form.email.data or "", address=form.address.data or "",
        school=form.school.data or "", notes=form.notes.data or "",
        prior_years=form.prior_years.data or 0,
    )


def _guardian_input(name: str | None, phone: str | None, email: str | None,
                    relation: str | None) -> GuardianInput:
    return GuardianInput(name=name or "", phone=phone or "", email=email or "",
                         relation=relation or "")


def _enrol_choices(form: NewPersonForm | EnrolForm,
                   years: Sequence[SchoolYear] | None = None) -> None:
    """Offer the user's active teams and the school years (`years` if read already)."""
    form.team_id.choices = [(t.id, t.name) for t in teams_for(db.session, current_user)]
    if years is None:
        years = school_years(db.session)
    form.school_year_id.choices = [(y.id, y.label) for y in years]


def _register(form: NewPersonForm) -> str:
    """Create the person, their first guardian if given, and the application; return their URL."""
    today = clock.local_today()
    person = create_person(db.session, current_user, _person_input(form), today=today)
    if form.guardian_name.data or form.guardian_phone.data:
        with fields_prefixed("guardian_"):
            add_guardian(db.session, current_user, person, _guardian_input(
                form.guardian_name.data, form.guardian_phone.data, form.guardian_email.data,
                form.guardian_relation.data))
    ensure_team(current_user, form.team_id.data)
    create_enrolment(db.session, current_user, person, form.team_id.data,
                     form.school_year_id.data, on=today)
    flash(_("%(name)s är registrerad och anmäld.", name=person.full_name), "success")
    return url_for("roster.person_view", person_id=person.id)


def _audited_match(form: PersonForm, error: PersonExistsError, how: str) -> int:
    """Show the refusal of a registered number and audit the match; return the person's id."""
    person_id = error.person.id
    show_refusal(form, error)
    audit_personnummer_lookup(db.session, current_user, person_id, how)
    keep_on_refusal(db.session)
    return person_id


def _existing_match(form: NewPersonForm, error: PersonExistsError) -> Person | None:
    """Audit a match on a registered number; return the person only if the user may see them."""
    person_id = _audited_match(form, error, "new person")
    person = db.session.get(Person, person_id)
    if person is not None and is_visible(db.session, current_user, person):
        return person
    return None


def _refused_registration(
    form: NewPersonForm, refusal: DomainError
) -> tuple[Person | None, bool, int, dict[str, str]]:
    """Show a refused registration: (person found, number registered?, status, headers)."""
    if isinstance(refusal, PersonExistsError):
        return _existing_match(form, refusal), True, 422, {}
    show_refusal(form, refusal)
    if isinstance(refusal, LookupLimitError):
        return None, False, 429, {"Retry-After": str(refusal.retry_after)}
    return None, False, 422, {}


@bp.route("/persons/new", methods=["GET", "POST"])
@roles(*EDITORS)
def person_create():
    form = NewPersonForm()
    _enrol_choices(form)
    if request.method == "GET":
        team, year = chosen_team_and_year(
            db.session, current_user, id_argument("team"), id_argument("year"),
            today=clock.local_today())
        form.team_id.data = team.id if team else None
        form.school_year_id.data = year.id
    existing, registered, status, headers = None, False, 200, {}
    if form.validate_on_submit():
        outcome = (refusal_of(lambda: count_personnummer_lookup(current_user))
                   or saved_once(form, lambda: _register(form)))
        if not isinstance(outcome, DomainError):
            return outcome
        existing, registered, status, headers = _refused_registration(form, outcome)
    elif request.method == "POST":
        status = 422
    enrol_existing = EnrolExistingForm(formdata=None, data={
        "personnummer": form.personnummer.data, "team_id": form.team_id.data,
        "school_year_id": form.school_year_id.data}) if registered else None
    return render_template("roster/person_form.html", form=form, person=None,
                           existing=existing, registered=registered,
                           enrol_existing=enrol_existing), status, headers


@bp.route("/persons/enrol-existing", methods=["POST"])
@roles(*EDITORS)
def person_enrol_existing():
    form = EnrolExistingForm()
    if not (form.validate_on_submit() and form.team_id.data.isdigit()
            and form.school_year_id.data.isdigit()):
        abort(400)
    team_id, year_id = form_id(form.team_id.data), form_id(form.school_year_id.data)
    ensure_team(current_user, team_id)

    def enrol() -> str:
        person = find_person_by_personnummer(db.session, form.personnummer.data,
                                             today=clock.local_today())
        if person is None:
            raise UnknownPersonError()
        audit_personnummer_lookup(db.session, current_user, person.id, "enrol existing")
        create_enrolment(db.session, current_user, person, team_id, year_id,
                         on=clock.local_today())
        flash(_("%(name)s är anmäld som sökande.", name=person.full_name), "success")
        return url_for("roster.person_view", person_id=person.id)

    outcome = (refusal_of(lambda: count_personnummer_lookup(current_user))
               or saved_once(form, enrol))
    if not isinstance(outcome, DomainError):
        return outcome
    flash(outcome.message, "danger")
    return redirect(url_for("roster.person_create", team=team_id, year=year_id))


def _render_person(person: Person, team_ids: set[int], *, enrol_form: EnrolForm | None = None,
                   status: int = 200):
    """Render the person page; the person comes loaded with `PERSON_PAGE_LOADS`."""
    today = clock.local_today()
    full = can_see_full_personnummer(current_user, team_ids)
    # Data minimisation: only the enrolments (and so the history) of the viewer's own teams.
    enrolments = sorted(
        (e for e in person.enrolments if can_access_team(current_user, e.team_id)),
        key=lambda e: (-e.school_year.starts_on.toordinal(), e.id))
    years = school_years(db.session)
    if enrol_form is None:
        enrol_form = EnrolForm(formdata=None)
        _enrol_choices(enrol_form, years)
    sections = person_sections(db.session, current_user, person, today, years)
    if full and person.personnummer:
        audit_personnummer_view(db.session, current_user, person.id)
    html = render_template(
        "roster/person.html", person=person, enrolments=enrolments,
        personnummer=shown_personnummer(person, full),
        age=age_on(person.birth_date, today), years=sections.years,
        history=person_history(db.session, person, enrolments, full_personnummer=full),
        status_labels=STATUS_LABELS, can_edit=may_edit(current_user), enrol_form=enrol_form,
        confirm_form=ConfirmForm(formdata=None), format_phone=format_phone_se,
        manages={e.id for e in enrolments if can_access_team(current_user, e.team_id)},
        sections=sections,
    )
    # The view of the personnummer is committed with the request, once the page is rendered (a
    # commit before would expire the page); a refused page keeps it too.
    keep_on_refusal(db.session)
    return html, status


@bp.route("/persons/<id:person_id>")
@roles(*VIEWERS)
def person_view(person_id: int):
    person, team_ids = person_or_404(db.session, current_user, person_id, *PERSON_PAGE_LOADS)
    return _render_person(person, team_ids)


@bp.route("/persons/<id:person_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def person_edit(person_id: int):
    person, _team_ids = person_or_404(db.session, current_user, person_id)
    form = PersonForm(obj=person)
    if request.method == "GET" and person.phone:
        form.phone.data = format_phone_se(person.phone)
    status, headers = 200, {}
    if form.validate_on_submit():
        outcome = ((_changes_number(form, person)
                    and refusal_of(lambda: count_personnummer_lookup(current_user)))
                   or saved_once(form, lambda: _edited(form, person)))
        if not isinstance(outcome, DomainError):
            return outcome
        status, headers = _refused_edit(form, outcome)
    elif request.method == "POST":
        status = 422
    return render_template("roster/person_form.html", form=form, person=person,
                           existing=None, registered=False), status, headers


def _changes_number(form: PersonForm, person: Person) -> bool:
    """Tell whether the form gives the person another valid number: a lookup of that number."""
    try:
        typed = parse_personnummer(form.personnummer.data or "", clock.local_today())
    except InvalidPersonnummer:
        return False  # refused by the update, and it finds no one
    return typed.canonical != person.personnummer


def _edited(form: PersonForm, person: Person) -> str:
    """Save the person's details; return the URL of their page."""
    update_person(db.session, current_user, person, _person_input(form),
                  today=clock.local_today())
    flash(_("Ändringarna är sparade."), "success")
    return url_for("roster.person_view", person_id=person.id)


def _refused_edit(form: PersonForm, refusal: DomainError) -> tuple[int, dict[str, str]]:
    """Show a refused edit: (status, headers). A number another record has is audited."""
    if isinstance(refusal, PersonExistsError):
        _audited_match(form, refusal, "edit person")
        return 422, {}
    show_refusal(form, refusal)
    if isinstance(refusal, LookupLimitError):
        return 429, {"Retry-After": str(refusal.retry_after)}
    return 422, {}


def _enrolled(form: EnrolForm, person: Person) -> str:
    """Enrol the person as the form says; return the URL of the enrolment."""
    enrolment = create_enrolment(db.session, current_user, person, form.team_id.data,
                                 form.school_year_id.data, on=clock.local_today())
    flash(_("%(name)s är anmäld.", name=person.full_name), "success")
    return url_for("roster.enrolment_view", enrolment_id=enrolment.id)


@bp.route("/persons/<id:person_id>/enrol", methods=["POST"])
@roles(*EDITORS)
def person_enrol(person_id: int):
    person, team_ids = person_or_404(db.session, current_user, person_id, *PERSON_PAGE_LOADS)
    form = EnrolForm()
    _enrol_choices(form)
    if form.validate_on_submit():
        done = save_once(form, lambda: _enrolled(form, person))
        if done is not None:
            return done
    return _render_person(person, team_ids, enrol_form=form, status=422)


def _guardian_or_404(guardian_id: int) -> Guardian:
    guardian = db.session.get(Guardian, guardian_id)
    if guardian is None:
        abort(404)
    person_or_404(db.session, current_user, guardian.person_id)
    return guardian


def _guardian_form_page(form: GuardianForm, person: Person, guardian: Guardian | None,
                        status: int):
    return render_template("roster/guardian_form.html", form=form, person=person,
                           guardian=guardian), status


@bp.route("/persons/<id:person_id>/guardians/new", methods=["GET", "POST"])
@roles(*EDITORS)
def guardian_create(person_id: int):
    person, _team_ids = person_or_404(db.session, current_user, person_id)
    form = NewGuardianForm()
    if form.validate_on_submit():
        done = save_form(
            form, lambda: add_guardian(db.session, current_user, person, _guardian_input(
                form.name.data, form.phone.data, form.email.data, form.relation.data)),
            _("Vårdnadshavaren är tillagd."),
            url_for("roster.person_view", person_id=person.id))
        if done is not None:
            return done
    return _guardian_form_page(form, person, None,
                               422 if request.method == "POST" else 200)


@bp.route("/guardians/<id:guardian_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def guardian_edit(guardian_id: int):
    guardian = _guardian_or_404(guardian_id)
    form = GuardianForm(obj=guardian)
    if request.method == "GET" and guardian.phone:
        form.phone.data = format_phone_se(guardian.phone)
    if form.validate_on_submit():
        done = save_form(
            form, lambda: update_guardian(db.session, current_user, guardian, _guardian_input(
                form.name.data, form.phone.data, form.email.data, form.relation.data)),
            _("Ändringarna är sparade."),
            url_for("roster.person_view", person_id=guardian.person_id))
        if done is not None:
            return done
    return _guardian_form_page(form, guardian.person, guardian,
                               422 if request.method == "POST" else 200)


@bp.route("/guardians/<id:guardian_id>/remove", methods=["POST"])
@roles(*EDITORS)
def guardian_remove(guardian_id: int):
    guardian = _guardian_or_404(guardian_id)
    person_id = guardian.person_id
    back = url_for("roster.person_view", person_id=person_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(back)
    return act(lambda: remove_guardian(db.session, current_user, guardian), back,
               _("Vårdnadshavaren är borttagen."))
