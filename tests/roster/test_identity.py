"""Personnummer, phone numbers and free text (SPEC §3)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from polare.roster.identity import (
    InvalidPersonnummer,
    InvalidPhoneNumber,
    InvalidText,
    check_text,
    format_phone_se,
    mask_personnummer,
    normalise_phone,
    parse_personnummer,
)

TODAY = date(2026, 11, 24)
#: (today, birth date, 'YYYYMMDD', 'NNNN', is coordination number)
DrawnNumber = tuple[date, date, str, str, bool]


def age_on(birth_date: date, day: date) -> int:
    """Completed years; a 29 February birthday falls on 1 March in other years."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def number_parts(birth_date: date, serial: int, coordination: bool) -> tuple[str, str]:
    """Return ('YYYYMMDD', 'NNNN') of a valid number for `birth_date` and `serial`."""
    day = birth_date.day + 60 if coordination else birth_date.day
    digits = f"{birth_date.year:04d}{birth_date.month:02d}{day:02d}{serial:03d}"
    return digits[:8], f"{serial:03d}{luhn.calc_check_digit(digits[2:])}"


@st.composite
def valid_numbers(draw: st.DrawFn, min_age: int = 0, max_age: int = 150) -> DrawnNumber:
    """Draw a valid number of someone aged `min_age` to `max_age` on a drawn day."""
    today = draw(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
    birth_date = draw(
        st.dates(date(today.year - 151, 1, 1), today).filter(
            lambda born: min_age <= age_on(born, today) <= max_age
        )
    )
    coordination = draw(st.booleans())
    serial = draw(st.integers(0, 999))
    full_date, last_four = number_parts(birth_date, serial, coordination)
    return today, birth_date, full_date, last_four, coordination


def forms(full_date: str, last_four: str, age: int) -> list[str]:
    """Return every accepted way to write the number of someone aged `age`."""
    twelve = [f"{full_date}-{last_four}", f"{full_date}{last_four}"]
    if age >= 100:
        return [*twelve, f"{full_date[2:]}+{last_four}"]
    return [*twelve, f"{full_date[2:]}-{last_four}", f"{full_date[2:]}{last_four}"]


# -- personnummer: properties -------------------------------------------------------------------


@given(valid_numbers())
def test_every_accepted_form_gives_the_canonical_number_and_birth_date(
    number: DrawnNumber,
) -> None:
    today, birth_date, full_date, last_four, coordination = number

    parsed = {
        parse_personnummer(text, today)
        for text in forms(full_date, last_four, age_on(birth_date, today))
    }

    assert len(parsed) == 1
    (person,) = parsed
    assert person.canonical == f"{full_date}-{last_four}"
    assert person.birth_date == birth_date
    assert person.is_coordination_number is coordination


@given(valid_numbers())
def test_canonical_form_round_trips(number: DrawnNumber) -> None:
    today, _, full_date, last_four, _ = number
    canonical = parse_personnummer(f"{full_date}{last_four}", today).canonical

    assert parse_personnummer(canonical, today).canonical == canonical


@given(valid_numbers(), st.integers(1, 9))
def test_any_other_check_digit_is_refused_naming_the_right_one(
    number: DrawnNumber, change: int
) -> None:
    today, _, full_date, last_four, _ = number
    wrong = (int(last_four[3]) + change) % 10

    with pytest.raises(
        InvalidPersonnummer, match=rf"^Kontrollsiffran stämmer inte \(ska vara {last_four[3]}\)$"
    ):
        parse_personnummer(f"{full_date}-{last_four[:3]}{wrong}", today)


@given(valid_numbers(min_age=100))
def test_plus_form_names_someone_a_hundred_or_older(
    number: DrawnNumber,
) -> None:
    today, birth_date, full_date, last_four, _ = number

    person = parse_personnummer(f"{full_date[2:]}+{last_four}", today)

    assert person.birth_date == birth_date
    assert age_on(person.birth_date, today) >= 100


@given(valid_numbers(max_age=99))
def test_short_form_without_plus_names_someone_under_a_hundred(
    number: DrawnNumber,
) -> None:
    today, birth_date, full_date, last_four, _ = number

    person = parse_personnummer(f"{full_date[2:]}{last_four}", today)

    assert person.birth_date == birth_date
    assert age_on(person.birth_date, today) < 100


@given(st.dates(date(2000, 1, 1), date(2100, 12, 30)), st.integers(0, 999))
def test_birth_date_after_today_is_refused(today: date, serial: int) -> None:
    full_date, last_four = number_parts(today + timedelta(days=1), serial, False)

    with pytest.raises(InvalidPersonnummer, match="ligger i framtiden"):
        parse_personnummer(f"{full_date}-{last_four}", today)


# -- personnummer: examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["19121212-1212", "191212121212", " 19121212-1212 ", "121212+1212"]
)
def test_skatteverket_example_number_is_accepted(text: str) -> None:
    person = parse_personnummer(text, TODAY)

    assert (person.canonical, person.birth_date) == ("19121212-1212", date(1912, 12, 12))


@pytest.mark.parametrize(
    ("text", "birth_date"),
    [("811228-9841", date(1981, 12, 28)), ("880320-0016", date(1988, 3, 20))],
)
def test_short_form_picks_the_latest_century_not_after_today(text: str, birth_date: date) -> None:
    assert parse_personnummer(text, TODAY).birth_date == birth_date


