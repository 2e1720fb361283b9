"""Rate bands and rate table versions named as the pages show them, in the user's language.

The pay rules (payroll/) name bands in Swedish, e.g. '15–17 år, 1 år i verksamheten', and that
Swedish text is what pay lines store and what the payroll file holds. The pages say the same
through gettext here, from the band's bounds and the version's date and label; with Swedish
chosen (or outside a request) the text is the pay rules' own, character for character.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

import payroll
from payroll.rates import span_text


def _band_text(ages: str, years: str) -> str:
    return _("%(ages)s år, %(years)s år i verksamheten", ages=ages, years=years)


def band_label(band: payroll.RateBand) -> str:
    """Describe a band, e.g. '15–17 år, 1 år i verksamheten' (as RateBand.label)."""
    return _band_text(span_text(band.age_from, band.age_to),
                      span_text(band.years_from, band.years_to))


def band_short_label(band: payroll.RateBand) -> str:
    """Describe a band briefly, e.g. '15–17 år/2+ år' (as RateBand.short_label)."""
    return _("%(ages)s år/%(years)s år", ages=span_text(band.age_from, band.age_to),
             years=span_text(band.years_from, band.years_to))


def line_band_label(line: payroll.PayLine) -> str:
    """Describe the band that priced a pay line; a line that kept no bounds shows its words."""
    if line.band_age_from is None or line.band_years_from is None:
        return line.band_label
    return _band_text(span_text(line.band_age_from, line.band_age_to),
                      span_text(line.band_years_from, line.band_years_to))


def version_title(effective_from: date, label: str = "") -> str:
    """Name a version, e.g. 'Exempelvärden (från 2024-08-01)' (as services.version_title)."""
    start = effective_from.isoformat()
    if label:
        return _("%(label)s (från %(day)s)", label=label, day=start)
    return _("Tabell från %(day)s", day=start)
