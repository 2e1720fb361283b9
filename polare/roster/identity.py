"""Swedish personnummer, phone numbers and free text, checked before they are stored (SPEC §3).

The check digit comes from python-stdnum's Luhn implementation. `stdnum.se.personnummer` itself
is not used to validate because it refuses samordningsnummer (day + 60), reads the real clock,
and picks the century of a 10-digit number from the year alone, so '261201-1234' entered on
2026-03-01 would be someone born nine months later. The century rules here:

* `YYMMDD-NNNN` / `YYMMDDNNNN`: the person is under 100 on `today`, i.e. the latest birth date
  not after `today`.
* `YYMMDD+NNNN`: born in or before the year 100 years ago. Skatteverket changes the separator
  to '+' at the start of the year the person turns 100, so this includes the 99-year-olds whose
  birthday is still to come this year (whose '-' form is accepted too, by the rule above).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers
from stdnum import luhn

from polare.errors import Refusal

_PERSONNUMMER_FORM = re.compile(
    r"(?P<year>\d{2}|\d{4})(?P<month>\d{2})(?P<day>\d{2})(?P<separator>[-+]?)"
    r"(?P<serial>\d{3})(?P<check>\d)"
)
_CANONICAL_FORM = re.compile(r"\d{8}-\d{4}")
#: Samordningsnummer have 60 added to the day of birth.
COORDINATION_DAY_OFFSET = 60
#: Digits and the punctuation people write phone numbers with.
_PHONE_CHARACTERS = re.compile(r"[0-9+()\-./ ]+")
_PHONE_REGION = "SE"


class IdentityError(Refusal, ValueError):
    """A value was refused: a roster code and its values, worded by `polare.roster.wording`.

    `str(error)` is the text in the reader's language, so callers outside the roster (forms,
    importers) show it as they would any `ValueError`. Every keyword is a value of the text
    (some texts name the input as `%(field)s`).
    """

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.values = values


class InvalidPersonnummer(IdentityError):
    """A personnummer was refused; the message says why, in the user's language."""


class InvalidPhoneNumber(IdentityError):
    """A phone number was refused; the message says why, in the user's language."""


class InvalidText(IdentityError):
    """A text field holds characters that are not allowed; the message names the field."""


@dataclass(frozen=True)
class Personnummer:
    """A checked personnummer or samordningsnummer, in the canonical 12-digit form."""

    #: 'YYYYMMDD-NNNN'; for a samordningsnummer DD is the day of birth + 60.
    canonical: str
    birth_date: date
    is_coordination_number: bool


def parse_personnummer(text: str, today: date) -> Personnummer:
    """Check a personnummer or samordningsnummer in any accepted form and return it."""
    match = _PERSONNUMMER_FORM.fullmatch(text.strip())
    if match is None or (len(match["year"]) == 4 and match["separator"] == "+"):
        raise InvalidPersonnummer("roster.personnummer_form")
    month, number_day = int(match["month"]), int(match["day"])
    is_coordination = number_day > COORDINATION_DAY_OFFSET
    day = number_day - COORDINATION_DAY_OFFSET if is_coordination else number_day
    year = int(match["year"])
    if len(match["year"]) == 2:
        year = _full_year(year, month, day, plus=match["separator"] == "+", today=today)
    try:
        birth_date = date(year, month, day)
    except ValueError:
        raise InvalidPersonnummer("roster.personnummer_no_such_day",
                                  day=f"{year:04d}-{month:02d}-{day:02d}") from None
    nine_digits = f"{year % 100:02d}{month:02d}{number_day:02d}{match['serial']}"
    expected = luhn.calc_check_digit(nine_digits)
    if match["check"] != expected:
        raise InvalidPersonnummer("roster.personnummer_check_digit", digit=expected)
    if birth_date > today:
        raise InvalidPersonnummer("roster.personnummer_in_future",
                                  day=birth_date.isoformat())
    return Personnummer(
        canonical=f"{year:04d}{nine_digits[2:6]}-{match['serial']}{match['check']}",
        birth_date=birth_date,
        is_coordination_number=is_coordination,
    )


def _full_year(two_digits: int, month: int, day: int, *, plus: bool, today: date) -> int:
    """Return the birth year of a 10-digit number by the century rules of the module docstring."""
    if plus:
        latest = today.year - 100
    elif (month, day) > (today.month, today.day):
        latest = today.year - 1
    else:
        latest = today.year
    return latest - (latest - two_digits) % 100


def mask_personnummer(canonical: str) -> str:
    """Return a canonical personnummer with its last four digits hidden: 'YYYYMMDD-****'."""
    if not _CANONICAL_FORM.fullmatch(canonical):
        raise ValueError(f"Not a canonical personnummer: {canonical!r}")
    return f"{canonical[:8]}-****"


def normalise_phone(text: str) -> str:
    """Return a phone number in E.164 form ('+46701234567'); national numbers are Swedish."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidPhoneNumber("roster.phone_missing")
    if not _PHONE_CHARACTERS.fullmatch(cleaned):
        raise InvalidPhoneNumber("roster.phone_characters", number=cleaned)
    try:
        number = phonenumbers.parse(cleaned, _PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("roster.phone_invalid", number=cleaned)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone_se(e164: str) -> str:
    """Return a stored E.164 number as Swedes write it: '070-123 45 67' (foreign: '+47 …')."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"'{e164}' är inget telefonnummer i E.164-form") from error
    if phonenumbers.region_code_for_number(number) == _PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_text(value: str, field_label: str, *, multiline: bool = False) -> str:
    """Return `value` stripped, refusing control characters (line breaks only if `multiline`).

    Line breaks of a multi-line value come back as '\\n' (browsers send '\\r\\n').
    """
    text = value.strip()
    if multiline:
        text = text.replace("\r\n", "\n")
    allowed = {"\n"} if multiline else set()
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in text):
        raise InvalidText("roster.text_control_characters", field=field_label)
    return text
