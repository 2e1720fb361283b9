"""Routes of the roster domain."""

from polare.roster import bp  # noqa: F401
