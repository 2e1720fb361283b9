"""The follow-up aggregates give exactly the figures of the full computation, after any changes."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from polare.audit.services import record
from polare.errors import DomainError
from polare.events.attendance import invite_persons
from polare.events.models import Invitation, InvitationStatus
from polare.org.models import District, Team
from polare.pay.services.facts import pay_calendar
from polare.pay.services.periods import close_period
from polare.reports.aggregated import compute_teams_report
from polare.reports.aggregates import MonthContents, refresh_teams, stale_teams
from polare.reports.country import compute_country_report
from polare.reports.dashboard import (
    ATTENTION_ROWS,
    Dashboard,
    TeamStatus,
    _cost,
    _country_board,
    _country_cost,
    _country_roster,
    _country_walk_figures,
    _roster_figures,
    _walk_figures,
)
from polare.reports.figures import school_years_with_budgets
from polare.reports.models import (
    FollowUpCell,
    FollowUpEventMonth,
    FollowUpIncident,
    FollowUpMonth,
    FollowUpMonthIncident,
    FollowUpSpan,
    FollowUpTeam,
    FollowUpWalker,
)
from polare.reports.report import compute_report, scope_places
from polare.reports.scope import ReportScope
from polare.roster.models import Enrolment, EnrolmentStatus
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
)
from polare.walks.rules import walk_span

TODAY = date(2026, 11, 25)
SCOPE = ReportScope(date(2026, 8, 1), date(2026, 12, 31))
WALKS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
PERSONS = ("Anna", "Bo", "Cia", "Dan")


def _build_aggregates(db) -> None:
    """Bring every aggregate up to date as a country report does: the teams', the events' of
    the report's months and its distinct polare, so that later changes must mark them."""
    refresh_teams(db, TODAY)
    compute_country_report(db, SCOPE, today=TODAY, page=None)


def _assert_country_equals_full(db) -> None:
    """Compare the country report and the start page's figures with the full computation."""
    refresh_teams(db, TODAY)
    full = compute_report(db, SCOPE, today=TODAY)
    country, _pages = compute_country_report(db, SCOPE, today=TODAY, page=None)
    assert country.total == full.total
    assert [(r.key, r.figures) for r in country.by_month] == \
        [(r.key, r.figures) for r in full.by_month]
    assert [(r.key, r.figures) for r in country.by_team] == \
        [(r.key, r.figures) for r in full.by_team]
    assert country.incidents == full.incidents
    assert (country.events_by_type, country.events_by_month, country.events_total) == \
        (full.events_by_type, full.events_by_month, full.events_total)
    assert country.notes == full.notes
    assert (country.recruited_total, country.active_total, country.cap_total) == \
        (full.recruited_total, full.active_total, full.cap_total)
    assert [(m.month, m.cost, m.cumulative_stipends) for m in country.cost_months] == \
        [(m.month, m.cost, m.cumulative_stipends) for m in full.cost_months]
    _assert_start_page_equals_full(db)
    ryd = db.scalar(select(Team.id).where(Team.name == "Ryd"))
    _assert_start_page_equals_full(db, frozenset({ryd}))
    _assert_teams_equal_full(db)


def _team_scopes(db) -> list[ReportScope]:
    """A team, two teams, and a team with some districts (its own and one it walked in)."""
    teams = dict(db.execute(select(Team.name, Team.id)).all())
    districts = dict(db.execute(select(District.name, District.id)).all())
    ryd, berga = teams["Ryd"], teams["Berga"]
    return [ReportScope(SCOPE.date_from, SCOPE.date_to, frozenset({ryd})),
            ReportScope(SCOPE.date_from, SCOPE.date_to, frozenset({ryd, berga})),
            ReportScope(date(2026, 9, 1), date(2026, 11, 30), frozenset({ryd}),
                        frozenset({districts["Ryd"], districts["Malmslätt"]})),
            ReportScope(SCOPE.date_from, SCOPE.date_to, frozenset({berga}),
                        frozenset({districts["Berga"], districts["Lambohov"]}))]


