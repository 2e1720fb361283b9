"""The start page sends a fixed, small number of statements: a coordinator's, and a whole
country's (more than MANY_TEAMS teams), once the aggregates are current."""

from __future__ import annotations

import re

from polare.auth.models import Role
from polare.org.models import Team
from polare.reports.dashboard import MANY_TEAMS
from tests.statements import MOST_PER_PAGE, page_statements


def test_coordinators_start_page_sends_few_statements(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    client.get("/")  # brings the follow-up aggregates up to date
    assert len(page_statements(client, "/")) <= MOST_PER_PAGE


def test_a_whole_countrys_start_page_sends_few_statements(client, login_as, data, db,
                                                          frozen_today):
    db.add_all([Team(name=f"Team {number:02d}") for number in range(MANY_TEAMS)])
    db.flush()
    login_as(Role.ADMIN)
    client.get("/")  # brings the follow-up aggregates up to date
    statements = page_statements(client, "/")
    text = re.sub(r"\s+", " ", client.get("/").get_data(as_text=True))
    assert f"Totalt, {MANY_TEAMS + 3} team" in text  # the country's board, not every team's
    assert len(statements) <= MOST_PER_PAGE
