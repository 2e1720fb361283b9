"""The text of the walks' refusals: planning, logging, status moves and incident categories."""

from flask_babel import lazy_gettext as _l

from polare.walks.models import WalkStatus
from polare.wording import N_

#: The statuses as refusals name them ("En %(old)s nattvandring"), translated when worded.
#: Spreadsheets write them in Swedish: see polare.imports.walk_rows.STATUS_WORDS.
STATUS_LABELS = {
    WalkStatus.PLANNED: _l("planerad"),
    WalkStatus.COMPLETED: _l("genomförd"),
    WalkStatus.APPROVED: _l("godkänd"),
    WalkStatus.CANCELLED: _l("inställd"),
}

MESSAGES = {
    # A walk and who may change it.
    "not_found": N_("Nattvandringen finns inte."),
    "payroll_cannot_change": N_("Lön kan inte ändra nattvandringar."),
    "conflict": N_("Någon annan har ändrat nattvandringen sedan du öppnade den. Dina uppgifter "
                   "finns kvar nedan men är inte sparade: öppna nattvandringen igen för att se "
                   "ändringarna."),
    "cancelled": N_("Nattvandringen är inställd och kan inte ändras."),
    "status_move": N_("En %(old)s nattvandring kan inte bli %(new)s."),
    # Planning.
    "district_required": N_("Välj en stadsdel."),
    "meeting_point_too_long": N_("Mötesplatsen får vara högst 160 tecken."),
    "series_reversed": N_("Sista datum kan inte vara före första datum."),
    "weekdays_required": N_("Välj minst en veckodag."),
    "series_without_dates": N_("Inga av de valda veckodagarna finns mellan datumen."),
    "series_too_long": N_("En serie kan ha högst %(n)s nattvandringar; den här blir "
                          "%(count)s."),
    "series_conflicts": N_("Serien planerades inte: %(n)s av %(total)s datum krockar med "
                           "reglerna."),
    "team_fixed": N_("En nattvandrings team kan inte ändras; ställ in den och planera en ny i "
                     "stället."),
    # The rules of a walk.
    "too_long": N_("En nattvandring får vara högst 12 timmar; %(start)s–%(end)s blir "
                   "%(hours)s timmar. En sluttid före starttiden räknas som nästa morgon."),
    "counts_incomplete": N_("Fyll i både mötta ungdomar och ungdomar ni pratat med."),
    "met_negative": N_("Antalet mötta ungdomar kan inte vara negativt."),
    "talked_negative": N_("Antalet ungdomar ni pratat med kan inte vara negativt."),
    "talked_more_than_met": N_("Ni kan inte ha pratat med fler ungdomar (%(talked)s) än ni "
                               "mötte (%(met)s)."),
    "staff_required": N_("Minst en personal måste vara ansvarig för nattvandringen."),
    "staff_unknown": N_("En vald personal finns inte."),
    "staff_not_allowed": N_("%(name)s kan inte vara ansvarig personal för det här teamets "
                            "nattvandringar."),
    "outside_actor_teams": N_("%(names)s är inte aktiv i något av dina team %(day)s. En polare "
                              "från ett annat team kan bara läggas till av någon som arbetar "
                              "med båda teamen."),
    "no_active_enrolment": N_("%(names)s har ingen aktiv inskrivning %(day)s och kan inte gå "
                              "nattvandringen."),
    "overlap": N_("%(name)s är redan med på en nattvandring som överlappar: %(day)s "
                  "%(start)s–%(end)s (%(team)s)."),
    "overlap_more": N_("Ytterligare %(n)s polare krockar."),
    # Logging and status moves.
    "incidents_negative": N_("Antalet händelser kan inte vara negativt."),
    "incident_category_unknown": N_("En händelsekategori finns inte."),
    "already_on_walk": N_("%(names)s är redan med på nattvandringen."),
    "attendance_unmarked": N_("Markera närvarande eller frånvarande för %(names)s."),
    "counts_missing": N_("Fyll i hur många ungdomar ni mötte och pratade med."),
    "attendance_not_on_walk": N_("En polare i närvarolistan är inte med på nattvandringen."),
    "note_too_long": N_("Anteckningen får vara högst %(n)s tecken."),
    "complete_not_planned": N_("Bara planerade nattvandringar kan markeras som genomförda."),
    "not_started": N_("Nattvandringen har inte börjat än (%(start)s) och kan inte markeras "
                      "som genomförd."),
    "approve_not_completed": N_("Bara genomförda nattvandringar kan godkännas."),
    "training_unconfirmed": N_("%(names)s saknar obligatorisk utbildning. Bekräfta att du "
                               "godkänner nattvandringen ändå."),
    "send_back_not_approved": N_("Bara godkända nattvandringar kan skickas tillbaka."),
    # Incident categories.
    "category_name_taken": N_("Det finns redan en händelsekategori som heter %(name)s."),
}
