"""Autosave: the app process is SIGKILLed while answering; every acknowledged answer is in the store."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from neglect_tool.domain import Child, Family, RoundPurpose
from neglect_tool.services.casework import Casework
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE

KILLS = 3


def test_answers_survive_a_kill_of_the_app(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    family = work.save_family(Family(case_ref="K-0001", family_name="Testfamily"))
    child = work.save_child(Child(family_id=family.id, given_names="Kit", family_name="Testfamily",
                                  date_of_birth=dt.date(2019, 1, 1)))
    rnd = work.create_round(child.id, held_on=dt.date(2026, 9, 1), purpose=RoundPurpose.CORE_GROUP)
    path = fresh_store.path
    fresh_store.close()
    env = {**os.environ, "AUTOSAVE_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    child_script = Path(__file__).with_name("ui_autosave_child.py")
    rng = random.Random(7)
    for _ in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(child_script), str(path), str(rnd.id)],
                                stdout=subprocess.PIPE, env=env, text=True, cwd=Path(__file__).parents[1])
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        acknowledged: dict[str, str] = {}
        for _line in range(rng.randint(8, 30)):
            kind, item_id = proc.stdout.readline().split()
            acknowledged[item_id] = kind
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        with Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
            assert store.check().ok
            sheet = Casework(store).start_own_sheet(rnd.id).sheet
            for item_id, kind in acknowledged.items():
                assert sheet.answers[item_id].option is not None
                if kind == "noted":
                    assert sheet.answers[item_id].note == "note typed before the crash"
