"""Blueprint of the roster domain."""

from flask import Blueprint

bp = Blueprint("roster", __name__, cli_group=None)

from polare.roster import routes  # noqa: E402,F401