def _assert_teams_equal_full(db) -> bool:
    """Compare reports of some teams (and districts) from the aggregates with the full
    computation, every figure; tell whether all came from the aggregates (not when some
    team's previews had errors, which the full computation then shows)."""
    refresh_teams(db, TODAY)
    years = school_years_with_budgets(db)
    aggregated = True
    for scope in _team_scopes(db):
        for with_cost in (True, False):
            full = compute_report(db, scope, today=TODAY, with_cost=with_cost)
            teams = compute_teams_report(db, scope, today=TODAY, with_cost=with_cost,
                                         places=scope_places(db, scope), years=years,
                                         calendar=pay_calendar(db))
            if teams is None:
                aggregated = False
                continue
            assert teams == full
    return aggregated


def _assert_start_page_equals_full(db, team_ids: frozenset[int] | None = None) -> None:
    from polare.org.services import school_year_on
    from polare.reports.periods import month_key

    def board() -> tuple[Dashboard, dict[int, TeamStatus]]:
        teams = db.scalars(select(Team).where(
            Team.active.is_(True) if team_ids is None else Team.id.in_(team_ids))).all()
        made = Dashboard(today=TODAY, month=month_key(TODAY),
                         school_year=school_year_on(db, TODAY))
        return made, {team.id: TeamStatus(team.id, team.name) for team in teams}

    full, full_teams = board()
    _walk_figures(db, full, list(full_teams), full_teams)
    _roster_figures(db, full.school_year, list(full_teams), full_teams)
    aggregated, aggregated_teams = board()
    assert _country_walk_figures(db, aggregated, aggregated_teams, team_ids)
    if team_ids is None:
        assert _country_roster(db, aggregated.school_year, aggregated_teams)
        _assert_country_board_equals_full(db, full, full_teams)
    else:
        _roster_figures(db, aggregated.school_year, list(aggregated_teams), aggregated_teams)
    assert (aggregated.this_month, aggregated.this_year) == (full.this_month, full.this_year)
    assert aggregated_teams == full_teams
    # A team's preview errors name persons: a coordinator's page computes them afresh.
    shown = _country_cost(db, aggregated, team_ids) or _cost(db, aggregated, team_ids)
    assert shown == _cost(db, full, team_ids)


def _assert_country_board_equals_full(db, full: Dashboard,
                                      full_teams: dict[int, TeamStatus]) -> None:
    """The whole country's start page: totals of every team, the teams needing attention."""
    country = _country_board(db, full, full.school_year, with_cost=True)
    assert country is not None
    assert (country.this_month, country.this_year) == (full.this_month, full.this_year)
    teams = list(full_teams.values())
    assert country.team_count == len(teams)
    assert (country.active, country.cap, country.awaiting_approval, country.missing_training) \
        == tuple(sum(getattr(team, name) for team in teams)
                 for name in ("active", "cap", "awaiting_approval", "missing_training"))
    needing = sorted(
        (team for team in teams
         if team.active > team.cap or team.awaiting_approval or team.missing_training),
        key=lambda team: (team.active <= team.cap, -team.awaiting_approval,
                          -team.missing_training, team.name))
    assert country.teams == needing[:ATTENTION_ROWS]


def test_country_report_from_aggregates_equals_the_full_computation(db, data):
    _assert_country_equals_full(db)


def test_a_team_report_from_aggregates_equals_the_full_computation(db, data):
    assert _assert_teams_equal_full(db)


def test_a_coordinators_start_page_from_aggregates_equals_the_full_computation(db, data,
                                                                              teams):
    refresh_teams(db, TODAY)
    _assert_start_page_equals_full(db, frozenset({teams["Ryd"].id}))


def test_a_team_report_with_preview_errors_is_left_to_the_full_computation(db, data, teams):
    refresh_teams(db, TODAY)
    ryd = teams["Ryd"].id
    db.execute(update(FollowUpTeam).where(FollowUpTeam.team_id == ryd)
               .values(preview_errors="2026-11: a polare of a team rebuilt with Ryd"))
    scope = ReportScope(SCOPE.date_from, SCOPE.date_to, frozenset({ryd}))

    def from_aggregates(with_cost: bool):
        return compute_teams_report(db, scope, today=TODAY, with_cost=with_cost,
                                    places=scope_places(db, scope),
                                    years=school_years_with_budgets(db),
                                    calendar=pay_calendar(db))

    assert from_aggregates(with_cost=True) is None
    assert from_aggregates(with_cost=False) == compute_report(db, scope, today=TODAY,
                                                              with_cost=False)


