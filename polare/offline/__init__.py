"""Blueprint of the installable app: manifest, service worker and the offline page."""

from flask import Blueprint

bp = Blueprint("offline", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("routes",)
