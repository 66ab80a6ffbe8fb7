"""Writer process for the crash test: commits groups of rows forever, acknowledging each commit on stdout.

The passphrase comes from the environment (never argv). Each group is GROUP_SIZE rows in one transaction.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from neglect_tool.storage.connection import EncryptedDatabase
from neglect_tool.storage.keys import FAST_TEST_KDF

GROUP_SIZE = 5


def main() -> None:
    db = EncryptedDatabase.open(Path(sys.argv[1]), os.environ["CRASH_PASSPHRASE"], kdf=FAST_TEST_KDF)
    row = db.conn.execute("SELECT max(CAST(substr(key, 2, instr(key, ':') - 2) AS INTEGER)) FROM meta"
                          " WHERE key LIKE 'g%'").fetchone()
    group = (row[0] or 0) + 1
    print("ready", flush=True)
    while True:
        with db.write() as conn:
            for i in range(GROUP_SIZE):
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"g{group}:{i}", "x" * 300))
        print(group, flush=True)  # acknowledged: the commit has returned
        group += 1


if __name__ == "__main__":
    main()
