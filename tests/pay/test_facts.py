"""Loading facts: set-based queries, and the correction shortcut agreeing with all of history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event

from polare.audit.services import record
from polare.pay import services
from polare.pay.services.facts import load_facts
from polare.walks.models import WalkStatus
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance, set_walk_status


@contextmanager
def counted_queries(db) -> Iterator[list[str]]:
    """Collect the SQL statements run on the test's connection."""
    db.flush()
    statements: list[str] = []
    connection = db.connection()

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def walks_in_november(make_person, make_enrolment, make_walk, count: int) -> None:
    """Add `count` polare, each on two approved November walks."""
    for n in range(count):
        person = make_person(first_name=f"Polare{n}")
        make_enrolment(person, "Ryd")
        make_walk(date(2026, 11, 2) + timedelta(days=n % 20), [(person, ATTENDED)])
        make_walk(date(2026, 11, 3) + timedelta(days=n % 20), [(person, ATTENDED)])


def test_loading_a_month_takes_the_same_few_queries_for_3_or_30_polare(
        db, rate_table, make_person, make_enrolment, make_walk):
    walks_in_november(make_person, make_enrolment, make_walk, 3)
    with counted_queries(db) as small:
        assert len(load_facts(db, "2026-11").participations) == 6
    walks_in_november(make_person, make_enrolment, make_walk, 27)
    with counted_queries(db) as large:
        assert len(load_facts(db, "2026-11").participations) == 60
    assert len(small) == len(large) <= 9


def test_loading_the_month_after_a_closed_one_takes_the_same_few_queries(
        db, rate_table, make_person, make_enrolment, make_walk):
    walks_in_november(make_person, make_enrolment, make_walk, 3)
    services.close_period(db, None, "2026-11")
    with counted_queries(db) as small:
        load_facts(db, "2026-12")
    walks_in_november(make_person, make_enrolment, make_walk, 20)
    with counted_queries(db) as large:
        load_facts(db, "2026-12")
    assert len(small) == len(large) <= 14


def test_unchanged_frozen_lines_are_not_loaded_again(db, rate_table, polare, make_walk):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    assert load_facts(db, "2026-12").frozen == []
    assert len(load_facts(db, "2026-12", all_history=True).frozen) == 1


def test_loading_only_candidates_gives_the_lines_of_loading_all_history(
        db, rate_table, polare, make_person, make_enrolment, make_walk, add_version):
    """After a mix of changes of every kind, both ways of loading compute the same lines."""
    others = []
    for n, team in enumerate(("Ryd", "Berga", "Skäggetorp", "Ryd")):
        person = make_person(first_name=f"Annan{n}", birth_date=date(2008, 11, 20 + n))
        make_enrolment(person, team)
        others.append(person)
    walks = [make_walk(date(2026, 11, 1 + 3 * n), [(polare, ATTENDED), (p, ATTENDED)])
             for n, p in enumerate(others)]
    pending = make_walk(date(2026, 11, 28), [(others[0], ATTENDED)], status=WalkStatus.COMPLETED)
    services.close_period(db, None, "2026-11")
    set_attendance(db, walks[0], others[0], ABSENT)
    set_walk_status(db, walks[1], WalkStatus.CANCELLED)
    set_walk_status(db, pending, WalkStatus.APPROVED)
    others[2].prior_years = 2
    walks[3].participations = [p for p in walks[3].participations if p.person_id != polare.id]
    db.flush()
    record(db, None, "update", "test", note="changes after closing")
    add_version(date(2026, 11, 8), amount_shift=Decimal("5.00"))

    def lines(month: str, all_history: bool) -> tuple:
        return load_facts(db, month, all_history=all_history).compute().lines

    assert lines("2026-12", all_history=False) == lines("2026-12", all_history=True)
    assert len(lines("2026-12", all_history=False)) == 7
    services.close_period(db, None, "2026-12", today=date(2027, 1, 1))
    set_attendance(db, walks[0], others[0], ATTENDED)
    set_walk_status(db, walks[1], WalkStatus.APPROVED)
    assert lines("2027-01", all_history=False) == lines("2027-01", all_history=True)
    assert len(lines("2027-01", all_history=False)) == 3


