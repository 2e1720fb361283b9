"""Blueprint of the walks domain."""

from flask import Blueprint

bp = Blueprint("walks", __name__, cli_group=None)

from polare.walks import routes  # noqa: E402,F401
