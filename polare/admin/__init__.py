"""Blueprint of administration: users, teams, districts, school years, settings, audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("cli", "doctor", "routes")
