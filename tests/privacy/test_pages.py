"""The privacy page (admin only): what is due, the purge button, the person search."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.privacy import retention
from polare.roster.models import Person
from tests.conftest import TODAY
from tests.privacy.conftest import DECISION_REF


def test_admin_start_page_links_the_privacy_page(client, login_as):
    login_as(Role.ADMIN)
    assert "/admin/privacy/" in client.get("/admin/").get_data(as_text=True)


def test_privacy_page_lists_what_is_due(client, login_as, world, decision, on_day):
    login_as(Role.ADMIN)
    body = client.get("/admin/privacy/").get_data(as_text=True)
    assert "Elsa Slut" in body
    assert "Greta Gammal" in body
    assert "Alva Aktiv" not in body
    assert DECISION_REF in body
    assert "Gallra nu" in body


def test_privacy_page_warns_and_offers_no_purge_without_a_decision(client, login_as, world,
                                                                 on_day):
    login_as(Role.ADMIN)
    body = client.get("/admin/privacy/").get_data(as_text=True)
    assert "Inget gallringsbeslut" in body
    assert "Gallra nu" not in body


def test_purge_needs_the_confirmation_box(client, db, login_as, world, decision, on_day):
    login_as(Role.ADMIN)
    token = retention.plan_purge(db, on=TODAY).token
    response = client.post("/admin/privacy/purge", data={"plan_token": token})
    assert response.status_code == 422
    assert "Bekräfta" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Person, world.left.id).anonymised_at is None


def test_purge_from_the_page_anonymises_and_says_so(client, db, login_as, world, decision,
                                                    on_day):
    admin = login_as(Role.ADMIN)
    token = retention.plan_purge(db, on=TODAY).token
    response = client.post("/admin/privacy/purge", data={"plan_token": token, "confirm": "y"},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Anonymiserade personer: 4." in body
    assert "Ingen person har passerat lagringstiden" in body
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "retention")).one()
    assert entry.user_id == admin.id


def test_purge_of_a_list_that_changed_asks_for_a_new_review(client, db, login_as, world,
                                                            decision, on_day):
    login_as(Role.ADMIN)
    response = client.post("/admin/privacy/purge", data={"plan_token": "stale", "confirm": "y"})
    assert response.status_code == 409
    assert "har ändrats" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Person, world.left.id).anonymised_at is None


def test_purge_from_the_page_overwrites_the_files_only_after_its_commit(
        client, db, login_as, world, decision, on_day, monkeypatch):
    steps = []
    monkeypatch.setattr(retention, "overwrite_purged_data",
                        lambda engine, *, wait_ms: steps.append("overwrite"))
    login_as(Role.ADMIN)
    event.listen(db(), "after_commit", lambda _session: steps.append("commit"))
    client.post("/admin/privacy/purge", data={"plan_token": "stale", "confirm": "y"})
    assert "overwrite" not in steps
    token = retention.plan_purge(db, on=TODAY).token
    client.post("/admin/privacy/purge", data={"plan_token": token, "confirm": "y"})
    assert steps[-2:] == ["commit", "overwrite"]


def test_coordinator_cannot_reach_the_privacy_pages(client, login_as):
    login_as(Role.COORDINATOR)
    assert client.get("/admin/privacy/").status_code == 403
    assert client.post("/admin/privacy/purge").status_code == 403


def _page_text(client, url: str) -> str:
    """Return the text a reader sees on the page (charts and form tokens left out)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]*>", " ", response.get_data(as_text=True)).split())


def test_follow_up_report_and_closed_periods_show_the_same_after_the_purge(client, db, login_as,
                                                                          world, decision,
                                                                          on_day):
    login_as(Role.ADMIN)
    pages = ["/reports/?period=range&date_from=2017-01-01&date_to=2019-12-31",
             "/reports/?period=range&date_from=2024-01-01&date_to=2026-11-25", "/payroll/"]
    before = {url: _page_text(client, url) for url in pages}
    assert "700,00 kr" in before[pages[0]]  # the stipends of 2018 and 2019 are reported
    assert "Greta Gammal" not in before[pages[2]]
    token = retention.plan_purge(db, on=TODAY).token
    client.post("/admin/privacy/purge", data={"plan_token": token, "confirm": "y"},
                follow_redirects=True)
    assert db.get(Person, world.left.id).anonymised_at is not None
    assert {url: _page_text(client, url) for url in pages} == before


def test_privacy_page_warns_when_the_database_holds_people_already_due(client, login_as, world,
                                                                      decision, on_day):
    login_as(Role.ADMIN)
    body = client.get("/admin/privacy/").get_data(as_text=True)
    assert 'id="already-due"' in body
    assert "innan Polare används igen" in body


def test_privacy_page_does_not_warn_after_the_purge(client, db, login_as, world, decision,
                                                   on_day):
    retention.run_purge(db, None, on=TODAY)
    db.commit()
    login_as(Role.ADMIN)
    body = client.get("/admin/privacy/").get_data(as_text=True)
    assert 'id="already-due"' not in body
