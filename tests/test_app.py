"""Cross-cutting behaviour: health, errors, headers, language, audit guard."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from polare.audit.guard import UnauditedWriteError
from polare.auth.models import Role
from polare.org.models import Team
from tests.conftest import make_test_app


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_unknown_page_is_a_plain_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_role_without_access_gets_403_page(client, login_as):
    login_as(Role.SUPERVISOR)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/login", "/healthz", "/", "/admin/"])
def test_security_headers_are_set(client, login_as, path):
    login_as(Role.ADMIN)
    headers = client.get(path).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_pages_are_in_swedish_by_default_and_english_on_request(client):
    assert "Logga in" in client.get("/login").get_data(as_text=True)
    client.get("/lang/en")
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_a_commit_that_changes_data_without_an_audit_entry_is_refused(db):
    team = db.scalars(select(Team).where(Team.name == "Ryd")).one()
    team.cost_centre = "unaudited"
    with pytest.raises(UnauditedWriteError):
        db.commit()
    db.rollback()


def test_cycle_collection_is_paused_during_a_batch():
    import gc

    from polare.batch import cycle_collection_paused

    with cycle_collection_paused():
        paused = not gc.isenabled()
    assert paused
    assert gc.isenabled()


def test_cycle_collection_resumes_after_a_batch_that_fails():
    import gc

    from polare.batch import cycle_collection_paused

    def failing_batch() -> None:
        with cycle_collection_paused():
            raise RuntimeError("the batch failed")

    with pytest.raises(RuntimeError):
        failing_batch()
    assert gc.isenabled()


def test_app_creates_a_missing_instance_folder_readable_by_its_owner_only(tmp_path):
    instance = tmp_path / "new" / "instance"
    make_test_app(f"sqlite:///{instance / 'polare.sqlite3'}", str(instance))
    assert instance.is_dir()
    assert instance.stat().st_mode & 0o777 == 0o700
