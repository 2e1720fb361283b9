"""Exact money: quantizing to öre and kronor, and Swedish formatting."""

from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
KRONA = Decimal("1")

#: No-break space (U+00A0): groups thousands and separates "kr" so an amount never wraps.
NBSP = "\u00a0"


def _to_decimal(value: Decimal | int | str) -> Decimal:
    """Convert an exact value to Decimal, refusing floats and non-finite numbers."""
    if type(value) is Decimal:
        number = value
    elif isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}")
    else:
        try:
            number = Decimal(value)
        except ArithmeticError as exc:
            raise ValueError(f"not an amount: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return number


def to_money(value: Decimal | int | str) -> Decimal:
    """Return the value rounded half up to whole öre (two decimals)."""
    return _to_decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)


def round_to_krona(value: Decimal | int | str) -> Decimal:
    """Return the value rounded half up to whole kronor, written with two decimals."""
    return _to_decimal(value).quantize(KRONA, rounding=ROUND_HALF_UP).quantize(ORE)


def format_sek(amount: Decimal | int | str) -> str:
    """Format an amount the Swedish way, e.g. '1 234,50 kr' with no-break spaces."""
    money = to_money(amount)
    sign = "-" if money < 0 else ""
    kronor, ore = f"{abs(money):.2f}".split(".")
    groups = []
    while kronor:
        groups.insert(0, kronor[-3:])
        kronor = kronor[:-3]
    return f"{sign}{NBSP.join(groups)},{ore}{NBSP}kr"
