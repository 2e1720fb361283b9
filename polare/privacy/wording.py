"""The text of data protection's refusals: retention, registerutdrag, backups and lookups."""

from polare.wording import N_

MESSAGES = {
    "decision_missing": N_("Gallring kräver ett gallringsbeslut. Skriv beslutets diarienummer "
                           "under Administration → Inställningar och försök igen."),
    "plan_changed": N_("Listan över vad som ska gallras har ändrats sedan sidan visades. "
                       "Granska den igen innan du gallrar."),
    "person_not_found": N_("Personen finns inte."),
    "lookup_limit": N_("Du har gjort för många sökningar på personnummer. Försök igen om "
                       "%(n)s minuter."),
    "database_in_memory": N_("Databasen ligger bara i minnet och kan inte säkerhetskopieras."),
    "database_file_missing": N_("Databasfilen %(path)s finns inte."),
    "backup_exists": N_("%(path)s finns redan. Välj ett nytt filnamn."),
    "folder_missing": N_("Mappen %(path)s finns inte."),
    "backup_damaged": N_("Kopian klarade inte integritetskontrollen: %(result)s"),
}