def test_a_refresh_bounded_in_time_keeps_each_batch_it_built_for_the_next(db, data,
                                                                         monkeypatch):
    monkeypatch.setattr("polare.reports.aggregates.REFRESH_BATCH", 1)
    assert len(stale_teams(db, TODAY)) == 3

    assert not refresh_teams(db, TODAY, seconds=0)
    assert len(stale_teams(db, TODAY)) == 2
    assert not refresh_teams(db, TODAY, seconds=0)
    assert refresh_teams(db, TODAY, seconds=0)
    assert stale_teams(db, TODAY) == {}


def test_aggregates_built_a_team_at_a_time_equal_the_full_computation(db, data, monkeypatch):
    monkeypatch.setattr("polare.reports.aggregates.REFRESH_BATCH", 1)
    while not refresh_teams(db, TODAY, seconds=0):
        pass
    _assert_country_equals_full(db)


def test_a_new_month_makes_every_teams_aggregates_stale(db, data):
    refresh_teams(db, TODAY)
    assert len(stale_teams(db, date(2026, 12, 1))) == 3


def test_a_walk_moved_to_another_month_leaves_the_old_month(db, data):
    refresh_teams(db, TODAY)
    walk = data.walks["W6"]
    walk.walk_date = date(2026, 11, 10)
    walk.starts_at, walk.ends_at = walk_span(walk.walk_date, walk.start_time, walk.end_time)
    record(db, None, "update", "walk", walk.id, note="test")
    db.flush()
    refresh_teams(db, TODAY)
    october = db.scalars(select(FollowUpCell.walks).where(
        FollowUpCell.team_id == walk.team_id, FollowUpCell.month == "2026-10")).all()
    assert sum(october) == 0


def test_each_months_country_row_is_every_teams_cells_summed_after_a_change(db, data):
    refresh_teams(db, TODAY)
    _apply(db, data, {}, ("met", "W5", 30))
    refresh_teams(db, TODAY)

    cell = FollowUpCell
    summed = {month: (walks, met, stipends) for month, walks, met, stipends in db.execute(
        select(cell.month, func.sum(cell.walks), func.sum(cell.met), func.sum(cell.stipends))
        .group_by(cell.month))}
    kept = {row.month: (row.walks, row.met, row.stipends)
            for row in db.scalars(select(FollowUpMonth))}
    assert kept == summed
    assert kept["2026-11"][1] >= 30


def test_a_change_marks_only_the_walks_team_stale(db, data, teams):
    refresh_teams(db, TODAY)
    data.walks["W6"].youths_met = 31
    db.flush()
    assert set(stale_teams(db, TODAY)) == {teams["Berga"].id}


# ---------------------------------------------------------------- random changes

statuses = st.sampled_from(list(WalkStatus))
walks = st.sampled_from(WALKS)
persons = st.sampled_from(PERSONS)
events = st.sampled_from(("E1", "E2", "E3", "E4"))
changes = st.one_of(
    st.tuples(st.just("status"), walks, statuses),
    st.tuples(st.just("move"), walks, st.integers(-40, 40)),
    st.tuples(st.just("team"), walks, st.sampled_from(("Ryd", "Berga"))),
    st.tuples(st.just("met"), walks, st.integers(0, 40)),
    st.tuples(st.just("attend"), walks, persons, st.sampled_from(list(ParticipationStatus))),
    st.tuples(st.just("incident"), walks, st.integers(0, 3)),
    st.tuples(st.just("birth"), persons, st.integers(-800, 800)),
    st.tuples(st.just("new"), st.sampled_from(("Ryd", "Berga")), st.integers(0, 120), persons),
    st.tuples(st.just("close"), st.just("2026-10")),
    st.tuples(st.just("invitation"), st.integers(0, 20), st.sampled_from(list(InvitationStatus))),
    st.tuples(st.just("event"), events),
    st.tuples(st.just("event_move"), events, st.integers(-60, 60)),
    st.tuples(st.just("invite"), events, persons),
    st.tuples(st.just("enrolment"), persons, st.sampled_from(list(EnrolmentStatus))),
    st.tuples(st.just("retire"), st.sampled_from(("Ryd", "Berga"))),
)


