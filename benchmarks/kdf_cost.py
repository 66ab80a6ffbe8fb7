"""What one passphrase attempt costs: the store's Argon2id KDF against SQLCipher's default PBKDF2 key.

    python -m benchmarks.kdf_cost [--runs N] [--out DIR]

Both are measured on this machine, as a guess would be tried against a stolen file:
- Argon2id with the production parameters (neglect_tool.storage.keys.STORE_KDF): the key derivation
  alone, and a whole wrong-passphrase attempt through EncryptedDatabase.open;
- SQLCipher 4's default passphrase key (PBKDF2-HMAC-SHA512, 256,000 iterations), by keying a connection
  with a passphrase instead of a raw key (open_keyed passes non-raw key material to SQLCipher's own KDF):
  a wrong-passphrase attempt, plus hashlib's PBKDF2 as a cross-check of the KDF alone.
The files hold no data at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from neglect_tool.storage.connection import EncryptedDatabase, open_keyed
from neglect_tool.storage.errors import WrongPassphrase
from neglect_tool.storage.keys import STORE_KDF, derive_raw_key, new_salt

from ._common import Timing, machine, print_table, time_ms, write_json

PASSPHRASE = "kdf-benchmark-passphrase"
WRONG = "not-the-right-passphrase"
SQLCIPHER_PBKDF2_ITERATIONS = 256_000  # SQLCipher 4 default (cipher_default_kdf_iter)


def _expect_wrong(fn: Callable[[], object]) -> None:
    try:
        fn()
    except WrongPassphrase:
        return
    raise AssertionError("a wrong passphrase unlocked the file")


def measure(folder: Path, runs: int) -> list[Timing]:
    argon_file = folder / "argon2.ntdb"
    EncryptedDatabase.create(argon_file, PASSPHRASE).close()
    pbkdf2_file = folder / "pbkdf2.db"
    open_keyed(pbkdf2_file, PASSPHRASE.encode(), create=True).close()  # WAL switch writes the first page
    open_keyed(pbkdf2_file, PASSPHRASE.encode()).close()  # the right passphrase does open it

    salt = new_salt()
    operations: dict[str, Callable[[], object]] = {
        "argon_kdf": partial(derive_raw_key, PASSPHRASE, salt, STORE_KDF),
        "argon_attempt": partial(_expect_wrong, partial(EncryptedDatabase.open, argon_file, WRONG)),
        "pbkdf2_attempt": partial(_expect_wrong, partial(open_keyed, pbkdf2_file, WRONG.encode())),
        "pbkdf2_kdf": partial(hashlib.pbkdf2_hmac, "sha512", PASSPHRASE.encode(), salt,
                              SQLCIPHER_PBKDF2_ITERATIONS, 64),
    }
    samples: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(runs):  # interleaved, so drift in machine load hits every operation alike
        for name, operation in operations.items():
            samples[name].append(time_ms(operation))
    argon_kdf, argon_attempt = samples["argon_kdf"], samples["argon_attempt"]
    pbkdf2_attempt, pbkdf2_kdf = samples["pbkdf2_attempt"], samples["pbkdf2_kdf"]
    return [
        Timing("Argon2id key derivation (production)", tuple(argon_kdf), note=STORE_KDF.describe()),
        Timing("Argon2id: one wrong-passphrase attempt", tuple(argon_attempt),
               note="EncryptedDatabase.open: derive, key the connection, first read fails"),
        Timing("SQLCipher PBKDF2: one wrong-passphrase attempt", tuple(pbkdf2_attempt),
               note=f"SQLCipher 4 default: PBKDF2-HMAC-SHA512, {SQLCIPHER_PBKDF2_ITERATIONS:,} iterations"),
        Timing("PBKDF2-HMAC-SHA512 256k alone (hashlib)", tuple(pbkdf2_kdf), note="cross-check of the KDF cost"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kdf_cost", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="neglect-kdf-"))
    try:
        timings = measure(folder, max(1, args.runs))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table("Cost of one passphrase attempt on this machine (milliseconds)", timings)
    argon, pbkdf2 = timings[1].median, timings[2].median
    print(f"\nPer core: Argon2id allows ~{1000 / argon:.1f} guesses/s and needs "
          f"{STORE_KDF.memory_kib // 1024} MiB for each; SQLCipher's default allows ~{1000 / pbkdf2:.1f} "
          f"guesses/s with almost no memory (and PBKDF2 runs far faster still on GPUs).")
    print(f"Argon2id costs {argon / pbkdf2:.1f}x the default per attempt here.")
    written = write_json(args.out, "kdf_cost.json", {
        "benchmark": "kdf_cost", "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "cpu_count": os.cpu_count(), "kdf": STORE_KDF.describe(),
        "timings": {t.name: t.as_dict() for t in timings},
        "ratio_argon2_to_pbkdf2_attempt": round(argon / pbkdf2, 2),
    })
    print(f"\nJSON written to {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
