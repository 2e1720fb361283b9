"""The installable app (issue 21): manifest, service worker, what may be kept on the phone."""

from __future__ import annotations

import io
import json

from PIL import Image

from polare.auth.models import Role
from polare.security import CONTENT_SECURITY_POLICY
from tests.conftest import TEST_PASSWORD

COPY = {"X-Polare-Offline-Copy": "1"}


def test_csp_allows_the_service_worker_and_manifest_from_the_apps_own_origin_only():
    assert "worker-src 'self';" in CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY.endswith("manifest-src 'self'")


def test_pages_link_the_manifest_and_the_offline_scripts(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'src="/static/offline.js"' in page


def test_manifest_names_the_app_and_its_own_icons(client):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.get_data())
    assert response.mimetype == "application/manifest+json"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/", "/", "standalone")
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]


def test_icons_are_pngs_of_their_stated_sizes(client):
    for icon in json.loads(client.get("/manifest.webmanifest").get_data())["icons"]:
        with client.get(icon["src"]) as response:
            image = Image.open(io.BytesIO(response.get_data()))
        assert (image.format, f"{image.width}x{image.height}") == ("PNG", icon["sizes"])


def test_service_worker_is_served_from_the_root_as_javascript_and_not_cached(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-store"
    script = response.get_data(as_text=True)
    assert '"/offline"' in script
    assert '"/bootstrap/static/css/bootstrap.min.css"' in script
    assert "http" not in script


def test_offline_page_is_public_and_names_nobody(client):
    page = client.get("/offline").get_data(as_text=True)
    assert "Ingen täckning" in page
    assert 'action="/logout"' not in page


def test_logout_tells_the_browser_to_clear_kept_pages_and_waiting_entries(client, login_as):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_password_change_tells_the_browser_to_clear_kept_pages_and_waiting_entries(
        client, login_as):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-brand-new-pass",
        "confirm": "a-brand-new-pass"})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_login_page_asks_the_phone_to_forget_what_an_expired_session_left(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'data-offline-clear="1"' in page
