"""Writing CSV for Swedish Excel."""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from exports.csvfile import csv_bytes


def test_csv_starts_with_a_utf8_byte_order_mark() -> None:
    assert csv_bytes(["Namn"], [["Åsa"]]).startswith(b"\xef\xbb\xbf")


def test_csv_is_utf8_encoded() -> None:
    assert "Åsa Öberg".encode() in csv_bytes(["Namn"], [["Åsa Öberg"]])


def test_csv_fields_are_separated_by_semicolons() -> None:
    data = csv_bytes(["Förnamn", "Efternamn"], [["Anna", "Andersson"]])

    assert data.decode("utf-8-sig") == "Förnamn;Efternamn\r\nAnna;Andersson\r\n"


def test_csv_field_containing_a_semicolon_is_quoted() -> None:
    assert csv_bytes(["Plats"], [["Torget; vid kiosken"]]).endswith(b'"Torget; vid kiosken"\r\n')


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+46701234567", "-1", "@SUM(1)", "\tx", "\rx", "\nx"]
)
def test_csv_formula_like_text_gets_a_leading_quote(text: str) -> None:
    assert read_back(csv_bytes(["Namn"], [[text]]))[1] == [f"'{text}"]


def test_csv_negative_amount_is_a_number_not_quoted() -> None:
    assert csv_bytes(["Belopp"], [[Decimal("-350.00")]]).endswith(b"\r\n-350,00\r\n")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 11, 24), "2026-11-24"),
        (datetime(2026, 11, 24, 18, 30), "2026-11-24 18:30"),
        (time(22, 0), "22:00"),
        (Decimal("1234.50"), "1234,50"),
        (17, "17"),
    ],
)
def test_csv_values_are_written_as_swedish_excel_shows_them(value: object, text: str) -> None:
    assert csv_bytes(["Värde"], [[value]]).decode("utf-8-sig") == f"Värde\r\n{text}\r\n"


def test_csv_none_is_an_empty_field() -> None:
    assert read_back(csv_bytes(["A", "B"], [[None, "x"]]))[1] == ["", "x"]


def test_csv_row_with_wrong_number_of_values_is_refused() -> None:
    with pytest.raises(ValueError, match="Row 1 has 2 values, expected 1"):
        csv_bytes(["Namn"], [["a", "b"]])


def test_csv_booleans_are_refused() -> None:
    with pytest.raises(TypeError, match="booleans"):
        csv_bytes(["Samtycke"], [[False]])