def _apply(db, data, teams, change: tuple) -> None:
    """Apply one change as a service or an edit would, and flush it."""
    kind, *args = change
    match kind:
        case "birth":
            person = data.persons[args[0]]
            person.birth_date = person.birth_date + timedelta(days=args[1])
        case "new":
            _new_walk(db, data, teams[args[0]].id, date(2026, 8, 1) + timedelta(days=args[1]),
                      data.persons[args[2]])
        case "close":
            _close(db, args[0])
        case "invitation":
            invitations = db.scalars(select(Invitation).order_by(Invitation.id)).all()
            invitations[args[0] % len(invitations)].status = args[1]
        case "event":
            data.events[args[0]].cancelled = not data.events[args[0]].cancelled
        case "event_move":
            data.events[args[0]].event_date += timedelta(days=args[1])
        case "invite":
            _invite(db, data.events[args[0]], data.persons[args[1]])
        case "retire":
            teams[args[0]].active = not teams[args[0]].active
        case "enrolment":
            enrolment = db.scalars(select(Enrolment).where(
                Enrolment.person_id == data.persons[args[0]].id)).first()
            enrolment.status = args[1]
        case _:
            _edit_walk(db, data, teams, data.walks[args[0]], kind, args[1:])
    record(db, None, "update", "test_change", note=kind)
    db.flush()


def _edit_walk(db, data, teams, walk: Walk, kind: str, args: list) -> None:
    """Change one thing about a walk."""
    match kind:
        case "status":
            walk.status = args[0]
        case "move":
            walk.walk_date = walk.walk_date + timedelta(days=args[0])
            walk.starts_at, walk.ends_at = walk_span(walk.walk_date, walk.start_time,
                                                     walk.end_time)
        case "team":
            walk.team_id = teams[args[0]].id
        case "met":
            walk.youths_met, walk.youths_talked = args[0], min(walk.youths_talked or 0, args[0])
        case "attend":
            _attend(db, walk, data.persons[args[0]], args[1])
        case "incident":
            _incident(db, walk, args[0])


def _attend(db, walk: Walk, person, status: ParticipationStatus) -> None:
    participation = db.scalar(select(Participation).where(
        Participation.walk_id == walk.id, Participation.person_id == person.id))
    if participation is None:
        db.add(Participation(walk_id=walk.id, person_id=person.id, status=status))
    else:
        participation.status = status


def _incident(db, walk: Walk, count: int) -> None:
    category = db.scalars(select(IncidentCategory).order_by(IncidentCategory.id)).first()
    incident = db.get(WalkIncident, (walk.id, category.id))
    if incident is not None and count == 0:
        db.delete(incident)
    elif incident is not None:
        incident.count = count
    elif count:
        db.add(WalkIncident(walk_id=walk.id, category_id=category.id, count=count))


def _new_walk(db, data, team_id: int, day: date, person) -> None:
    first = data.walks["W1"]
    starts_at, ends_at = walk_span(day, time(18), time(21))
    walk = Walk(team_id=team_id, district_id=first.district_id, walk_date=day,
                start_time=time(18), end_time=time(21), starts_at=starts_at, ends_at=ends_at,
                status=WalkStatus.APPROVED if day < TODAY else WalkStatus.PLANNED,
                youths_met=3, youths_talked=1)
    db.add(walk)
    db.flush()
    db.add(Participation(walk_id=walk.id, person_id=person.id,
                         status=ParticipationStatus.ATTENDED))


def _invite(db, event, person) -> None:
    """Invite as the service does (an insert past the ORM), where the person may be."""
    savepoint = db.begin_nested()
    try:
        invite_persons(db, None, event, [person.id])
    except DomainError:
        savepoint.rollback()
    else:
        savepoint.commit()


def _close(db, month: str) -> None:
    savepoint = db.begin_nested()
    try:
        close_period(db, None, month)
    except DomainError:
        savepoint.rollback()
    else:
        savepoint.commit()


