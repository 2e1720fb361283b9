"""Blueprint of the events domain."""

from flask import Blueprint

bp = Blueprint("events", __name__, cli_group=None)

from polare.events import routes  # noqa: E402,F401
