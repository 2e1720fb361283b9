"""The first views of the country after a month begins or a pay period closes.

Either makes every team's follow-up aggregates stale at once. This script makes them so (it
marks each team built for another month, which is what a new month does), then:

1. requests the administrator's start page as a browser would, following its reload until
   it shows the country, and reports each request's time and how far the rebuild had come;
2. marks them stale again and times one rebuild without a time bound (what a page did before
   `POLARE_REBUILD_SECONDS`, and what `flask reports rebuild --stale` does from cron).

It changes the database's aggregates only (rebuilt as they were by the end), so run it on a
generated database:

    .venv/bin/python benchmarks/rollover.py --database-url sqlite:////tmp/polare-1000.sqlite3
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.inprocess import bench_app, log_in  # noqa: E402
from polare.clock import local_today  # noqa: E402
from polare.extensions import db  # noqa: E402
from polare.reports.aggregates import refresh_teams  # noqa: E402
from polare.reports.models import FollowUpTeam  # noqa: E402

PROGRESS = re.compile(r"(\d[\d\s]*) av (\d[\d\s]*) team är klara")
#: Give up after this many views (a rebuild that makes no progress would loop for ever).
MAX_VIEWS = 500


def mark_every_team_stale(app) -> None:
    """Mark every team's aggregates built for another month, as the first of a month does."""
    with app.app_context():
        db.session.execute(update(FollowUpTeam).values(built_for="1999-01||"))
        db.session.commit()


def views_until_shown(app) -> list[dict[str, float | str]]:
    """Request the start page as the administrator until it shows the country's figures."""
    client = app.test_client()
    log_in(client, "admin")
    views: list[dict[str, float | str]] = []
    while len(views) < MAX_VIEWS:
        started = time.perf_counter()
        response = client.get("/")
        seconds = time.perf_counter() - started
        html = response.get_data(as_text=True)
        if response.status_code != 200:
            raise RuntimeError(f"start page: HTTP {response.status_code}")
        found = PROGRESS.search(html)
        views.append({"seconds": round(seconds, 2),
                      "progress": found[0] if found else "the country's figures"})
        if found is None:
            return views
    raise RuntimeError(f"the start page still rebuilds after {MAX_VIEWS} views")


def unbounded_rebuild_seconds(app) -> float:
    """Time one rebuild of every stale team without a time bound, committed."""
    with app.app_context():
        started = time.perf_counter()
        refresh_teams(db.session, local_today())
        db.session.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    app = bench_app(args.database_url, tempfile.mkdtemp(prefix="polare-rollover-"))
    bound = app.config["POLARE_REBUILD_SECONDS"]

    mark_every_team_stale(app)
    views = views_until_shown(app)
    for number, view in enumerate(views, 1):
        print(f"view {number:3d}: {view['seconds']:7.2f} s  {view['progress']}")
    mark_every_team_stale(app)
    unbounded = unbounded_rebuild_seconds(app)
    print(f"one rebuild of every team without a bound: {unbounded:.1f} s")
    print(json.dumps({
        "rebuild_seconds_bound": bound, "views": len(views),
        "view_max_s": max(view["seconds"] for view in views),
        "views_total_s": round(sum(view["seconds"] for view in views), 1),
        "unbounded_rebuild_s": round(unbounded, 1)}))


if __name__ == "__main__":
    main()
