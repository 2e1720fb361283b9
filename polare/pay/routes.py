"""Payroll pages: rate versions, indexation, periods with preview, closing and export."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

import payroll
from polare.auth.access import roles
from polare.auth.models import Role, User
from polare.clock import local_today
from polare.converters import id_argument, page_number
from polare.extensions import db
from polare.pay import bp, labels, services, wording
from polare.pay.forms import (
    AttestForm,
    CloseForm,
    DecisionForm,
    ExportForm,
    IndexForm,
    NewRateVersionForm,
    RateVersionForm,
    ReopenForm,
)
from polare.pay.models import PeriodStatus
from polare.roster.models import Person
from polare.web import reviewed, save_form, save_once

PAYROLL = Role.PAYROLL
PERSONS_PER_PAGE = 50
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Page:
    """A slice of a list, shaped as the pager macro expects."""

    items: tuple[Any, ...]
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _page_of(items: tuple[Any, ...], per_page: int) -> Page:
    pages = max(1, math.ceil(len(items) / per_page))
    page = min(page_number(), pages)
    start = (page - 1) * per_page
    return Page(items=items[start:start + per_page], page=page, pages=pages)


# ---------------------------------------------------------------- periods


@bp.route("/")
@roles(PAYROLL)
def periods() -> str:
    rows = services.list_periods(db.session, local_today())
    return render_template("pay/periods.html", rows=rows)


def _name_of(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else ""


def _render_period(preview: services.PeriodPreview, *, attest_form: AttestForm | None = None,
                   reopen_form: ReopenForm | None = None, status: int = 200) -> tuple[str, int]:
    stored = preview.period
    closed_by_id = stored.closed_by_id if stored is not None else None
    waiting = preview.status == PeriodStatus.CLOSED
    return render_template(
        "pay/period.html", preview=preview,
        closed_by=_name_of(closed_by_id) or "system",
        attested_by=_name_of(stored.attested_by_id) if stored is not None else "",
        reopened_by=_name_of(stored.reopened_by_id) if stored is not None else "",
        may_attest=waiting and current_user.can_attest and closed_by_id not in
        (None, current_user.id),
        may_reopen=waiting and preview.month == preview.latest_closed
        and (current_user.can_attest or closed_by_id == current_user.id),
        attest_form=attest_form or AttestForm(formdata=None),
        reopen_form=reopen_form or ReopenForm(formdata=None),
        persons=_page_of(preview.summary.persons, PERSONS_PER_PAGE),
        exports=services.exports_of(db.session, preview.month), export_form=ExportForm(),
    ), status


@bp.route("/periods/<month:month>")
@roles(PAYROLL)
def period(month: str) -> tuple[str, int]:
    return _render_period(services.preview_period(db.session, month))


@bp.route("/periods/<month:month>/attest", methods=["POST"])
@roles(PAYROLL)
def attest(month: str) -> Any:
    form = AttestForm()
    if form.validate_on_submit() and (response := save_form(
            form, lambda: services.attest_period(db.session, current_user, month),
            _("Perioden %(month)s är attesterad. Den slutliga arbetsboken kan laddas ner.",
              month=month), url_for("pay.period", month=month))):
        return response
    return _render_period(services.preview_period(db.session, month), attest_form=form, status=422)


@bp.route("/periods/<month:month>/reopen", methods=["POST"])
@roles(PAYROLL)
def reopen(month: str) -> Any:
    form = ReopenForm()
    if form.validate_on_submit() and (response := save_form(
            form, lambda: services.reopen_period(db.session, current_user, month,
                                                 form.reason.data),
            _("Perioden %(month)s är öppen igen. Raderna räknas om från underlaget.",
              month=month), url_for("pay.period", month=month))):
        return response
    return _render_period(services.preview_period(db.session, month), reopen_form=form, status=422)


@bp.route("/periods/<month:month>/persons/<id:person_id>")
@roles(PAYROLL)
def period_person(month: str, person_id: int) -> str:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    preview = services.preview_period(db.session, month, person_id=person_id)
    return render_template("pay/period_person.html", preview=preview, person=person)


def _render_close(preview: services.PeriodPreview, form: CloseForm, status: int = 200
                  ) -> tuple[str, int]:
    outside = services.outside_before(db.session, preview.month)
    return render_template("pay/close.html", preview=preview, form=form,
                           outside_before=outside), status


@bp.route("/periods/<month:month>/close", methods=["GET", "POST"])
@roles(PAYROLL)
def close(month: str) -> Any:
    preview = services.preview_period(db.session, month)
    if not preview.is_open or preview.outside:
        flash(preview.close_refusal, "info")
        return redirect(url_for("pay.period", month=month))
    form = CloseForm(data={"digest": preview.digest} if request.method == "GET" else None)
    if form.validate_on_submit():
        response = save_form(
            form, lambda: services.close_period(db.session, current_user, month,
                                                expected_digest=form.digest.data),
            _("Perioden %(month)s är stängd. Raderna är låsta och perioden väntar på attest.",
              month=month), url_for("pay.period", month=month))
        if response is not None:
            return response
        preview = services.preview_period(db.session, month)
        form.digest.data = preview.digest
        return _render_close(preview, form, 422)
    return _render_close(preview, form, 422 if form.errors else 200)


@bp.route("/periods/<month:month>/export", methods=["POST"])
@roles(PAYROLL)
def export(month: str) -> Response:
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    buffer = io.BytesIO()
    written = services.export_workbook(db.session, current_user, month, buffer)
    return send_file(buffer, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=written.filename, max_age=0)


# ---------------------------------------------------------------- rate versions


@bp.route("/rates")
@roles(PAYROLL)
def rates() -> str:
    versions = services.list_rate_versions(db.session, local_today())
    return render_template("pay/rates.html", versions=versions)


def _rows_data(version: Any) -> list[dict[str, Any]]:
    return [{"age_from": r.age_from, "age_to": r.age_to, "years_from": r.years_from,
             "years_to": r.years_to, "amount": r.amount} for r in version.rows]


def _version_form(version: Any, copy: Any) -> RateVersionForm:
    if request.method == "POST":
        return RateVersionForm() if version is not None else NewRateVersionForm()
    if version is not None:
        return RateVersionForm(data={"effective_from": version.effective_from,
                                     "label": version.label, "note": version.note,
                                     "rows": _rows_data(version)})
    return NewRateVersionForm(data={"rows": _rows_data(copy) if copy is not None else []})


def _save_version(form: RateVersionForm, version_id: int | None) -> Response | None:
    def save() -> str:
        saved = services.save_rate_version(
            db.session, current_user, version_id, effective_from=form.effective_from.data,
            label=form.label.data or "", note=form.note.data or "", bands=form.bands(),
            label_en=form.label_en.data or "", note_en=form.note_en.data or "",
        )
        flash(_("Tabellversionen är sparad."), "success")
        if services.in_closed_period(db.session, saved.effective_from):
            flash(_("Versionen gäller från en stängd period: skillnaderna blir rättelser i "
                    "nästa öppna period."), "warning")
        return url_for("pay.rates")

    return save_once(form, save)


@bp.route("/rates/new", methods=["GET", "POST"], defaults={"version_id": None})
@bp.route("/rates/<id:version_id>", methods=["GET", "POST"])
@roles(PAYROLL)
def rate_version(version_id: int | None) -> Any:
    version = (services.get_rate_version(db.session, version_id)
               if version_id is not None else None)
    copy_id = id_argument("copy")
    copy = services.get_rate_version(db.session, copy_id) if copy_id else None
    locked = version is not None and services.is_used_by_closed_period(db.session, version.id)
    form = _version_form(version, copy)
    status = 200
    if request.method == "POST" and not locked:
        if form.add_rows.data:
            form.add_blank_rows()
        elif form.validate_on_submit():
            response = _save_version(form, version_id)
            if response is not None:
                return response
            status = 422
        else:
            status = 422
    form.pad_rows()
    return render_template("pay/rate_version.html", form=form, version=version,
                           locked=locked), status


def _indexed(form: IndexForm) -> str:
    """Save the indexed version of the form; return the URL of the rate tables."""
    version = services.index_rates(
        db.session, current_user, form.from_version.data, form.percent.data,
        form.effective_from.data, label=form.label.data or "",
    )
    flash(_("Den nya versionen från %(day)s är sparad.",
            day=version.effective_from.isoformat()), "success")
    return url_for("pay.rates")


@bp.route("/rates/<id:version_id>/decision", methods=["GET", "POST"])
@roles(PAYROLL)
def rate_decision(version_id: int) -> Any:
    version = services.get_rate_version(db.session, version_id)
    form = DecisionForm(data=None if request.method == "POST" else {
        "reference": version.decision_reference, "decided_on": version.decision_date})
    if form.validate_on_submit() and (response := save_form(
            form, lambda: services.decide_rate_version(
                db.session, current_user, version_id, reference=form.reference.data,
                decided_on=form.decided_on.data),
            _("Beslutet för tabellen från %(day)s är registrerat.",
              day=version.effective_from.isoformat()), url_for("pay.rates"))):
        return response
    title = labels.version_title(version.effective_from, version.label)
    return render_template("pay/rate_decision.html", form=form, title=title), (
        422 if form.errors else 200)


@bp.route("/rates/index", methods=["GET", "POST"])
@roles(PAYROLL)
def rate_index() -> Any:
    versions = services.list_rate_versions(db.session, local_today())
    if not versions:
        flash(_("Lägg in en tabellversion först; det finns inget att räkna upp."), "info")
        return redirect(url_for("pay.rates"))
    current = next((v for v in versions if v.in_force_today), versions[-1])
    form = IndexForm(data=None if request.method == "POST"
                     else {"from_version": current.version.id})
    form.from_version.choices = [(v.version.id, v.title) for v in versions]
    review = None
    if request.method == "POST" and form.validate():
        if form.save.data:
            if (response := save_once(form, lambda: _indexed(form))) is not None:
                return response
        elif not form.change.data:
            review = reviewed(form, lambda: services.preview_indexation(
                db.session, form.from_version.data, form.percent.data,
                form.effective_from.data, form.label.data or "",
            ))
    status = 422 if form.errors else 200
    return render_template("pay/rate_index.html", form=form, review=review), status


@bp.app_template_filter("band_label")
def band_label_filter(band: payroll.RateBand | payroll.PayLine) -> str:
    """Name a rate band (or the band that priced a pay line) in the user's language."""
    if isinstance(band, payroll.PayLine):
        return labels.line_band_label(band)
    return labels.band_label(band)


@bp.app_template_filter("line_error")
def line_error_filter(error: str) -> str:
    """Word an error of a period's lines (no rate in force, no band) in the user's language."""
    return wording.line_error_text(error)


@bp.app_template_filter("version_title")
def version_title_filter(version: services.VersionName | None) -> str:
    """Name the version that priced a pay line, in the user's language."""
    return labels.version_title(version.effective_from, version.label) if version else ""


