"""WebTest support: a browser on the app that fetches pages and submits forms as rendered."""

from __future__ import annotations

import warnings
from typing import Any

from flask import g, has_app_context

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # WebOb still imports `cgi`
    import webtest

TEST_PASSWORD = "test-password-123"


class FreshGlobalsTestApp(webtest.TestApp):
    """WebTest's browser; like FreshGlobalsClient, each request starts with empty `g`."""

    def do_request(self, *args: Any, **kwargs: Any) -> webtest.TestResponse:
        """Run the request with a clean `g`, as a new request in production would have."""
        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().do_request(*args, **kwargs)


def form_with(page: webtest.TestResponse, field: str) -> webtest.forms.Form:
    """Return the page's form that has the named field."""
    return next(form for form in page.forms.values() if field in form.fields)


def web_log_in(web: webtest.TestApp, username: str,
               password: str = TEST_PASSWORD) -> webtest.TestResponse:
    """Log in through the login form as rendered; return the response."""
    form = form_with(web.get("/login"), "username")
    form["username"], form["password"] = username, password
    return form.submit(expect_errors=True)


def form_to(page: webtest.TestResponse, action: str) -> webtest.forms.Form:
    """Return the page's form that posts to `action`."""
    return next(form for form in page.forms.values() if form.action == action)
