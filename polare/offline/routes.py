"""The web app manifest, the service worker script and the page shown offline."""

from __future__ import annotations

import re

from flask import Response, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _

from polare.auth.access import public
from polare.offline import bp

#: Our own files every page loads; the service worker keeps them for offline use.
SHELL_FILES = ("polare.css", "walks.js", "offline-queue.js", "offline.js",
               "icons/polare-192.png", "icons/polare-512.png")
#: Bumped when the worker's behaviour changes, so phones drop the old shell cache.
WORKER_VERSION = "1"


def shell_urls() -> list[str]:
    """Return the app shell's URLs: our static files, Bootstrap's files, the offline page."""
    bootstrap = current_app.extensions["bootstrap"]
    tags = f"{bootstrap.load_css()}{bootstrap.load_js()}"
    return [*(url_for("static", filename=name) for name in SHELL_FILES),
            *re.findall(r'(?:href|src)="([^"]+)"', tags), url_for("offline.page")]


@bp.route("/manifest.webmanifest")
@public
def manifest():
    manifest = {
        "name": "Polare", "short_name": "Polare", "lang": "sv",
        "description": _("Nattvandringar, närvaro och ersättning för Polare."),
        "start_url": url_for("main.index"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0d6efd",
        "icons": [{"src": url_for("static", filename=f"icons/polare-{size}.png"),
                   "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
                  for size in (192, 512)],
    }
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/sw.js")
@public
def service_worker():
    script = render_template("offline/sw.js", version=WORKER_VERSION, app_shell=shell_urls(),
                             offline_url=url_for("offline.page"),
                             queue_url=url_for("static", filename="offline-queue.js"))
    return Response(script, mimetype="text/javascript")


@bp.route("/offline")
@public
def page():
    return render_template("offline/offline.html")