def test_stipends_so_far_count_the_whole_month_from_the_source_as_from_the_aggregates(
        db, data, teams):
    refresh_teams(db, TODAY)
    _apply(db, data, teams, ("move", "W5", 20))  # an approved walk later this month
    _assert_country_equals_full(db)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(changes, min_size=1, max_size=6))
def test_aggregates_equal_the_full_computation_after_random_changes(db, data, teams, sequence):
    savepoint = db.begin_nested()
    try:
        _build_aggregates(db)
        for change in sequence:
            _apply(db, data, teams, change)
        _assert_country_equals_full(db)
    finally:
        savepoint.rollback()
        db.expire_all()


@pytest.mark.postgres
def test_aggregates_equal_the_full_computation_on_postgresql(postgres_only, db, data, teams):
    _build_aggregates(db)
    for change in [("status", "W7", WalkStatus.APPROVED), ("move", "W6", 30),
                   ("attend", "W5", "Dan", ParticipationStatus.ATTENDED),
                   ("incident", "W2", 0), ("birth", "Bo", 400), ("close", "2026-10"),
                   ("new", "Berga", 100, "Dan"), ("event_move", "E2", 40),
                   ("invite", "E4", "Cia"), ("invitation", 2, InvitationStatus.ABSENT)]:
        _apply(db, data, teams, change)
        _assert_country_equals_full(db)


def test_a_walk_moved_to_another_team_marks_both_teams_stale(db, data, teams):
    refresh_teams(db, TODAY)
    walk = data.walks["W6"]
    db.expire(walk)
    walk.team_id = teams["Ryd"].id
    db.flush()
    assert set(stale_teams(db, TODAY)) == {teams["Ryd"].id, teams["Berga"].id}


def test_reports_rebuild_command_brings_every_team_up_to_date(app, db, data, clock):
    clock.local(TODAY)
    result = app.test_cli_runner().invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0, result.output
    assert stale_teams(db, TODAY) == {}


def test_reports_rebuild_stale_rebuilds_only_the_teams_not_current(app, db, data, teams,
                                                                   clock):
    clock.local(TODAY)
    refresh_teams(db, TODAY)
    walk = data.walks["W1"]
    walk.meeting_point = "Torget"
    record(db, None, "update", "walk", walk.id, note="test")
    db.flush()
    changed = set(stale_teams(db, TODAY))
    assert changed == {walk.team_id}

    result = app.test_cli_runner().invoke(args=["reports", "rebuild", "--stale"])

    assert result.exit_code == 0, result.output
    assert result.output == f"{len(changed)} team byggda om.\n"
    assert stale_teams(db, TODAY) == {}


def test_reports_rebuild_stale_rebuilds_a_batch_at_a_time_until_none_is_left(
        app, db, data, clock, monkeypatch):
    clock.local(TODAY)
    monkeypatch.setattr("polare.reports.aggregates.REFRESH_BATCH", 1)
    result = app.test_cli_runner().invoke(args=["reports", "rebuild", "--stale"])

    assert result.exit_code == 0, result.output
    assert result.output == "3 team byggda om.\n"
    assert stale_teams(db, TODAY) == {}


def test_reports_rebuild_stale_that_makes_no_progress_says_so_and_fails(app, db, data, clock,
                                                                       monkeypatch):
    clock.local(TODAY)
    monkeypatch.setattr("polare.reports.cli.refresh_teams", lambda *args, **kwargs: False)
    result = app.test_cli_runner().invoke(args=["reports", "rebuild", "--stale"])

    assert result.exit_code == 1
    assert "3 team kunde inte byggas om" in result.output
    assert "kör kommandot igen" in result.output


# ---------------------------------------------------------------- the country's months


def test_a_month_is_recounted_when_its_polare_change_though_its_sums_do_not():
    cells = {"2026-10": {"walks": 2, "polarpass": 2}}
    before = MonthContents(cells, {"2026-10": {1, 2}}, {})
    after = MonthContents(cells, {"2026-10": {1, 3}}, {})
    assert before.changed_months(after) == {"2026-10"}


def test_a_month_is_recounted_when_its_incidents_change_though_its_sums_do_not():
    cells = {"2026-10": {"walks": 2}, "2026-11": {"walks": 1}}
    before = MonthContents(cells, {}, {"2026-10": {7: 1}})
    after = MonthContents(cells, {}, {"2026-10": {7: 1}, "2026-11": {7: 2}})
    assert before.changed_months(after) == {"2026-11"}


