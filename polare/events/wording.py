"""The text of the events domain's refusals: event types, events, invitations and attendance."""

from flask_babel import lazy_gettext as _l

from polare.wording import N_

MESSAGES = {
    "event_type_name_taken": N_("Det finns redan en aktivitetstyp som heter %(name)s."),
    "event_not_found": N_("Aktiviteten finns inte."),
    "team_not_found": N_("Teamet finns inte."),
    "own_teams_only": N_("Du kan bara planera aktiviteter för dina egna team."),
    "organiser_only": N_("Bara teamet som arrangerar aktiviteten kan ändra eller ställa in "
                         "den."),
    "choose_organiser": N_("Välj ett av dina team som arrangör."),
    "choose_active_type": N_("Välj en aktivitetstyp som används."),
    "end_before_start": N_("Sluttiden måste vara efter starttiden."),
    "date_outside_school_years": N_("Datumet %(day)s ligger inte i något läsår. Välj ett datum "
                                    "i ett läsår som finns, eller be en administratör lägga upp "
                                    "läsåret."),
    "cancelled_unchangeable": N_("Aktiviteten är inställd och kan inte ändras."),
    "invited_other_year": N_("Aktiviteten har inbjudna polare och kan inte flyttas till ett "
                             "annat läsår."),
    "invitees_outside_team": N_("%(n)s inbjudna har ingen plats i det valda teamet. Ta bort dem "
                                "från aktiviteten först."),
    "already_cancelled": N_("Aktiviteten är redan inställd."),
    "attendance_recorded": N_("Aktiviteten har registrerad närvaro och kan inte ställas in."),
    "cancelled": N_("Aktiviteten är inställd."),
    "choose_invitees": N_("Välj minst en person att bjuda in."),
    "invitees_without_place": N_("%(n)s av de valda har ingen plats i %(team)s läsåret %(year)s "
                                 "och kan inte bjudas in."),
    "not_invited": N_("Personen är inte inbjuden till aktiviteten."),
    "invitation_marked": N_("Närvaron är redan registrerad; inbjudan kan inte tas bort."),
    "choose_mark": N_("Välj deltog eller frånvarande."),
    "too_early_to_mark": N_("Närvaro kan registreras från och med aktivitetens dag (%(day)s)."),
}

#: The `team` of "events.invitees_without_place" at an all-team event, worded when it is read.
ANY_OF_YOUR_TEAMS = _l("något av dina team")
