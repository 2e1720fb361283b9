"""Blueprint of the start page, health check and language switch."""

from flask import Blueprint

bp = Blueprint("main", __name__, cli_group=None)

from polare.main import routes  # noqa: E402,F401
