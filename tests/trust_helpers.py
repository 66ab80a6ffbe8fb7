"""Shared pieces for the trust tests (no tests here): canary values, byte scans in several encodings, and a
page-by-page decryption of SQLCipher 4 files, so a scan sees everything a person holding the key would see,
including freed pages and the slack inside pages, not only the rows a query returns.

The decryption uses the `openssl` command (AES-256 in ECB mode over every encrypted block in one call; the
CBC chaining is undone here), because no AES library is a dependency. Every name is invented.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# Values that must never appear outside the encrypted store. Unusual enough not to occur by chance.
FAMILY_NAME = "Xandrovicz"
CHILD_NAME = "Pellucida"
NHS_NUMBER = "9434765919"
NOTE = "CANARY-NOTE-5521 bruising seen"
CARER_NAME = "Orlaithe Xandrovicz"
CANARIES: tuple[str, ...] = (FAMILY_NAME, CHILD_NAME, NHS_NUMBER, "CANARY-NOTE-5521", "Orlaithe")

PAGE_SIZE = 4096
RESERVE = 80  # per page: 16-byte IV + 64-byte HMAC-SHA512
SALT = 16
WAL_HEADER = 32
WAL_FRAME_HEADER = 24


def encodings(canary: str) -> tuple[bytes, ...]:
    """The forms a value takes in files: UTF-8 (also lower and upper case), UTF-16 LE and BE."""
    forms = {canary, canary.casefold(), canary.upper()}
    out: list[bytes] = []
    for form in sorted(forms):
        out += [form.encode("utf-8"), form.encode("utf-16-le"), form.encode("utf-16-be")]
    return tuple(dict.fromkeys(out))


def hits_in(blob: bytes, canaries: Sequence[str] = CANARIES) -> list[str]:
    return [c for c in canaries if any(e in blob for e in encodings(c))]


def text_hits(text: str, canaries: Sequence[str] = CANARIES) -> list[str]:
    folded = text.casefold()
    return [c for c in canaries if c.casefold() in folded]


def files_under(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(set(found))


def scan_files(files: Iterable[Path], canaries: Sequence[str] = CANARIES) -> dict[Path, list[str]]:
    """{file: canaries found} for every file holding any canary in any encoding."""
    found = {}
    for file in files:
        hits = hits_in(file.read_bytes(), canaries)
        if hits:
            found[file] = hits
    return found


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def _cbc_decrypt(key_hex: str, pieces: Sequence[tuple[bytes, bytes]]) -> list[bytes]:
    """Decrypt several AES-256-CBC messages (iv, ciphertext) with one openssl call: ECB-decrypt every block,
    then XOR each with the ciphertext block before it (or the IV)."""
    cipher = b"".join(body for _iv, body in pieces)
    ecb = subprocess.run(["openssl", "enc", "-d", "-aes-256-ecb", "-nopad", "-K", key_hex],
                         input=cipher, capture_output=True, check=True).stdout
    out, pos = [], 0
    for iv, body in pieces:
        chain = iv + body[:-16]
        plain = int.from_bytes(ecb[pos:pos + len(body)], "big") ^ int.from_bytes(chain, "big")
        out.append(plain.to_bytes(len(body), "big"))
        pos += len(body)
    return out


def _page_piece(page: bytes, first: bool) -> tuple[bytes, bytes]:
    start = SALT if first else 0
    return page[PAGE_SIZE - RESERVE:PAGE_SIZE - RESERVE + 16], page[start:PAGE_SIZE - RESERVE]


def decrypt_store_pages(path: Path, raw_key: bytes) -> bytes:
    """Every page of a SQLCipher 4 file keyed with a raw key (b"x'<64 hex key><32 hex salt>'"), decrypted and
    concatenated: live rows, freed pages and page slack alike."""
    key_hex = raw_key[2:66].decode("ascii")
    data = path.read_bytes()
    pages = [data[i:i + PAGE_SIZE] for i in range(0, len(data) - len(data) % PAGE_SIZE, PAGE_SIZE)]
    if not pages:
        return b""
    plain = b"".join(_cbc_decrypt(key_hex, [_page_piece(p, i == 0) for i, p in enumerate(pages)]))
    if plain[:2] != PAGE_SIZE.to_bytes(2, "big"):  # the page size at offset 16 of the database header
        raise AssertionError(f"{path.name} did not decrypt with this key")
    return plain


def decrypt_wal_frames(path: Path, raw_key: bytes) -> bytes:
    """Every page image in a SQLCipher 4 write-ahead log, decrypted (old frames included)."""
    data = path.read_bytes() if path.exists() else b""
    frame = WAL_FRAME_HEADER + PAGE_SIZE
    pages = [data[i + WAL_FRAME_HEADER:i + frame] for i in range(WAL_HEADER, len(data) - frame + 1, frame)]
    if not pages:
        return b""
    pieces = [_page_piece(p, _is_page_one(data, WAL_HEADER + n * frame)) for n, p in enumerate(pages)]
    return b"".join(_cbc_decrypt(raw_key[2:66].decode("ascii"), pieces))


def _is_page_one(wal: bytes, frame_at: int) -> bool:
    return int.from_bytes(wal[frame_at:frame_at + 4], "big") == 1


def every_value(conn: Any) -> str:
    """Every column of every row of every table (and the schema) through an open, keyed connection."""
    parts: list[str] = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    parts += [repr(r) for r in conn.execute("SELECT * FROM sqlite_master")]
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        parts += [repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {quoted}")]
    return "\n".join(parts)
