"""Blueprint of the payroll_web domain."""

from flask import Blueprint

bp = Blueprint("payroll_web", __name__, cli_group=None)

from polare.payroll_web import routes  # noqa: E402,F401
