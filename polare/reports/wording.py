"""The text of the reports' refusals: employer contribution rates and budgets."""

from polare.wording import N_

MESSAGES = {
    "label_missing": N_("Skriv en benämning."),
    "label_invalid": N_("Fältet Benämning innehåller otillåtna tecken"),
    "rate_dates_reversed": N_("Slutdatum kan inte vara före startdatum."),
    "rate_ages_reversed": N_("Övre åldersgränsen kan inte vara lägre än den undre."),
    "rate_percent_range": N_("Avgiften ska vara mellan 0 och 100 procent."),
    "rate_percent_decimals": N_("Avgiften får ha högst två decimaler."),
    "rate_same_start": N_("%(label)s gäller redan från %(day)s för åldrarna %(ages)s: två "
                          "avgifter kan inte börja samma dag för samma ålder."),
    "rate_not_found": N_("Avgiften finns inte."),
    "school_year_not_found": N_("Läsåret finns inte."),
    "budget_negative": N_("Budgeten kan inte vara negativ."),
    "budget_decimals": N_("Budgeten får ha högst två decimaler (öre)."),
}
