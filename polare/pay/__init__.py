"""Blueprint of the pay domain."""

from flask import Blueprint

bp = Blueprint("pay", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("cli", "routes")
