"""A 16-year-old applies on the public form, the guardian consents by the e-mailed link, the
coordinator activates: every step through the pages as rendered."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.recruitment.models import Application, ConsentRequest, ConsentRequestStatus
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from tests.conftest import valid_personnummer
from tests.recruitment.conftest import BORN_2010, fill_application, form_with, log_in


def _apply(web, team_link: str = "Ryd", **values):
    page = web.get("/ansok").click(team_link)
    return fill_application(page, **values).submit().follow()


def test_sixteen_year_old_applies_guardian_consents_by_mail_and_coordinator_activates(
        web, db, smtp, make_user):
    thanks = _apply(web)
    assert "Tack för din ansökan" in thanks.text

    person = db.scalars(select(Person).where(
        Person.personnummer == valid_personnummer(BORN_2010, 412))).one()
    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == person.id)).one()
    assert enrolment.status == EnrolmentStatus.APPLICANT
    assert enrolment.team.name == "Ryd"
    assert enrolment.school_year.label == "2026/27"
    assert [m["To"] for m in smtp.messages] == ["karin@example.se"]

    link = urlsplit(smtp.links()[0]).path
    consent_page = web.get(link)
    assert "22:00" in consent_page.text
    form = form_with(consent_page, "agree")
    form["agree"] = True
    done = form.submit().follow()
    assert "Du lämnade samtycke" in done.text
    request = db.scalars(select(ConsentRequest)).one()
    assert request.status == ConsentRequestStatus.CONSENTED
    assert request.consent_address == "203.0.113.7"
    assert request.text_version == "samtycke-1/sv/22:00"

    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    log_in(web, coordinator.username)
    roster = web.get(f"/roster/?team={enrolment.team_id}&year={enrolment.school_year_id}")
    assert "Ny ansökan" in roster.text
    page = web.get(f"/roster/enrolments/{enrolment.id}")
    assert "Samtycket kom via e-postlänk" in page.text
    activate = form_with(page, "on")
    activate["on"] = "2026-11-25"
    activate.submit().follow()
    db.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_application_is_audited_as_the_public_form(web, db):
    _apply(web)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "apply")).one()
    assert entry.username == "ansökningsformulär"
    assert entry.user_id is None
    assert "via webbformuläret" in entry.note


def test_the_form_keeps_what_was_typed_and_names_a_bad_personnummer(web, db):
    page = web.get("/ansok/ryd")
    response = fill_application(page, personnummer="20100615-4121").submit(status=422)
    assert "Kontrollsiffran stämmer inte" in response.text
    kept = form_with(response, "personnummer")
    assert kept["first_name"].value == "Nora"
    assert kept["motivation"].value == "Jag vill göra mitt område tryggare."
    assert db.scalar(select(Application.id)) is None


def test_under_18_needs_the_guardians_email(web, db):
    page = web.get("/ansok/ryd")
    response = fill_application(page, guardian_email="").submit(status=422)
    assert "Skriv din vårdnadshavares e-postadress." in response.text
    assert db.scalar(select(Person.id).where(Person.first_name == "Nora")) is None


def test_the_privacy_notice_must_be_confirmed(web, db):
    page = web.get("/ansok/ryd")
    assert "Så behandlar vi dina personuppgifter" in page.text
    response = fill_application(page, privacy_read=False).submit(status=422)
    assert "Kryssa i att du har läst" in response.text


def test_an_adult_needs_no_guardian_and_no_link_is_sent(web, db, smtp):
    page = web.get("/ansok/ryd")
    fill_application(page, personnummer=valid_personnummer(date(2007, 1, 10), 415),
                     guardian_name="", guardian_phone="", guardian_email="").submit().follow()
    assert smtp.messages == []
    assert db.scalar(select(ConsentRequest.id)) is None


def test_an_applicant_too_young_for_the_school_year_is_told_so(web, db):
    page = web.get("/ansok/ryd")
    response = fill_application(
        page, personnummer=valid_personnummer(date(2014, 1, 10), 416)).submit(status=422)
    assert "Du behöver vara 15–20 år under läsåret 2026/27." in response.text


def test_the_form_reads_in_english(web):
    web.get("/lang/en?next=/ansok/ryd")
    page = web.get("/ansok/ryd")
    assert "How we handle your personal data" in page.text


def test_a_failed_mail_from_the_form_still_thanks_and_shows_on_the_coordinators_page(
        app, web, db, smtp, monkeypatch, make_user):
    from tests.recruitment.conftest import free_port

    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    assert "Tack för din ansökan" in _apply(web).text
    request = db.scalars(select(ConsentRequest)).one()
    assert request.mail_error
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd",)).username)
    page = web.get(f"/roster/enrolments/{request.enrolment_id}/application")
    assert "E-posten misslyckades" in page.text
    assert "Skicka samtyckeslänk till Karin Lind" in page.text


def test_an_applicant_giving_their_own_email_for_the_guardian_is_pointed_out(web, db,
                                                                             make_user):
    _apply(web, guardian_email="nora@example.se")
    enrolment = db.scalars(select(Application)).one().enrolment
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd",)).username)
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert "Sökandens e-post är densamma som vårdnadshavaren Karin Lind har" in page.text


def test_a_refusal_of_the_guardians_details_is_shown_on_the_guardians_field(web, db):
    page = web.get("/ansok/ryd")
    response = fill_application(page, guardian_name="").submit(status=422)
    field = response.html.find("input", {"name": "guardian_name"})
    assert "is-invalid" in field["class"]
    assert field.find_next(class_="invalid-feedback").text.strip() == "Skriv namn."
    assert form_with(response, "guardian_email")["guardian_email"].value == "karin@example.se"
    assert db.scalar(select(Person.id).where(Person.first_name == "Nora")) is None


def test_the_phone_numbers_are_kept_as_the_roster_keeps_them(web, db):
    _apply(web, phone="+46 (0) 70 - 765 43 21", guardian_phone="070-111 22 33")
    application = db.scalars(select(Application)).one()
    assert (application.phone, application.guardian_phone) == ("+46707654321", "+46701112233")


def test_the_coordinator_sees_a_guardian_the_form_did_not_add_to_a_registered_person(
        web, db, make_person, make_enrolment, make_user):
    person = make_person(first_name="Nora", last_name="Lind", birth_date=BORN_2010)
    make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    db.commit()
    _apply(web, personnummer=person.personnummer, guardian_email="annan@example.se")
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd",)).username)
    enrolment = db.scalars(select(Application)).one().enrolment
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    named = page.html.find(class_="named-guardian").text
    assert "Karin Lind, +46701112233, annan@example.se" in named
    assert "En ansökan lägger inte till vårdnadshavare till en person som redan fanns" in named


def test_without_a_mail_server_the_coordinator_sees_that_the_forms_link_went_nowhere(
        web, db, make_user):
    thanks = _apply(web)
    assert "skickar samordnaren en länk till din vårdnadshavare" in thanks.text
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd",)).username)
    request = db.scalars(select(ConsentRequest)).one()
    page = web.get(f"/roster/enrolments/{request.enrolment_id}/application")
    assert "Ingen e-post skickad" in page.html.find(class_="not-mailed").text
    assert "Skicka samtyckeslänk till Karin Lind" in page.text


def test_an_application_sent_twice_leaves_the_first_emails_link_working(web, db, smtp):
    _apply(web)
    _apply(web)
    assert len(smtp.messages) == 1
    consent_page = web.get(urlsplit(smtp.links()[0]).path)
    assert form_with(consent_page, "agree") is not None

def test_the_coordinator_sees_when_the_application_came_in_swedish_local_time(
        web, db, make_user):
    _apply(web)
    enrolment = db.scalars(select(Enrolment)).one()
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd",)).username)
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert "Inskickad 2026-11-25 16:00" in page.text  # 15:00 UTC
