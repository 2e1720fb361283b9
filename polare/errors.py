"""Errors raised by services, with messages written for the user."""


class DomainError(Exception):
    """A rule refused the request; `message` is shown to the user, `field` names the input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFoundError(DomainError):
    """The record does not exist or is outside the user's teams."""


class PermissionDeniedError(DomainError):
    """The user's role or teams do not allow this."""


class ConflictError(DomainError):
    """Someone else changed the record since the user loaded it."""
