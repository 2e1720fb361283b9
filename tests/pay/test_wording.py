"""The pay rules' coded errors are worded by the payroll wording module."""

from __future__ import annotations

import re

import pytest

from payroll import BandError, RateBand
from polare.pay.wording import MESSAGES, band_refusal

BAND_PROBLEMS = ["negative", "decimals", "ages_reversed", "years_reversed", "overlap", "gap",
                 "index_too_low"]


@pytest.mark.parametrize("problem", BAND_PROBLEMS)
def test_every_band_problem_has_a_text_naming_exactly_the_values_given(problem):
    band = RateBand(15, 17, 1, None, 500)
    refusal = band_refusal(BandError("", problem=problem, bands=(band, band), age=15, years=1),
                           field="rows")
    name = refusal.code.partition(".")[2]
    assert set(re.findall(r"%\((\w+)\)", MESSAGES[name])) == set(refusal.values)
