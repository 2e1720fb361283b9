"""Blueprint of logging in and out, and the users CLI."""

from flask import Blueprint

bp = Blueprint("auth", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("cli", "routes")
