"""Guardian consent links: single use, 14 days, withdrawal; the coordinator's side of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from polare.audit.services import record
from polare.auth.models import Role
from polare.errors import DomainError
from polare.recruitment.consent import issue_link
from polare.recruitment.models import ConsentRequest, ConsentRequestStatus
from polare.roster.models import EnrolmentStatus, Guardian
from polare.roster.services import activate_enrolment
from tests.privacy import factories
from tests.recruitment.conftest import NOW, form_with, free_port, log_in


@pytest.fixture
def minor(make_person, make_enrolment, db):
    """A 16-year-old applicant in Ryd with a guardian who has an e-mail address."""
    person = make_person(first_name="Nora", last_name="Lind", birth_date=date(2010, 6, 15))
    enrolment = make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    guardian = factories.guardian(db, person, "Karin Lind")
    return enrolment, guardian


@pytest.fixture
def link(db, minor):
    """The path of a fresh consent link to the minor's guardian."""
    enrolment, guardian = minor
    _request, token = issue_link(db, None, enrolment, guardian.id, now=NOW)
    db.commit()
    return f"/samtycke/{token}"


def _consent(web, path):
    form = form_with(web.get(path), "agree")
    form["agree"] = True
    return form.submit(expect_errors=True)


def _withdraw(web, path):
    page = web.get(path)
    form = next(f for f in page.forms.values() if f.action.endswith("/aterkalla"))
    return form.submit()


def test_opening_the_link_is_recorded(web, db, link):
    web.get(link)
    assert db.scalars(select(ConsentRequest)).one().status == ConsentRequestStatus.OPENED


def test_a_link_gives_consent_only_once(web, db, link, minor):
    page = web.get(link)
    first = form_with(page, "agree")
    first["agree"] = True
    first.submit().follow()
    again = form_with(page, "agree")
    again["agree"] = True
    response = again.submit(expect_errors=True)
    assert response.status_code == 409
    assert "Samtycket är redan lämnat" in response.text


def test_an_expired_link_cannot_consent(web, db, link, minor, clocks):
    clocks.utc(NOW + timedelta(days=14, minutes=1))
    page = web.get(link)
    assert "Länken har gått ut" in page.text
    assert "agree" not in "".join(f for form in page.forms.values() for f in form.fields)
    enrolment, _guardian = minor
    db.refresh(enrolment)
    assert enrolment.consent_date is None


def test_a_link_still_valid_on_its_last_day_consents(web, db, link, minor, clocks):
    clocks.utc(NOW + timedelta(days=13, hours=23))
    assert _consent(web, link).status_code == 302


def test_withdrawal_stops_activation(web, db, link, minor):
    _consent(web, link).follow()
    withdrawn = _withdraw(web, link).follow()
    assert "Du återkallade samtycket" in withdrawn.text
    enrolment, _guardian = minor
    db.refresh(enrolment)
    assert enrolment.consent_date is None
    with pytest.raises(DomainError, match="Samtycke från vårdnadshavare saknas"):
        activate_enrolment(db, None, enrolment.id, on=date(2026, 11, 25))


def test_a_withdrawn_link_cannot_consent_again(web, db, link):
    _consent(web, link).follow()
    _withdraw(web, link)
    page = web.get(link)
    assert "Länken kan inte användas igen" in page.text
    assert db.scalars(select(ConsentRequest)).one().status == ConsentRequestStatus.WITHDRAWN


def test_withdrawal_of_an_active_enrolment_is_flagged_on_the_roster(web, db, link, minor,
                                                                    make_user):
    _consent(web, link).follow()
    enrolment, _guardian = minor
    activate_enrolment(db, None, enrolment.id, on=date(2026, 11, 25))
    db.commit()
    _withdraw(web, link)
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd",)).username)
    roster = web.get(f"/roster/?team={enrolment.team_id}&year={enrolment.school_year_id}")
    assert "Samtycke återkallat" in roster.text
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert "Anmälan är aktiv: samtycket är återkallat." in page.text


