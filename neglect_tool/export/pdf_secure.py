"""Password protection and safe writing of PDFs.

Protection uses pikepdf (qpdf): AES-256 with the R6 security handler, which every current reader opens.
reportlab's own encryption is not used: its default is RC4-40 and its AES-256 is slow and refused by
poppler-based readers (see shared/PITFALLS.md). The owner password is random (secrets): an empty owner
password would let an R6 file open without any password.

Nothing unencrypted touches the disk when protection is on: the PDF is built in memory, encrypted in
memory, and only the encrypted bytes are written - to a temporary file in the destination folder (mode
0600), flushed and fsync'd, then renamed over the destination, and the folder fsync'd.
"""

from __future__ import annotations

import io
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

MIN_PASSWORD_CHARS = 8


class PdfExportError(Exception):
    """The PDF could not be protected or written; the message is fit for users and nothing was left behind."""


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise PdfExportError(f"The PDF password must have at least {MIN_PASSWORD_CHARS} characters.")


def encryption(password: str) -> Any:
    """pikepdf's settings for AES-256 (R6) with `password` to open and a random owner password."""
    check_password(password)
    import pikepdf

    return pikepdf.Encryption(user=password, owner=secrets.token_urlsafe(32), R=6, aes=True)


def protect(pdf: bytes, password: str) -> bytes:
    """The same PDF encrypted with AES-256 (R6): `password` opens it, a random owner password governs it."""
    settings = encryption(password)
    import pikepdf

    out = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            document.save(out, encryption=settings)
    except pikepdf.PdfError as exc:  # pragma: no cover - our own PDF always parses
        raise PdfExportError(f"The PDF could not be encrypted ({type(exc).__name__}); nothing was written.") from exc
    return out.getvalue()


def write_atomically(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write `data` to `path` so that a crash leaves either the old file or the complete new one, never a
    partial file; the file is private to the user (0600)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not overwrite:
        raise PdfExportError(f"{path} already exists; choose another name or allow overwriting.")
    if path.is_dir():
        raise PdfExportError(f"{path} is a folder; give a file name ending in .pdf.")
    if not folder.is_dir():
        raise PdfExportError(f"The folder {folder} does not exist.")
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=".neglect-tool-", suffix=".part")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp_name, path)
        else:
            _link_new(Path(temp_name), path)
    finally:
        Path(temp_name).unlink(missing_ok=True)
    _fsync_folder(folder)
    return path


def _link_new(temp: Path, path: Path) -> None:
    """Put `temp` at `path` only if nothing is there (a hard link fails rather than replace)."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise PdfExportError(f"{path} already exists; choose another name or allow overwriting.") from None
    except OSError:  # pragma: no cover - a file system without hard links: check, then rename
        if path.exists():
            raise PdfExportError(f"{path} already exists; choose another name or allow overwriting.") from None
        os.replace(temp, path)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)
