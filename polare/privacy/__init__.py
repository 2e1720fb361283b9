"""Blueprint of the privacy domain."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, cli_group=None)

from polare.privacy import routes  # noqa: E402,F401
