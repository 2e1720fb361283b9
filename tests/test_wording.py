"""Refusals are raised as codes and worded in one module per domain (issue 19)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from polare.errors import DomainError
from polare.wording import messages_of, word

ROOT = Path(__file__).resolve().parent.parent / "polare"
ERRORS = {"DomainError", "NotFoundError", "PermissionDeniedError", "ConflictError"}
CODE = re.compile(r"[a-z_]+\.[a-z0-9_]+")


def _raised_codes() -> list[tuple[str, str, set[str]]]:
    """(where, code, value names) of every refusal raised with a literal code."""
    found = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ERRORS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and CODE.fullmatch(str(node.args[0].value))):
                names = {k.arg for k in node.keywords if k.arg and k.arg != "field"}
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value,
                              names))
    return found


def test_every_code_raised_has_its_text_in_its_domains_wording():
    missing = [(where, code) for where, code, _names in _raised_codes()
               if code.partition(".")[2] not in messages_of(code.partition(".")[0])]
    assert missing == []


def test_every_code_raised_gives_the_values_its_text_names():
    wrong = []
    for where, code, names in _raised_codes():
        domain, _, name = code.partition(".")
        wanted = set(re.findall(r"%\((\w+)\)", messages_of(domain)[name]))
        if wanted != names:
            wrong.append((where, code, sorted(wanted), sorted(names)))
    assert wrong == []


def test_refusal_is_worded_in_the_readers_language(app):
    error = DomainError("org.team_name_taken", name="Lambohov")
    with app.test_request_context():
        with force_locale("sv"):
            assert word(error) == "Det finns redan ett team som heter Lambohov."
        with force_locale("en"):
            assert word(error) == "There is already a team called Lambohov."


@pytest.mark.parametrize("code", ["org.no_such_refusal"])
def test_unknown_code_is_a_programming_error(app, code):
    with app.test_request_context(), pytest.raises(KeyError):
        word(DomainError(code))


def _names_a_code(text: ast.JoinedStr) -> bool:
    """Tell whether an f-string builds a code: it starts with "<domain>." and has no spaces."""
    start = text.values[0]
    return (isinstance(start, ast.Constant) and re.match(r"[a-z_]+\.", str(start.value))
            is not None and not any(isinstance(part, ast.Constant) and " " in str(part.value)
                                    for part in text.values))


def _worded_where_raised() -> list[str]:
    """Refusals raised with a text (a literal sentence, an f-string or a gettext call)."""
    found = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ERRORS and node.args):
                continue
            first = node.args[0]
            literal = isinstance(first, ast.Constant) and not CODE.fullmatch(str(first.value))
            built = isinstance(first, ast.JoinedStr) and not _names_a_code(first)
            if literal or built or isinstance(first, (ast.Call, ast.BinOp)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_refusal_is_worded_where_it_is_raised():
    assert _worded_where_raised() == []