def test_a_teams_preview_has_the_full_previews_lines_of_its_walks(
        db, rate_table, polare, teams, make_person, make_enrolment, make_walk, add_version):
    """Computing only the persons who walked with a team gives that team's walks the same lines
    (corrections and late entries included) as computing everyone."""
    berga = make_person(first_name="Berga", birth_date=date(2009, 3, 2))
    make_enrolment(berga, "Berga")
    make_enrolment(polare, "Berga")
    ryd_walk = make_walk(date(2026, 11, 4), [(polare, ATTENDED)])
    berga_walk = make_walk(date(2026, 11, 5), [(polare, ATTENDED), (berga, ATTENDED)],
                           team="Berga")
    late = make_walk(date(2026, 11, 20), [(berga, ATTENDED)], team="Berga",
                     status=WalkStatus.COMPLETED)
    services.close_period(db, None, "2026-11")
    set_attendance(db, berga_walk, polare, ABSENT)
    set_walk_status(db, late, WalkStatus.APPROVED)
    add_version(date(2026, 11, 5), amount_shift=Decimal("5.00"))
    make_walk(date(2026, 12, 2), [(polare, ATTENDED), (berga, ATTENDED)], team="Berga")
    make_walk(date(2026, 12, 3), [(polare, ATTENDED)])
    team_of_walk = {ryd_walk.id: "Ryd", berga_walk.id: "Berga", late.id: "Berga"}
    for walk in services.preview_period(db, "2026-12").lines:
        team_of_walk.setdefault(walk.line.walk_id, walk.line.team)

    def lines_of(team: str, team_ids: set[int] | None) -> list:
        preview = services.preview_period(db, "2026-12", team_ids=team_ids)
        return [d.line for d in preview.lines if team_of_walk[d.line.walk_id] == team]

    for team in ("Ryd", "Berga"):
        assert lines_of(team, {teams[team].id}) == lines_of(team, None)
    assert len(lines_of("Berga", {teams["Berga"].id})) == 5


def test_a_teams_preview_leaves_out_persons_who_never_walked_with_it(
        db, rate_table, polare, teams, make_person, make_enrolment, make_walk):
    berga = make_person(first_name="Berga", birth_date=date(2009, 3, 2))
    make_enrolment(berga, "Berga")
    make_walk(date(2026, 11, 4), [(polare, ATTENDED)])
    make_walk(date(2026, 11, 5), [(berga, ATTENDED)], team="Berga")
    preview = services.preview_period(db, "2026-11", team_ids={teams["Ryd"].id})
    assert {d.line.person_id for d in preview.lines} == {polare.id}


def test_correction_candidates_fetched_in_small_batches_give_the_same_lines(
        db, rate_table, make_person, make_enrolment, make_walk, add_version, monkeypatch):
    walks_in_november(make_person, make_enrolment, make_walk, 3)
    services.close_period(db, None, "2026-11")
    add_version(date(2026, 11, 1), amount_shift=Decimal("5.00"))
    whole = load_facts(db, "2026-12").compute().lines
    monkeypatch.setattr("polare.pay.services.facts.ID_BATCH", 2)
    assert load_facts(db, "2026-12").compute().lines == whole
    assert len(whole) == 6


def test_loading_takes_as_many_queries_with_or_without_corrections_to_make(
        db, rate_table, polare, make_walk):
    walk = make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    with counted_queries(db) as unchanged:
        assert load_facts(db, "2026-12").frozen == []
    set_attendance(db, walk, polare, ABSENT)
    with counted_queries(db) as corrected:
        assert len(load_facts(db, "2026-12").frozen) == 1
    assert len(unchanged) == len(corrected)
