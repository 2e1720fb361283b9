"""Rate table versions: band checks, versions used by closed periods, indexation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from payroll import RateBand
from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError
from polare.pay import services
from polare.pay.models import RateVersion
from tests.pay.conftest import ATTENDED, EXAMPLE_BANDS


def save(db, bands, effective_from=date(2026, 8, 1), version_id=None):
    return services.save_rate_version(db, None, version_id, effective_from=effective_from,
                                      label="Test", bands=bands)


def test_a_version_is_saved_with_its_rows_and_audited(db):
    version = save(db, EXAMPLE_BANDS)
    assert [(r.age_from, r.age_to, r.years_from, r.years_to, r.amount) for r in version.rows] == [
        (15, 17, 1, 1, Decimal("200.00")), (15, 17, 2, 2, Decimal("230.00")),
        (15, 17, 3, None, Decimal("260.00")), (18, None, 1, 1, Decimal("250.00")),
        (18, None, 2, 2, Decimal("280.00")), (18, None, 3, None, Decimal("310.00"))]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "rate_version")).one()
    assert entry.changes["effective_from"] == [None, "2026-08-01"]
    assert "15–17 år/1 år = 200.00" in entry.changes["rows"][1]


def test_a_gap_is_refused_naming_it(db):
    without_18 = [b for b in EXAMPLE_BANDS if b.age_from != 18] + [
        RateBand(19, None, 1, None, Decimal("300"))]
    with pytest.raises(DomainError, match="Ingen rad täcker ålder 18 med 1 år") as caught:
        save(db, without_18)
    assert caught.value.field == "rows"


def test_an_overlap_is_refused_naming_both_rows(db):
    overlapping = [*EXAMPLE_BANDS, RateBand(17, 18, 1, None, Decimal("240"))]
    with pytest.raises(DomainError, match="överlappar"):
        save(db, overlapping)


def test_years_must_start_at_one(db):
    with pytest.raises(DomainError, match="börjar på 1"):
        save(db, [RateBand(15, None, 0, None, Decimal("200"))])


def test_a_second_version_from_the_same_date_is_refused(db, rate_table):
    with pytest.raises(DomainError, match="redan en tabellversion") as caught:
        save(db, EXAMPLE_BANDS, effective_from=date(2024, 8, 1))
    assert caught.value.field == "effective_from"


def test_an_unused_version_can_be_changed(db, rate_table):
    bands = [RateBand(15, None, 1, None, Decimal("199.50"))]
    version = save(db, bands, effective_from=date(2024, 8, 1), version_id=rate_table.id)
    assert [r.amount for r in version.rows] == [Decimal("199.50")]


def test_changing_the_amounts_of_a_decided_version_takes_its_decision_away(db, rate_table):
    bands = [RateBand(15, None, 1, None, Decimal("199.50"))]
    version = save(db, bands, effective_from=date(2024, 8, 1), version_id=rate_table.id)
    assert not version.decided
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "rate_version")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["decision_reference"] == ["KS 2024/117", ""]


def test_a_month_priced_by_a_version_changed_after_its_decision_cannot_be_closed(
        db, rate_table, polare, make_walk):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    save(db, EXAMPLE_BANDS, effective_from=date(2024, 7, 1), version_id=rate_table.id)
    with pytest.raises(DomainError, match="Arvodestabellen från 2024-07-01 saknar beslut"):
        services.close_period(db, None, "2026-11")


def test_changing_only_the_label_of_a_decided_version_keeps_its_decision(db, rate_table):
    version = services.save_rate_version(db, None, rate_table.id, effective_from=date(2024, 8, 1),
                                         label="Beslutade belopp", bands=EXAMPLE_BANDS)
    assert version.decided


def test_a_version_used_by_a_closed_period_cannot_be_changed(db, rate_table, polare, make_walk):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    with pytest.raises(DomainError, match="en rättelse görs som en ny version"):
        save(db, EXAMPLE_BANDS, effective_from=date(2024, 8, 1), version_id=rate_table.id)
    assert services.is_used_by_closed_period(db, rate_table.id)


def test_indexation_rounds_each_amount_half_up_to_whole_kronor(db):
    source = save(db, [RateBand(15, 17, 1, None, Decimal("200")),
                       RateBand(18, None, 1, None, Decimal("250"))])
    review = services.preview_indexation(db, source.id, Decimal("2.25"), date(2027, 1, 1))
    assert [(old.amount, new.amount) for old, new in review.rows] == [
        (Decimal("200.00"), Decimal("205.00")), (Decimal("250.00"), Decimal("256.00"))]
    assert db.scalar(select(RateVersion.id).where(RateVersion.effective_from == date(2027, 1, 1))
                     ) is None


def test_indexation_saves_a_new_version_recording_its_source(db, rate_table):
    version = services.index_rates(db, None, rate_table.id, Decimal("10"), date(2027, 1, 1))
    assert [r.amount for r in version.rows] == [
        Decimal("220.00"), Decimal("253.00"), Decimal("286.00"), Decimal("275.00"),
        Decimal("308.00"), Decimal("341.00")]
    assert (version.indexed_from_id, version.index_percent) == (rate_table.id, Decimal("10"))
    assert version.label == "Uppräkning 10 % av tabellen från 2024-08-01"


def test_indexation_must_start_after_its_source(db, rate_table):
    with pytest.raises(DomainError, match="senare datum"):
        services.preview_indexation(db, rate_table.id, Decimal("3"), date(2024, 7, 1))


def test_indexation_source_is_the_version_in_force_the_day_before(db, rate_table, add_version):
    newer = add_version(date(2027, 1, 1), amount_shift=Decimal("10"))
    assert services.source_for_indexation(db, date(2027, 1, 1)).id == rate_table.id
    assert services.source_for_indexation(db, date(2027, 1, 2)).id == newer.id
    with pytest.raises(DomainError, match="inget att räkna upp"):
        services.source_for_indexation(db, date(2024, 8, 1))


def test_version_list_marks_the_one_in_force_and_the_locked_ones(db, rate_table, add_version,
                                                                 polare, make_walk):
    add_version(date(2027, 1, 1))
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    listed = services.list_rate_versions(db, date(2026, 11, 25))
    assert [(v.version.effective_from, v.in_force_today, v.used_by_closed_period)
            for v in listed] == [(date(2027, 1, 1), False, False), (date(2024, 8, 1), True, True)]


def _version_form(page):
    return next(form for form in page.forms.values() if "label_en" in form.fields)


def test_payroll_names_a_rate_version_in_english_through_its_form(db, webapp, web_login_as,
                                                                 rate_table):
    web_login_as(Role.PAYROLL)
    form = _version_form(webapp.get(f"/payroll/rates/{rate_table.id}"))
    form["label_en"] = "Example values"
    form["note_en"] = "Not the decided amounts."
    assert form.submit(name="submit").status_int == 302
    db.refresh(rate_table)
    assert (rate_table.label_en, rate_table.note_en) == ("Example values",
                                                         "Not the decided amounts.")


def test_an_english_reader_sees_the_version_label_and_note_in_english(db, webapp, web_login_as,
                                                                      rate_table):
    rate_table.label_en, rate_table.note = "Example values", "Inte beslutade belopp."
    rate_table.note_en = "Not the decided amounts."
    db.flush()
    web_login_as(Role.PAYROLL)
    swedish = webapp.get("/payroll/rates").text
    assert "Exempelvärden" in swedish
    assert "Inte beslutade belopp." in swedish
    webapp.get("/lang/en")
    english = webapp.get("/payroll/rates").text
    assert "Example values" in english
    assert "Not the decided amounts." in english
    assert "Inte beslutade belopp." not in english


def test_saving_a_version_without_english_texts_keeps_them(db, rate_table):
    rate_table.label_en = "Example values"
    db.flush()
    services.save_rate_version(db, None, rate_table.id, effective_from=rate_table.effective_from,
                               label="Exempel", bands=EXAMPLE_BANDS)
    assert rate_table.label_en == "Example values"
