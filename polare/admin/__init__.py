"""Blueprint of administration: users, teams, districts, school years, settings, audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, cli_group=None)

from polare.admin import cli, routes  # noqa: E402,F401
