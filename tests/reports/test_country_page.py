"""The report of every team: by month and by team a page at a time, each team linking on."""

from __future__ import annotations

import re
from html import unescape

from polare.audit.services import record
from polare.auth.models import Role
from polare.org.models import District, Team
from tests.reports.conftest import page_table, reload_link

AUTUMN = "/reports/?period=tertial&tertial=2026-3"


def _team_links(html: str) -> dict[str, str]:
    table = html.split('id="table-teams"')[1].split("</table>")[0]
    return {name: unescape(href)
            for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', table)}


def test_admins_report_of_every_team_has_no_district_table(client, login_as, data,
                                                           frozen_today):
    login_as(Role.ADMIN)
    html = client.get(AUTUMN).get_data(as_text=True)
    assert 'id="table-teams"' in html
    assert 'id="table-districts"' not in html


def test_each_team_links_to_its_own_report_with_its_districts(client, login_as, data,
                                                              frozen_today, teams):
    login_as(Role.ADMIN)
    links = _team_links(client.get("/reports/").get_data(as_text=True))
    assert f"teams={teams['Ryd'].id}" in links["Ryd"]
    html = client.get(links["Ryd"]).get_data(as_text=True)
    districts = [row[0] for row in page_table(html, "districts")[1:]]
    assert "Lambohov" in districts


def test_team_table_shows_fifty_teams_a_page(client, login_as, data, frozen_today, db):
    for number in range(60):
        team = Team(name=f"Team {number:02d}", cost_centre=f"CC{number:03d}")
        db.add(team)
        db.flush()
        db.add(District(name=f"Område {number:02d}", team_id=team.id, is_home=True))
    record(db, None, "create", "team", note="test fixture")
    db.flush()
    login_as(Role.ADMIN)
    first = client.get(AUTUMN).get_data(as_text=True)
    second = client.get(f"{AUTUMN}&page=2").get_data(as_text=True)
    assert len(page_table(first, "teams")) - 2 == 50
    assert "Sida 1 av 2." in first
    assert len(page_table(second, "teams")) - 2 == 63 - 50


def test_admins_district_choices_are_those_of_the_chosen_teams(client, login_as, data,
                                                              frozen_today, teams):
    login_as(Role.ADMIN)
    html = client.get(f"{AUTUMN}&teams={teams['Berga'].id}").get_data(as_text=True)
    choices = html.split('name="districts"', 1)[1].split("</fieldset>")[0]
    assert "Berga" in choices
    assert "Lambohov" not in choices


def test_every_teams_report_rebuilds_its_figures_over_several_views_keeping_the_filter(
        client, login_as, data, frozen_today, rebuild_per_view):
    rebuild_per_view(2)
    login_as(Role.ADMIN)

    first = client.get(AUTUMN).get_data(as_text=True)
    assert "2 av 3 team är klara." in first
    assert 'data-reload-seconds="3"' in first
    assert 'id="table-teams"' not in first
    reload = reload_link(first)
    assert reload == AUTUMN
    second = client.get(reload).get_data(as_text=True)
    assert 'id="table-teams"' in second
    assert "räknas om" not in second
