"""Blueprint of logging in and out, and the users CLI."""

from flask import Blueprint

bp = Blueprint("auth", __name__, cli_group=None)

from polare.auth import cli, routes  # noqa: E402,F401
