"""The pay rules' coded errors are worded by the payroll wording module."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from payroll import BandError, Participation, RateBand, RateVersion, compute_period
from polare.pay.wording import MESSAGES, band_refusal, line_error_text

BAND_PROBLEMS = ["negative", "decimals", "ages_reversed", "years_reversed", "overlap", "gap",
                 "index_too_low"]


@pytest.mark.parametrize("problem", BAND_PROBLEMS)
def test_every_band_problem_has_a_text_naming_exactly_the_values_given(problem):
    band = RateBand(15, 17, 1, None, 500)
    refusal = band_refusal(BandError("", problem=problem, bands=(band, band), age=15, years=1),
                           field="rows")
    name = refusal.code.partition(".")[2]
    assert set(re.findall(r"%\((\w+)\)", MESSAGES[name])) == set(refusal.values)


def _errors_of_a_walk_without_a_rate_and_one_without_a_band() -> tuple[str, ...]:
    """Compute November with walk 17 (no version in force) and walk 18 (no band, age 36)."""
    walks = [Participation(participation_id=n, person_id=1, walk_id=walk_id, walk_date=day,
                           birth_date=date(1990, 1, 1), years_in_programme=1, payable=True,
                           team="Ryd", person_name="Ek, Elsa")
             for n, (walk_id, day) in enumerate(((17, date(2026, 11, 5)),
                                                 (18, date(2026, 11, 20))), 1)]
    version = RateVersion(1, date(2026, 11, 10), (RateBand(15, 17, 1, None, 500),))
    return compute_period("2026-11", walks, [version], [], None).errors


def test_line_errors_read_in_swedish_exactly_as_the_pay_rules_wrote_them(app):
    errors = _errors_of_a_walk_without_a_rate_and_one_without_a_band()
    with app.test_request_context(), force_locale("sv"):
        assert [line_error_text(error) for error in errors] == list(errors)


def test_line_errors_are_worded_in_english(app):
    errors = _errors_of_a_walk_without_a_rate_and_one_without_a_band()
    with app.test_request_context(), force_locale("en"):
        assert [line_error_text(error) for error in errors] == [
            "No rate table applies to night walk 17 on 2026-11-05, team Ryd: add a table "
            "version in force from that date or earlier",
            "The table from 2026-11-10 has no row for age 36 with 1 years in the programme "
            "(night walk 18 on 2026-11-20, team Ryd, Ek, Elsa)",
        ]
