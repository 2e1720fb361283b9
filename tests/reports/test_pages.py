"""The report page: filters, scoping, figures and charts as a user sees them."""

from __future__ import annotations

import base64
import re
from datetime import date, time

from matplotlib import rcParams

from polare.auth.models import Role
from polare.walks.models import WalkStatus
from tests.reports.conftest import page_table

AUTUMN_RYD = "/reports/?period=tertial&tertial=2026-3"
#: The page's width on a 360 px phone, less the container's padding: what a chart scales to.
PHONE_CONTENT_PX = 360 - 2 * 12
#: A CSS pixel is 1/96 inch, an SVG point 1/72 inch.
PX_PER_PT = 96 / 72


def _summary(html: str) -> dict[str, str]:
    return {row[0]: row[1] for row in page_table(html, "summary")[1:]}


def test_coordinator_sees_ryds_autumn_tertial(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.get(AUTUMN_RYD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    summary = _summary(html)
    assert summary["Från"] == "2026-09-01"
    assert summary["Till"] == "2026-12-31"
    assert summary["Team"] == "Ryd"
    assert (summary["Nattvandringar"], summary["Timmar"], summary["Polarpass"],
            summary["Unika polare"], summary["Träffade ungdomar"], summary["Samtal"]) == (
        "3", "13:15", "6", "3", "32", "13")
    assert summary["Arvoden"] == "1\u00a0050,00\u00a0kr"
    assert summary["Arbetsgivarkostnad (uppskattning)"] == "1\u00a0353,39\u00a0kr"


def test_page_without_filter_shows_the_current_tertial(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get("/reports/").get_data(as_text=True)
    assert _summary(html)["Från"] == "2026-09-01"


def test_charts_are_images_with_alt_text(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    assert html.count('src="data:image/svg+xml;base64,') == 4
    assert "2026-11: 1 nattvandringar" in html
    assert "2026-11: 7 träffade, 7 samtal" in html
    assert "Lambohov: 20 träffade, 5 samtal" in html


def test_walks_and_youths_met_are_two_charts_with_one_axis_each(client, login_as, data,
                                                                 frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    assert "Nattvandringar per månad" in html
    assert "Träffade ungdomar och samtal per månad" in html
    for title in ("Nattvandringar per månad", "Träffade ungdomar och samtal per månad"):
        chart = re.search(r'<h2 [^>]*>' + title + r'</h2>\s*<figure[^>]*>\s*<img [^>]*src="'
                          r'data:image/svg\+xml;base64,([^"]+)"', html).group(1)
        assert re.findall(r'id="(axes_\d+)"', base64.b64decode(chart).decode()) == ["axes_1"]


def test_the_running_month_is_marked_as_incomplete_and_later_months_are_not_drawn(
        client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    assert "* 2026-11 pågår: siffrorna är inte kompletta." in html
    assert "2026-12: 0 nattvandringar" not in html


def test_a_past_period_has_no_running_month(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get("/reports/?period=month&month=2026-10").get_data(as_text=True)
    assert "pågår" not in html


def test_walk_hours_read_as_hours_and_minutes(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    assert _summary(html)["Timmar"] == "13:15"


def test_chart_text_stays_readable_at_11_px_on_a_360_px_phone(client, login_as, data,
                                                              frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    charts = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(charts) == 4
    for chart in charts:
        svg = base64.b64decode(chart).decode()
        width_px = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1)) * PX_PER_PT
        scale = min(1.0, PHONE_CONTENT_PX / width_px)
        assert rcParams["font.size"] * PX_PER_PT * scale >= 11, f"{width_px:.0f} px wide"


def test_districts_are_chosen_with_checkboxes_grouped_by_team(client, login_as, data,
                                                             frozen_today, teams):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    assert 'type="checkbox" name="districts"' in html
    assert "<select" not in html.split('name="districts"')[0].rsplit("<fieldset", 1)[-1]
    assert 'multiple' not in html


def test_coordinator_cannot_report_on_another_team(client, login_as, data, frozen_today, teams):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(f"{AUTUMN_RYD}&teams={teams['Berga'].id}").get_data(as_text=True)
    assert 'id="team-{}"'.format(teams["Berga"].id) not in html
    assert page_table(html, "summary") == []
    assert "invalid-feedback" in html


def test_payroll_sees_every_team(client, login_as, data, frozen_today):
    login_as(Role.PAYROLL)
    html = client.get("/reports/?period=range&date_from=2026-08-01&date_to=2027-07-31"
                      ).get_data(as_text=True)
    summary = _summary(html)
    assert (summary["Team"], summary["Nattvandringar"], summary["Unika polare"]) == (
        "Alla team", "5", "4")
    assert [row[0] for row in page_table(html, "teams")[1:]] == [
        "Berga", "Ryd", "Skäggetorp", "Totalt"]


def test_supervisor_sees_figures_but_no_cost(client, login_as, data, frozen_today):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    html = client.get(AUTUMN_RYD).get_data(as_text=True)
    summary = _summary(html)
    assert summary["Nattvandringar"] == "3"
    assert "Arvoden" not in summary
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert page_table(html, "cost") == []


def test_month_filter(client, login_as, data, frozen_today):
    login_as(Role.ADMIN)
    html = client.get("/reports/?period=month&month=2026-10").get_data(as_text=True)
    summary = _summary(html)
    assert (summary["Från"], summary["Till"], summary["Nattvandringar"]) == (
        "2026-10-01", "2026-10-31", "2")


def test_school_year_filter(client, login_as, data, frozen_today, school_year):
    login_as(Role.ADMIN)
    html = client.get(f"/reports/?period=school_year&school_year={school_year.id}"
                      ).get_data(as_text=True)
    assert (_summary(html)["Från"], _summary(html)["Till"]) == ("2026-08-01", "2027-07-31")


def test_range_ending_before_it_starts_is_refused_on_the_field(client, login_as, frozen_today):
    login_as(Role.ADMIN)
    response = client.get("/reports/?period=range&date_from=2026-10-01&date_to=2026-09-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in html
    assert page_table(html, "summary") == []


def test_district_filter_narrows_the_walks(client, login_as, data, frozen_today, districts):
    login_as(Role.ADMIN)
    html = client.get("/reports/?period=range&date_from=2026-08-01&date_to=2027-07-31"
                      f"&districts={districts['Lambohov'].id}").get_data(as_text=True)
    assert _summary(html)["Nattvandringar"] == "1"
    assert _summary(html)["Stadsdelar"] == "Lambohov"


def test_range_longer_than_three_school_years_is_refused(client, login_as, frozen_today):
    login_as(Role.ADMIN)
    html = client.get("/reports/?period=range&date_from=2020-01-01&date_to=2026-12-31"
                      ).get_data(as_text=True)
    assert "En rapport kan omfatta högst 36 månader." in html
    assert page_table(html, "summary") == []


def test_user_without_teams_gets_an_empty_report(client, login_as, data, frozen_today):
    login_as(Role.SUPERVISOR, teams=())
    summary = _summary(client.get(AUTUMN_RYD).get_data(as_text=True))
    assert (summary["Team"], summary["Nattvandringar"]) == ("Inga team", "0")


def test_coordinators_district_choices_are_their_teams_and_where_they_walked(
        client, login_as, frozen_today, make_walk):
    make_walk("Ryd", "City", date(2026, 10, 2), time(18), time(22), WalkStatus.APPROVED)
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get("/reports/").get_data(as_text=True)
    choices = set(re.findall(r'for="district-\d+">([^<]+)</label>', html))
    assert {"Lambohov", "City"} <= choices
    assert not {"Ekholmen", "Ljungsbro"} & choices
