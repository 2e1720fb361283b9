"""Routes of the privacy domain."""

from polare.privacy import bp  # noqa: F401
