"""Admin keeps the employer contribution rates and the budgets; demo data seeds them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import String, func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError
from polare.reports.budgets import (
    delete_contribution_rate,
    load_example_rates,
    save_budget,
    save_contribution_rate,
)
from polare.reports.demo import DEMO_BUDGET, load_demo
from polare.reports.models import Budget, EmployerContributionRate, FollowUpCell, FollowUpTeam

RATE = {"label": "Allmän", "valid_from": date(2025, 1, 1), "valid_to": None, "age_from": 0,
        "age_to": None, "rate_percent": Decimal("31.42")}


def test_example_rates_are_seeded_once_and_marked_as_examples(db):
    first = load_example_rates(db)
    assert load_example_rates(db) == []
    assert [(r.rate_percent, r.age_from, r.age_to, r.is_example) for r in first] == [
        (Decimal("31.42"), 0, None, True), (Decimal("20.81"), 18, 21, True)]
    assert all("exempel" in r.label for r in first)


def test_demo_adds_the_current_years_budget_and_the_example_rates(db, school_year):
    load_demo(db, date(2026, 11, 25))
    load_demo(db, date(2026, 11, 25))
    budgets = db.scalars(select(Budget)).all()
    assert [(b.school_year_id, b.amount) for b in budgets] == [(school_year.id, DEMO_BUDGET)]
    assert len(db.scalars(select(EmployerContributionRate)).all()) == 2


def test_two_rates_cannot_start_the_same_day_for_the_same_ages(db):
    save_contribution_rate(db, None, None, **RATE)
    with pytest.raises(DomainError, match="två avgifter kan inte börja samma dag") as error:
        save_contribution_rate(db, None, None, **{**RATE, "age_from": 18, "age_to": 21})
    assert error.value.field == "valid_from"


def test_a_rate_may_start_later_on_top_of_the_general_one(db):
    save_contribution_rate(db, None, None, **RATE)
    youth = save_contribution_rate(db, None, None, **{**RATE, "valid_from": date(2026, 4, 1),
                                                      "age_from": 18, "age_to": 21,
                                                      "rate_percent": Decimal("20.81")})
    assert youth.id is not None


@pytest.mark.parametrize(("change", "field"), [
    ({"valid_to": date(2024, 12, 31)}, "valid_to"),
    ({"age_from": 30, "age_to": 20}, "age_to"),
    ({"rate_percent": Decimal("101")}, "rate_percent"),
    ({"rate_percent": Decimal("31.425")}, "rate_percent"),
    ({"label": "Avgift\x07"}, "label"),
])
def test_impossible_rates_are_refused(db, change, field):
    with pytest.raises(DomainError) as error:
        save_contribution_rate(db, None, None, **{**RATE, **change})
    assert error.value.field == field


def test_a_label_with_control_characters_is_refused_naming_the_field_in_each_language(app, db):
    with pytest.raises(DomainError) as error:
        save_contribution_rate(db, None, None, **{**RATE, "label": "Avgift\x07"})
    with app.test_request_context():
        assert error.value.message == "Fältet Benämning innehåller otillåtna tecken"
        with force_locale("en"):
            assert error.value.message == "Label contains characters that are not allowed"


def test_rate_changes_are_audited_with_old_and_new_values(db, make_user):
    admin = make_user(Role.ADMIN)
    rate = save_contribution_rate(db, admin, None, **RATE)
    save_contribution_rate(db, admin, rate, **{**RATE, "rate_percent": Decimal("31.00")})
    delete_contribution_rate(db, admin, rate.id)
    entries = db.scalars(select(AuditEntry).where(
        AuditEntry.entity == "employer_contribution_rate").order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[1].changes == {"rate_percent": ["31.42", "31.00"]}


def test_budget_is_set_and_changed_per_school_year(db, school_year):
    save_budget(db, None, school_year.id, Decimal("100000"))
    save_budget(db, None, school_year.id, Decimal("120000.50"))
    [budget] = db.scalars(select(Budget)).all()
    assert budget.amount == Decimal("120000.50")


def test_a_budget_with_more_than_two_decimals_is_refused(db, school_year):
    with pytest.raises(DomainError, match="högst två decimaler") as error:
        save_budget(db, None, school_year.id, Decimal("120000.505"))
    assert error.value.field == "amount"
    assert db.scalars(select(Budget)).all() == []


def test_report_amounts_are_stored_exactly_not_as_floats(db, school_year, teams, districts):
    save_budget(db, None, school_year.id, Decimal("120000.55"))
    save_contribution_rate(db, None, None, **RATE)
    ryd = teams["Ryd"]
    db.add(FollowUpCell(team_id=ryd.id, district_id=districts["Ryd"].id, month="2026-11",
                        stipends=Decimal("230.10"), contributions=Decimal("72.30")))
    team = db.get(FollowUpTeam, ryd.id) or FollowUpTeam(team_id=ryd.id)
    team.open_stipends = Decimal("460.20")
    db.add(team)
    db.flush()
    columns = (Budget.amount, EmployerContributionRate.rate_percent, FollowUpCell.stipends,
               FollowUpCell.contributions, FollowUpTeam.open_stipends)
    sqlite = db.get_bind().dialect.name == "sqlite"
    type_of = func.typeof if sqlite else func.pg_typeof
    kinds = [db.scalar(select(type_of(column).cast(String))) for column in columns]
    assert kinds == ["integer" if sqlite else "numeric"] * len(columns)
    db.expire_all()
    assert [db.scalar(select(column)) for column in columns] == [
        Decimal("120000.55"), Decimal("31.42"), Decimal("230.10"), Decimal("72.30"),
        Decimal("460.20")]


def test_admin_adds_a_rate_through_the_page(client, login_as, db):
    login_as(Role.ADMIN)
    response = client.post("/reports/contribution-rates/new", data={
        "label": "Sänkt för unga", "valid_from": "2026-04-01", "valid_to": "2027-09-30",
        "age_from": "18", "age_to": "21", "rate_percent": "20.81"})
    assert response.status_code == 302
    page = client.get("/reports/contribution-rates").get_data(as_text=True)
    assert "Sänkt för unga" in page
    assert "20,81&nbsp;%" in page


def test_rate_page_keeps_the_input_when_refused(client, login_as, db):
    login_as(Role.ADMIN)
    response = client.post("/reports/contribution-rates/new", data={
        "label": "Fel", "valid_from": "2026-04-01", "valid_to": "2026-01-01",
        "age_from": "18", "age_to": "", "rate_percent": "20.81"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Slutdatum kan inte vara före startdatum." in html
    assert 'value="Fel"' in html


def test_rates_page_warns_about_example_values(client, login_as, db):
    load_example_rates(db)
    login_as(Role.ADMIN)
    html = client.get("/reports/contribution-rates").get_data(as_text=True)
    assert "exempelvärden som följde med installationen" in html
    assert html.count("exempel – kontrollera") == 2


def test_admin_sets_a_budget_through_the_page(client, login_as, db, school_year):
    login_as(Role.ADMIN)
    response = client.post(f"/reports/budgets/{school_year.id}", data={"amount": "450000"})
    assert response.status_code == 302
    assert "450\u00a0000,00\u00a0kr" in client.get("/reports/budgets").get_data(as_text=True)


def test_admin_deletes_a_rate(client, login_as, db):
    rate = save_contribution_rate(db, None, None, **RATE)
    login_as(Role.ADMIN)
    assert client.post(f"/reports/contribution-rates/{rate.id}/delete").status_code == 302
    assert db.get(EmployerContributionRate, rate.id) is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PAYROLL, Role.SUPERVISOR])
def test_only_admin_keeps_rates_and_budgets(client, login_as, role, school_year):
    login_as(role)
    assert client.get("/reports/contribution-rates").status_code == 403
    assert client.post(f"/reports/budgets/{school_year.id}",
                       data={"amount": "1"}).status_code == 403
