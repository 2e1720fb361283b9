"""Payroll pages: who may use them, preview, rate editor, indexation, closing, download."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.pay import services
from polare.pay.models import PayPeriod, PayrollExport, PeriodStatus, RateVersion
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance

NOVEMBER_WALK = date(2026, 11, 5)


def page_urls(polare_id: int, version_id: int) -> list[str]:
    return [
        "/payroll/", "/payroll/periods/2026-11", f"/payroll/periods/2026-11/persons/{polare_id}",
        "/payroll/periods/2026-11/close", "/payroll/rates", "/payroll/rates/new",
        f"/payroll/rates/{version_id}", "/payroll/rates/index",
    ]


@pytest.mark.parametrize("role", [Role.PAYROLL, Role.ADMIN])
def test_payroll_staff_and_admin_reach_every_payroll_page(client, login_as, rate_table, polare,
                                                         make_walk, role):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(role)
    for url in page_urls(polare.id, rate_table.id):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_coordinators_and_supervisors_are_refused_every_payroll_page(client, login_as,
                                                                    rate_table, polare, role):
    login_as(role)
    for url in page_urls(polare.id, rate_table.id):
        assert client.get(url).status_code == 403, url
    assert client.post("/payroll/periods/2026-11/export").status_code == 403
    assert client.post("/payroll/periods/2026-11/close").status_code == 403


def test_period_page_shows_preliminary_lines_per_person_and_team_totals(
        client, login_as, rate_table, second_year_polare, make_walk):
    make_walk(NOVEMBER_WALK, [(second_year_polare, ATTENDED)])
    login_as(Role.PAYROLL)
    html = client.get("/payroll/periods/2026-11").get_data(as_text=True)
    assert "PRELIMINÄR" in html
    assert "Elsa Ek" in html
    assert "15–17 år, 2 år i verksamheten" in html
    assert "230,00\u00a0kr" in html
    assert "Stäng perioden" in html


def test_no_personnummer_appears_in_any_url(client, login_as, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.PAYROLL)
    html = client.get("/payroll/periods/2026-11").get_data(as_text=True)
    assert polare.personnummer in html
    links = re.findall(r'(?:href|action)="([^"]*)"', html)
    assert f"/payroll/periods/2026-11/persons/{polare.id}" in links
    digits = polare.personnummer.replace("-", "")
    assert not [link for link in links if polare.personnummer in link or digits in link]


def test_person_page_explains_each_line(client, login_as, rate_table, second_year_polare,
                                        make_walk):
    make_walk(NOVEMBER_WALK, [(second_year_polare, ATTENDED)])
    login_as(Role.PAYROLL)
    html = client.get(f"/payroll/periods/2026-11/persons/{second_year_polare.id}"
                      ).get_data(as_text=True)
    assert "Ålder 17, 2 år i verksamheten" in html
    assert "Exempelvärden (från 2024-08-01)" in html


def test_unknown_month_or_person_answers_404(client, login_as, polare):
    login_as(Role.PAYROLL)
    assert client.get("/payroll/periods/november").status_code == 404
    assert client.get("/payroll/periods/2026-13").status_code == 404
    assert client.get("/payroll/periods/2026-11/persons/999999").status_code == 404


def rows_form(rows: list[tuple[str, ...]], **fields: str) -> dict[str, str]:
    data = {"effective_from": "2026-08-01", "label": "Beslut 2026", "note": "", **fields}
    for n, (age_from, age_to, years_from, years_to, amount) in enumerate(rows):
        data.update({f"rows-{n}-age_from": age_from, f"rows-{n}-age_to": age_to,
                     f"rows-{n}-years_from": years_from, f"rows-{n}-years_to": years_to,
                     f"rows-{n}-amount": amount})
    return data


def test_rate_editor_names_the_gap_and_keeps_what_was_typed(client, db, login_as):
    login_as(Role.PAYROLL)
    response = client.post("/payroll/rates/new", data=rows_form(
        [("15", "17", "1", "", "212,50"), ("19", "", "1", "", "300")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ingen rad täcker ålder 18 med 1 år i verksamheten" in html
    assert 'value="212,50"' in html
    assert 'value="Beslut 2026"' in html
    assert db.scalar(select(RateVersion.id)) is None


def test_rate_editor_saves_a_complete_table_with_decimal_commas(client, db, login_as):
    login_as(Role.PAYROLL)
    response = client.post("/payroll/rates/new", data=rows_form(
        [("15", "17", "1", "", "212,50"), ("18", "", "1", "", "1 300"), ("", "", "", "", "")]))
    assert response.status_code == 302
    version = db.scalars(select(RateVersion)).one()
    assert [(r.age_from, r.age_to, r.amount) for r in version.rows] == [
        (15, 17, Decimal("212.50")), (18, None, Decimal("1300.00"))]


def test_rate_row_missing_its_amount_is_refused_on_the_field(client, login_as):
    login_as(Role.PAYROLL)
    response = client.post("/payroll/rates/new", data=rows_form([("15", "", "1", "", "")]))
    assert response.status_code == 422
    assert "Fyll i Belopp (kr)." in response.get_data(as_text=True)


def test_more_rows_button_adds_empty_rows_and_saves_nothing(client, db, login_as):
    login_as(Role.PAYROLL)
    blank = ("", "", "", "", "")
    response = client.post("/payroll/rates/new", data=rows_form(
        [("15", "17", "1", "", "200"), blank, blank, blank], add_rows="Fler rader"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="rows-6-amount"' in html
    assert 'name="rows-7-amount"' not in html
    assert 'value="200"' in html
    assert db.scalar(select(RateVersion.id)) is None


def test_a_version_used_by_a_closed_period_is_shown_locked(client, db, login_as, rate_table,
                                                           polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    login_as(Role.PAYROLL)
    html = client.get(f"/payroll/rates/{rate_table.id}").get_data(as_text=True)
    assert "kan inte ändras" in html
    assert 'name="rows-0-amount"' not in html
    client.post(f"/payroll/rates/{rate_table.id}", data=rows_form(
        [("15", "", "1", "", "1")], effective_from="2024-08-01"))
    assert [r.amount for r in rate_table.rows][0] == Decimal("200.00")


def test_indexation_is_reviewed_before_it_is_saved(client, db, login_as, rate_table):
    login_as(Role.PAYROLL)
    form = {"from_version": str(rate_table.id), "percent": "2,5",
            "effective_from": "2027-01-01", "label": ""}
    review = client.post("/payroll/rates/index", data={**form, "review": "Granska"})
    html = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "205,00\u00a0kr" in html
    assert "318,00\u00a0kr" in html
    assert db.scalar(select(RateVersion).where(RateVersion.effective_from == date(2027, 1, 1))
                     ) is None
    saved = client.post("/payroll/rates/index", data={**form, "save": "Spara ny version"})
    assert saved.status_code == 302
    version = db.scalars(select(RateVersion)
                         .where(RateVersion.effective_from == date(2027, 1, 1))).one()
    assert [r.amount for r in version.rows][0] == Decimal("205.00")


def test_closing_asks_for_confirmation(client, db, login_as, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.PAYROLL)
    page = client.get("/payroll/periods/2026-11/close").get_data(as_text=True)
    digest = re.search(r'name="digest"[^>]*value="([0-9a-f]+)"', page)[1]
    refused = client.post("/payroll/periods/2026-11/close", data={"digest": digest})
    assert refused.status_code == 422
    assert "Bekräfta att du har granskat raderna." in refused.get_data(as_text=True)
    assert services.preview_period(db, "2026-11").is_open
    closed = client.post("/payroll/periods/2026-11/close",
                         data={"digest": digest, "confirm": "y"})
    assert closed.status_code == 302
    period = db.scalars(select(PayPeriod).where(PayPeriod.month == "2026-11")).one()
    assert period.status == PeriodStatus.CLOSED
    assert "Stängd" in client.get("/payroll/periods/2026-11").get_data(as_text=True)


def test_closing_is_refused_when_the_lines_changed_after_the_review(
        client, db, login_as, rate_table, polare, make_walk, first_pay_period):
    first_pay_period("2026-11")
    walk = make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.PAYROLL)
    page = client.get("/payroll/periods/2026-11/close").get_data(as_text=True)
    digest = re.search(r'name="digest"[^>]*value="([0-9a-f]+)"', page)[1]
    set_attendance(db, walk, polare, ABSENT)
    response = client.post("/payroll/periods/2026-11/close",
                           data={"digest": digest, "confirm": "y"})
    assert response.status_code == 422
    assert "ändrats sedan du granskade" in response.get_data(as_text=True)
    assert services.preview_period(db, "2026-11").is_open


def test_download_gives_the_workbook_and_lists_the_export_on_the_period_page(
        client, db, login_as, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.PAYROLL, full_name="Lena Lön")
    response = client.post("/payroll/periods/2026-11/export")
    assert response.status_code == 200
    assert "arvoden-2026-11-PRELIMINAR.xlsx" in response.headers["Content-Disposition"]
    assert response.data[:2] == b"PK"
    stored = db.scalars(select(PayrollExport)).one()
    assert stored.sha256 == hashlib.sha256(response.data).hexdigest()
    html = client.get("/payroll/periods/2026-11").get_data(as_text=True)
    assert stored.sha256 in html
    assert "Lena Lön" in html


def test_periods_list_links_each_month(client, login_as, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.PAYROLL)
    html = client.get("/payroll/").get_data(as_text=True)
    assert 'href="/payroll/periods/2026-11"' in html


def test_periods_list_shows_amounts_not_payments_and_marks_open_ones_preliminary(
        client, login_as, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.PAYROLL)
    html = client.get("/payroll/").get_data(as_text=True)
    assert "Utbetalt" not in html
    assert "200,00\u00a0kr <span class=\"small text-body-secondary\">preliminärt</span>" in html


def test_periods_list_marks_only_the_month_to_close_next_and_lists_it_first(
        client, db, login_as, clock, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    make_walk(date(2026, 12, 3), [(polare, ATTENDED)])
    clock.local(date(2027, 2, 10))
    services.close_period(db, None, "2026-11")
    login_as(Role.PAYROLL)
    html = client.get("/payroll/").get_data(as_text=True)
    rows = re.findall(r'<tr>\s*<td><a href="/payroll/periods/([\d-]+)">.*?</tr>', html, re.S)
    marked = re.findall(r'href="/payroll/periods/([\d-]+)">[^<]*</a></td>\s*<td>[^\n]*'
                        r'nästa att stänga', html)
    assert rows == ["2026-12", "2027-02", "2026-11"]
    assert marked == ["2026-12"]


def test_periods_list_shows_the_month_to_close_next_even_without_walks(
        client, db, login_as, clock, rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    clock.local(date(2027, 2, 10))
    services.close_period(db, None, "2026-11")
    services.close_period(db, None, "2026-12")
    login_as(Role.PAYROLL)
    html = client.get("/payroll/").get_data(as_text=True)
    first = re.search(r'<tr>\s*<td><a href="/payroll/periods/([\d-]+)">.*?</tr>', html, re.S)
    assert first.group(1) == "2027-01"
    assert "nästa att stänga" in first.group(0)


def test_person_page_shows_the_stipends_to_the_teams_coordinator(client, db, login_as,
                                                                  rate_table, polare, make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(f"/roster/persons/{polare.id}").get_data(as_text=True)
    assert 'id="stipends-heading"' in html
    assert "I stängda perioder: 200,00\u00a0kr" in html


def test_person_page_shows_no_stipends_to_supervisors(client, login_as, rate_table, polare,
                                                      make_walk):
    make_walk(NOVEMBER_WALK, [(polare, ATTENDED)])
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    response = client.get(f"/roster/persons/{polare.id}")
    assert response.status_code == 200
    assert 'id="stipends-heading"' not in response.get_data(as_text=True)
