"""Routes of the imports domain."""

from polare.imports import bp  # noqa: F401
