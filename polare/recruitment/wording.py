"""The text of recruitment's refusals: the public application and guardian consent links."""

from flask_babel import lazy_gettext as _l

from polare.wording import N_

MESSAGES = {
    "closed": N_("Det går inte att söka just nu: inget läsår är öppet."),
    "age_outside_band": N_("Du behöver vara %(min)s–%(max)s år under läsåret %(year)s."),
    "guardian_email_missing": N_("Skriv din vårdnadshavares e-postadress."),
    "choose_guardian": N_("Välj en av personens vårdnadshavare."),
    "guardian_without_email": N_("%(name)s saknar e-postadress."),
    "enrolment_closed": N_("Anmälan är avslutad eller avböjd: ingen samtyckeslänk behövs."),
    "guardian_consented": N_("%(name)s har redan samtyckt via länk."),
    "link_used": N_("Samtycket är redan lämnat med den här länken."),
    "link_withdrawn": N_("Samtycket är återkallat. Länken kan inte användas igen."),
    "link_expired": N_("Länken har gått ut. Be samordnaren om en ny."),
    "consent_not_needed": N_("Anmälan är inte längre aktuell: inget samtycke behövs."),
    "nothing_to_withdraw": N_("Det finns inget samtycke att återkalla med den här länken."),
}

#: The motivation's name in the refusals of its text (roster's `clean_text`), worded when read.
MOTIVATION_LABEL = _l("Varför vill du bli polare?")
