"""An abusive client gets nothing in and learns nothing: rate limits, the honeypot, numbers
already registered, oversized input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.recruitment.models import Application, ConsentRequest
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from tests.privacy import factories
from tests.recruitment.conftest import fill_application


def _count(db, column) -> int:
    return db.scalar(select(func.count(column)))


def test_a_hundred_applications_a_minute_from_one_address_get_429(app, web, db, monkeypatch):
    monkeypatch.setitem(app.config, "APPLY_RATE_LIMIT", "5 per hour")
    form = fill_application(web.get("/ansok/ryd"))
    statuses = [form.submit(expect_errors=True).status_code for _ in range(100)]
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert _count(db, Application.id) == 1  # the five let through were the same application


def test_a_limited_address_is_told_when_to_try_again(app, web, monkeypatch):
    monkeypatch.setitem(app.config, "APPLY_RATE_LIMIT", "1 per hour")
    form = fill_application(web.get("/ansok/ryd"))
    form.submit(status=302)
    refused = form.submit(status=429)
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Försök igen om 60 minuter." in refused.text


def test_the_limit_counts_per_address(app, web, db, monkeypatch):
    monkeypatch.setitem(app.config, "APPLY_RATE_LIMIT", "1 per hour")
    fill_application(web.get("/ansok/ryd")).submit(status=302)
    other = fill_application(web.get("/ansok/ryd"), first_name="Ida")
    assert other.submit(extra_environ={"REMOTE_ADDR": "198.51.100.4"}).status_code == 302


def test_a_filled_honeypot_gets_the_thank_you_page_and_nothing_is_stored(web, db):
    before = (_count(db, Person.id), _count(db, AuditEntry.id))
    form = fill_application(web.get("/ansok/ryd"))
    form["website"] = "http://spam.example"
    thanks = form.submit().follow()
    assert "Tack för din ansökan" in thanks.text
    assert (_count(db, Person.id), _count(db, AuditEntry.id)) == before


def test_the_honeypot_is_hidden_from_people(web):
    page = web.get("/ansok/ryd")
    field = page.html.find("input", {"name": "website"})
    assert field["tabindex"] == "-1"
    assert field.find_parent("div", {"aria-hidden": "true"})["class"] == ["d-none"]


def _thanks_for(web, **values) -> str:
    response = fill_application(web.get("/ansok/ryd"), **values).submit()
    return response.follow().text


def test_a_registered_personnummer_gets_the_same_answer_and_changes_nothing(
        web, db, polare, make_enrolment):
    number, name, phone = polare.personnummer, polare.full_name, polare.phone
    guardians = _count(db, Guardian.id)
    fresh = _thanks_for(web)
    registered = _thanks_for(web, personnummer=number, first_name="Falsk", last_name="Namn",
                             phone="070-999 99 99", guardian_email="karin@example.se")
    assert registered == fresh
    assert polare.full_name not in registered
    db.refresh(polare)
    assert (polare.full_name, polare.phone) == (name, phone)
    application = db.scalars(select(Application).where(Application.first_name == "Falsk")).one()
    assert application.enrolment.person_id == polare.id
    assert _count(db, Guardian.id) == guardians + 1  # the new applicant's guardian only


def test_a_registered_number_joins_the_person_without_a_second_enrolment(web, db, polare):
    enrolments = _count(db, Enrolment.id)
    _thanks_for(web, personnummer=polare.personnummer)
    assert _count(db, Enrolment.id) == enrolments
    application = db.scalars(select(Application)).one()
    assert application.enrolment.person_id == polare.id


@pytest.fixture
def registered_minor(make_person, make_enrolment, db):
    """A registered 16-year-old applicant in Ryd whose guardian's e-mail is vh@example.se."""
    person = make_person(first_name="Nora", last_name="Lind", birth_date=date(2010, 6, 15))
    enrolment = make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    factories.guardian(db, person, "Karin Lind")
    db.commit()
    return enrolment


def test_a_registered_number_adds_no_guardian_and_sends_no_link_to_a_new_address(
        web, db, smtp, registered_minor):
    person = registered_minor.person
    _thanks_for(web, personnummer=person.personnummer, guardian_name="Okänd Person",
                guardian_email="annan@example.se")
    db.expire_all()
    assert [g.email for g in person.guardians] == ["vh@example.se"]
    assert smtp.messages == []
    assert _count(db, ConsentRequest.id) == 0
    assert registered_minor.consent_date is None
    application = db.scalars(select(Application)).one()
    assert (application.guardian_name, application.guardian_email) == \
        ("Okänd Person", "annan@example.se")


def test_a_registered_number_sends_the_link_only_to_a_guardian_registered_with_that_address(
        web, db, smtp, registered_minor):
    _thanks_for(web, personnummer=registered_minor.person.personnummer,
                guardian_email="VH@example.se")
    assert [m["To"] for m in smtp.messages] == ["vh@example.se"]
    assert _count(db, Guardian.id) == 1


def test_a_registered_number_refuses_bad_input_exactly_as_a_new_one(web, db, polare):
    new = fill_application(web.get("/ansok/ryd"), phone="12").submit(status=422)
    old = fill_application(web.get("/ansok/ryd"), phone="12",
                           personnummer=polare.personnummer).submit(status=422)
    assert new.html.find(class_="invalid-feedback").text == \
        old.html.find(class_="invalid-feedback").text
    assert polare.full_name not in old.text


def test_overlong_fields_are_refused_and_kept(web, db):
    form = fill_application(web.get("/ansok/ryd"), motivation="x" * 1001)
    response = form.submit(status=422)
    assert "1000" in response.text
    assert _count(db, Application.id) == 0


def test_an_oversized_request_is_refused_before_it_is_read(web, db):
    page = web.get("/ansok/ryd")
    form = fill_application(page)
    form["school"] = "y" * 40_000
    assert form.submit(expect_errors=True).status_code == 413
    assert _count(db, ConsentRequest.id) == 0


def test_an_unknown_team_is_404(web):
    assert web.get("/ansok/ingen-sadan", expect_errors=True).status_code == 404


def test_the_pages_load_nothing_from_other_sites(web):
    for url in ("/ansok", "/ansok/ryd"):
        html = web.get(url).text
        assert "http://" not in html.replace("http://localhost", "")
        assert "https://" not in html