def test_short_form_of_a_99_year_old_whose_birthday_is_later_this_year() -> None:
    _, last_four = number_parts(date(1926, 12, 1), 123, False)

    assert parse_personnummer(f"261201-{last_four}", TODAY).birth_date == date(1926, 12, 1)


def test_plus_form_in_the_year_the_person_turns_100_before_the_birthday() -> None:
    _, last_four = number_parts(date(1926, 12, 1), 123, False)

    assert parse_personnummer(f"261201+{last_four}", TODAY).birth_date == date(1926, 12, 1)


def test_samordningsnummer_has_sixty_added_to_the_day() -> None:
    full_date, last_four = number_parts(date(2008, 3, 14), 238, True)

    person = parse_personnummer(f"{full_date}-{last_four}", TODAY)

    assert person.canonical.startswith("20080374-")
    assert person.birth_date == date(2008, 3, 14)
    assert person.is_coordination_number


def test_leap_day_in_a_leap_year_is_accepted() -> None:
    full_date, last_four = number_parts(date(2008, 2, 29), 456, False)

    assert parse_personnummer(f"{full_date}-{last_four}", TODAY).birth_date == date(2008, 2, 29)


def test_leap_day_in_a_common_year_is_refused() -> None:
    digits = "070229456"

    with pytest.raises(InvalidPersonnummer, match="^Datumet 2007-02-29 finns inte$"):
        parse_personnummer(f"20{digits[:6]}-{digits[6:]}{luhn.calc_check_digit(digits)}", TODAY)


def test_impossible_date_is_named() -> None:
    with pytest.raises(InvalidPersonnummer, match="^Datumet 2008-02-30 finns inte$"):
        parse_personnummer("20080230-1234", TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2008031-2389",
        "200803142389x",
        "20080314+2389",
        "2008-03-14-2389",
        "0803 14-2389",
        "abc",
    ],
)
def test_other_forms_are_refused_naming_the_expected_form(text: str) -> None:
    with pytest.raises(InvalidPersonnummer, match="^Personnumret ska ha formen ÅÅÅÅMMDD-NNNN$"):
        parse_personnummer(text, TODAY)


def test_masking_hides_the_last_four_digits() -> None:
    assert mask_personnummer("20080314-2389") == "20080314-****"


def test_masking_refuses_a_non_canonical_number() -> None:
    with pytest.raises(ValueError, match="canonical"):
        mask_personnummer("080314-2389")


# -- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "070-123 45 67",
        "0701234567",
        "+46 70 123 45 67",
        "+46701234567",
        "0046701234567",
        " 070-1234567 ",
    ],
)
def test_swedish_mobile_number_is_normalised_to_e164(text: str) -> None:
    assert normalise_phone(text) == "+46701234567"


def test_swedish_landline_is_normalised_to_e164() -> None:
    assert normalise_phone("013-20 60 00") == "+4613206000"


def test_foreign_number_in_international_form_is_kept() -> None:
    assert normalise_phone("+47 412 34 567") == "+4741234567"


@pytest.mark.parametrize("text", ["070-123 45 6", "123", "0046", "+46 70 123 45 67 89 0"])
def test_invalid_phone_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match="inget giltigt telefonnummer"):
        normalise_phone(text)


def test_phone_number_with_letters_is_refused() -> None:
    with pytest.raises(InvalidPhoneNumber, match="bara innehålla siffror"):
        normalise_phone("070-CALL-ME")


def test_empty_phone_number_is_refused() -> None:
    with pytest.raises(InvalidPhoneNumber, match="^Telefonnummer saknas$"):
        normalise_phone("  ")


def test_swedish_number_is_shown_in_national_form() -> None:
    assert format_phone_se("+46701234567") == "070-123 45 67"


def test_foreign_number_is_shown_in_international_form() -> None:
    assert format_phone_se("+4741234567") == "+47 41 23 45 67"


# -- free text ----------------------------------------------------------------------------------


def test_text_is_stripped() -> None:
    assert check_text("  Anna  ", "Förnamn") == "Anna"


@given(st.characters(categories=["Cc"]))
def test_control_character_is_refused_naming_the_field(char: str) -> None:
    with pytest.raises(InvalidText, match="^Fältet Förnamn innehåller otillåtna tecken$"):
        check_text(f"An{char}na", "Förnamn")


@pytest.mark.parametrize("text", ["rad 1\nrad 2", "rad 1\rrad 2", "a\tb"])
def test_line_breaks_and_tabs_are_refused_in_a_single_line_field(text: str) -> None:
    with pytest.raises(InvalidText):
        check_text(text, "Förnamn")


def test_line_breaks_are_allowed_in_a_multiline_field_and_come_back_as_newlines() -> None:
    assert check_text("rad 1\r\nrad 2\nrad 3", "Observation", multiline=True) == (
        "rad 1\nrad 2\nrad 3"
    )


@pytest.mark.parametrize("text", ["rad 1\rrad 2", "a\tb", "a\x00b"])
def test_other_control_characters_are_refused_in_a_multiline_field(text: str) -> None:
    with pytest.raises(InvalidText, match="Fältet Observation"):
        check_text(text, "Observation", multiline=True)


@given(st.text(st.characters(exclude_categories=["Cc", "Cs"])))
def test_text_without_control_characters_is_accepted(text: str) -> None:
    assert check_text(text, "Förnamn") == text.strip()
