"""The import page: upload a file, see the report, download templates and exports."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from exports import ImportFileError, template_bytes
from polare.audit.services import record
from polare.auth.access import ensure_team, roles
from polare.auth.models import Role
from polare.clock import local_now, local_today
from polare.database import begin_writing, reads_before_writing
from polare.extensions import db
from polare.imports import bp
from polare.imports.forms import ImportForm, RosterExportForm, WalkLogExportForm
from polare.imports.kinds import KINDS, kinds_for, may_import
from polare.imports.report import ImportResult
from polare.imports.runner import (
    ImportFile,
    apply_import,
    end_reading,
    keep_only_lookups,
    read_import,
)
from polare.org.models import SchoolYear, Team
from polare.org.services import school_year_on
from polare.roster.download import Download, roster_download
from polare.roster.scope import school_years, teams_for
from polare.transactions import keep_on_refusal
from polare.walks.download import walk_log_download
from polare.web import save_once

#: Who may import (which kinds: see `polare.imports.kinds`); admin always may.
IMPORTERS = (Role.COORDINATOR, Role.PAYROLL)
#: Who may download rosters and walk logs of their teams.
EXPORTERS = (Role.COORDINATOR,)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"


def _import_form(*, blank: bool = False) -> ImportForm:
    """Return the upload form with the kinds the user may import (`blank`: ignore the request)."""
    form = ImportForm(formdata=None) if blank else ImportForm()
    form.kind.choices = [(kind.key, str(kind.label)) for kind in kinds_for(current_user)]
    if request.method == "GET" and request.args.get("kind") in dict(form.kind.choices):
        form.kind.data = request.args["kind"]
    return form


def _export_forms() -> tuple[RosterExportForm, WalkLogExportForm] | tuple[None, None]:
    """Return the two download forms with their choices, if the user may download."""
    if current_user.role not in (*EXPORTERS, Role.ADMIN):
        return None, None
    teams = [(team.id, team.name) for team in teams_for(db.session, current_user)]
    years = [(year.id, year.label) for year in school_years(db.session)]
    roster = RosterExportForm(formdata=None)
    roster.team.choices, roster.year.choices = teams, years
    current = school_year_on(db.session, local_today())
    roster.year.data = current.id if current else None
    walks = WalkLogExportForm(formdata=None)
    walks.team.choices = [(0, _("Alla mina team")), *teams]
    if current is not None:
        walks.first.data, walks.last.data = current.starts_on, min(local_today(), current.ends_on)
    return roster, walks


def _page(form: ImportForm, report: ImportResult | None = None, status: int = 200):
    roster_form, walk_form = _export_forms()
    max_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return render_template(
        "imports/index.html", form=form, report=report, kinds=kinds_for(current_user),
        roster_form=roster_form, walk_form=walk_form, max_mb=max_mb,
    ), status


@bp.route("/", methods=["GET", "POST"])
@roles(*IMPORTERS)
@reads_before_writing
def index():
    form = _import_form()
    if not form.validate_on_submit():
        return _page(form, status=422 if request.method == "POST" else 200)
    upload = form.file.data
    end_reading(db.session)  # no transaction is open while the file is read
    try:
        read = read_import(form.kind.data, upload.filename or "", upload.read())
    except ImportFileError as error:
        form.file.errors = [error.message]
        return _page(form, status=422)
    begin_writing(db.session)
    try:
        saved = save_once(form, lambda: _imported(read))
    except RowsRefusedError as refusal:
        # Nothing is kept, not even the form's key, but the audit of the file's lookups.
        keep_only_lookups(db.session, current_user, refusal.result)
        keep_on_refusal(db.session)
        return _page(form, report=refusal.result, status=422)
    return saved or _page(form, status=422)


class RowsRefusedError(Exception):
    """Some rows of the file are wrong: nothing is imported, the report says why.

    Not a refusal the form shows: the page shows the report instead, and its status (422)
    rolls back the request.
    """

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result.filename)
        self.result = result


def _imported(read: ImportFile) -> str:
    """Apply the read file as the current user; return the URL to show the summary on."""
    result = apply_import(db.session, current_user, read, today=local_today(), now=local_now())
    if not result.ok:
        raise RowsRefusedError(result)
    flash(_("Importen av %(file)s är klar. %(summary)s", file=result.filename,
            summary=result.summary()), "success")
    for note in result.notes:
        flash(note, "warning")
    return url_for("imports.index", kind=result.kind)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """Answer an upload over the size limit on the import page itself."""
    form = _import_form(blank=True)
    max_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    form.file.errors = [_("Filen är för stor: högst %(mb)s MB kan laddas upp. Dela upp filen "
                          "i flera.", mb=max_mb)]
    page, _status = _page(form)
    return page, 413


@bp.route("/template/<kind>.<extension>")
@roles(*IMPORTERS)
def template(kind: str, extension: str) -> Response:
    chosen = KINDS.get(kind)
    if chosen is None or extension not in ("xlsx", "csv") or not may_import(current_user,
                                                                            chosen):
        abort(404)
    data = template_bytes(chosen.headers, extension)  # type: ignore[arg-type]
    mimetype = XLSX_MIMETYPE if extension == "xlsx" else CSV_MIMETYPE
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"import-{kind}.{extension}")


def _send(download: Download) -> Response:
    return send_file(io.BytesIO(download.data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=download.filename)


def _refuse(form: Any) -> Response:
    for errors in form.errors.values():
        for message in errors:
            flash(message, "danger")
    return redirect(url_for("imports.index", _anchor="export"))


@bp.route("/export/roster")
@roles(*EXPORTERS)
def export_roster() -> Response:
    form = RosterExportForm(request.args)
    form.team.choices = [(team.id, team.name) for team in teams_for(db.session, current_user)]
    form.year.choices = [(year.id, year.label) for year in school_years(db.session)]
    if not form.validate():
        return _refuse(form)
    ensure_team(current_user, form.team.data)
    team = db.get_or_404(Team, form.team.data)
    year = db.get_or_404(SchoolYear, form.year.data)
    download = roster_download(db.session, current_user, team, year, today=local_today())
    record(db.session, current_user, "export", "roster", f"{team.id}/{year.id}",
           note=f"Polare {team.name} {year.label}: {download.rows} rader ({download.filename})",
           persons=download.person_ids)
    return _send(download)


@bp.route("/export/walks")
@roles(*EXPORTERS)
def export_walks() -> Response:
    form = WalkLogExportForm(request.args)
    teams = teams_for(db.session, current_user)
    form.team.choices = [(0, ""), *((team.id, team.name) for team in teams)]
    if not form.validate():
        return _refuse(form)
    team = None
    if form.team.data:
        ensure_team(current_user, form.team.data)
        team = db.get_or_404(Team, form.team.data)
    download = walk_log_download(db.session, current_user, form.first.data, form.last.data,
                                 team)
    scope = team.name if team else _("alla mina team")
    record(db.session, current_user, "export", "walk_log",
           f"{form.first.data.isoformat()}/{form.last.data.isoformat()}",
           note=f"Nattvandringar {scope}: {download.rows} rader ({download.filename})",
           persons=download.person_ids)
    return _send(download)
