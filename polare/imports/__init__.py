"""Blueprint of the imports domain."""

from flask import Blueprint

bp = Blueprint("imports", __name__, cli_group=None)

from polare.imports import routes  # noqa: E402,F401
