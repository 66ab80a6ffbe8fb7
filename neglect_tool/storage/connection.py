"""Opening, keying and verifying the encrypted store; transactions; backup, check and rekey.

This is the only module that talks to sqlcipher3 directly for the store. The rules it keeps:
- the key is passed with the connection's key API (never formatted into SQL), then verified by a real
  read inside the same error handling, on a fresh connection per attempt;
- an existing store is opened with mode=rw (never created by accident) and sniffed first, so a 0-byte
  file, a plain SQLite file or another kind of file is refused before SQLCipher touches it;
- every write runs in BEGIN IMMEDIATE ... COMMIT, in WAL mode with synchronous=FULL, so a crash or kill
  leaves the last committed state;
- files that replace others (backup, rekey) are written to a temp name, verified by reopening, fsynced,
  then renamed, and the folder fsynced.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from ..paths import ensure_private_dir, fsync_dir, fsync_file, private_temp_beside
from .errors import (
    CipherUnavailable,
    NotAStore,
    StoreCorrupt,
    StoreError,
    StoreExists,
    WrongPassphrase,
)
from .keys import SALT_BYTES, STORE_KDF, KdfParams, check_passphrase_strength, derive_raw_key, new_salt

Connection = Any  # sqlcipher3.Connection (the package ships no type information)

PAGE_SIZE = 4096
# Known magic numbers of files people might pick by mistake. An encrypted store starts with a random
# salt, so every magic here is at least 4 bytes long: a shorter one (a JSON "{") would refuse about
# one real store in 256.
FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"SQLite format 3\x00", "an unencrypted SQLite database"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff\xe0", "a JPEG image"),
    (b"\xff\xd8\xff\xe1", "a JPEG image"),
)

SESSION_PRAGMAS = (
    # order matters: memory security and logging before any key material is used
    "PRAGMA cipher_memory_security = ON",
    "PRAGMA cipher_log_level = NONE",
)
AFTER_KEY_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
)


def _translate(exc: BaseException) -> StoreError:
    """Map a database error met after a successful unlock to a typed store error."""
    if isinstance(exc, sqlcipher3.IntegrityError | sqlite3.IntegrityError):
        from .errors import ImmutableRecord

        return ImmutableRecord(str(exc))
    return StoreCorrupt(
        "The store file is damaged and could not be read. Restore it from a backup "
        f"(`neglect-tool store check` gives details). [{type(exc).__name__}]"
    )


def sniff_store_file(path: Path) -> None:
    """Refuse files that cannot be an encrypted store, before any connection is opened."""
    if not path.exists():
        raise NotAStore(f"There is no store at {path}.")
    if path.is_dir():
        raise NotAStore(f"{path} is a folder, not a store file.")
    if not path.is_file():
        raise NotAStore(f"{path} is not a regular file.")
    size = path.stat().st_size
    if size == 0:
        raise NotAStore(f"{path} is empty (0 bytes): it is not a store.")
    with path.open("rb") as fh:
        head = fh.read(16)
    for magic, what in FOREIGN_MAGIC:
        if head.startswith(magic):
            raise NotAStore(f"{path} is {what}, not an encrypted neglect_tool store.")
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise StoreCorrupt(
            f"{path} is {size} bytes, not a whole number of {PAGE_SIZE}-byte pages: "
            "it is truncated or not a store. Restore it from a backup."
        )


# With cipher_memory_security on, every allocation SQLite makes outside the connection's small lookaside
# pool is mlock()ed and munlock()ed (two system calls, ~10 us each here). Each cached prepared statement
# holds lookaside slots, so Python's default cache of 128 statements exhausts the pool and makes every later
# row dearer. Measured on a 10,000-child store (benchmarks.store_scale), cache 128 -> 4: listing all cases
# 1,112 -> 278 ms, search 7.9 -> 5.9 ms, inserting a sheet 14.0 -> 8.5 ms; gathering a case for export
# 45 -> 18 ms. A record's writer and reader run each statement once and cache none.
BATCH_STATEMENT_CACHE = 0
STORE_STATEMENT_CACHE = 4  # keeps the editor's autosave statements prepared; more exhausts the lookaside


def connect_file(path: Path, *, create: bool, read_only: bool = False,
                 cached_statements: int = BATCH_STATEMENT_CACHE) -> Connection:
    mode = "ro" if read_only else ("rwc" if create else "rw")
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                              cached_statements=cached_statements)
    with contextlib.suppress(AttributeError):
        conn.enable_load_extension(False)
    for pragma in SESSION_PRAGMAS:
        conn.execute(pragma)
    return conn


def require_cipher(conn: Connection) -> None:
    row = conn.execute("PRAGMA cipher_version").fetchone()
    if not row or not row[0]:
        raise CipherUnavailable(
            "This SQLite library has no SQLCipher encryption; refusing to store data unencrypted."
        )


SQLITE_CORRUPT = 11  # sqlite3.h primary result code


def open_keyed(path: Path, raw_key: bytes, *, create: bool = False, read_only: bool = False) -> Connection:
    """A fresh connection keyed with `raw_key` and verified by a real read. Closes it on any failure."""
    conn = connect_file(path, create=create, read_only=read_only, cached_statements=STORE_STATEMENT_CACHE)
    try:
        require_cipher(conn)
        conn.set_key(raw_key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            # SQLite's result code tells the two apart: a key that fails page 1's authentication is
            # SQLITE_NOTADB; with the right key, a file cut short or altered further on is SQLITE_CORRUPT.
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_CORRUPT:
                raise StoreCorrupt("The passphrase is right but the store is damaged (part of the file is "
                                   "missing or altered): restore it from your latest backup.") from exc
            raise WrongPassphrase() from exc
        for pragma in AFTER_KEY_PRAGMAS:
            if read_only and pragma.startswith(("PRAGMA journal_mode", "PRAGMA synchronous")):
                continue
            conn.execute(pragma)
        return conn
    except BaseException:
        conn.close()
        raise


def read_salt(path: Path) -> bytes:
    with path.open("rb") as fh:
        salt = fh.read(SALT_BYTES)
    if len(salt) != SALT_BYTES:
        raise NotAStore(f"{path} is too short to be a store.")
    return salt


@dataclass(frozen=True, slots=True)
class CheckReport:
    cipher_problems: tuple[str, ...]
    integrity_problems: tuple[str, ...]
    page_count: int
    file_bytes: int

    @property
    def ok(self) -> bool:
        return not self.cipher_problems and not self.integrity_problems


def run_integrity_checks(conn: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """cipher_integrity_check (HMAC of every page) plus integrity_check (which also catches a file cut
    exactly on a page boundary, which the cipher check alone misses)."""
    try:
        cipher = tuple(str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall())
    except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
        cipher = (f"cipher check failed: {exc}",)
    try:
        rows = tuple(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())
        integrity = tuple(r for r in rows if r != "ok")
    except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
        integrity = (f"integrity check failed: {exc}",)
    return cipher, integrity


def export_copy(conn: Connection, dest: Path, raw_key: bytes) -> None:
    """Write an encrypted copy of the open database to `dest` atomically (temp, verify, fsync, rename)."""
    dest = dest.resolve()
    if dest.exists() and dest.is_dir():
        raise StoreError(f"{dest} is a folder; give a file name for the copy.")
    folder = dest.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = private_temp_beside(dest)
    tmp.unlink()  # sqlcipher_export needs to create the file itself
    try:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        conn.execute("ATTACH DATABASE ? AS export_target KEY ?", (str(tmp), raw_key.decode("ascii")))
        try:
            conn.execute("SELECT sqlcipher_export('export_target')")
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            conn.execute(f"PRAGMA export_target.user_version = {version:d}")
        finally:
            conn.execute("DETACH DATABASE export_target")
        check = open_keyed(tmp, raw_key)
        try:
            check.execute("PRAGMA journal_mode = DELETE")
            cipher, integrity = run_integrity_checks(check)
        finally:
            check.close()
        if cipher or integrity:
            raise StoreCorrupt("The copy failed verification: " + "; ".join((*cipher, *integrity)))
        if os.name == "posix":
            os.chmod(tmp, 0o600)  # private before it appears under its final name
        fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_dir(folder)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


class EncryptedDatabase:
    """An open, unlocked SQLCipher database file with the store's connection settings.

    Used by the Store (with migrations and repositories on top). Not thread-safe: the UI runs store
    work on one worker thread at a time.
    """

    def __init__(self, path: Path, conn: Connection, raw_key: bytes) -> None:
        self.path = path
        self._conn: Connection | None = conn
        self._raw_key = raw_key  # kept only while unlocked, to write backups with the same key

    # --- lifecycle -------------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str, *, kdf: KdfParams = STORE_KDF) -> EncryptedDatabase:
        check_passphrase_strength(passphrase)
        path = Path(path)
        if path.exists():
            raise StoreExists(f"{path} already exists; refusing to overwrite it.")
        ensure_private_dir(path.parent)
        raw_key = derive_raw_key(passphrase, new_salt(), kdf)
        conn = open_keyed(path, raw_key, create=True)
        if os.name == "posix":
            os.chmod(path, 0o600)
        return cls(path, conn, raw_key)

    @classmethod
    def open(cls, path: Path, passphrase: str, *, kdf: KdfParams = STORE_KDF) -> EncryptedDatabase:
        path = Path(path)
        sniff_store_file(path)
        if not passphrase:
            raise WrongPassphrase("Enter the store's passphrase.")
        raw_key = derive_raw_key(passphrase, read_salt(path), kdf)
        return cls(path, open_keyed(path, raw_key), raw_key)

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise StoreError("The store is locked.")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        """Close the connection and forget the key (checkpointing the WAL back into the file)."""
        conn, self._conn = self._conn, None
        self._raw_key = b""
        if conn is not None:
            with contextlib.suppress(sqlcipher3.Error, sqlite3.Error):
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()

    # --- transactions ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One atomic write: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            raise _translate(exc) from exc
        try:
            yield conn
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            conn.execute("ROLLBACK")
            raise _translate(exc) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            with contextlib.suppress(sqlcipher3.Error, sqlite3.Error):
                conn.execute("ROLLBACK")
            raise _translate(exc) from exc

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent snapshot for several reads (a deferred transaction)."""
        conn = self.conn
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            raise _translate(exc) from exc

    def guarded(self, fn: Callable[[Connection], Any]) -> Any:
        """Run a single read outside a transaction, with errors translated."""
        try:
            return fn(self.conn)
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            raise _translate(exc) from exc

    # --- maintenance -----------------------------------------------------------------------------------

    @property
    def user_version(self) -> int:
        return int(self.guarded(lambda c: c.execute("PRAGMA user_version").fetchone()[0]))

    def check(self) -> CheckReport:
        self.conn.execute("PRAGMA wal_checkpoint(FULL)")
        cipher, integrity = run_integrity_checks(self.conn)
        pages = int(self.guarded(lambda c: c.execute("PRAGMA page_count").fetchone()[0]))
        return CheckReport(cipher, integrity, pages, self.path.stat().st_size)

    def backup_to(self, dest: Path) -> Path:
        """An encrypted copy that opens with the same passphrase."""
        dest = Path(dest)
        if dest.resolve() == self.path.resolve():
            raise StoreError("The backup must not overwrite the store itself.")
        try:
            export_copy(self.conn, dest, self._raw_key)
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            raise _translate(exc) from exc
        return dest

    def rekey(self, new_passphrase: str, *, kdf: KdfParams = STORE_KDF) -> None:
        """Change the passphrase: write a copy under the new key (with a new salt), swap it in atomically,
        then reopen with the new passphrase to prove it works. The old file stays until the swap."""
        check_passphrase_strength(new_passphrase)
        new_key = derive_raw_key(new_passphrase, new_salt(), kdf)
        staged = self.path.with_name(f".{self.path.name}.rekey")
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
        export_copy(self.conn, staged, new_key)
        self.close()
        try:
            os.replace(staged, self.path)
            fsync_dir(self.path.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
        for stale in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                self.path.with_name(self.path.name + stale).unlink()
        reopened = open_keyed(self.path, derive_raw_key(new_passphrase, read_salt(self.path), kdf))
        self._conn, self._raw_key = reopened, new_key

    def vacuum(self) -> None:
        """Rewrite the file so freed pages (already zeroed by secure_delete) leave no trace."""
        self.guarded(lambda c: c.execute("VACUUM"))
        self.guarded(lambda c: c.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
