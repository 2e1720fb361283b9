"""Blueprint of the walks domain."""

from flask import Blueprint

bp = Blueprint("walks", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("calendar_views", "category_routes", "routes", "offline_routes", "template_globals")
