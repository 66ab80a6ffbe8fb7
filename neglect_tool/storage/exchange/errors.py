"""Typed errors of record export and import. Callers branch on the type; messages are fit for users.

Every one is a StoreError, so the app's and the CLI's existing error paths show them as they are.
Messages never quote values read from an incoming file (they may be hostile or personal).
"""

from __future__ import annotations

from ..errors import StoreError


class RecordError(StoreError):
    """Base of every error raised on purpose while exporting or importing a record file."""


class NotARecord(RecordError):
    """Empty, a plain SQLite file, a store, a PDF...: not an exported neglect_tool record."""


class RecordCorrupt(RecordError):
    """A record file that is damaged (truncated, bit-flipped) or whose content no longer matches its hash."""


class WrongRecordPassphrase(RecordError):
    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "That passphrase does not open this record file. Check the passphrase the sender gave you "
            "(it is not your store's passphrase). If it is right, the file is damaged or is not an "
            "exported record: ask for it to be sent again."
        )


class RecordTooNew(RecordError):
    """Written by a newer version of the app, in a format this version does not read."""


class RecordTooLarge(RecordError):
    """Over the size limit for an import."""


class UnsafeRecord(RecordError):
    """The file opens but its structure or values are not what an export writes (hostile or tampered)."""


class RecordInvalid(RecordError):
    """The file is well formed but its content is inconsistent (broken references, invalid values)."""


class ExportRefused(RecordError):
    """An export that cannot be written as asked (destination exists, nothing to export...)."""


class DecisionsNeeded(RecordError):
    """Possible duplicates need a decision (link or keep apart) before the import can be applied."""
