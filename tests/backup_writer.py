"""Backup process for the kill-during-backup test: writes Store.backup(dest) over and over, acknowledging each.

Usage: python backup_writer.py STORE DEST. The passphrase comes from the environment (never argv).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store


def main() -> None:
    store = Store.open(Path(sys.argv[1]), os.environ["CRASH_PASSPHRASE"], kdf=FAST_TEST_KDF)
    dest = Path(sys.argv[2])
    print("ready", flush=True)
    done = 0
    while True:
        store.backup(dest)
        done += 1
        print(done, flush=True)  # acknowledged: the backup is complete under its final name


if __name__ == "__main__":
    main()
