"""Errors raised while reading an uploaded spreadsheet."""


class ImportFileError(Exception):
    """An uploaded file cannot be read; the message is Swedish and written for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyRowsError(ImportFileError):
    """The file has more data rows than `max_rows`; the rest of it was not read."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(
            f"Filen har fler än {max_rows} rader; högst {max_rows} rader importeras åt gången. "
            "Dela upp filen."
        )
        self.max_rows = max_rows
