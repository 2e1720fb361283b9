"""Incident categories of SPEC §5, seeded idempotently."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.audit.services import record
from polare.walks.models import IncidentCategory

#: (Swedish name, English name)
INCIDENT_CATEGORIES = (
    ("Oro / social oro", "Unrest / social unrest"),
    ("Bråk", "Fights"),
    ("Skadegörelse", "Vandalism"),
    ("Alkohol / droger", "Alcohol / drugs"),
    ("Stöttat ungdom", "Supported a young person"),
    ("Kontakt med polis", "Contact with police"),
    ("Kontakt med föräldrar", "Contact with parents"),
)


def seed_incident_categories(session: Session) -> list[str]:
    """Create the missing incident categories; return their names."""
    created = []
    for order, (name, name_en) in enumerate(INCIDENT_CATEGORIES):
        if session.scalar(select(IncidentCategory.id).where(IncidentCategory.name == name)):
            continue
        category = IncidentCategory(name=name, name_en=name_en, sort_order=order)
        session.add(category)
        session.flush()
        record(session, None, "create", "incident_category", category.id,
               changes={"name": [None, name], "name_en": [None, name_en]})
        created.append(f"händelsekategori {name}")
    return created
