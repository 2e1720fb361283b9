"""The text of the organisation's refusals: teams, districts, school years and settings."""

from polare.wording import N_

MESSAGES = {
    "ages_reversed": N_("Lägsta ålder kan inte vara högre än högsta ålder."),
    "first_pay_period_format": N_("Skriv första löneperioden som år-månad, t.ex. 2026-02."),
    "first_pay_period_closed": N_("Första löneperiod kan inte ändras: perioden %(month)s är "
                                  "redan stängd."),
    "team_not_found": N_("Teamet finns inte."),
    "team_name_taken": N_("Det finns redan ett team som heter %(name)s."),
    "district_name_taken": N_("Stadsdelen %(name)s finns redan."),
    "school_year_reversed": N_("Läsåret måste sluta efter att det börjar."),
    "school_year_overlaps": N_("Läsåret överlappar %(label)s (%(start)s – %(end)s)."),
    "school_year_label_taken": N_("Läsåret %(label)s finns redan."),
    "cap_negative": N_("Taket kan inte vara negativt."),
}
