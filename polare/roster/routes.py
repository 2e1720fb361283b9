"""Roster pages: a team's polare in a school year, the waiting list, next year, the cap."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from polare import clock
from polare.audit.services import record
from polare.auth.access import can_see_full_personnummer, roles
from polare.converters import id_argument, page_number
from polare.events.training import missing_required_training
from polare.extensions import db
from polare.org.models import SchoolYear, Team, TeamYear
from polare.org.services import get_settings, set_team_year_cap
from polare.privacy.access_log import audit_personnummer_lookup
from polare.privacy.lookups import (
    LookupLimitError,
    count_personnummer_lookup,
    may_look_up_personnummer,
)
from polare.recruitment.flags import roster_flags
from polare.roster import bp
from polare.roster.forms import STATUS_LABELS, CapForm, ContinueForm, RosterFilterForm
from polare.roster.listing import (
    OPEN_STATUSES,
    RosterFilters,
    looks_like_personnummer,
    roster_query,
    status_counts,
)
from polare.roster.models import Enrolment, EnrolmentStatus
from polare.roster.roles import EDITORS, VIEWERS
from polare.roster.scope import (
    chosen_team_and_year,
    may_edit,
    school_years,
    shown_personnummer,
    teams_for,
    year_after,
)
from polare.roster.services import (
    age_on,
    continuation_candidates,
    continue_to_next_year,
    next_school_year,
    reference_day,
    waiting_list,
    years_in_programme_by_person,
)
from polare.roster.services.queries import ADULT_AGE
from polare.roster.services.year_end import recently_closed
from polare.transactions import keep_on_refusal
from polare.web import act, refusal_of, save_once, show_refusal

PAGE_SIZE = 25
#: Most rows a search sent by POST shows (it has no pages).
SEARCH_LIMIT = 100
_STATUS_VALUES = frozenset(status.value for status in EnrolmentStatus)


@dataclass(frozen=True)
class RosterRow:
    """One enrolment as the roster shows it."""

    enrolment: Enrolment
    personnummer: str
    age: int
    years: int
    consent_missing: bool
    training_missing: list[str]


def _chosen(team_id: int | None, year_id: int | None, teams: list[Team] | None = None,
            years: list[SchoolYear] | None = None) -> tuple[Team | None, SchoolYear]:
    return chosen_team_and_year(db.session, current_user, team_id, year_id,
                                today=clock.local_today(), teams=teams, years=years)


def _filters_from_args() -> RosterFilters:
    status = request.args.get("status", "")
    return RosterFilters(
        status=EnrolmentStatus(status) if status in _STATUS_VALUES else None,
        consent_missing=bool(request.args.get("consent")),
        training_missing=bool(request.args.get("training")),
        name=request.args.get("q", "").strip()[:80],
    )


def _filters_from_search(form: RosterFilterForm) -> RosterFilters:
    """Return the filters of a search sent by POST; a number is searched as a personnummer."""
    query = (form.q.data or "").strip()
    is_number = looks_like_personnummer(query)
    return RosterFilters(
        status=EnrolmentStatus(form.status.data) if form.status.data else None,
        consent_missing=form.consent.data, training_missing=form.training.data,
        name="" if is_number else query, personnummer=query if is_number else "",
    )


def _search_by_number(form: RosterFilterForm, team: Team | None, year: SchoolYear,
                      years: list[SchoolYear]):
    """Answer a personnummer search: coordinators and admin only, counted per user, audited."""
    if not may_look_up_personnummer(current_user):
        form.q.errors = [_("Du ser personnummer maskerade och kan inte söka på dem. Sök på "
                           "namn i stället.")]
        return _render_roster(form, team, year, years, RosterFilters(), paged=True, status=422)
    refusal = refusal_of(lambda: count_personnummer_lookup(current_user))
    if isinstance(refusal, LookupLimitError):
        show_refusal(form, refusal)
        page, status = _render_roster(form, team, year, years, RosterFilters(), paged=True,
                                      status=429)
        return page, status, {"Retry-After": str(refusal.retry_after)}
    where = f"roster {team.id}/{year.id}" if team is not None else "roster"
    audit_personnummer_lookup(db.session, current_user, None, f"search in {where}")
    return _render_roster(form, team, year, years, _filters_from_search(form), paged=False)


def _rows(enrolments: list[Enrolment], team: Team, year: SchoolYear) -> list[RosterRow]:
    """Add age, years, masked number, consent and training status to each enrolment."""
    day = reference_day(year, clock.local_today())
    ids = [e.person_id for e in enrolments]
    years = years_in_programme_by_person(db.session, ids, day, year)
    training = missing_required_training(db.session, ids, year.id)
    full = can_see_full_personnummer(current_user, {team.id})
    if full and enrolments:
        # Committed with the request, once the page is rendered: a commit now would expire
        # every row.
        record(db.session, current_user, "view", "roster", f"{team.id}/{year.id}",
               note=f"personnummer of {len(enrolments)} persons", persons=ids)
    rows = []
    for enrolment in enrolments:
        person = enrolment.person
        age = age_on(person.birth_date, max(day, person.birth_date))
        is_open = enrolment.status in OPEN_STATUSES
        rows.append(RosterRow(
            enrolment=enrolment, personnummer=shown_personnummer(person, full), age=age,
            years=years[person.id],
            consent_missing=is_open and age < ADULT_AGE and enrolment.consent_date is None,
            training_missing=training.get(person.id, []) if is_open else [],
        ))
    return rows


def _cap(team: Team, year: SchoolYear) -> int:
    cap = db.session.scalar(select(TeamYear.cap).where(TeamYear.team_id == team.id,
                                                      TeamYear.school_year_id == year.id))
    return get_settings(db.session).default_cap if cap is None else cap


def _render_roster(form: RosterFilterForm, team: Team | None, year: SchoolYear,
                   years: list[SchoolYear], filters: RosterFilters, *, paged: bool,
                   status: int = 200):
    """Render the roster; `years` are every school year, as the filter form lists them."""
    context: dict[str, object] = {"form": form, "team": team, "year": year,
                                  "filters": filters, "status_labels": STATUS_LABELS,
                                  "can_edit": may_edit(current_user), "page": None, "rows": []}
    if team is not None:
        query = roster_query(team.id, year.id, filters, reference_day(year, clock.local_today()),
                             today=clock.local_today())
        if paged:
            page = db.paginate(query, page=page_number(), per_page=PAGE_SIZE,
                               error_out=False)
            enrolments = list(page.items)
            context["page"] = page
        else:
            enrolments = list(db.session.scalars(query.limit(SEARCH_LIMIT)).unique())
        cap = _cap(team, year)
        context.update(
            rows=_rows(enrolments, team, year),
            counts=status_counts(db.session, team.id, year.id), cap=cap,
            waiting=waiting_list(db.session, team.id, year.id),
            next_year=year_after(years, year),
            cap_form=CapForm(formdata=None, data={"cap": cap}),
            year_end_closed=(recently_closed(db.session, team.id, now=clock.utcnow())
                             if may_edit(current_user) else []),
            recruitment=roster_flags(db.session, team.id, year.id),
        )
    html = render_template("roster/index.html", **context)
    keep_on_refusal(db.session)
    return html, status


def _filter_form(teams: list[Team], years: list[SchoolYear],
                 args: MultiDict[str, str] | None = None) -> RosterFilterForm:
    """Return the filter form: from the query string (GET) or the posted search (POST)."""
    # Built with its CSRF token also from the query string: the page's form is sent by POST.
    form = RosterFilterForm() if args is None else RosterFilterForm(args)
    form.team.choices = [(t.id, t.name) for t in teams]
    form.year.choices = [(y.id, y.label) for y in years]
    return form


@bp.route("/", methods=["GET", "POST"])
@roles(*VIEWERS)
def index():
    # Read once: the filter form lists them and the defaults and the next year come from them.
    teams, years = teams_for(db.session, current_user), school_years(db.session)
    if request.method == "POST":
        form = _filter_form(teams, years)
        if not form.validate_on_submit():
            team, year = _chosen(None, None, teams, years)
            return _render_roster(form, team, year, years, RosterFilters(), paged=True,
                                  status=422)
        team, year = _chosen(form.team.data, form.year.data, teams, years)
        query = (form.q.data or "").strip()
        if looks_like_personnummer(query):
            return _search_by_number(form, team, year, years)
        if any(char.isdigit() for char in query):
            # Digits may be part of a personnummer: answer here, never through a URL.
            return _render_roster(form, team, year, years, _filters_from_search(form),
                                  paged=False)
        return redirect(url_for(
            "roster.index", team=team.id, year=year.id, status=form.status.data or None,
            consent="y" if form.consent.data else None,
            training="y" if form.training.data else None, q=query or None))
    team, year = _chosen(id_argument("team"), id_argument("year"), teams, years)
    filters = _filters_from_args()
    form = _filter_form(teams, years, request.args)
    form.team.data = team.id if team else None
    form.year.data = year.id
    form.q.data = filters.name
    return _render_roster(form, team, year, years, filters, paged=True)


@bp.route("/cap", methods=["POST"])
@roles()
def change_cap():
    form = CapForm()
    team, year = _chosen(id_argument("team"), id_argument("year"))
    if team is None:
        abort(404)
    back = url_for("roster.index", team=team.id, year=year.id)
    if not form.validate_on_submit():
        flash(_("Skriv ett tak mellan 0 och 500."), "danger")
        return redirect(back)
    return act(lambda: set_team_year_cap(db.session, current_user, team.id, year.id,
                                         form.cap.data),
               back, _("Taket för %(team)s %(year)s är nu %(cap)s.", team=team.name,
                       year=year.label, cap=form.cap.data))


def _continued(form: ContinueForm, team: Team, year: SchoolYear, to_year: SchoolYear) -> str:
    """Enrol the chosen polare in the next school year; return the URL of its roster."""
    created = continue_to_next_year(db.session, current_user, team.id, year.id, to_year.id,
                                    form.person_ids.data, on=clock.local_today())
    flash(_("%(n)s polare är anmälda som sökande till %(team)s %(year)s.",
            n=len(created), team=team.name, year=to_year.label), "success")
    return url_for("roster.index", team=team.id, year=to_year.id)


@bp.route("/continue", methods=["GET", "POST"])
@roles(*EDITORS)
def continue_year():
    team, year = _chosen(id_argument("team"), id_argument("year"))
    to_year = next_school_year(db.session, year)
    if team is None or to_year is None:
        abort(404)
    candidates = continuation_candidates(db.session, team.id, year.id, to_year.id)
    form = ContinueForm()
    form.person_ids.choices = [(c.person.id, c.person.full_name) for c in candidates
                               if not c.already_enrolled]
    status = 200
    if form.validate_on_submit():
        done = save_once(form, lambda: _continued(form, team, year, to_year))
        if done is not None:
            return done
        status = 422
    elif request.method == "POST":
        status = 422
    ages = {c.person.id: age_on(c.person.birth_date, to_year.starts_on) for c in candidates}
    return render_template("roster/continue.html", form=form, team=team, year=year,
                           to_year=to_year, candidates=candidates, ages=ages,
                           settings=get_settings(db.session)), status

