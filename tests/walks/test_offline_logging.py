"""Logging from a phone without a signal: the pages it keeps, and entries sent once (issue 21).

An entry is sent as the phone's queue sends it (static/offline-queue.js): the log form as
rendered, filled in, with a key made on the phone, the version the page had and a fresh form
token from the offline-pages endpoint, posted to the form's `data-offline-log` address.
"""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import func, select

from polare.auth.models import Role
from polare.clock import local_today
from polare.submissions.models import SubmissionKey
from polare.walks.models import WalkStatus
from polare.walks.queries import walks_to_keep_offline
from polare.walks.workflow import cancel_walk
from tests.conftest import TODAY

COPY = {"X-Polare-Offline-Copy": "1"}
PHONE = {"X-Polare-Offline": "1", "Accept": "application/json"}


def _log_form(page):
    return next(form for form in page.forms.values() if "youths_met" in form.fields)


def _entry_from_the_phone(webapp, walk, polare, *, youths_met="6"):
    """Return (address, fields) of a filled-in log form with a phone-made key."""
    page = webapp.get(f"/walks/{walk.id}/log")
    form = _log_form(page)
    form[f"attendance_{polare.id}"] = "attended"
    form["youths_met"], form["youths_talked"] = youths_met, "2"
    form["note"] = "Lugnt vid stationen."
    fields = dict(form.submit_fields())
    fields["submission_key"] = uuid4().hex
    fields["csrf_token"] = webapp.get("/walks/offline-pages").json["csrf_token"]
    address = re.search(r'data-offline-log="([^"]+)"', page.text).group(1)
    return address, fields


def _berga_walk(make_walk, make_user, day):
    berga = make_user(Role.SUPERVISOR, teams=("Berga",))
    return make_walk(team="Berga", walk_date=day, staff_ids=[berga.id])


def test_offline_pages_list_only_the_users_own_teams_walks_from_yesterday_to_a_week_ahead(
        db, make_walk, make_user, supervisor):
    days = {offset: TODAY + timedelta(days=offset) for offset in (-2, -1, 0, 7, 8)}
    walks = {offset: make_walk(walk_date=day) for offset, day in days.items()}
    _berga_walk(make_walk, make_user, TODAY)
    cancelled = make_walk(walk_date=TODAY + timedelta(days=1))
    cancel_walk(db, supervisor, cancelled.id, version=cancelled.version, reason="Storm")
    kept = walks_to_keep_offline(db, supervisor, TODAY)
    assert [walk.id for walk in kept] == [walks[-1].id, walks[0].id, walks[7].id]


def test_offline_pages_endpoint_names_the_log_pages_and_a_form_token(webapp, web_login_as,
                                                                     make_walk, make_user):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(walk_date=local_today(), staff_ids=[user.id])
    _berga_walk(make_walk, make_user, local_today())
    answer = webapp.get("/walks/offline-pages").json
    assert answer["pages"] == [f"/walks/{walk.id}/log"]
    assert answer["csrf_token"]


def test_admin_without_teams_keeps_no_pages(webapp, web_login_as, make_walk):
    web_login_as(Role.ADMIN, teams=())
    make_walk(walk_date=local_today())
    assert webapp.get("/walks/offline-pages").json["pages"] == []


