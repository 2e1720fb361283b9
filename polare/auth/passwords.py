"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import secrets
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from polare.errors import DomainError

_hasher = PasswordHasher()

MIN_LENGTH = 10

#: The shipped list of common passwords (one per line, '#' starts a comment line).
COMMON_PASSWORDS_FILE = "common_passwords.txt"


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Tell whether the password matches the stored hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password_or_dummy(stored_hash: str | None, password: str) -> bool:
    """Verify against the stored hash, or against a dummy one when there is none.

    An unknown username then costs the same argon2 work as a known one, so the answer's
    timing does not tell which usernames exist.
    """
    if stored_hash is None:
        verify_password(_dummy_hash(), password)
        return False
    return verify_password(stored_hash, password)


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether the hash was made with other parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


@cache
def common_passwords() -> frozenset[str]:
    """Return the shipped common passwords, case-folded."""
    text = files("polare.auth").joinpath(COMMON_PASSWORDS_FILE).read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def is_common_password(password: str) -> bool:
    """Tell whether the password is on the common-password list (case-insensitive)."""
    return password.strip().casefold() in common_passwords()


def check_password_rules(password: str, username: str, *, field: str = "password") -> None:
    """Refuse a password that is too short, is the username or is a common password.

    `field` names the form input the refusal belongs to.
    """
    if len(password) < MIN_LENGTH:
        raise DomainError("auth.password_too_short", field=field, n=MIN_LENGTH)
    if username and password.strip().casefold() == username.strip().casefold():
        raise DomainError("auth.password_is_username", field=field)
    if is_common_password(password):
        raise DomainError("auth.password_too_common", field=field)
