"""Logging in and out."""

from polare.auth.models import Role
from tests.conftest import TEST_PASSWORD


def test_login_with_right_password_reaches_start_page(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_message(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = client.post("/login", data={"username": user.username, "password": "wrong-one-1"})
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True)
