"""Polare: roster and stipend payroll for a youth night-walker programme."""

from __future__ import annotations

import math
import time
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, Response, make_response, render_template, request, session
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from polare.config import load_config
from polare.converters import register_converters


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the Flask app; does no work beyond wiring (no schema, no network)."""
    settings = load_config(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_DIR"])
    app.config.update(settings)
    # As flaskr does: the instance folder holds the SQLite file, readable by its owner only.
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    trust_proxies(app)
    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def _select_locale() -> str:
    from flask import current_app, has_request_context

    lang = session.get("lang") if has_request_context() else None
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the headers of POLARE_PROXIES trusted proxies.

    Without the setting, X-Forwarded-* headers are ignored: anyone could send them.
    """
    count = app.config["POLARE_PROXIES"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count,
                                x_port=count, x_prefix=count)


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app and install the cross-cutting hooks."""
    from polare import models  # noqa: F401  (every model is known before the first query)
    from polare.audit.guard import install_audit_guard
    from polare.auth.access import enforce_access
    from polare.auth.session import init_login
    from polare.database import init_database
    from polare.extensions import babel, bootstrap, csrf, db, limiter, mail, migrate
    from polare.reports.aggregates import install_aggregate_hooks
    from polare.security import init_security
    from polare.transactions import init_unit_of_work
    from polare.web import answer_repeated_submission

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    init_login(app)
    with app.app_context():
        init_database(app, db.engine)
    init_unit_of_work(app)
    app.before_request(enforce_access)
    app.before_request(answer_repeated_submission)
    init_security(app)
    install_audit_guard(strict=app.config.get("POLARE_STRICT_AUDIT", False))
    install_aggregate_hooks()


#: Every blueprint package with its URL prefix, registered in this order.
BLUEPRINTS = (
    ("main", ""),
    ("auth", ""),
    ("admin", "/admin"),
    ("privacy", "/admin/privacy"),
    ("roster", "/roster"),
    ("events", "/events"),
    ("walks", "/walks"),
    ("pay", "/payroll"),
    ("reports", "/reports"),
    ("imports", "/imports"),
    ("recruitment", ""),
    ("offline", ""),
)


def register_blueprints(app: Flask) -> None:
    """Import each domain's views and commands, then register its blueprint."""
    for name, prefix in BLUEPRINTS:
        package = import_module(f"polare.{name}")
        for module in package.VIEW_MODULES:
            import_module(f"polare.{name}.{module}")
        app.register_blueprint(package.bp, url_prefix=prefix or None)


_ERROR_TITLES = {
    400: _l("Felaktig begäran"),
    403: _l("Åtkomst nekad"),
    404: _l("Sidan finns inte"),
    405: _l("Metoden är inte tillåten"),
    409: _l("Konflikt"),
    413: _l("Filen är för stor"),
    429: _l("För många försök"),
    500: _l("Något gick fel"),
}


def _seconds_until_allowed() -> int | None:
    """Return when the request limit this request broke lets the client in again, if any."""
    from polare.extensions import limiter

    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    return max(1, int(current.reset_at - time.time()))


def register_errorhandlers(app: Flask) -> None:
    """Show errors as a plain page, never a traceback; a 429 says when to try again."""

    def render_error(error: Any) -> Response:
        code = getattr(error, "code", 500) or 500
        if code == 500:
            from polare.extensions import db

            db.session.rollback()
        title = str(_ERROR_TITLES.get(code, _ERROR_TITLES[500]))
        description = ""
        if code == 400 and "CSRF" in str(getattr(error, "description", "")):
            description = _("Formuläret har gått ut. Ladda om sidan och försök igen.")
        wait = _seconds_until_allowed() if code == 429 else None
        if wait is not None:
            minutes = math.ceil(wait / 60)
            description = ngettext("Försök igen om %(num)s minut.",
                                   "Försök igen om %(num)s minuter.", minutes)
        response = make_response(render_template("errors.html", code=code, title=title,
                                                 description=description), code)
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
        return response

    for code in _ERROR_TITLES:
        app.register_error_handler(code, render_error)


def register_template_helpers(app: Flask) -> None:
    """Add the formatting filters and the navigation to every template."""
    from polare.formatting import register_filters
    from polare.main.nav import nav_items

    register_filters(app)
    app.jinja_env.globals["get_locale"] = get_locale

    @app.context_processor
    def inject_nav() -> dict[str, Any]:
        return {"nav_items": nav_items, "current_endpoint": request.endpoint}
