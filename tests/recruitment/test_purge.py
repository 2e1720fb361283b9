"""Retention and the register extract reach what the form and the links stored."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from polare.audit.services import record
from polare.auth.models import Role
from polare.privacy import retention
from polare.recruitment.models import Application, ConsentRequest, ConsentRequestStatus
from polare.roster.models import Enrolment
from tests.conftest import TODAY
from tests.privacy.conftest import decision, world  # noqa: F401  (fixtures)


def test_purge_deletes_the_applications_and_consent_links_of_the_person(db, world, decision):  # noqa: F811
    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == world.left.id)).one()
    db.add(Application(enrolment_id=enrolment.id, first_name="Elsa", last_name="Slut",
                       motivation="Jag vill hjälpa till i Ryd.", privacy_notice_version="1"))
    db.add(ConsentRequest(enrolment_id=enrolment.id, guardian_id=world.left.guardians[0].id,
                          token_hash="0" * 64, expires_at=datetime(2024, 8, 15),
                          status=ConsentRequestStatus.CONSENTED, consent_address="203.0.113.7"))
    record(db, None, "create", "consent_request", note="test fixture")
    db.commit()
    retention.run_purge(db, None, on=TODAY)
    db.expire_all()
    assert db.scalar(select(func.count(Application.id))) == 0
    assert db.scalar(select(func.count(ConsentRequest.id))) == 0
    assert db.get(Enrolment, enrolment.id).consent_date == date(2024, 8, 10)


def _by_header(sheet) -> list[dict]:
    return [dict(zip(sheet.headers, row, strict=True)) for row in sheet.rows]


def test_the_register_extract_holds_the_applications_and_consent_links(db, world, make_user):  # noqa: F811
    from polare.recruitment.extract import recruitment_sheets

    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == world.left.id)).one()
    db.add(Application(enrolment_id=enrolment.id, first_name="Elsa", last_name="Slut",
                       motivation="Jag vill hjälpa till i Ryd.", privacy_notice_version="1",
                       seen_at=datetime(2024, 8, 2, 9, 0), seen_by_id=coordinator.id,
                       guardian_name="Eva Slut", guardian_email="eva@example.se"))
    db.add(ConsentRequest(enrolment_id=enrolment.id, guardian_id=world.left.guardians[0].id,
                          token_hash="1" * 64, expires_at=datetime(2024, 8, 15),
                          status=ConsentRequestStatus.CONSENTED, consent_address="203.0.113.7",
                          created_by_id=coordinator.id, mailed_at=datetime(2024, 8, 3, 10, 0)))
    db.flush()
    applications, links = recruitment_sheets(db, world.left.id)
    [application] = _by_header(applications)
    assert application["Varför"] == "Jag vill hjälpa till i Ryd."
    assert (application["Vårdnadshavare"], application["Vårdnadshavarens e-post"]) == (
        "Eva Slut", "eva@example.se")
    assert (application["Läst (UTC)"], application["Läst av"]) == (
        datetime(2024, 8, 2, 9, 0), coordinator.username)
    [link] = _by_header(links)
    assert (link["Status"], link["Adress"]) == ("samtycke", "203.0.113.7")
    assert (link["Skapad av"], link["Skickad med e-post (UTC)"]) == (
        coordinator.username, datetime(2024, 8, 3, 10, 0))
