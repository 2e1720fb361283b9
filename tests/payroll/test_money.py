from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll import format_sek, round_to_krona, to_money

NBSP = "\u00a0"


def test_to_money_rounds_half_up_to_ore() -> None:
    assert to_money("1.005") == Decimal("1.01")
    assert to_money("1.0049") == Decimal("1.00")


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("12.5"), "12.50"), (12, "12.00"), ("12.345", "12.35")]
)
def test_to_money_accepts_exact_values(value: Decimal | int | str, text: str) -> None:
    assert str(to_money(value)) == text


@pytest.mark.parametrize("value", [12.5, True])
def test_to_money_refuses_floats_and_booleans(value: object) -> None:
    with pytest.raises(TypeError):
        to_money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "tolv"])
def test_to_money_refuses_what_is_not_an_amount(value: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        to_money(value)


def test_round_to_krona_rounds_half_up_and_keeps_two_decimals() -> None:
    assert str(round_to_krona("235.50")) == "236.00"
    assert str(round_to_krona("235.49")) == "235.00"


def test_round_to_krona_rounds_once_not_via_ore() -> None:
    assert round_to_krona("235.495") == Decimal("235.00")


def test_format_sek_groups_thousands_with_no_break_spaces() -> None:
    assert format_sek(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}kr"


def test_format_sek_writes_minus_before_negative_amounts() -> None:
    assert format_sek(-12) == f"-12,00{NBSP}kr"


@pytest.mark.parametrize(
    ("amount", "text"),
    [("0", "0,00"), ("999.99", "999,99"), ("1000", "1 000,00"), ("-1234567.8", "-1 234 567,80")],
)
def test_format_sek_groups_every_three_digits(amount: str, text: str) -> None:
    assert format_sek(amount) == text.replace(" ", NBSP) + f"{NBSP}kr"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2))
def test_format_sek_reads_back_as_the_same_amount(amount: Decimal) -> None:
    text = format_sek(amount).removesuffix(f"{NBSP}kr")
    assert Decimal(text.replace(NBSP, "").replace(",", ".")) == amount
