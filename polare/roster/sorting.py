"""Swedish alphabetical order as a plain sort key, so lists sort in SQL on any database.

Swedish puts Å, Ä and Ö after Z (in that order), sorts accented letters as their base letter
(é as e) and Ü as Y. The key spells every letter as a two-digit code: strings of digits compare
alike under SQLite's byte order and every PostgreSQL collation, so `ORDER BY sort_key` gives
the Swedish order with pagination, whatever collation the database was created with.
"""

from __future__ import annotations

import string
import unicodedata

#: The code between last and first name; below every letter, so "Ek" sorts before "Eka".
_NAME_BREAK = "00"
#: The code of a space or hyphen inside a name: "Lind Berg" before "Lindberg".
_WORD_BREAK = "01"

_ALPHABET = string.digits + string.ascii_lowercase + "åäö"
_CODES = {letter: f"{index + 10:02d}" for index, letter in enumerate(_ALPHABET)}

#: Letters that Swedish sorts as another letter or as two letters.
_SWEDISH_EQUIVALENTS = {
    "æ": "ä",
    "ø": "ö",
    "ü": "y",
    "ß": "ss",
    "œ": "oe",
    "ð": "d",
    "đ": "d",
    "þ": "th",
    "ł": "l",
    "ı": "i",
}

#: Longest key the column holds (Person.sort_key is String(200)).
MAX_KEY_LENGTH = 200


def _letters(text: str) -> str:
    """Return the text in lower case with foreign letters mapped to their Swedish order."""
    out = []
    for char in unicodedata.normalize("NFC", text).lower():
        for mapped in _SWEDISH_EQUIVALENTS.get(char, char):
            if mapped in "åäö":
                out.append(mapped)
            else:
                # Drop accents: é -> e, ç -> c, ñ -> n (NFKD splits the letter from its mark).
                out.extend(c for c in unicodedata.normalize("NFKD", mapped)
                           if not unicodedata.combining(c))
    return "".join(out)


def _name_key(name: str) -> str:
    """Encode one name; spaces and hyphens become a word break, other signs are ignored."""
    codes: list[str] = []
    for char in _letters(name.strip()):
        if char in _CODES:
            codes.append(_CODES[char])
        elif (char.isspace() or char in "-‐–") and codes and codes[-1] != _WORD_BREAK:
            codes.append(_WORD_BREAK)
    if codes and codes[-1] == _WORD_BREAK:
        codes.pop()
    return "".join(codes)


def swedish_sort_key(last_name: str, first_name: str) -> str:
    """Return the key that sorts persons by last name, then first name, in Swedish order."""
    key = _name_key(last_name) + _NAME_BREAK + _name_key(first_name)
    return key[:MAX_KEY_LENGTH]
