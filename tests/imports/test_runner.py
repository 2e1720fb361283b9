"""The import run as a whole: file-level refusals and the names it shows."""

from __future__ import annotations

import pytest

from exports import ImportFileError
from polare.errors import NotFoundError
from polare.imports import runner
from polare.imports.runner import run_import, shown_filename
from tests.conftest import TODAY
from tests.imports.conftest import NOW, excel_csv_file
from tests.imports.test_polare import good_rows


def test_file_with_headers_only_is_refused(db, coordinator):
    with pytest.raises(ImportFileError, match="inga rader"):
        run_import(db, coordinator, "polare", "tom.csv", excel_csv_file("polare", []),
                   today=TODAY, now=NOW)


def test_file_with_too_many_rows_is_refused_before_any_row_is_applied(db, coordinator,
                                                                      monkeypatch):
    monkeypatch.setattr(runner, "MAX_ROWS", 4)
    with pytest.raises(ImportFileError, match="fler än 4 rader.*Dela upp filen"):
        run_import(db, coordinator, "polare", "lång.csv", excel_csv_file("polare", good_rows()),
                   today=TODAY, now=NOW)


def test_unknown_kind_names_the_kinds_there_are(db, coordinator):
    with pytest.raises(NotFoundError, match="polare, narvaro, nattvandringar, arvodestabell"):
        run_import(db, coordinator, "personal", "x.csv", b"", today=TODAY, now=NOW)


def test_shown_file_name_drops_folders_and_control_characters():
    assert shown_filename("C:\\Users\\kim\\lista å.xlsx") == "lista å.xlsx"
    assert shown_filename("../../p\x07.csv") == "p.csv"
    assert shown_filename("") == "fil"
