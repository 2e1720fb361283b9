"""Rate table versions: saving with band checks, and indexation with a review step (SPEC §6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

import payroll
from polare.audit.services import record
from polare.clock import utcnow
from polare.errors import DomainError, NotFoundError
from polare.org.services import get_settings
from polare.pay import labels
from polare.pay.models import PayLine, RateRow, RateVersion
from polare.pay.services.facts import latest_closed_month, month_span
from polare.pay.wording import band_refusal

#: Largest amount a Numeric(12, 2) column holds.
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class VersionSummary:
    """A version as the list shows it."""

    version: RateVersion
    title: str
    used_by_closed_period: bool
    in_force_today: bool


@dataclass(frozen=True)
class IndexationPreview:
    """A new version made by indexation, shown for review before it is saved."""

    source: RateVersion
    percent: Decimal
    effective_from: date
    label: str
    #: (old band, new band) pairs in the source's row order.
    rows: tuple[tuple[payroll.RateBand, payroll.RateBand], ...]


def version_title(effective_from: date, label: str = "") -> str:
    """Name a version in Swedish, e.g. 'Exempelvärden (från 2024-08-01)'.

    This is the name audit notes and the payroll file use; pages show labels.version_title.
    """
    start = effective_from.isoformat()
    return f"{label} (från {start})" if label else f"Tabell från {start}"


def bands_of(version: RateVersion) -> tuple[payroll.RateBand, ...]:
    """Return a stored version's rows as the pay rules' bands."""
    return tuple(
        payroll.RateBand(row.age_from, row.age_to, row.years_from, row.years_to,
                         payroll.to_money(row.amount))
        for row in version.rows
    )


def get_rate_version(session: Session, version_id: int) -> RateVersion:
    """Return a version with its rows, or raise NotFoundError."""
    version = session.scalar(
        select(RateVersion).options(selectinload(RateVersion.rows))
        .where(RateVersion.id == version_id)
    )
    if version is None:
        raise NotFoundError("pay.version_not_found")
    return version


def is_used_by_closed_period(session: Session, version_id: int) -> bool:
    """Tell whether a frozen line of a closed period was computed from the version."""
    return bool(session.scalar(select(exists().where(PayLine.rate_version_id == version_id))))


def in_closed_period(session: Session, day: date) -> bool:
    """Tell whether a date lies in a closed period (a version from then makes corrections)."""
    latest = latest_closed_month(session)
    return latest is not None and day <= month_span(latest)[1]


def list_rate_versions(session: Session, today: date) -> list[VersionSummary]:
    """Return every version, newest first, with whether closed periods used it."""
    used = set(session.scalars(select(PayLine.rate_version_id).distinct()))
    versions = session.scalars(
        select(RateVersion).options(selectinload(RateVersion.rows))
        .order_by(RateVersion.effective_from.desc())
    ).all()
    current = next((v for v in versions if v.effective_from <= today), None)
    return [
        VersionSummary(version=v, title=labels.version_title(v.effective_from, v.shown_label),
                       used_by_closed_period=v.id in used, in_force_today=v is current)
        for v in versions
    ]


def version_in_force_on(session: Session, day: date) -> RateVersion | None:
    """Return the version in force on a date (latest effective_from on or before it)."""
    return session.scalar(
        select(RateVersion).options(selectinload(RateVersion.rows))
        .where(RateVersion.effective_from <= day)
        .order_by(RateVersion.effective_from.desc(), RateVersion.id.desc())
        .limit(1)
    )


def _check_bands(session: Session, bands: Sequence[payroll.RateBand]) -> None:
    """Refuse bands that leave a gap, overlap, or do not fit the database."""
    if not bands:
        raise DomainError("pay.no_rows", field="rows")
    for band in bands:
        if band.age_from < 0:
            raise DomainError("pay.age_negative", field="rows",
                              band=labels.band_short_label(band))
        if band.years_from < 1:
            raise DomainError("pay.years_below_one", field="rows",
                              band=labels.band_short_label(band))
        if band.amount > MAX_AMOUNT:
            raise DomainError("pay.amount_too_large", field="rows",
                              band=labels.band_short_label(band))
    settings = get_settings(session)
    try:
        payroll.validate_bands(bands, settings.min_age, settings.max_age)
    except payroll.BandError as error:
        raise band_refusal(error, field="rows") from error


def _check_effective_from(session: Session, effective_from: date,
                          version_id: int | None) -> None:
    """Refuse a second version from the same date."""
    clash = session.scalar(
        select(RateVersion.id).where(RateVersion.effective_from == effective_from)
    )
    if clash is not None and clash != version_id:
        raise DomainError("pay.version_date_taken", field="effective_from",
                          day=effective_from.isoformat())


def _describe(version: RateVersion) -> dict[str, object]:
    """Return the audited fields of a version, rows written out."""
    return {
        "effective_from": version.effective_from.isoformat(),
        "label": version.label,
        "label_en": version.label_en,
        "note": version.note,
        "note_en": version.note_en,
        "rows": [payroll.RateBand(r.age_from, r.age_to, r.years_from, r.years_to, r.amount)
                 .short_label + f" = {payroll.to_money(r.amount)}" for r in version.rows],
    }


def save_rate_version(
    session: Session, actor: object, version_id: int | None, *, effective_from: date,
    label: str, note: str = "", bands: Sequence[payroll.RateBand],
    label_en: str | None = None, note_en: str | None = None,
) -> RateVersion:
    """Create a version, or change one that no closed period has used; a fix is a new version.

    Changing the date or the amounts of a decided version takes its decision away.
    """
    label, note = label.strip(), note.strip()
    version = get_rate_version(session, version_id) if version_id is not None else None
    if version is not None and is_used_by_closed_period(session, version.id):
        raise DomainError("pay.version_used")
    _check_effective_from(session, effective_from, version_id)
    _check_bands(session, bands)
    before = _describe(version) if version is not None else {}
    if version is None:
        version = RateVersion(created_by_id=getattr(actor, "id", None))
        session.add(version)
    version.effective_from, version.label, version.note = effective_from, label, note
    # English texts: None keeps what the version has (callers that know no English).
    if label_en is not None:
        version.label_en = label_en.strip()
    if note_en is not None:
        version.note_en = note_en.strip()
    version.rows = [
        RateRow(age_from=b.age_from, age_to=b.age_to, years_from=b.years_from,
                years_to=b.years_to, amount=payroll.to_money(b.amount))
        for b in sorted(bands, key=lambda b: (b.age_from, b.years_from))
    ]
    session.flush()
    after = _describe(version)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if version.decided and ("effective_from" in changes or "rows" in changes):
        changes |= _withdraw_decision(version)
    record(session, actor, "update" if before else "create", "rate_version", version.id,
           changes=changes)
    return version


def _withdraw_decision(version: RateVersion) -> dict[str, list[str | None]]:
    """Take away a decision the version's new date or amounts no longer match; return the change.

    The decision was made on what the version said then: its months close again only once the
    decision behind the new amounts is recorded.
    """
    withdrawn = {"decision_reference": [version.decision_reference, ""],
                 "decision_date": [_iso(version.decision_date), None]}
    version.decision_reference, version.decision_date = "", None
    version.decided_by_id = version.decided_at = None
    return withdrawn


def decide_rate_version(session: Session, actor: object, version_id: int, *, reference: str,
                        decided_on: date) -> RateVersion:
    """Record the decision (reference and date) behind a version; months using it may then close.

    A decision of a version that a closed period used is never changed.
    """
    version = get_rate_version(session, version_id)
    reference = reference.strip()
    if not reference:
        raise DomainError("pay.reference_missing", field="reference")
    if len(reference) > 120:
        raise DomainError("pay.reference_too_long", field="reference")
    if version.decided and is_used_by_closed_period(session, version.id):
        raise DomainError("pay.decision_used", field="reference",
                          day=version.effective_from.isoformat())
    before = [version.decision_reference, _iso(version.decision_date)]
    version.decision_reference, version.decision_date = reference, decided_on
    version.decided_by_id, version.decided_at = getattr(actor, "id", None), utcnow()
    session.flush()
    record(session, actor, "decide", "rate_version", version.id,
           changes={"decision_reference": [before[0], reference],
                    "decision_date": [before[1], decided_on.isoformat()]})
    return version


def _iso(day: date | None) -> str | None:
    """Write a date as ISO, or None."""
    return day.isoformat() if day is not None else None


def version_by_date(session: Session, effective_from: date) -> RateVersion:
    """Return the version in force from exactly that date, or raise NotFoundError."""
    version_id = session.scalar(
        select(RateVersion.id).where(RateVersion.effective_from == effective_from))
    if version_id is None:
        raise NotFoundError("pay.no_version_from", day=effective_from.isoformat())
    return get_rate_version(session, version_id)


def preview_indexation(
    session: Session, from_version_id: int, percent: Decimal, effective_from: date,
    label: str = "",
) -> IndexationPreview:
    """Return the version indexation would make, checked but not saved."""
    source = get_rate_version(session, from_version_id)
    if effective_from <= source.effective_from:
        raise DomainError("pay.index_not_later", field="effective_from",
                          day=source.effective_from.isoformat())
    try:
        indexed = payroll.index_version(
            payroll.RateVersion(source.id, source.effective_from, bands_of(source)),
            percent, effective_from,
        )
    except payroll.BandError as error:
        raise band_refusal(error, field="percent") from error
    _check_effective_from(session, effective_from, None)
    _check_bands(session, indexed.bands)
    label = label.strip() or (
        f"Uppräkning {_percent_text(percent)} % av tabellen från {source.effective_from}"
    )
    return IndexationPreview(
        source=source, percent=percent, effective_from=effective_from, label=label[:120],
        rows=tuple(zip(bands_of(source), indexed.bands, strict=True)),
    )


def _percent_text(percent: Decimal) -> str:
    """Write a percentage the Swedish way, e.g. '2,5'."""
    return format(percent.normalize(), "f").replace(".", ",")


def index_rates(
    session: Session, actor: object, from_version_id: int, percent: Decimal,
    effective_from: date, *, label: str = "",
) -> RateVersion:
    """Save a new version: the source's amounts raised by percent, rounded to whole kronor."""
    preview = preview_indexation(session, from_version_id, percent, effective_from, label)
    version = save_rate_version(
        session, actor, None, effective_from=effective_from, label=preview.label,
        note=f"Uppräknad med {_percent_text(percent)} % från "
             f"{version_title(preview.source.effective_from, preview.source.label)}.",
        bands=[new for _old, new in preview.rows],
    )
    version.indexed_from_id, version.index_percent = preview.source.id, percent
    record(session, actor, "index", "rate_version", version.id,
           changes={"indexed_from_id": [None, preview.source.id],
                    "index_percent": [None, str(percent)]})
    return version


def source_for_indexation(session: Session, effective_from: date) -> RateVersion:
    """Return the version in force the day before a new version takes effect."""
    source = version_in_force_on(session, effective_from - timedelta(days=1))
    if source is None:
        raise DomainError("pay.nothing_to_index", field="effective_from",
                          day=(effective_from - timedelta(days=1)).isoformat())
    return source

