"""Incident categories: the reference data a walk log counts incidents by (SPEC §5)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.audit.services import changes_between, record, snapshot
from polare.errors import DomainError
from polare.walks.models import IncidentCategory

CATEGORY_FIELDS = ("name", "name_en", "active", "sort_order")


def all_categories(session: Session) -> list[IncidentCategory]:
    """Return every incident category, in use or not, in display order."""
    return list(session.scalars(
        select(IncidentCategory).order_by(IncidentCategory.sort_order, IncidentCategory.name)))


def save_incident_category(
    session: Session, actor: Any, category: IncidentCategory | None, *, name: str,
    name_en: str, active: bool, sort_order: int,
) -> IncidentCategory:
    """Create or change an incident category; names are unique (ignoring case)."""
    name = name.strip()
    # Compared in Python: SQLite's lower() leaves Å, Ä and Ö as they are (the table is small).
    clash = next((c for c in all_categories(session) if c.name.casefold() == name.casefold()),
                 None)
    if clash is not None and clash is not category:
        raise DomainError("walks.category_name_taken", field="name", name=name)
    is_new = category is None
    category = category or IncidentCategory(name=name)
    before = {} if is_new else snapshot(category, CATEGORY_FIELDS)
    category.name, category.name_en = name, name_en.strip()
    category.active, category.sort_order = active, sort_order
    session.add(category)
    session.flush()
    record(session, actor, "create" if is_new else "update", "incident_category", category.id,
           changes=changes_between(before, snapshot(category, CATEGORY_FIELDS)))
    return category
