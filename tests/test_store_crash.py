"""Crash safety: SIGKILL a writer at random moments; after every kill the store is intact, every
acknowledged commit is there and no transaction is half-applied. 200 kills in CI; set
NEGLECT_TOOL_CRASH_KILLS=1000 for the documented long run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from neglect_tool.storage.connection import EncryptedDatabase
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.migrate import migrate

from .crash_writer import GROUP_SIZE

KILLS = int(os.environ.get("NEGLECT_TOOL_CRASH_KILLS", "200"))
PASSPHRASE = "crash test passphrase"


def _groups(db: EncryptedDatabase) -> Counter[int]:
    rows = db.conn.execute("SELECT key FROM meta WHERE key LIKE 'g%'").fetchall()
    return Counter(int(key[1:].split(":")[0]) for (key,) in rows)


def test_sigkill_mid_write_never_loses_an_acknowledged_commit(tmp_path: Path) -> None:
    path = tmp_path / "crash.ntdb"
    db = EncryptedDatabase.create(path, PASSPHRASE, kdf=FAST_TEST_KDF)
    migrate(db)
    db.close()
    rng = random.Random(1125)
    env = {**os.environ, "CRASH_PASSPHRASE": PASSPHRASE}
    writer = Path(__file__).with_name("crash_writer.py")
    acknowledged: set[int] = set()
    for kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(writer), str(path)], stdout=subprocess.PIPE, env=env,
                                text=True, cwd=Path(__file__).parent.parent)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.random() * 0.03)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged.update(int(line) for line in out.split() if line.isdigit())
        check = EncryptedDatabase.open(path, PASSPHRASE, kdf=FAST_TEST_KDF)
        try:
            report = check.check()
            assert report.ok, (kill, report)
            groups = _groups(check)
            partial = {g: n for g, n in groups.items() if n != GROUP_SIZE}
            assert not partial, f"kill {kill}: half-applied transactions {partial}"
            missing = acknowledged - set(groups)
            assert not missing, f"kill {kill}: acknowledged commits lost: {sorted(missing)[:5]}"
        finally:
            check.close()
    assert len(acknowledged) > KILLS  # the writer really was writing when it was killed
