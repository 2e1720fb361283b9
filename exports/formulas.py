"""The rule that keeps user text from turning into a spreadsheet formula."""

#: A cell whose text starts with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """Return whether a spreadsheet program could read `text` as a formula."""
    return text.startswith(FORMULA_PREFIXES)
