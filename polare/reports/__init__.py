"""Blueprint of the reports domain."""

from flask import Blueprint

bp = Blueprint("reports", __name__, cli_group=None)

from polare.reports import routes  # noqa: E402,F401
