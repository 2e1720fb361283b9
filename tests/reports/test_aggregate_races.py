"""Two rebuilds of the same stale teams at the same moment (PostgreSQL, committed data).

After a new month every page of the country and the cron command rebuild the same teams, in
the same order. The second waits for the first, finds the teams' rows taken, rolls back its own
batch alone and says the teams are not all current; it never fails the request.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.org.models import District, Team
from polare.reports.aggregates import refresh_teams, stale_teams

pytestmark = pytest.mark.postgres

TODAY = date(2026, 12, 1)


@pytest.fixture
def engine(postgres_engine):
    """The engine of a database with four committed teams, none of them built."""
    engine = postgres_engine
    with Session(engine) as session:
        for number in range(4):
            team = Team(name=f"Team {number}", cost_centre=f"CC{number}")
            team.districts.append(District(name=f"Område {number}", is_home=True))
            session.add(team)
        session.add(AuditEntry(action="create", entity="team", note="test fixture"))
        session.commit()
    return engine


def test_a_second_rebuild_of_the_same_teams_waits_then_gives_way(engine, monkeypatch):
    monkeypatch.setattr("polare.reports.aggregates.REFRESH_BATCH", 2)
    outcome: dict[str, object] = {}
    with Session(engine) as first, Session(engine) as second:
        assert not refresh_teams(first, TODAY, seconds=0)  # teams 1 and 2, not committed

        def rebuild_too() -> None:
            try:
                outcome["current"] = refresh_teams(second, TODAY, seconds=0)
                second.commit()
            except Exception as error:  # the test reports it below
                outcome["error"] = error

        thread = threading.Thread(target=rebuild_too)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second rebuild did not wait for the first"
        first.commit()
        thread.join(10)

        assert not thread.is_alive()
        assert "error" not in outcome, outcome.get("error")
        assert outcome["current"] is False
    with Session(engine) as session:
        assert len(stale_teams(session, TODAY)) == 2
        while not refresh_teams(session, TODAY, seconds=0):
            session.commit()
        session.commit()
        assert stale_teams(session, TODAY) == {}
