"""Incident categories of SPEC §5, seeded idempotently."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.audit.services import record
from polare.walks.models import IncidentCategory

INCIDENT_CATEGORIES = (
    "Oro / social oro",
    "Bråk",
    "Skadegörelse",
    "Alkohol / droger",
    "Stöttat ungdom",
    "Kontakt med polis",
    "Kontakt med föräldrar",
)


def seed_incident_categories(session: Session) -> list[str]:
    """Create the missing incident categories; return their names."""
    created = []
    for order, name in enumerate(INCIDENT_CATEGORIES):
        if session.scalar(select(IncidentCategory.id).where(IncidentCategory.name == name)):
            continue
        category = IncidentCategory(name=name, sort_order=order)
        session.add(category)
        session.flush()
        record(session, None, "create", "incident_category", category.id,
               changes={"name": [None, name]})
        created.append(f"händelsekategori {name}")
    return created
