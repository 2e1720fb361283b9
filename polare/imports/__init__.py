"""Blueprint of the imports domain: spreadsheets in (SPEC §10), rosters and walk logs out."""

from flask import Blueprint

bp = Blueprint("imports", __name__, cli_group=None)

#: Modules that attach views and commands to `bp`; the app factory imports them.
VIEW_MODULES = ("cli", "routes")
