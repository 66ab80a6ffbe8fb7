"""Crash safety of the export: a process exporting the same case over and over is SIGKILLed at random
moments; after every kill the final file name holds either nothing or a complete record that passes every
import check. Never a half-written file.

100 kills in CI (a forked child, so no interpreter start-up per kill); NEGLECT_TOOL_EXCHANGE_KILLS sets
another number for a longer run.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from neglect_tool.domain import Agency, Professional
from neglect_tool.services import sharing
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE
from .test_exchange_helpers import CASE_REF, FAST_ITER, RECORD_PASSPHRASE, build_small_case

KILLS = int(os.environ.get("NEGLECT_TOOL_EXCHANGE_KILLS", "100"))


def _export_forever(store_path: Path, dest: Path, ready_fd: int) -> None:
    """The child: open the store, then export to the same final name until killed."""
    store = Store.open(store_path, PASSPHRASE, kdf=FAST_TEST_KDF)
    os.write(ready_fd, b"r")
    while True:
        sharing.export_case(store, CASE_REF, RECORD_PASSPHRASE, dest, overwrite=True, kdf_iter=FAST_ITER)
        os.write(ready_fd, b"e")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_mid_export_never_leaves_a_partial_file(tmp_path: Path) -> None:
    store_path = tmp_path / "store" / "a.ntdb"
    store = Store.create(store_path, PASSPHRASE, kdf=FAST_TEST_KDF,
                         owner=Professional(name="Kill Tester", role="GP", agency=Agency.HEALTH))
    build_small_case(store)
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    dest = out / f"{CASE_REF}.ntrec"
    rng = random.Random(20261125)
    completed = valid_checks = 0
    for _kill in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_fd)
                _export_forever(store_path, dest, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        assert os.read(read_fd, 1) == b"r"
        time.sleep(rng.random() * 0.12)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 4096):
            completed += chunk.count(b"e")
        os.close(read_fd)
        if dest.exists():
            record = sharing.read_record(dest, RECORD_PASSPHRASE, kdf_iter=FAST_ITER)  # raises if incomplete
            assert record.manifest.case_ref == CASE_REF and len(record.content.sheets) == 3
            valid_checks += 1
    leftovers = [p for p in out.iterdir() if p != dest]
    assert all(p.name.startswith(f".{dest.name}.") for p in leftovers)  # only private temp files, never the name
    assert leftovers, "no kill landed mid-export: the test did not exercise the crash window"
    assert completed > 0 and valid_checks > 0
    print(f"{KILLS} kills, {completed} exports completed, {len(leftovers)} killed mid-write, "
          f"{valid_checks} final files checked valid")

    # The next export to the same name sweeps the killed writers' temp files once they are stale (a minute
    # old), and leaves a fresh one alone: it could belong to a writer still running in another process.
    stale = time.time() - 3600
    for leftover in leftovers:
        os.utime(leftover, (stale, stale))
    fresh = out / f".{dest.name}.fresh0.tmp"
    fresh.write_bytes(b"\0" * 4096)
    store = Store.open(store_path, PASSPHRASE, kdf=FAST_TEST_KDF)
    try:
        sharing.export_case(store, CASE_REF, RECORD_PASSPHRASE, dest, overwrite=True, kdf_iter=FAST_ITER)
    finally:
        store.close()
    assert sorted(out.iterdir()) == sorted([dest, fresh])
