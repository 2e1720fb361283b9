"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

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
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("POLARE_HTTPS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_security(app: Flask) -> None:
    """Register the header hook."""
    app.after_request(add_security_headers)
