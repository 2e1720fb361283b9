"""The period, rates, settings and user pages as a user goes through them: each form fetched
and submitted as rendered, CSRF token included (WebTest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import webtest
from flask import g, has_app_context
from sqlalchemy import select

from polare.auth.models import Role, User
from polare.org.models import Settings
from polare.pay.models import PayPeriod, PeriodStatus
from tests.conftest import TEST_PASSWORD
from tests.pay.conftest import ATTENDED

NOVEMBER = "/payroll/periods/2026-11"


class Browser(webtest.TestApp):
    """WebTest with an empty `g` at each request, as in production (see FreshGlobalsClient)."""

    def do_request(self, *args: Any, **kwargs: Any) -> webtest.TestResponse:
        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().do_request(*args, **kwargs)


@pytest.fixture
def browser(app, db, monkeypatch) -> Callable[[User], Browser]:
    """Return a browser logged in as the user through the login form, with CSRF on."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def open_as(user: User) -> Browser:
        web = Browser(app)
        page = web.get("/login")
        form = next(f for f in page.forms.values() if "username" in f.fields)
        form["username"], form["password"] = user.username, TEST_PASSWORD
        assert form.submit().status_int == 302
        return web

    return open_as


def form_of(page: webtest.TestResponse, form_id: str) -> webtest.Form:
    """Return the form with the id, as the page rendered it."""
    return page.forms[form_id]


@pytest.fixture
def november(db, rate_table, polare, make_walk) -> None:
    """November holds one approved 200 kr walk."""
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])


def status_of(db, month: str) -> PeriodStatus:
    return db.scalar(select(PayPeriod.status).where(PayPeriod.month == month))


def close_through_the_page(web: Browser) -> webtest.TestResponse:
    page = web.get(f"{NOVEMBER}/close")
    assert "Det här är den första löneperioden. Inga tidigare månader stängs." in page.text
    form = next(f for f in page.forms.values() if "confirm" in f.fields)
    form["confirm"] = True
    return form.submit().follow()


def test_closing_then_attesting_as_another_user_through_the_pages(
        db, browser, november, payroll_user, attestant):
    closed = close_through_the_page(browser(payroll_user))
    assert "stängd — väntar på attest" in closed.text
    assert "attest-form" not in closed.forms
    assert status_of(db, "2026-11") == PeriodStatus.CLOSED
    page = browser(attestant).get(NOVEMBER)
    assert "Lena Lön" in page.text
    form = form_of(page, "attest-form")
    form["confirm"] = True
    attested = form.submit().follow()
    assert "Perioden 2026-11 är attesterad." in attested.text
    assert "Ali Attest" in attested.text
    assert status_of(db, "2026-11") == PeriodStatus.ATTESTED
    assert "reopen-form" not in attested.forms


def test_attesting_without_confirming_keeps_the_period_closed(db, browser, november,
                                                             payroll_user, attestant):
    close_through_the_page(browser(payroll_user))
    refused = form_of(browser(attestant).get(NOVEMBER), "attest-form").submit(status=422)
    assert "Bekräfta att du har granskat raderna." in refused.text
    assert status_of(db, "2026-11") == PeriodStatus.CLOSED


def test_the_closer_reopens_with_a_reason_through_the_page(db, browser, november,
                                                          payroll_user):
    web = browser(payroll_user)
    page = close_through_the_page(web)
    form = form_of(page, "reopen-form")
    form["reason"] = "Närvaron den 5:e var fel"
    reopened = form.submit().follow()
    assert "Perioden 2026-11 är öppen igen." in reopened.text
    assert "Närvaron den 5:e var fel" in reopened.text
    assert status_of(db, "2026-11") == PeriodStatus.OPEN


def test_a_month_closed_again_after_reopening_still_shows_who_reopened_it_and_why(
        db, browser, november, payroll_user, attestant):
    web = browser(payroll_user)
    form = form_of(close_through_the_page(web), "reopen-form")
    form["reason"] = "Närvaron den 5:e var fel"
    form.submit().follow()
    close_through_the_page(web)
    page = browser(attestant).get(NOVEMBER)
    steps = page.html.find(id="period-steps").get_text(" ", strip=True)
    assert "Öppnad igen" in steps
    assert "av Lena Lön: Närvaron den 5:e var fel" in steps
    assert "stängd — väntar på attest" in steps


