"""Export and import of an encrypted record: a case with 4 rounds x 6 sheets x 80 answered items.

    python -m benchmarks.exchange_bench [--runs N] [--out DIR]

Measured in one run, on this machine:
- SQLCipher's passphrase key derivation (the KDF every record open pays): keying a connection to a one-page
  record-format file with the passphrase and reading its first page, with SQLCipher 4's standard settings
  (PBKDF2-HMAC-SHA512, 256,000 iterations); hashlib's PBKDF2 as a cross-check;
- export: gather from the store, write, verify by reopening, fsync, rename (services.sharing.export_case;
  SQLCipher's key derivation runs on a worker thread while the case is gathered and staged in memory);
- import: full validation of the file (read_record), the dry-run plan, the apply into an empty store, and a
  re-import where everything is identical.
Target: export <= 1.2 x (KDF + 10 ms). The stores run as in the app, with SQLCipher's memory security on
(a process-wide setting once any store is open), which makes every SQLCipher page operation dearer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import shutil
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

import sqlcipher3

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
    RoundPurpose,
    SheetStatus,
)
from neglect_tool.forms.loader import get_form
from neglect_tool.services import sharing
from neglect_tool.storage.exchange.format import STANDARD_KDF_ITER
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from ._common import Timing, machine, percentile, print_table, time_ms, write_json

STORE_PASS = "benchmark store passphrase"
RECORD_PASS = "benchmark-record-otter-lantern-quartz-meadow"
CASE_REF = "BM-2026-0001"
ROUNDS, SHEETS, ITEMS = 4, 6, 80
OVERHEAD_MS = 10.0
TARGET_FACTOR = 1.2


def build_case(store: Store) -> None:
    """Synthetic: one child, 4 rounds, 6 professionals each answering 80 items with notes, a final consensus."""
    form = get_form("childcare-development-checklist")
    items = [i.id for i in form.items()][:ITEMS]
    pros = [store.professionals.add(Professional(name=f"Bench Rater {n}", role="Practitioner", agency=Agency.HEALTH))
            for n in range(SHEETS)]
    family = store.families.add(Family(case_ref=CASE_REF, family_name="Benchmark"))
    for p in pros:
        store.families.involve(family.id, p.id)
    child = store.children.add(Child(family_id=family.id, given_names="Bench", family_name="Benchmark",
                                     date_of_birth=dt.date(2018, 1, 1)))
    options = ("yes", "borderline", "no", "not_known")
    for r in range(ROUNDS):
        held = dt.date(2025, 1, 1) + dt.timedelta(days=91 * r)
        rnd = store.rounds.add(AssessmentRound(child_id=child.id, held_on=held, purpose=RoundPurpose.CORE_GROUP))
        at = dt.datetime.combine(held, dt.time(12), tzinfo=dt.UTC)
        for n, p in enumerate(pros):
            answers = {item: Answer(item, options[(k + n + r) % 4], note="Seen on a home visit; noted twice."
                                    if k % 4 == 0 else "") for k, item in enumerate(items)}
            store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=p.id,
                                            form_id=form.id, form_version=form.version, answers=answers,
                                            free_text={"strengths": "Warm and attentive with the baby."},
                                            status=SheetStatus.SUBMITTED, submitted_at=at))
        store.consensus.save(Consensus(round_id=rnd.id, form_id=form.id, form_version=form.version,
                                       items={i: ConsensusItem(i, "yes") for i in items}).finalised(at))


def sqlcipher_kdf_ms(folder: Path) -> float:
    """One passphrase open of a one-page file with standard settings: the KDF plus a one-page read."""
    path = folder / "kdf.db"
    if not path.exists():
        conn = sqlcipher3.connect(str(path))
        conn.set_key(RECORD_PASS.encode())
        conn.execute("CREATE TABLE t (x)")
        conn.close()

    def attempt() -> None:
        conn = sqlcipher3.connect(str(path))
        try:
            conn.set_key(RECORD_PASS.encode())
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    return time_ms(attempt)


def measure(folder: Path, runs: int) -> tuple[list[Timing], dict[str, float]]:
    sender = Store.create(folder / "sender.ntdb", STORE_PASS, kdf=FAST_TEST_KDF,
                          owner=Professional(name="Bench Sender", role="Social worker", agency=Agency.SOCIAL_CARE))
    build_case(sender)
    dest = folder / "out" / f"{CASE_REF}.ntrec"
    dest.parent.mkdir()
    samples: tuple[list[float], ...] = tuple([] for _ in range(7))
    kdf, pbkdf2, export, read, dry, apply, identical = samples
    salt = b"\x01" * 16
    try:
        for run in range(runs + 1):  # the first run warms caches and is not counted
            k = sqlcipher_kdf_ms(folder)
            h = time_ms(lambda: hashlib.pbkdf2_hmac("sha512", RECORD_PASS.encode(), salt, STANDARD_KDF_ITER, 32))
            e = time_ms(lambda: sharing.export_case(sender, CASE_REF, RECORD_PASS, dest, overwrite=True))
            receiver = Store.create(folder / f"receiver{run}.ntdb", STORE_PASS, kdf=FAST_TEST_KDF,
                                    owner=Professional(name="Bench Receiver", role="GP", agency=Agency.HEALTH))
            try:
                started = time.perf_counter()
                record = sharing.read_record(dest, RECORD_PASS)
                r = (time.perf_counter() - started) * 1000
                d = time_ms(partial(sharing.preview_import, receiver, record))
                a = time_ms(partial(sharing.apply_import, receiver, record))
                i = time_ms(partial(sharing.apply_import, receiver, record))
            finally:
                receiver.close()
            if run:
                for samples, value in ((kdf, k), (pbkdf2, h), (export, e), (read, r), (dry, d), (apply, a),
                                       (identical, i)):
                    samples.append(value)
        size = dest.stat().st_size
    finally:
        sender.close()
    kdf_median = statistics.median(kdf)
    # The row's verdict compares p95 with p95 (the KDF itself wobbles on a shared machine); the ratio printed
    # under the table compares the medians.
    target = TARGET_FACTOR * (percentile(kdf, 95) + OVERHEAD_MS)
    answers = ROUNDS * SHEETS * ITEMS
    timings = [
        Timing("SQLCipher passphrase KDF (open + 1 page)", tuple(kdf),
               note=f"PBKDF2-HMAC-SHA512, {STANDARD_KDF_ITER:,} iterations: SQLCipher 4's standard settings"),
        Timing("PBKDF2-HMAC-SHA512 256k alone (hashlib)", tuple(pbkdf2), note="cross-check of the KDF cost"),
        Timing("export case (gather, write, verify, fsync, rename)", tuple(export), target_ms=round(target, 1),
               note=f"{ROUNDS} rounds x {SHEETS} sheets x {ITEMS} items = {answers} answers; {size // 1024} KiB file;"
                    f" target {TARGET_FACTOR} x (KDF p95 + {OVERHEAD_MS:g} ms)"),
        Timing("import: validate file (read_record)", tuple(read), note="KDF + every check of the reader"),
        Timing("import: dry-run plan", tuple(dry)),
        Timing("import: apply into an empty store", tuple(apply), note="one transaction, audited"),
        Timing("import: apply again (all identical)", tuple(identical), note="plans, writes nothing"),
    ]
    export_median = statistics.median(export)
    return timings, {"kdf_median_ms": kdf_median, "export_median_ms": export_median,
                     "ratio_export_to_kdf_plus_10ms": export_median / (kdf_median + OVERHEAD_MS),
                     "file_bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.exchange_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--memory-security", choices=("on", "off"), default="on",
                        help="SQLCipher's memory security as the app sets it (on), or off to see what it costs")
    args = parser.parse_args(argv)
    if args.memory_security == "off":  # must happen before any connection is opened: the setting is process-wide
        from neglect_tool.storage import connection

        connection.SESSION_PRAGMAS = ("PRAGMA cipher_memory_security = OFF", "PRAGMA cipher_log_level = NONE")
    folder = Path(tempfile.mkdtemp(prefix="neglect-exchange-"))
    try:
        timings, figures = measure(folder, max(1, args.runs))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table("Encrypted record export and import (milliseconds)", timings)
    ratio = figures["ratio_export_to_kdf_plus_10ms"]
    print(f"\nExport median / (KDF median + {OVERHEAD_MS:g} ms) = {ratio:.2f} (target <= {TARGET_FACTOR}): "
          f"{'met' if ratio <= TARGET_FACTOR else 'MISSED'}")
    name = "exchange_bench.json" if args.memory_security == "on" else "exchange_bench_memsec_off.json"
    written = write_json(args.out, name, {
        "benchmark": "exchange_bench", "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "case": {"rounds": ROUNDS, "sheets_per_round": SHEETS, "items": ITEMS},
        "sqlcipher_memory_security": args.memory_security,
        "timings": {t.name: t.as_dict() for t in timings},
        **{k: round(v, 3) for k, v in figures.items()},
    })
    print(f"\nJSON written to {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
