"""Times are stored in UTC and shown in Swedish local time (Europe/Stockholm) on every page."""

from __future__ import annotations

from datetime import date, datetime

from bs4 import BeautifulSoup

from polare import clock as polare_clock
from polare.audit.services import record
from polare.auth.models import Role
from polare.clock import utc_start_of_local_day
from polare.formatting import local_time


def test_local_time_adds_one_hour_in_winter():
    assert local_time(datetime(2026, 11, 24, 20, 5)) == datetime(2026, 11, 24, 21, 5)


def test_local_time_adds_two_hours_in_summer():
    assert local_time(datetime(2026, 6, 30, 22, 30)) == datetime(2026, 7, 1, 0, 30)


def test_local_time_leaves_nothing_as_nothing():
    assert local_time(None) is None


def test_a_swedish_day_begins_at_2300_utc_the_day_before_in_winter():
    assert utc_start_of_local_day(date(2026, 12, 1)) == datetime(2026, 11, 30, 23, 0)


def _audit_rows(client, query: str) -> list[str]:
    page = BeautifulSoup(client.get(f"/admin/audit?{query}").get_data(as_text=True),
                         "html.parser")
    return [row.get_text(" ", strip=True) for row in page.select("tbody tr")]


def test_audit_log_shows_local_time(client, db, login_as):
    login_as(Role.ADMIN)
    record(db, None, "update", "settings", "1", note="vintertid").at = datetime(
        2026, 11, 30, 23, 30)
    db.flush()
    [row] = [row for row in _audit_rows(client, "entity=settings") if "vintertid" in row]
    assert row.startswith("2026-12-01 00:30")


def test_audit_log_filters_by_the_local_day(client, db, login_as):
    login_as(Role.ADMIN)
    record(db, None, "update", "settings", "1", note="strax efter midnatt").at = datetime(
        2026, 11, 30, 23, 30)
    db.flush()
    assert any("strax efter midnatt" in row
               for row in _audit_rows(client, "date_from=2026-12-01&date_to=2026-12-01"))
    assert not any("strax efter midnatt" in row
                   for row in _audit_rows(client, "date_from=2026-11-30&date_to=2026-11-30"))


def test_audit_log_is_a_focusable_named_region(client, login_as):
    login_as(Role.ADMIN)
    page = BeautifulSoup(client.get("/admin/audit").get_data(as_text=True), "html.parser")
    region = page.find("table").find_parent("div")
    assert (region["tabindex"], region["role"], region["aria-label"]) == (
        "0", "region", "Loggposter")


def test_setting_the_clock_moves_every_reading_of_the_time(clock):
    clock.utc(datetime(2026, 12, 31, 23, 30))
    assert polare_clock.utcnow() == datetime(2026, 12, 31, 23, 30)
    assert polare_clock.local_now() == datetime(2027, 1, 1, 0, 30)
    assert polare_clock.local_today() == date(2027, 1, 1)
