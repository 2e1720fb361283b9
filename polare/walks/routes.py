"""Routes of the walks domain."""

from polare.walks import bp  # noqa: F401
