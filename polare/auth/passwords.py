"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from polare.errors import DomainError

_hasher = PasswordHasher()

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Tell whether the password matches the stored hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether the hash was made with other parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


def check_password_rules(password: str, username: str) -> None:
    """Refuse a password that is too short or is the username."""
    if len(password) < MIN_LENGTH:
        raise DomainError(
            f"Lösenordet måste ha minst {MIN_LENGTH} tecken.", field="password"
        )
    if username and password.strip().lower() == username.strip().lower():
        raise DomainError("Lösenordet får inte vara användarnamnet.", field="password")
