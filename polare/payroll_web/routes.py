"""Routes of the payroll_web domain."""

from polare.payroll_web import bp  # noqa: F401
