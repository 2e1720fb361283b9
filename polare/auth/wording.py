"""The text of the users' refusals: logins, passwords, roles and teams."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import ngettext

from polare.wording import N_

MESSAGES = {
    "wrong_credentials": N_("Fel användarnamn eller lösenord."),
    "wrong_current_password": N_("Nuvarande lösenord är fel."),
    "same_password": N_("Välj ett annat lösenord än det nuvarande."),
    "password_too_short": N_("Lösenordet måste ha minst %(n)s tecken."),
    "password_is_username": N_("Lösenordet får inte vara användarnamnet."),
    "password_too_common": N_("Lösenordet är för vanligt och lätt att gissa. Välj ett annat, "
                              "gärna en fras av flera ord."),
    "team_not_found": N_("Teamet '%(name)s' finns inte."),
    "team_required": N_("En samordnare eller handledare måste ha minst ett team."),
    "username_required": N_("Användarnamn krävs."),
    "username_taken": N_("Användarnamnet '%(username)s' är upptaget."),
    "own_role_or_active": N_("Du kan inte ändra din egen roll eller inaktivera dig själv."),
    "no_such_username": N_("Det finns ingen användare %(username)s."),
    "user_not_found": N_("Användaren finns inte."),
}


def _logins_locked(num: int) -> str:
    return ngettext("För många misslyckade inloggningar. Försök igen om %(num)s minut.",
                    "För många misslyckade inloggningar. Försök igen om %(num)s minuter.", num)


def _passwords_locked(num: int) -> str:
    return ngettext("För många felaktiga lösenord. Försök igen om %(num)s minut.",
                    "För många felaktiga lösenord. Försök igen om %(num)s minuter.", num)


#: Refusals whose text depends on a count of minutes (`num`): singular or plural.
COUNTED: dict[str, Callable[[int], str]] = {
    "logins_locked": _logins_locked,
    "passwords_locked": _passwords_locked,
}


def word_counted(code: str, num: int) -> str:
    """Return the text of a counted refusal in the reader's language."""
    return COUNTED[code.partition(".")[2]](num)
