"""The text of the imports' refusals: of the kind, of the file, and of each bad row's cells."""

from polare.wording import N_

MESSAGES = {
    # The kind and the file as a whole.
    "kind_unknown": N_("Importtypen '%(key)s' finns inte. Välj en av: %(keys)s."),
    "kind_not_allowed": N_("Du får inte importera %(kind)s."),
    "too_many_rows": N_("Filen har fler än %(max)s rader; högst %(max)s rader importeras åt "
                        "gången. Dela upp filen."),
    "no_rows": N_("Filen har rubriker men inga rader att importera."),
    "rows_refused": N_("%(bad)s av %(rows)s rader har fel. Ingenting importerades: rätta "
                       "raderna nedan och importera hela filen igen."),
    # A cell that cannot be read.
    "value_missing": N_("Värde saknas"),
    "too_long": N_("Får vara högst %(n)s tecken"),
    "not_a_choice": N_("'%(value)s' ska vara ett av: %(choices)s"),
    "email_invalid": N_("E-postadressen %(address)s är inte giltig"),
    "negative": N_("Får inte vara negativt"),
    "amount_negative": N_("Beloppet får inte vara negativt"),
    "amount_decimals": N_("Beloppet får ha högst två decimaler"),
    "unknown_team": N_("Okänt team '%(name)s'"),
    "unknown_school_year": N_("Okänt läsår '%(label)s' (skrivs t.ex. 2026/27)"),
    "unknown_district": N_("Okänd stadsdel '%(name)s'"),
    "unknown_event_type": N_("Okänd typ '%(name)s'"),
    "unknown_user": N_("Det finns ingen användare '%(name)s'"),
    # A row that breaks a rule of the import.
    "saved_concurrently": N_("Raden kunde inte sparas eftersom någon annan ändrade samma "
                             "uppgifter samtidigt. Importera filen igen."),
    "not_your_team": N_("Du kan bara importera till dina egna team."),
    "unknown_polare": N_("Okänd polare: ingen polare i dina team har personnumret %(number)s. "
                         "Importera polaren först."),
    # Polare and enrolments.
    "start_required": N_("Krävs när status är aktiv."),
    "start_only_when_active": N_("Anges bara när status är aktiv."),
    "guardian_required_for_phone": N_("Krävs när vårdnadshavarens telefon är ifylld."),
    "guardian_required_for_consent": N_("Krävs när samtycke datum är ifyllt."),
    "guardian_phone_required": N_("Krävs när vårdnadshavare är ifylld."),
    "person_differs": N_("Skiljer sig från rad %(row)s för samma personnummer ('%(value)s')."),
    "enrolment_repeated": N_("Samma person, team och läsår finns redan på rad %(row)s."),
    "name_differs": N_("Personnumret tillhör %(name)s i Polare. Rätta raden, eller ändra namnet "
                       "i Polare först om det har ändrats."),
    "name_differs_elsewhere": N_("Personnumret är redan registrerat i Polare med ett annat namn. "
                                 "Rätta raden, eller be teamet som registrerade personen att "
                                 "ändra namnet."),
    "activated_on_other_day": N_("Anmälan blev aktiv %(day)s enligt Polare."),
    "status_already": N_("Anmälan är redan %(status)s i Polare."),
    # Attendance.
    "invitation_repeated": N_("Samma person och aktivitet finns redan på rad %(row)s."),
    # Night walks.
    "walk_rows_differ": N_("Skiljer sig från rad %(row)s ('%(value)s'): raderna för en "
                           "nattvandring ska ha samma %(column)s."),
    "walk_person_repeated": N_("Samma person finns redan på rad %(row)s för den här "
                               "nattvandringen."),
    "walk_exists_differently": N_("Nattvandringen finns redan i Polare med andra uppgifter "
                                  "(%(column)s). Importen ändrar inte befintliga "
                                  "nattvandringar: ändra den i Polare."),
    "walk_person_absent": N_("Personen är inte med på nattvandringen i Polare, och importen "
                             "ändrar inte befintliga nattvandringar."),
    "walk_attendance_differs": N_("Polare har en annan närvaro för personen på "
                                  "nattvandringen."),
    # Stipend rate tables.
    "decisions_differ": N_("Tabellen från %(day)s har olika beslut på olika rader; ange samma "
                           "beslut på varje rad."),
    "decision_date_missing": N_("Ange beslutets datum tillsammans med Beslut."),
    "decision_reference_missing": N_("Ange beslutets referens tillsammans med Beslutsdatum."),
    "version_exists_differently": N_("%(where)s: Polare har redan en tabellversion från det "
                                     "datumet, med andra rader. Importen ändrar inte befintliga "
                                     "versioner."),
}
