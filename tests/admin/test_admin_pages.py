"""Admin pages: users, teams, districts, school years, settings, audit log."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.audit.services import record
from polare.auth.models import Role, User
from polare.org.models import SchoolYear, Settings
from tests.webpages import form_with, web_log_in


def test_admin_creates_a_coordinator_for_ryd_who_must_change_password(client, db, login_as,
                                                                       teams):
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "username": "nyryd", "full_name": "Ny Ryd", "role": "coordinator",
        "teams": [teams["Ryd"].id], "active": "y", "password": "ett-bra-losenord"})
    assert response.status_code == 302
    user = db.scalars(select(User).where(User.username == "nyryd")).one()
    assert [t.name for t in user.teams] == ["Ryd"]
    assert user.must_change_password


def test_coordinator_without_team_is_refused_and_form_kept(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "username": "utanteam", "full_name": "Utan Team", "role": "coordinator",
        "password": "ett-bra-losenord"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "minst ett team" in body
    assert 'value="utanteam"' in body


def test_short_password_is_refused(client, login_as, teams):
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "username": "kort", "role": "payroll", "password": "kort"})
    assert "minst 10 tecken" in response.get_data(as_text=True)


def test_overlapping_school_year_is_refused_with_the_clash_named(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/school-years/new", data={
        "label": "2030/31", "starts_on": "2027-06-01", "ends_on": "2028-05-31"})
    body = response.get_data(as_text=True)
    assert "överlappar 2026/27" in body
    assert 'value="2030/31"' in body


def test_new_school_year_after_the_last_one_is_saved(client, db, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/school-years/new", data={
        "label": "2028/29", "starts_on": "2028-08-01", "ends_on": "2029-07-31"})
    assert response.status_code == 302
    assert db.scalar(select(SchoolYear.id).where(SchoolYear.label == "2028/29"))


def test_settings_change_is_audited_with_old_and_new_values(client, db, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/settings", data={
        "default_cap": "22", "min_age": "15", "max_age": "20", "pay_code": "7301",
        "minor_latest_end": "21:30", "retention_months": "24",
        "deletion_decision_ref": "SOCN 2026-123"})
    assert response.status_code == 302
    settings = db.get(Settings, 1)
    assert (settings.default_cap, settings.minor_latest_end) == (22, time(21, 30))
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "settings")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["default_cap"] == [20, 22]


def test_minimum_age_above_maximum_is_refused(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/settings", data={
        "default_cap": "20", "min_age": "21", "max_age": "20", "pay_code": "7301",
        "minor_latest_end": "22:00", "retention_months": "24"})
    assert "Lägsta ålder kan inte vara högre" in response.get_data(as_text=True)


def test_team_cost_centre_is_editable(client, db, login_as, teams):
    login_as(Role.ADMIN)
    ryd = teams["Ryd"]
    response = client.post(f"/admin/teams/{ryd.id}", data={
        "name": "Ryd", "cost_centre": "KS-9999", "active": "y"})
    assert response.status_code == 302
    db.refresh(ryd)
    assert ryd.cost_centre == "KS-9999"


def test_audit_log_filters_by_entity(client, login_as):
    login_as(Role.ADMIN)
    body = client.get("/admin/audit?entity=user").get_data(as_text=True)
    assert "user" in body
    assert "<td>school_year" not in body


def test_deactivating_a_user_is_audited(client, db, login_as, make_user, teams):
    login_as(Role.ADMIN)
    target = make_user(Role.SUPERVISOR)
    response = client.post(f"/admin/users/{target.id}", data={
        "username": target.username, "full_name": "X", "role": "supervisor",
        "teams": [teams["Ryd"].id]})
    assert response.status_code == 302
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "user",
                                                AuditEntry.entity_id == str(target.id))
                       .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["active"] == [True, False]


def test_school_year_label_must_look_like_2026_27(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/school-years/new", data={
        "label": "hösten", "starts_on": date(2040, 8, 1).isoformat(),
        "ends_on": date(2041, 7, 31).isoformat()})
    assert "2026/27" in response.get_data(as_text=True)


def test_audit_log_shows_the_names_of_the_polare_an_entry_refers_to(client, db, login_as,
                                                                     make_person):
    person = make_person(first_name="Tyra", last_name="Refererad")
    record(db, None, "confirm_training", "walk", 4711, note="1 polare", persons=[person.id])
    db.commit()
    login_as(Role.ADMIN)
    body = client.get("/admin/audit?entity=walk").get_data(as_text=True)
    assert "Tyra Refererad" in body


def test_user_edit_page_preselects_the_users_teams(web, make_user, teams):
    admin = make_user(Role.ADMIN)
    coordinator = make_user(Role.COORDINATOR, teams=("Berga", "Ryd"))
    web_log_in(web, admin.username)
    form = form_with(web.get(f"/admin/users/{coordinator.id}"), "teams")
    assert sorted(form["teams"].value) == sorted([str(teams["Berga"].id), str(teams["Ryd"].id)])


def test_saving_a_user_unchanged_keeps_their_role_and_teams(web, db, make_user):
    admin = make_user(Role.ADMIN)
    coordinator = make_user(Role.COORDINATOR, teams=("Berga", "Ryd"))
    web_log_in(web, admin.username)
    response = form_with(web.get(f"/admin/users/{coordinator.id}"), "teams").submit()
    assert response.status_code == 302
    db.refresh(coordinator)
    assert [t.name for t in coordinator.teams] == ["Berga", "Ryd"]
    assert coordinator.role == Role.COORDINATOR
