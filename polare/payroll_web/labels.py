"""Rate bands and rate table versions named as the pages show them, in the user's language.

The pay rules (payroll/) name bands in Swedish, e.g. '15–17 år, 1 år i verksamheten', and that
Swedish text is what pay lines store and what the payroll file holds. The pages say the same
through gettext here; with Swedish chosen (or outside a request) the text is the pay rules'
own, character for character.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _

import payroll

#: A span as the pay rules write it: '15–17', '18+' or '3'.
_SPAN = r"\d+(?:–\d+|\+)?"
#: A band label as payroll.RateBand.label writes it (and pay lines store it).
_STORED_BAND = re.compile(rf"(?P<ages>{_SPAN}) år, (?P<years>{_SPAN}) år i verksamheten")
#: A version name as services.rates.version_title writes it.
_DATED_VERSION = re.compile(r"Tabell från (?P<day>\d{4}-\d{2}-\d{2})")
_LABELLED_VERSION = re.compile(r"(?P<label>.+) \(från (?P<day>\d{4}-\d{2}-\d{2})\)", re.DOTALL)


def _span(low: int, high: int | None) -> str:
    """Write an inclusive range as the pay rules do: '15–17', '18+' or '3'."""
    if high is None:
        return f"{low}+"
    if high == low:
        return str(low)
    return f"{low}–{high}"


def _band_text(ages: str, years: str) -> str:
    return _("%(ages)s år, %(years)s år i verksamheten", ages=ages, years=years)


def band_label(band: payroll.RateBand) -> str:
    """Describe a band, e.g. '15–17 år, 1 år i verksamheten' (as RateBand.label)."""
    return _band_text(_span(band.age_from, band.age_to), _span(band.years_from, band.years_to))


def band_short_label(band: payroll.RateBand) -> str:
    """Describe a band briefly, e.g. '15–17 år/2+ år' (as RateBand.short_label)."""
    return _("%(ages)s år/%(years)s år", ages=_span(band.age_from, band.age_to),
             years=_span(band.years_from, band.years_to))


def stored_band_label(text: str) -> str:
    """Translate a band label as a pay line stores it; any other text is shown as it is."""
    match = _STORED_BAND.fullmatch(text)
    return _band_text(match["ages"], match["years"]) if match else text


def version_title(effective_from: date, label: str = "") -> str:
    """Name a version, e.g. 'Exempelvärden (från 2024-08-01)' (as services.version_title)."""
    start = effective_from.isoformat()
    if label:
        return _("%(label)s (från %(day)s)", label=label, day=start)
    return _("Tabell från %(day)s", day=start)


def stored_version_title(text: str) -> str:
    """Translate a version name written by services.version_title; other text as it is."""
    if match := _DATED_VERSION.fullmatch(text):
        return _("Tabell från %(day)s", day=match["day"])
    if match := _LABELLED_VERSION.fullmatch(text):
        return _("%(label)s (från %(day)s)", label=match["label"], day=match["day"])
    return text
