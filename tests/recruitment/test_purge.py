"""Retention and the register extract reach what the form and the links stored."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from polare.audit.services import record
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


def test_the_register_extract_holds_the_applications_and_consent_links(db, world):  # noqa: F811
    from polare.recruitment.extract import recruitment_sheets

    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == world.left.id)).one()
    db.add(Application(enrolment_id=enrolment.id, first_name="Elsa", last_name="Slut",
                       motivation="Jag vill hjälpa till i Ryd.", privacy_notice_version="1",
                       guardian_name="Eva Slut", guardian_email="eva@example.se"))
    db.add(ConsentRequest(enrolment_id=enrolment.id, guardian_id=world.left.guardians[0].id,
                          token_hash="1" * 64, expires_at=datetime(2024, 8, 15),
                          status=ConsentRequestStatus.CONSENTED, consent_address="203.0.113.7"))
    db.flush()
    applications, links = recruitment_sheets(db, world.left.id)
    assert [(row[7], row[9], row[11]) for row in applications.rows] == [
        ("Jag vill hjälpa till i Ryd.", "Eva Slut", "eva@example.se")]
    assert [(row[2], row[7]) for row in links.rows] == [("samtycke", "203.0.113.7")]
