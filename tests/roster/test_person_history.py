"""The person page's history: changes in the user's language and local time, views apart."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.privacy.access_log import audit_personnummer_lookup
from polare.recruitment.applications import mark_seen
from polare.recruitment.consent import give_consent, issue_link, note_opened, withdraw_consent
from polare.recruitment.models import Application
from polare.roster.models import EnrolmentStatus
from polare.roster.services import activate_enrolment
from tests.privacy import factories

#: When the guardian's link is sent (UTC): 16:00 in Linköping in November.
LINK_SENT = datetime(2026, 11, 25, 15, 0)


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


def test_personnummer_lookups_are_kept_behind_the_toggle_with_the_page_views(
        client, db, login_as, polare):
    coordinator = login_as(Role.COORDINATOR)
    audit_personnummer_lookup(db, coordinator, polare.id, "search in roster")
    page = _page(client, polare.id)
    assert "lookup" not in _history_table(page)
    views = page.find("details", id="history-views")
    assert "Personnumret sökt" in views.get_text(" ")


def test_the_toggle_tells_a_read_application_from_a_shown_number(client, db, login_as,
                                                                 polare):
    coordinator = login_as(Role.COORDINATOR)
    enrolment = polare.enrolments[0]
    application = Application(enrolment_id=enrolment.id, motivation="Jag vill hjälpa till.",
                              privacy_notice_version="1")
    db.add(application)
    mark_seen(db, coordinator, [application], LINK_SENT)
    views = _page(client, polare.id).find("details", id="history-views").find_all("li")
    assert [item.text.rsplit(" · ", 1)[-1] for item in views] == ["Personnumret visat",
                                                                  "Ansökan läst"]


@pytest.fixture
def consent_by_link(db, make_person, make_enrolment):
    """A 16-year-old applicant whose guardian got a link, opened it, consented, withdrew."""
    person = make_person(first_name="Nora", last_name="Lind", birth_date=date(2010, 6, 15))
    enrolment = make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    guardian = factories.guardian(db, person, "Karin Lind")
    request, _token = issue_link(db, None, enrolment, guardian.id, now=LINK_SENT)
    note_opened(db, request, now=LINK_SENT)
    give_consent(db, request, now=LINK_SENT, today=date(2026, 11, 25), address="203.0.113.7",
                 shown_version="samtycke-1/sv/22:00")
    withdraw_consent(db, request, now=LINK_SENT, address="203.0.113.7")
    return person


def test_history_words_the_guardians_consent_link_in_english(client, login_as,
                                                             consent_by_link):
    login_as(Role.COORDINATOR)
    client.get("/lang/en")
    table = _history_table(_page(client, consent_by_link.id))
    assert "Consent link created for Karin Lind <vh@example.se>, valid until 2026-12-09 16:00" \
        in table
    assert "Consent link opened by Karin Lind" in table
    assert "Consent by e-mail link from Karin Lind (text samtycke-1/sv/22:00)" in table
    assert "Consent withdrawn through the e-mail link by Karin Lind." in table
    for swedish in ("Samtyck", "consent_link", "consent_withdrawn", "UTC"):
        assert swedish not in table


def test_history_words_the_guardians_consent_link_in_swedish(client, login_as,
                                                             consent_by_link):
    login_as(Role.COORDINATOR)
    table = _history_table(_page(client, consent_by_link.id))
    assert "Samtyckeslänk skapad för Karin Lind <vh@example.se>, giltig till 2026-12-09 16:00" \
        in table
    assert "Samtycke återkallat via e-postlänk av Karin Lind." in table
    assert "consent_link" not in table
