"""Every form refuses a request without its CSRF token."""

from __future__ import annotations

from polare.auth.models import Role
from polare.extensions import csrf
from tests.security import crawl
from tests.security.conftest import url_values

#: Endpoints that authenticate by a token of their own instead of the session (none today);
#: an entry here must say where that token is checked.
TOKEN_AUTHENTICATED_ENDPOINTS: dict[str, str] = {}


def test_no_view_or_blueprint_is_exempt_from_csrf_unless_documented():
    exempt = {name.rsplit(".", 1)[-1] for name in csrf._exempt_views}  # noqa: SLF001
    assert exempt <= {name.split(".")[-1] for name in TOKEN_AUTHENTICATED_ENDPOINTS}
    assert not csrf._exempt_blueprints  # noqa: SLF001


def test_every_post_route_refuses_a_missing_csrf_token(app, client, login_as, world,
                                                       monkeypatch):
    login_as(Role.ADMIN)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    values = url_values(world.ryd, world.shared)
    checked = []
    for rule in crawl.routes(app) + [r for r in app.url_map.iter_rules()
                                      if r.endpoint == "auth.logout"]:
        if "POST" not in (rule.methods or ()) or rule.endpoint in TOKEN_AUTHENTICATED_ENDPOINTS:
            continue
        url = crawl.build_url(app, rule, values)
        assert url is not None, f"no value for the arguments of {rule.rule}"
        response = client.post(url, data={"anything": "x"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "Formuläret har gått ut" in response.get_data(as_text=True)
        checked.append(rule.endpoint)
    print(f"\nCSRF refused on {len(checked)} POST routes: {', '.join(sorted(checked))}")
    assert "auth.login" in checked


def test_login_form_refuses_a_missing_csrf_token_when_logged_out(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
