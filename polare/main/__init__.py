"""Blueprint of the start page, health check and language switch."""

from flask import Blueprint

bp = Blueprint("main", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("routes",)
