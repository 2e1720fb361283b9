"""Security headers on every response, and the session left alone by background fetches."""

from __future__ import annotations

from flask import Flask, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'"
)

#: Header the service worker sends when it fetches a page to keep on the phone.
OFFLINE_COPY_HEADER = "X-Polare-Offline-Copy"
#: The only pages the service worker keeps: the walk log pages (no full personnummer).
_OFFLINE_ENDPOINTS = frozenset({"walks.log"})
#: The cache policy of a page fetched to be kept on the phone: this browser only.
OFFLINE_COPY_POLICY = "private, no-cache"
#: Sent on logout and password change: the browser drops kept pages and waiting entries.
CLEAR_SITE_DATA = '"cache", "storage"'

#: Paths whose responses may be cached: static files hold no personal data.
_CACHEABLE_PREFIXES = ("/static/", "/bootstrap/")


def add_security_headers(response: Response) -> Response:
    """Set CSP, framing, sniffing, referrer and caching headers; HSTS over HTTPS."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if not request.path.startswith(_CACHEABLE_PREFIXES):
        headers["Cache-Control"] = OFFLINE_COPY_POLICY if _is_offline_copy(response) else "no-store"
    if current_app.config.get("POLARE_HTTPS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _is_offline_copy(response: Response) -> bool:
    """Tell whether this is a log page the service worker fetched to keep on the phone."""
    return (request.method == "GET" and response.status_code == 200
            and request.endpoint in _OFFLINE_ENDPOINTS
            and request.headers.get(OFFLINE_COPY_HEADER) == "1")


def is_background_fetch() -> bool:
    """Tell whether the phone fetched this page by itself, to keep it for use without a signal.

    Such a fetch runs while the user works in another tab or submits a form: it must neither
    show (and so use up) the user's flashed messages nor send back a session cookie, which
    would overwrite the one the user's own request just set.
    """
    return has_request_context() and request.headers.get(OFFLINE_COPY_HEADER) == "1"


class ForegroundSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, saved only by requests the user made for pages.

    Static files never send the cookie back either: the service worker fetches them while
    the user submits a form, and a refreshed copy of the session from before that form,
    arriving after its answer, would drop the message the form flashed.
    """

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return (not is_background_fetch() and not _is_static_file()
                and super().should_set_cookie(app, session))


def _is_static_file() -> bool:
    return has_request_context() and request.path.startswith(_CACHEABLE_PREFIXES)


def clear_site_data(response: Response) -> Response:
    """Tell the browser to drop its cache and storage: kept pages and waiting entries."""
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def init_security(app: Flask) -> None:
    """Register the header hook and the session that background fetches leave alone."""
    app.session_interface = ForegroundSessionInterface()
    app.after_request(add_security_headers)
    app.context_processor(lambda: {"background_fetch": is_background_fetch()})
