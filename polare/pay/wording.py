"""The text of payroll's refusals: periods, attestation, rate tables and the workbook.

The pay rules (`payroll/`) refuse with a coded error (`BandError.problem`,
`ClosePeriodError.reason`); `band_refusal` and `close_refusal_of` turn those into this
domain's codes, so a refused rate table or close reads the same on the web, in the CLI and
in an import.
"""

from __future__ import annotations

import payroll
from polare.errors import DomainError
from polare.pay import labels
from polare.wording import N_

MESSAGES = {
    # Periods
    "not_a_month": N_("Perioden %(month)s är ingen månad: skriv år-månad, t.ex. 2026-11."),
    "period_closed": N_("Perioden %(month)s är redan stängd."),
    "period_attested": N_("Perioden %(month)s är attesterad och slutlig."),
    "period_not_closed": N_("Perioden %(month)s är inte stängd."),
    "period_outside": N_("Perioden %(month)s ligger före den första löneperioden %(first)s och "
                         "ingår inte i Polares lönehantering."),
    "no_first_period": N_("Det finns ingen första löneperiod att stänga: ange Första "
                          "löneperiod under Inställningar."),
    "close_out_of_turn": N_("Perioden %(month)s kan inte stängas: perioderna stängs i tur och "
                            "ordning och nästa period att stänga är %(expected)s."),
    "close_not_ended": N_("Perioden %(month)s kan inte stängas förrän månaden är slut."),
    "close_undecided": N_("Arvodestabellen från %(day)s saknar beslut. Registrera beslutet "
                          "under Arvodestabeller innan perioden stängs."),
    "close_errors": N_("Perioden kan inte stängas: %(errors)s"),
    # Lines the pay rules could not compute (payroll.LineError.problem)
    "line_no_rate": N_("Ingen arvodestabell gäller för %(walk)s: lägg in en tabellversion som "
                       "gäller från det datumet eller tidigare"),
    "line_no_band": N_("Tabellen %(version)s har ingen rad för ålder %(age)s med %(years)s år i "
                       "verksamheten (%(walk)s)"),
    "version_from": N_("från %(day)s"),
    "walk_named": N_("nattvandring %(walk)s den %(day)s"),
    "walk_named_of_team": N_("nattvandring %(walk)s den %(day)s, team %(team)s"),
    "lines_changed": N_("Underlaget har ändrats sedan du granskade det. Granska perioden igen "
                        "och stäng sedan."),
    # Attesting and reopening
    "no_attest_right": N_("%(name)s har inte attesträtt."),
    "closed_by_nobody": N_("Perioden %(month)s stängdes utan namngiven användare och kan inte "
                           "attesteras: öppna den igen och låt en namngiven användare stänga "
                           "den."),
    "attest_by_closer": N_("Perioden %(month)s ska attesteras av en annan person än den som "
                           "stängde den."),
    "reopen_reason_missing": N_("Ange varför perioden öppnas igen."),
    "reopen_out_of_turn": N_("Perioden %(month)s kan inte öppnas igen: öppna först "
                             "%(latest)s."),
    "reopen_not_allowed": N_("Bara den som stängde perioden eller en attestant kan öppna den "
                             "igen."),
    # Rate tables
    "version_not_found": N_("Tabellversionen finns inte."),
    "no_version_from": N_("Det finns ingen tabellversion som gäller från %(day)s."),
    "no_rows": N_("Lägg in minst en rad i tabellen."),
    "age_negative": N_("Raden %(band)s: åldern kan inte vara negativ."),
    "years_below_one": N_("Raden %(band)s: år i verksamheten börjar på 1."),
    "amount_too_large": N_("Beloppet för %(band)s är för stort."),
    "version_date_taken": N_("Det finns redan en tabellversion som gäller från %(day)s."),
    "version_used": N_("Versionen har använts i en stängd period och kan inte ändras: en "
                       "rättelse görs som en ny version från ett senare datum."),
    "reference_missing": N_("Ange beslutets diarienummer eller referens."),
    "reference_too_long": N_("Beslutets referens får vara högst 120 tecken."),
    "decision_used": N_("Arvodestabellen från %(day)s har använts i en stängd period: dess "
                        "beslut kan inte ändras."),
    "index_not_later": N_("Den nya versionen måste gälla från ett senare datum än %(day)s."),
    "nothing_to_index": N_("Ingen tabellversion gäller %(day)s: det finns inget att räkna upp."),
    # Rate tables refused by the pay rules (payroll.BandError.problem)
    "band_negative": N_("Beloppet för %(band)s får inte vara negativt."),
    "band_decimals": N_("Beloppet för %(band)s får ha högst två decimaler."),
    "band_ages_reversed": N_("Raden %(band)s: åldern börjar efter att den slutar."),
    "band_years_reversed": N_("Raden %(band)s: åren börjar efter att de slutar."),
    "band_overlap": N_("Raderna %(first)s och %(second)s överlappar (ålder %(age)s, år "
                       "%(years)s)."),
    "band_gap": N_("Ingen rad täcker ålder %(age)s med %(years)s år i verksamheten."),
    "band_index_too_low": N_("Uppräkningen får inte vara lägre än %(limit)s."),
}


def band_refusal(error: payroll.BandError, *, field: str) -> DomainError:
    """Return the refusal of a rate table the pay rules refused, for the form field."""
    bands = [labels.band_short_label(band) for band in error.bands]
    values: dict[str, object]
    match error.problem:
        case "overlap":
            values = {"first": bands[0], "second": bands[1], "age": error.age,
                      "years": error.years}
        case "gap":
            values = {"age": error.age, "years": error.years}
        case "index_too_low":
            values = {"limit": "-100 %"}
        case _:
            values = {"band": bands[0]}
    return DomainError(f"pay.band_{error.problem}", field=field, **values)


def line_error_text(error: str) -> str:
    """Word an error of PeriodResult.errors in the reader's language (LineError by its code)."""
    if not isinstance(error, payroll.LineError):
        return str(error)
    values = dict(error.values)
    walk = DomainError("pay.walk_named_of_team" if values.get("team") else "pay.walk_named",
                       walk=values.pop("walk"), day=values.pop("day"),
                       team=values.pop("team")).message
    person = values.pop("person", "")
    if "version_from" in values:
        day = values.pop("version_from")
        values["version"] = values["version"] or DomainError("pay.version_from", day=day).message
    if error.problem == "no_band" and person:
        walk = f"{walk}, {person}"
    return DomainError(f"pay.line_{error.problem}", walk=walk, **values).message


class _LineErrorsText:
    """A result's errors, worded and joined when the refusal naming them is read."""

    def __init__(self, errors: tuple[str, ...]) -> None:
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(line_error_text(error) for error in self.errors)


def close_refusal_of(error: payroll.ClosePeriodError, month: str,
                     result: payroll.PeriodResult) -> DomainError:
    """Return the refusal of a month the pay rules will not close now."""
    match error.reason:
        case "closed":
            return DomainError("pay.period_closed", month=month)
        case "no_first_period":
            return DomainError("pay.no_first_period")
        case "out_of_turn":
            return DomainError("pay.close_out_of_turn", month=month,
                               expected=error.expected)
        case "not_ended":
            return DomainError("pay.close_not_ended", month=month)
        case "undecided":
            return DomainError("pay.close_undecided",
                               day=error.version.effective_from.isoformat())
    return DomainError("pay.close_errors", errors=_LineErrorsText(result.errors))
