"""Typed store errors. Callers branch on the type, never on message text; messages are fit for users."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class WrongPassphrase(StoreError):
    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "That passphrase does not unlock this store. Check it and try again "
            "(if you are sure it is right, the file may be damaged: run `neglect-tool store check`)."
        )


class NotAStore(StoreError):
    """The file is not an encrypted neglect_tool store (empty, plain SQLite, another kind of file...)."""


class StoreCorrupt(StoreError):
    """The file is a store but is damaged (truncated, bit-flipped): restore it from a backup."""


class StoreTooNew(StoreError):
    """Written by a newer version of the app; left untouched."""


class StoreExists(StoreError):
    """Refusing to create a store over an existing file."""


class WeakPassphrase(StoreError):
    """The passphrase does not meet the minimum strength policy."""


class CipherUnavailable(StoreError):
    """The SQLite library is not SQLCipher: refuse rather than write plaintext."""


class ImmutableRecord(StoreError):
    """A write tried to change a submitted rating sheet, a final consensus or the audit trail."""


class NotFound(StoreError):
    """The requested record does not exist in this store."""
