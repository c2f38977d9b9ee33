"""Optimistic locking: a save names the version it started from, and a save over a
newer version is refused instead of silently overwriting someone else's change."""

from django.core.exceptions import ValidationError


class StaleVersionError(ValidationError):
    """The object changed since the person loaded it; nothing was overwritten.

    Pages show the message above the form; the API answers 409 Conflict."""

    def __init__(self, message, code="stale_version", params=None):
        super().__init__(message, code=code, params=params)


def check_version(current: int, expected: int | None, message) -> None:
    """Raise StaleVersionError with `message` when the caller started from another
    version than `current`; no expected version means the caller does not lock."""
    if expected is not None and expected != current:
        raise StaleVersionError(message)
