"""The start page: this month and this school year for the user's teams."""

from __future__ import annotations

import re

from polare.auth.models import Role
from polare.reports.aggregates import stale_teams
from tests.reports.conftest import reload_link


def _text(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return re.sub(r"[ \t\r\n]+", " ", response.get_data(as_text=True))


def test_coordinator_sees_ryds_month_and_school_year(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    text = _text(client)
    assert "Den här månaden (2026-11)" in text
    assert "Läsåret 2026/27" in text
    # November: W5 done (7 met, 7 talked), W4 planned. School year: W1, W2, W5, W7.
    assert ('Genomförda nattvandringar</dt><dd class="col-4 text-end num">1</dd> '
            '<dt class="col-8">Planerade nattvandringar</dt><dd class="col-4 text-end num">1'
            '</dd> <dt class="col-8">Träffade ungdomar</dt><dd class="col-4 text-end num">7'
            ) in text
    assert ('Genomförda nattvandringar</dt><dd class="col-4 text-end num">4</dd> '
            '<dt class="col-8">Planerade nattvandringar</dt><dd class="col-4 text-end num">1'
            '</dd> <dt class="col-8">Träffade ungdomar</dt><dd class="col-4 text-end num">42'
            ) in text


def test_team_row_shows_actives_against_cap_approvals_and_training(client, login_as, data,
                                                                   frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    text = _text(client)
    # Anna, Bo, Cia active of 15; W7 waits for approval; Bo lacks Ledarskapsutbildning.
    assert ('<th scope="row">Ryd</th> <td class="text-end num text-nowrap">3 / 15</td> '
            '<td class="text-end num">1</td> '
            '<td class="text-end num text-warning-emphasis fw-bold">1</td>') in text


def test_coordinator_sees_the_stipends_of_own_teams(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    text = _text(client)
    assert ('Hittills under läsåret</dt><dd class="col-5 col-sm-4 text-end money">'
            '1\u00a0250,00\u00a0kr') in text
    assert "Öppen period 2026-10 (preliminärt)</dt><dd class=\"col-5 col-sm-4 text-end money\">" \
        "0,00\u00a0kr" in text


def test_payroll_sees_every_teams_stipends(client, login_as, data, frozen_today):
    login_as(Role.PAYROLL)
    text = _text(client)
    assert ('Hittills under läsåret</dt><dd class="col-5 col-sm-4 text-end money">'
            '1\u00a0450,00\u00a0kr') in text
    assert "Öppen period 2026-10 (preliminärt)</dt><dd class=\"col-5 col-sm-4 text-end money\">" \
        "200,00\u00a0kr" in text
    for team in ("Berga", "Ryd", "Skäggetorp"):
        assert f'<th scope="row">{team}</th>' in text


def test_supervisor_sees_no_stipends(client, login_as, data, frozen_today):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    text = _text(client)
    assert "Hittills under läsåret" not in text
    assert "3 / 15" in text


def test_user_without_teams_is_told_so(client, login_as, frozen_today):
    login_as(Role.SUPERVISOR, teams=())
    assert "Du är inte kopplad till något team" in _text(client)


def test_other_teams_figures_stay_out_of_a_coordinators_start_page(client, login_as, data,
                                                                    frozen_today):
    login_as(Role.COORDINATOR, teams=("Berga",))
    text = _text(client)
    assert '<th scope="row">Ryd</th>' not in text
    assert '<th scope="row">Berga</th> <td class="text-end num text-nowrap">1 / 20</td>' in text


def test_start_page_keeps_the_aggregates_it_built_for_the_next_view(client, login_as, data,
                                                                     db, frozen_today):
    login_as(Role.ADMIN)
    _text(client)

    db.rollback()  # only what the request committed survives
    assert stale_teams(db, frozen_today) == {}


def test_a_whole_countrys_start_page_lists_only_the_teams_needing_attention(
        client, login_as, data, frozen_today, monkeypatch):
    monkeypatch.setattr("polare.reports.dashboard.MANY_TEAMS", 2)
    login_as(Role.ADMIN)
    text = _text(client)
    # Ryd waits for an approval, and first; Berga lacks training; Skäggetorp needs nothing.
    assert text.index('<th scope="row">Ryd</th>') < text.index('<th scope="row">Berga</th>')
    assert '<th scope="row">Skäggetorp</th>' not in text
    assert "högst 20 av 3 team; summan gäller alla" in text
    assert ('<th scope="row">Totalt, 3 team</th> <td class="text-end num text-nowrap">4 / 55</td>'
            ' <td class="text-end num">1</td> <td class="text-end num">2</td>') in text


def test_a_whole_countrys_start_page_rebuilds_its_figures_over_several_views(
        client, login_as, data, frozen_today, monkeypatch, rebuild_per_view):
    monkeypatch.setattr("polare.reports.dashboard.MANY_TEAMS", 2)
    rebuild_per_view(1)
    login_as(Role.ADMIN)

    first = _text(client)
    assert "1 av 3 team är klara." in first
    assert 'data-reload-seconds="3"' in first
    assert "Totalt" not in first
    second = client.get(reload_link(first)).get_data(as_text=True)
    assert "2 av 3 team är klara." in second
    third = client.get(reload_link(second)).get_data(as_text=True)
    assert "Totalt, 3 team" in third
    assert "data-reload-seconds" not in third


def test_a_coordinators_start_page_rebuilds_their_teams_whatever_the_time_bound(
        client, login_as, data, frozen_today, rebuild_per_view):
    rebuild_per_view(1)
    login_as(Role.COORDINATOR, teams=("Ryd", "Berga"))
    text = _text(client)
    assert "räknas om" not in text
    assert '<th scope="row">Berga</th>' in text