def test_entry_from_the_phone_is_saved_and_answered_in_json(db, webapp, web_login_as,
                                                            make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    address, fields = _entry_from_the_phone(webapp, walk, polare)
    answer = webapp.post(address, fields, headers=PHONE)
    assert answer.json == {"status": "saved", "url": f"/walks/{walk.id}"}
    db.refresh(walk)
    assert (walk.youths_met, walk.note) == (6, "Lugnt vid stationen.")


def test_resend_with_the_same_key_is_answered_with_the_first_result_and_saves_nothing(
        db, webapp, web_login_as, make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    address, fields = _entry_from_the_phone(webapp, walk, polare)
    webapp.post(address, fields, headers=PHONE)
    version = db.scalar(select(walk.__class__.version).where(walk.__class__.id == walk.id))
    answer = webapp.post(address, fields, headers=PHONE)
    assert answer.json == {"status": "saved", "repeated": True, "url": f"/walks/{walk.id}"}
    db.refresh(walk)
    assert walk.version == version
    assert db.scalar(select(func.count()).select_from(SubmissionKey).where(
        SubmissionKey.key == fields["submission_key"])) == 1


def test_entry_on_a_walk_changed_meanwhile_is_a_conflict_showing_what_the_server_holds(
        db, webapp, web_login_as, make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    address, fields = _entry_from_the_phone(webapp, walk, polare, youths_met="9")
    office = _log_form(webapp.get(f"/walks/{walk.id}/log"))
    office["youths_met"], office["youths_talked"] = "4", "1"
    office.submit("save")
    answer = webapp.post(address, fields, headers=PHONE, status=409)
    assert answer.json["status"] == "conflict"
    assert answer.json["server"]["youths_met"] == {"label": "Ungdomar ni mötte", "value": "4"}
    assert answer.json["server"][f"attendance_{polare.id}"]["value"] == "–"
    db.refresh(walk)
    assert (walk.youths_met, walk.version) == (4, answer.json["version"])
    assert db.get(SubmissionKey, fields["submission_key"]) is None


def test_keeping_the_phones_version_resends_with_the_servers_version(
        db, webapp, web_login_as, make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    address, fields = _entry_from_the_phone(webapp, walk, polare, youths_met="9")
    office = _log_form(webapp.get(f"/walks/{walk.id}/log"))
    office["youths_met"], office["youths_talked"] = "4", "1"
    office.submit("save")
    conflict = webapp.post(address, fields, headers=PHONE, status=409).json
    webapp.post(address, {**fields, "version": str(conflict["version"])}, headers=PHONE)
    db.refresh(walk)
    assert walk.youths_met == 9


def test_invalid_entry_is_refused_with_the_field_errors(webapp, web_login_as, make_walk,
                                                        polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    address, fields = _entry_from_the_phone(webapp, walk, polare)
    answer = webapp.post(address, {**fields, "youths_met": "-1"}, headers=PHONE, status=422)
    assert answer.json["status"] == "invalid"
    assert "youths_met" in answer.json["errors"]


def test_entry_on_a_cancelled_walk_is_refused(db, webapp, web_login_as, make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    address, fields = _entry_from_the_phone(webapp, walk, polare)
    cancel_walk(db, user, walk.id, version=walk.version, reason="Storm")
    db.commit()
    answer = webapp.post(address, fields, headers=PHONE, status=422)
    assert answer.json["status"] == "refused"
    assert walk.status == WalkStatus.CANCELLED


def test_entry_for_another_teams_walk_is_not_found(db, webapp, web_login_as, make_walk,
                                                   polare):
    web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare])
    address, fields = _entry_from_the_phone(webapp, walk, polare)
    web_login_as(Role.SUPERVISOR, teams=("Berga",))
    fields["csrf_token"] = webapp.get("/walks/offline-pages").json["csrf_token"]
    assert webapp.post(address, fields, headers=PHONE, expect_errors=True).status_int == 404
    db.refresh(walk)
    assert walk.youths_met is None


def test_log_form_saved_twice_with_its_key_saves_once(db, webapp, web_login_as, make_walk,
                                                      polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    form = _log_form(webapp.get(f"/walks/{walk.id}/log"))
    form[f"attendance_{polare.id}"] = "attended"
    form["youths_met"], form["youths_talked"] = "5", "2"
    form.submit("save")
    version = walk.version
    again = form.submit("save").follow()
    assert "Formuläret var redan skickat och sparades en gång." in again.text
    db.refresh(walk)
    assert walk.version == version


def test_log_page_kept_on_the_phone_shows_no_full_personnummer(webapp, web_login_as,
                                                               make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    page = webapp.get(f"/walks/{walk.id}/log", headers={"X-Polare-Offline-Copy": "1"})
    digits = re.sub(r"\D", "", polare.personnummer)
    assert polare.full_name in page.text
    assert digits not in re.sub(r"\D", "", page.text)
    assert digits[-4:] not in page.text


def test_log_page_fetched_to_be_kept_on_the_phone_is_private_to_this_browser(client, login_as,
                                                                            make_walk):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(staff_ids=[user.id])
    assert client.get(f"/walks/{walk.id}/log", headers=COPY).headers["Cache-Control"] == (
        "private, no-cache")


def test_log_page_without_the_workers_header_is_not_stored(client, login_as, make_walk):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(staff_ids=[user.id])
    assert client.get(f"/walks/{walk.id}/log").headers["Cache-Control"] == "no-store"


def test_other_pages_are_not_stored_even_when_the_worker_asks(client, login_as, make_walk):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(staff_ids=[user.id])
    for path in (f"/walks/{walk.id}", "/walks/", "/walks/offline-pages", "/"):
        assert client.get(path, headers=COPY).headers["Cache-Control"] == "no-store", path


def test_page_fetched_in_the_background_leaves_the_users_message_and_session_alone(
        webapp, web_login_as, make_walk, polare):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    form = _log_form(webapp.get(f"/walks/{walk.id}/log"))
    form[f"attendance_{polare.id}"] = "attended"
    form["youths_met"], form["youths_talked"] = "6", "2"
    saved = form.submit()

    kept = webapp.get(f"/walks/{walk.id}/log", headers=COPY)
    pages = webapp.get("/walks/offline-pages", headers={**COPY, "Accept": "application/json"})

    assert "Nattvandringen är sparad." not in kept.text
    assert "Set-Cookie" not in kept.headers
    assert "Set-Cookie" not in pages.headers
    assert "Nattvandringen är sparad." in saved.follow().text


def test_static_files_never_send_back_the_session_a_form_is_changing(webapp, web_login_as):
    """The service worker refreshes the app's files while the user submits a form: a
    session cookie on such a file, older than the form's answer, would drop its message."""
    web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    page = webapp.get("/walks/")
    assert "Set-Cookie" in page.headers  # a page the user opened refreshes the session

    for path in ("/static/polare.js", "/static/polare.css"):
        assert "Set-Cookie" not in webapp.get(path).headers, path
