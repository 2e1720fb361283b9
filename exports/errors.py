"""Errors raised while reading an uploaded spreadsheet."""


class ImportFileError(Exception):
    """An uploaded file cannot be read; the message is Swedish and written for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