def test_each_months_country_row_counts_its_distinct_polare_and_incidents(db, data):
    _build_aggregates(db)
    walker, incident = FollowUpWalker, FollowUpIncident
    polare = dict(db.execute(select(walker.month, func.count(func.distinct(walker.person_id)))
                             .group_by(walker.month)).all())
    incidents = {(month, category): count for month, category, count in db.execute(
        select(incident.month, incident.category_id, func.sum(incident.count))
        .group_by(incident.month, incident.category_id))}

    assert {row.month: row.polare for row in db.scalars(select(FollowUpMonth))
            if row.polare} == polare
    assert {(row.month, row.category_id): row.count
            for row in db.scalars(select(FollowUpMonthIncident))} == incidents


def test_a_month_whose_walks_all_left_keeps_its_row_with_zeros_and_a_new_revision(db, data,
                                                                                   teams):
    _build_aggregates(db)
    october = db.get(FollowUpMonth, "2026-10")
    revision = october.revision
    for name, walk in data.walks.items():
        if walk.walk_date.month == 10:
            _apply(db, data, teams, ("move", name, 45))
    refresh_teams(db, TODAY)
    db.expire_all()

    october = db.get(FollowUpMonth, "2026-10")
    assert (october.walks, october.polare, october.stipends) == (0, 0, 0)
    assert october.revision > revision


def test_the_countrys_distinct_polare_over_a_range_are_kept_and_counted_again_after_a_change(
        db, data, teams):
    _build_aggregates(db)
    kept = db.scalars(select(FollowUpSpan)).one()
    assert (kept.first_month, kept.last_month) == ("2026-08", "2026-12")

    _apply(db, data, teams, ("new", "Ryd", 70, "Dan"))  # Dan walks with Ryd in October
    refresh_teams(db, TODAY)
    report, _pages = compute_country_report(db, SCOPE, today=TODAY, page=None)

    assert report.total.polare == compute_report(db, SCOPE, today=TODAY).total.polare
    assert db.scalars(select(FollowUpSpan.stamp)).one() != kept.stamp


# ---------------------------------------------------------------- the country's events


def _event_month(db, month: str) -> FollowUpEventMonth | None:
    db.expire_all()
    return db.get(FollowUpEventMonth, month)


def test_moving_an_event_marks_its_old_and_its_new_month_stale(db, data, teams):
    _build_aggregates(db)
    _apply(db, data, teams, ("event_move", "E2", 61))  # 5 October to 5 December

    for month in ("2026-10", "2026-12"):
        row = _event_month(db, month)
        assert row.version != row.built_version, month
    november = _event_month(db, "2026-11")
    assert november.version == november.built_version


def test_inviting_past_the_orm_marks_the_events_month_stale(db, data):
    _build_aggregates(db)
    invite_persons(db, None, data.events["E2"], [data.persons["Bo"].id])  # 5 October

    row = _event_month(db, "2026-10")
    assert row.version != row.built_version


def test_a_change_to_a_month_never_counted_makes_its_row_so_a_count_meanwhile_is_not_kept(
        db, data, teams):
    _apply(db, data, teams, ("event_move", "E2", 151))  # 5 October to 5 March

    row = _event_month(db, "2027-03")
    assert (row.version, row.built_version) == (1, None)


def test_the_countrys_event_counts_are_recounted_once_the_month_is_stale(db, data, teams):
    _build_aggregates(db)
    _apply(db, data, teams, ("event", "E1"))  # cancelled

    report, _pages = compute_country_report(db, SCOPE, today=TODAY, page=None)
    full = compute_report(db, SCOPE, today=TODAY)
    assert report.events_by_type == full.events_by_type
    row = _event_month(db, "2026-09")
    assert row.version == row.built_version


def test_a_new_note_on_an_event_leaves_its_months_counts_current(db, data):
    _build_aggregates(db)
    data.events["E2"].notes = "Samling vid biblioteket."
    record(db, None, "update", "event", data.events["E2"].id, note="test")
    db.flush()

    row = _event_month(db, "2026-10")
    assert row.version == row.built_version
