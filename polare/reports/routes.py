"""Routes of the reports domain."""

from polare.reports import bp  # noqa: F401
