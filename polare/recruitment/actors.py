"""Who the audit log names when nobody is logged in: the public form, or a guardian's link."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnonymousActor:
    """An actor without a user account; `username` is what the audit entry says."""

    username: str
    id: None = None


#: Changes made by the public application form (/ansok).
PUBLIC_FORM = AnonymousActor("ansökningsformulär")
#: Changes made by a guardian through a consent link.
GUARDIAN_LINK = AnonymousActor("vårdnadshavare (länk)")
