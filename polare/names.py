"""Reference data named in Swedish and English: the name shown follows the user's language."""

from __future__ import annotations

from flask import has_app_context
from flask_babel import get_locale
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


def current_language() -> str:
    """Return the language of the current request ('sv' outside one)."""
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else "sv"


def localized(name: str, name_en: str) -> str:
    """Return the English name to an English reader when there is one, else the Swedish."""
    return name_en if name_en and current_language() == "en" else name


class TranslatedName:
    """A mixin for reference data: `name` is Swedish, `name_en` English (empty: not set)."""

    #: The English name; empty means the Swedish name is shown in English too.
    name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")

    @property
    def label(self) -> str:
        """Return the name in the user's language."""
        return localized(self.name, self.name_en)  # type: ignore[attr-defined]
