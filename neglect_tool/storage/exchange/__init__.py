"""Encrypted record files for sharing a case or a rating sheet between stores.

format  - the file: SQLCipher 4 with its own passphrase, the exact schema, the manifest, the content hash
gather  - what a case or a sheet export carries, read from the store
writer  - the atomic export (temp file, verify by reopening, fsync, rename, fsync folder)
reader  - validation of an incoming file, before anything touches the store
merge   - the dry-run plan and its application in one store transaction
"""

from .content import FormText, RecordContent
from .errors import (
    DecisionsNeeded,
    ExportRefused,
    NotARecord,
    RecordCorrupt,
    RecordError,
    RecordInvalid,
    RecordTooLarge,
    RecordTooNew,
    UnsafeRecord,
    WrongRecordPassphrase,
)
from .format import FORMAT_VERSION, MAX_RECORD_BYTES, RECORD_SUFFIX, STANDARD_KDF_ITER, Manifest, RecordKind
from .gather import gather_case, gather_sheet
from .merge import Decision, MergePlan, Outcome, PlanEntry, PossibleDuplicate, apply_merge, plan_merge
from .reader import LoadedRecord, open_record
from .writer import RecordTarget, WrittenRecord, check_record_passphrase, write_record

__all__ = [
    "FORMAT_VERSION", "MAX_RECORD_BYTES", "RECORD_SUFFIX", "STANDARD_KDF_ITER", "Decision", "DecisionsNeeded",
    "ExportRefused", "FormText", "LoadedRecord", "Manifest", "MergePlan", "NotARecord", "Outcome", "PlanEntry",
    "PossibleDuplicate", "RecordContent", "RecordCorrupt", "RecordError", "RecordInvalid", "RecordKind", "RecordTarget",
    "RecordTooLarge", "RecordTooNew", "UnsafeRecord", "WrittenRecord", "WrongRecordPassphrase", "apply_merge",
    "check_record_passphrase", "gather_case", "gather_sheet", "open_record", "plan_merge", "write_record",
]
