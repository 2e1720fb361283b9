"""Column types that store exact values on every database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class _ScaledInteger(Numeric):
    """NUMERIC as declared, but its values pass to and from SQLite untouched (no float)."""

    def bind_processor(self, dialect: Dialect) -> None:
        """Pass the integer through."""
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        """Pass the stored integer through."""
        return None


class ExactDecimal(TypeDecorator[Decimal]):
    """A NUMERIC(precision, scale) stored exactly: natively on PostgreSQL, as integer hundredths
    (öre) on SQLite, where NUMERIC would hold a binary float (REAL).

    The column is declared NUMERIC on both, so the schema reads the same; on SQLite an integer
    in a NUMERIC column stays an integer (`typeof()` says integer), and comparisons and sums in
    SQL keep working on the scaled values.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 12, scale: int = 2) -> None:
        super().__init__(precision, scale, asdecimal=True)
        self.scale = scale
        self._unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Keep NUMERIC, but without SQLite's float conversion there."""
        if dialect.name == "sqlite":
            return _ScaledInteger(self.impl_instance.precision, self.impl_instance.scale)
        return dialect.type_descriptor(self.impl_instance)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Store a Decimal (or int) as integer hundredths on SQLite, refusing extra decimals."""
        if value is None or dialect.name != "sqlite":
            return value
        if isinstance(value, float):
            raise TypeError("exact decimals only, never floats")
        scaled = Decimal(value).scaleb(self.scale)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimals")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Return the stored value as a Decimal with the column's scale."""
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)).scaleb(-self.scale)).quantize(self._unit)
        return Decimal(value).quantize(self._unit)
