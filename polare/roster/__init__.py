"""Blueprint of the roster domain."""

from flask import Blueprint

bp = Blueprint("roster", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("routes", "enrolment_routes", "person_routes", "year_end")