def test_reopening_without_a_reason_is_refused_and_nothing_changes(db, browser, november,
                                                                  payroll_user):
    page = close_through_the_page(browser(payroll_user))
    refused = form_of(page, "reopen-form").submit(status=422)
    assert "Ange varför perioden öppnas igen." in refused.text
    assert status_of(db, "2026-11") == PeriodStatus.CLOSED


def test_the_close_page_of_a_month_out_of_turn_offers_no_close(db, browser, november,
                                                               payroll_user):
    page = browser(payroll_user).get("/payroll/periods/2026-10").maybe_follow()
    assert "utanför Polares lönehantering" in page.text
    assert "Stäng perioden …" not in page.text


def test_the_close_page_of_a_month_out_of_turn_refuses_without_claims_about_earlier_months(
        db, browser, november, payroll_user):
    page = browser(payroll_user).get("/payroll/periods/2027-01/close")
    assert "nästa period att stänga är 2026-11" in page.text
    assert 'id="earlier-months"' not in page.text
    assert not any("confirm" in form.fields for form in page.forms.values())


def test_the_close_page_of_the_next_month_names_the_month_already_closed(db, browser, november,
                                                                        payroll_user):
    web = browser(payroll_user)
    close_through_the_page(web)
    page = web.get("/payroll/periods/2026-12/close")
    assert "Tidigare månad: 2026-11 är redan stängd och ändras inte." in page.text

def test_the_close_page_warns_while_the_rates_in_force_have_no_decision(
        db, browser, undecided_rate_table, polare, make_walk, payroll_user):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    page = browser(payroll_user).get(f"{NOVEMBER}/close")
    warning = page.html.find(class_="alert-danger", role="alert")
    assert "Arvodestabellen från 2024-08-01 saknar beslut." in warning.text
    assert not any("confirm" in form.fields for form in page.forms.values())
    assert status_of(db, "2026-11") is None


def test_admin_sets_the_first_pay_period_on_the_settings_page(db, browser, make_user):
    admin = make_user(Role.ADMIN)
    page = browser(admin).get("/admin/settings")
    form = next(f for f in page.forms.values() if "first_pay_period" in f.fields)
    form["first_pay_period"] = "2026-09"
    form.submit().follow()
    assert db.get(Settings, 1).first_pay_period == "2026-09"


def test_admin_grants_attesträtt_on_the_user_page(db, browser, make_user, payroll_user):
    admin = make_user(Role.ADMIN)
    page = browser(admin).get(f"/admin/users/{payroll_user.id}")
    form = next(f for f in page.forms.values() if "can_attest" in f.fields)
    form["can_attest"] = True
    form.submit().follow()
    db.refresh(payroll_user)
    assert payroll_user.can_attest


def test_a_decision_is_recorded_on_the_rates_page(db, browser, undecided_rate_table,
                                                  payroll_user):
    web = browser(payroll_user)
    rates = web.get("/payroll/rates")
    assert "saknar beslut" in rates.text
    page = rates.click("Registrera beslut")
    form = next(f for f in page.forms.values() if "reference" in f.fields)
    form["reference"], form["decided_on"] = "KS 2024/117", "2024-06-12"
    saved = form.submit().follow()
    assert "Beslut KS 2024/117 den 2024-06-12." in saved.text
    db.refresh(undecided_rate_table)
    assert undecided_rate_table.decided


def test_a_decision_without_a_reference_keeps_the_date_typed(db, browser, undecided_rate_table,
                                                             payroll_user):
    page = browser(payroll_user).get(f"/payroll/rates/{undecided_rate_table.id}/decision")
    form = next(f for f in page.forms.values() if "reference" in f.fields)
    form["decided_on"] = "2024-06-12"
    refused = form.submit(status=422)
    assert 'value="2024-06-12"' in refused.text
    db.refresh(undecided_rate_table)
    assert not undecided_rate_table.decided
