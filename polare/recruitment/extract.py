"""The recruitment part of a registerutdrag: applications and consent links (GDPR art. 15)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exports.xlsx import Sheet
from polare.auth.services import usernames_by_id
from polare.recruitment.models import Application, ConsentRequest
from polare.roster.models import Enrolment

#: Consent link states as the extract names them (stored data is in Swedish).
_STATES = {"sent": "skickad", "opened": "öppnad", "consented": "samtycke",
           "withdrawn": "återkallad"}


def recruitment_sheets(session: Session, person_id: int) -> list[Sheet]:
    """Return the sheets of the person's applications and guardians' consent links."""
    applications = session.scalars(
        select(Application).join(Application.enrolment).where(Enrolment.person_id == person_id)
        .options(joinedload(Application.enrolment).joinedload(Enrolment.team))
        .order_by(Application.submitted_at, Application.id)).all()
    requests = session.scalars(
        select(ConsentRequest).join(ConsentRequest.enrolment)
        .where(Enrolment.person_id == person_id)
        .options(joinedload(ConsentRequest.guardian))
        .order_by(ConsentRequest.created_at, ConsentRequest.id)).all()
    users = usernames_by_id(session, [*(a.seen_by_id for a in applications),
                                      *(r.created_by_id for r in requests)])
    return [
        Sheet("Ansökningar",
              ("Inskickad (UTC)", "Team", "Förnamn", "Efternamn", "Telefon", "E-post", "Skola",
               "Varför", "Integritetstext", "Vårdnadshavare", "Vårdnadshavarens telefon",
               "Vårdnadshavarens e-post", "Läst (UTC)", "Läst av"),
              [(a.submitted_at, a.enrolment.team.name, a.first_name, a.last_name, a.phone,
                a.email, a.school, a.motivation, a.privacy_notice_version, a.guardian_name,
                a.guardian_phone, a.guardian_email, a.seen_at, users.get(a.seen_by_id, ""))
               for a in applications]),
        Sheet("Samtyckeslänkar",
              ("Vårdnadshavare", "E-post", "Status", "Skapad (UTC)", "Skapad av",
               "Giltig till (UTC)", "Skickad med e-post (UTC)", "Fel vid utskick", "Öppnad",
               "Samtycke", "Adress", "Textversion", "Återkallat", "Adress vid återkallande"),
              [(r.guardian.name, r.guardian.email, _STATES[r.status.value], r.created_at,
                users.get(r.created_by_id, ""), r.expires_at, r.mailed_at, r.mail_error,
                r.opened_at, r.consented_at, r.consent_address, r.text_version, r.withdrawn_at,
                r.withdrawn_address) for r in requests]),
    ]
