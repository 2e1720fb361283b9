"""Demo data of the payroll: an example rate table, clearly labelled as example values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

import payroll
from polare.org.services import get_settings
from polare.pay.models import RateVersion
from polare.pay.services import decide_rate_version, save_rate_version

EXAMPLE_FROM = date(2024, 8, 1)
EXAMPLE_LABEL = "Exempelvärden"
EXAMPLE_NOTE = (
    "Exempelvärden för att prova appen, inte kommunens beslutade arvoden. "
    "Lägg in de beslutade beloppen som en ny version innan den första perioden stängs."
)
EXAMPLE_LABEL_EN = "Example values"
EXAMPLE_NOTE_EN = (
    "Example values for trying the app, not the municipality's decided stipends. "
    "Enter the decided amounts as a new version before the first period is closed."
)
#: The demo's stand-in decision, so months can be closed and attested when trying the app.
DEMO_DECISION = "DEMO: inget riktigt beslut"
#: (age_to, years_from, years_to, amount) below and from 18 years of age.
_YOUNGER = ((1, 1, "200"), (2, 2, "230"), (3, None, "260"))
_OLDER = ((1, 1, "250"), (2, 2, "280"), (3, None, "310"))


def example_bands(min_age: int) -> tuple[payroll.RateBand, ...]:
    """Return the example bands: under 18 and from 18, by 1, 2 and 3+ years."""
    younger = tuple(payroll.RateBand(min(min_age, 17), 17, years_from, years_to, Decimal(amount))
                    for years_from, years_to, amount in _YOUNGER)
    older = tuple(payroll.RateBand(18, None, years_from, years_to, Decimal(amount))
                  for years_from, years_to, amount in _OLDER)
    return younger + older


def load_demo(session: Session, today: date) -> None:
    """Add the example rate table once, with a demo decision so months can be closed and
    attested; periods are left open so closing can be tried."""
    if session.scalar(select(RateVersion.id).where(RateVersion.effective_from == EXAMPLE_FROM)):
        return
    version = save_rate_version(session, None, None, effective_from=EXAMPLE_FROM,
                                label=EXAMPLE_LABEL, note=EXAMPLE_NOTE,
                                label_en=EXAMPLE_LABEL_EN, note_en=EXAMPLE_NOTE_EN,
                                bands=example_bands(get_settings(session).min_age))
    decide_rate_version(session, None, version.id, reference=DEMO_DECISION,
                        decided_on=EXAMPLE_FROM)