def test_an_unknown_link_is_404(web):
    assert web.get("/samtycke/not-a-real-token", expect_errors=True).status_code == 404


def test_paper_consent_still_activates(db, minor):
    enrolment, guardian = minor
    enrolment.consent_date, enrolment.consent_guardian_id = date(2026, 11, 20), guardian.id
    assert activate_enrolment(db, None, enrolment.id, on=date(2026, 11, 25)).status == \
        EnrolmentStatus.ACTIVE


# ---------------------------------------------------------------- the coordinator


@pytest.fixture
def coordinator(web, make_user):
    user = make_user(Role.COORDINATOR, teams=("Ryd",))
    log_in(web, user.username)
    return user


def _send_button(web, enrolment, guardian):
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    return next(form for form in page.forms.values()
                if form.action == f"/roster/enrolments/{enrolment.id}/consent-link"
                and form["guardian_id"].value == str(guardian.id))


def test_coordinator_sends_the_link_by_mail(web, db, smtp, minor, coordinator):
    enrolment, guardian = minor
    page = _send_button(web, enrolment, guardian).submit()
    assert "Samtyckeslänken är skickad till vh@example.se" in page.text
    assert [m["To"] for m in smtp.messages] == ["vh@example.se"]
    assert "skickad" in page.html.find(class_="consent-state").text
    assert page.html.find(class_="not-mailed") is None


def test_without_a_mail_server_the_coordinator_gets_the_link_and_the_reason(
        web, db, minor, coordinator):
    enrolment, guardian = minor
    page = _send_button(web, enrolment, guardian).submit()
    assert "MAIL_SERVER saknas" in page.text
    shown = page.html.find("code", class_="consent-link").text
    assert "/samtycke/" in shown
    assert web.get(urlsplit(shown).path).status_code == 200


def test_a_failed_mail_is_shown_kept_and_can_be_retried(app, web, db, minor, coordinator,
                                                        monkeypatch, smtp):
    enrolment, guardian = minor
    working_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    failed = _send_button(web, enrolment, guardian).submit()
    assert "E-posten kunde inte skickas" in failed.text
    request = db.scalars(select(ConsentRequest)).one()
    assert request.mail_error
    assert request.mailed_at is None
    monkeypatch.setitem(app.config, "MAIL_PORT", working_port)
    retried = _send_button(web, enrolment, guardian).submit()
    assert "Samtyckeslänken är skickad" in retried.text
    db.refresh(request)
    assert request.mailed_at is not None
    assert request.mail_error == ""
    assert len(smtp.messages) == 1


def test_resending_replaces_the_old_link(web, db, smtp, minor, coordinator):
    enrolment, guardian = minor
    _send_button(web, enrolment, guardian).submit()
    _send_button(web, enrolment, guardian).submit()
    old, new = (urlsplit(link).path for link in smtp.links())
    assert web.get(old, expect_errors=True).status_code == 404
    assert web.get(new).status_code == 200
    assert db.scalars(select(ConsentRequest)).one().status == ConsentRequestStatus.OPENED


def test_another_teams_request_is_404_with_no_name(web, db, make_person, make_enrolment,
                                                   coordinator, minor):
    person = make_person(first_name="Berit", last_name="Bergström", birth_date=date(2010, 1, 5))
    enrolment = make_enrolment(person, "Berga", status=EnrolmentStatus.APPLICANT)
    guardian = factories.guardian(db, person, "Bengt Bergström")
    own, own_guardian = minor
    for enrolment_id, guardian_id in ((enrolment.id, own_guardian.id), (own.id, guardian.id),
                                      (enrolment.id, guardian.id)):
        form = _send_button(web, own, own_guardian)
        form.action = f"/roster/enrolments/{enrolment_id}/consent-link"
        form["guardian_id"].force_value(str(guardian_id))
        response = form.submit(expect_errors=True)
        assert response.status_code == 404
        assert "Bergström" not in response.text
    page = web.get(f"/roster/enrolments/{enrolment.id}/application", expect_errors=True)
    assert page.status_code == 404
    assert "Bergström" not in page.text
    assert db.scalar(select(ConsentRequest.id)) is None


