"""Routes of the events domain."""

from polare.events import bp  # noqa: F401
