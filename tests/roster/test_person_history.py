"""The person page's history: changes in the user's language and local time, views apart."""

from __future__ import annotations

from datetime import date, datetime

from bs4 import BeautifulSoup
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.roster.models import EnrolmentStatus
from polare.roster.services import activate_enrolment


def _page(client, person_id: int) -> BeautifulSoup:
    return BeautifulSoup(client.get(f"/roster/persons/{person_id}").get_data(as_text=True),
                         "html.parser")


def _history_table(page: BeautifulSoup) -> str:
    return page.find(id="history-heading").find_parent("section").find("table").get_text(" ")


def test_page_views_are_kept_out_of_the_history_behind_a_toggle(client, login_as, polare):
    login_as(Role.COORDINATOR)
    client.get(f"/roster/persons/{polare.id}")  # shows the full number: a logged view
    page = _page(client, polare.id)
    assert "Personnumret visat" not in _history_table(page)
    toggle = page.find("details", id="history-views")
    assert "Visa när personnumret visats (2)" in toggle.summary.text
    assert len(toggle.find_all("li")) == 2


def test_page_views_do_not_crowd_changes_out_of_the_history(client, db, login_as, polare,
                                                            monkeypatch):
    monkeypatch.setattr("polare.roster.history.HISTORY_LIMIT", 3)
    login_as(Role.COORDINATOR)
    for _ in range(4):
        client.get(f"/roster/persons/{polare.id}")
    assert "Skapad" in _history_table(_page(client, polare.id))


def test_history_words_a_status_change_in_english(client, db, login_as, make_person,
                                                  make_enrolment):
    login_as(Role.COORDINATOR)
    person = make_person(first_name="Omar", last_name="Berg", birth_date=date(2007, 5, 2))
    enrolment = make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    activate_enrolment(db, None, enrolment.id, on=date(2026, 9, 1))
    client.get("/lang/en")
    table = _history_table(_page(client, person.id))
    assert "Applicant → Active" in table
    assert "sökande → aktiv" not in table


def test_history_shows_times_in_swedish_local_time(client, db, login_as, polare):
    login_as(Role.COORDINATOR)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "person",
                                                AuditEntry.entity_id == str(polare.id))).one()
    entry.at = datetime(2026, 7, 1, 20, 30)  # summer time: UTC+2
    db.flush()
    table = _history_table(_page(client, polare.id))
    assert "2026-07-01 22:30" in table
    assert "UTC" not in table


def test_history_is_a_focusable_named_region(client, login_as, polare):
    login_as(Role.COORDINATOR)
    region = _page(client, polare.id).find(id="history-heading").find_next(
        "div", class_="table-responsive")
    assert region["tabindex"] == "0"
    assert region["role"] == "region"
    assert region["aria-label"] == "Ändringar i registret"
