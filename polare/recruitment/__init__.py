"""Blueprint of recruitment: the public application form and guardian consent by link."""

from flask import Blueprint

bp = Blueprint("recruitment", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("routes", "staff_routes")