def test_opening_an_application_clears_its_new_mark_and_the_start_page_count(
        web, db, minor, coordinator):
    from polare.recruitment.models import Application

    enrolment, _guardian = minor
    application = Application(enrolment_id=enrolment.id, motivation="Jag vill hjälpa till.",
                              privacy_notice_version="1")
    db.add(application)
    db.flush()
    record(db, None, "apply", "enrolment", enrolment.id, note="test fixture")
    assert "Nya ansökningar (1)" in web.get("/").text
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert "Jag vill hjälpa till." in page.text
    assert "Nya ansökningar" not in web.get("/").text


def test_a_guardian_without_email_gets_no_send_button(web, db, minor, coordinator):
    enrolment, guardian = minor
    db.get(Guardian, guardian.id).email = ""
    db.flush()
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert "Skicka samtyckeslänk" not in page.text


def test_the_coordinator_sees_opened_and_expired_links(web, db, link, minor, coordinator,
                                                       clocks):
    enrolment, _guardian = minor
    web.get(link)
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert page.html.find(class_="consent-state").text == "öppnad"
    clocks.utc(NOW + timedelta(days=15))
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert page.html.find(class_="consent-state").text == "utgången"


def test_the_coordinator_sees_consented_and_withdrawn_links(web, db, link, minor, coordinator):
    enrolment, _guardian = minor
    _consent(web, link).follow()
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert page.html.find(class_="consent-state").text == "samtycke"
    _withdraw(web, link)
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert page.html.find(class_="consent-state").text == "återkallad"


def test_a_guardian_reading_in_english_consents_to_the_english_text(web, db, link):
    web.get(f"/lang/en?next={link}")
    page = web.get(link)
    assert "What you consent to" in page.text
    form = form_with(page, "agree")
    form["agree"] = True
    form.submit().follow()
    assert db.scalars(select(ConsentRequest)).one().text_version == "samtycke-1/en/22:00"


def test_a_link_passed_on_by_hand_is_not_marked_unsent_once_opened(web, db, link, minor,
                                                                   coordinator):
    enrolment, _guardian = minor
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert page.html.find(class_="not-mailed") is not None
    web.get(link)
    page = web.get(f"/roster/enrolments/{enrolment.id}/application")
    assert page.html.find(class_="not-mailed") is None

def test_the_coordinator_sees_a_links_times_in_swedish_local_time(web, db, link, minor,
                                                                   coordinator):
    enrolment, _guardian = minor
    web.get(link)
    page = web.get(f"/roster/enrolments/{enrolment.id}/application").text
    # NOW is 15:00 UTC: 16:00 in Linköping in November.
    assert "Skapad 2026-11-25 16:00, gäller till 2026-12-09 16:00" in page
    assert "Öppnad 2026-11-25 16:00" in page


def test_the_guardian_sees_the_consent_time_in_swedish_local_time(web, link):
    assert "Du lämnade samtycke 2026-11-25 16:00." in _consent(web, link).follow().text


def test_the_enrolment_page_gives_the_link_consent_in_swedish_local_time(web, link, minor,
                                                                        coordinator):
    _consent(web, link)
    enrolment, _guardian = minor
    page = web.get(f"/roster/enrolments/{enrolment.id}").text
    assert "Samtycket kom via e-postlänk 2026-11-25 16:00." in page


def test_the_mail_gives_the_links_last_day_in_swedish_local_time(web, db, smtp, minor,
                                                                 coordinator, clocks):
    clocks.utc(datetime(2026, 11, 25, 23, 30))  # already 26 November in Linköping
    enrolment, guardian = minor
    _send_button(web, enrolment, guardian).submit()
    assert "gäller till 2026-12-10." in smtp.messages[0].get_body(("plain",)).get_content()
