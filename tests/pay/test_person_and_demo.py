"""One person's stipend lines across periods, and the demo's example rate table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from payroll import LineKind
from polare.org.services import get_settings
from polare.pay import services
from polare.pay.demo import EXAMPLE_LABEL, load_demo
from polare.pay.models import RateVersion
from tests.conftest import TODAY
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance


def test_person_lines_show_frozen_and_preliminary_lines_newest_first(
        db, rate_table, polare, make_person, make_enrolment, make_walk):
    other = make_person(first_name="Ingen")
    make_enrolment(other, "Ryd")
    november = make_walk(date(2026, 11, 5), [(polare, ATTENDED), (other, ATTENDED)])
    services.close_period(db, None, "2026-11")
    set_attendance(db, november, polare, ABSENT)
    make_walk(date(2026, 12, 2), [(polare, ATTENDED)])
    make_walk(date(2027, 1, 14), [(polare, ATTENDED)])
    stipends = services.stipend_lines_of_person(db, polare.id)
    assert [(d.line.period, d.line.kind, d.line.amount, d.final) for d in stipends.lines] == [
        ("2027-01", LineKind.ORDINARY, Decimal("200.00"), False),
        ("2026-12", LineKind.ORDINARY, Decimal("200.00"), False),
        ("2026-12", LineKind.CORRECTION, Decimal("-200.00"), False),
        ("2026-11", LineKind.ORDINARY, Decimal("200.00"), True),
    ]
    assert (stipends.paid_total, stipends.preliminary_total) == (
        Decimal("200.00"), Decimal("200.00"))
    assert {d.line.person_id for d in stipends.lines} == {polare.id}


def test_person_without_walks_has_no_lines(db, rate_table, polare):
    stipends = services.stipend_lines_of_person(db, polare.id)
    assert (stipends.lines, stipends.errors) == ((), ())


def test_demo_adds_the_example_rate_table_once(db):
    load_demo(db, TODAY)
    load_demo(db, TODAY)
    version = db.scalars(select(RateVersion)).one()
    assert version.label == EXAMPLE_LABEL
    assert "Exempelvärden" in version.note
    assert [(r.age_from, r.age_to, r.years_from, r.years_to, r.amount) for r in version.rows] == [
        (15, 17, 1, 1, Decimal("200.00")), (15, 17, 2, 2, Decimal("230.00")),
        (15, 17, 3, None, Decimal("260.00")), (18, None, 1, 1, Decimal("250.00")),
        (18, None, 2, 2, Decimal("280.00")), (18, None, 3, None, Decimal("310.00"))]
    assert db.scalar(select(func.count(RateVersion.id))) == 1
    assert get_settings(db).min_age == 15
