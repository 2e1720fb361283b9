"""The text of the roster's refusals: persons, guardians, enrolments and their identity checks."""

from polare.wording import N_

MESSAGES = {
    # Identity: personnummer, phone numbers and free text (polare.roster.identity).
    "personnummer_form": N_("Personnumret ska ha formen ÅÅÅÅMMDD-NNNN"),
    "personnummer_no_such_day": N_("Datumet %(day)s finns inte"),
    "personnummer_check_digit": N_("Kontrollsiffran stämmer inte (ska vara %(digit)s)"),
    "personnummer_in_future": N_("Födelsedatumet %(day)s ligger i framtiden"),
    "phone_missing": N_("Telefonnummer saknas"),
    "phone_characters": N_("Telefonnumret '%(number)s' får bara innehålla siffror"),
    "phone_invalid": N_("'%(number)s' är inget giltigt telefonnummer"),
    "text_control_characters": N_("Fältet %(field)s innehåller otillåtna tecken"),
    "text_too_long": N_("%(field)s får vara högst %(n)s tecken."),
    # Persons and guardians.
    "unknown_person": N_("Okänd polare"),
    "person_exists": N_("Personnumret %(number)s är redan registrerat i Polare."),
    "personnummer_just_taken": N_("Personnumret %(number)s registrerades nyss av någon annan. "
                                  "Sök fram personen i stället."),
    "phone_required": N_("Skriv ett telefonnummer."),
    "email_invalid": N_("E-postadressen %(email)s är inte giltig."),
    "name_missing": N_("Skriv %(field)s."),
    "prior_years_range": N_("Tidigare år måste vara mellan 0 och %(n)s."),
    "guardian_gave_consent": N_("%(name)s har lämnat samtycke för en anmälan och kan inte tas "
                                "bort. Ändra uppgifterna i stället."),
    # Enrolments.
    "enrolment_not_found": N_("Anmälan finns inte."),
    "transition_refused": N_("Anmälan är %(old)s och kan inte bli %(new)s."),
    "outside_school_year": N_("%(day)s ligger utanför läsåret %(year)s (%(start)s – %(end)s)."),
    "too_young": N_("Åldern %(age)s är under %(limit)s den %(day)s."),
    "too_old": N_("Åldern %(age)s är över %(limit)s den %(day)s."),
    "consent_missing": N_("Samtycke från vårdnadshavare saknas: %(name)s är %(age)s år den "
                          "%(day)s."),
    "consent_dated_later": N_("Samtycke från vårdnadshavare saknas den %(day)s: samtycket är "
                              "daterat %(dated)s."),
    "active_elsewhere": N_("%(name)s är redan aktiv i %(team)s %(year)s."),
    "active_in_other_team": N_("%(name)s är redan aktiv i ett annat team %(year)s."),
    "cap_reached": N_("%(team)s har redan %(n)s aktiva polare %(year)s."),
    "end_reason_missing": N_("Skriv varför anmälan avslutas."),
    "end_before_activation": N_("Slutdatumet kan inte vara före aktiveringsdatumet %(day)s."),
    "consent_not_open": N_("Anmälan är %(status)s: samtycke kan inte registreras."),
    "consent_guardian_unknown": N_("Välj en av personens vårdnadshavare."),
    "guardian_without_phone": N_("%(name)s saknar telefonnummer."),
    "consent_in_future": N_("Samtycket kan inte vara daterat i framtiden."),
    "consent_after_activation": N_("Anmälan är aktiv sedan %(day)s: samtycket måste vara "
                                   "daterat senast då."),
    "team_inactive": N_("Välj ett aktivt team."),
    "school_year_missing": N_("Välj ett läsår."),
    "already_enrolled": N_("%(name)s är redan anmäld till %(team)s %(year)s."),
    # Next school year.
    "later_year_needed": N_("Välj ett senare läsår att fortsätta till."),
    "no_polare_chosen": N_("Välj minst en polare."),
    "not_active_last_year": N_("Bara polare som var aktiva i teamet %(year)s kan väljas."),
    "enrolled_next_year": N_("%(name)s är redan anmäld %(year)s."),
}
