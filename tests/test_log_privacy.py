"""Logs and error output carry no personal data. Every log record (root logger at DEBUG, Python warnings
included) and everything written to the file descriptors 1 and 2 (so SQLCipher's own C-level logging would be
caught too) is collected while errors are driven with canary data in play: a wrong passphrase, bad and
hostile import files, a malformed form file, a corrupted store, domain validation errors holding a canary
name, and an unexpected exception whose text holds one. The collected text must hold no canary."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from neglect_tool.cli import run_cli
from neglect_tool.domain import Agency, Child, DomainError, Family, Professional
from neglect_tool.forms import FormError, load_form_text
from neglect_tool.services import sharing
from neglect_tool.services.errors import user_message
from neglect_tool.services.session import Session
from neglect_tool.storage.errors import StoreError
from neglect_tool.storage.exchange import RecordError
from neglect_tool.storage.keys import STORE_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE
from .test_exchange_helpers import RECORD_PASSPHRASE, tamper
from .test_forms_malformed import VALID
from .test_retention import REF, _canary_case
from .trust_helpers import CHILD_NAME, FAMILY_NAME, NHS_NUMBER, NOTE, text_hits

REPO = Path(__file__).resolve().parents[1]
STANDARD_ITER = 256_000


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@pytest.fixture
def logs() -> Iterator[_Collector]:
    root = logging.getLogger()
    collector = _Collector()
    collector.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    old_level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    logging.captureWarnings(True)
    try:
        yield collector
    finally:
        logging.captureWarnings(False)
        root.removeHandler(collector)
        root.setLevel(old_level)


@pytest.fixture(scope="module")
def canary_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store with the production KDF (the CLI opens with it) holding the canary case."""
    path = tmp_path_factory.mktemp("logs") / "store.ntdb"
    owner = Professional(name="Robin Testwell", role="Social worker", agency=Agency.SOCIAL_CARE)
    with Store.create(path, PASSPHRASE, owner=owner, kdf=STORE_KDF) as store:
        _canary_case(store)
    return path


@pytest.fixture(scope="module")
def canary_record(canary_store: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The canary case as an encrypted record file (standard SQLCipher settings, as the CLI expects)."""
    out = tmp_path_factory.mktemp("record") / "case.ntrec"
    with Store.open(canary_store, PASSPHRASE, kdf=STORE_KDF) as store:
        sharing.export_case(store, REF, RECORD_PASSPHRASE, out)
    return out.read_bytes()


def _assert_clean(*outputs: str) -> None:
    text = "\n".join(outputs)
    assert text_hits(text) == [], [line for line in text.splitlines() if text_hits(line)][:5]


def test_wrong_passphrase(canary_store: Path, logs: _Collector, capfd: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    for wrong in ("not the passphrase at all", f"{CHILD_NAME} {FAMILY_NAME}", ""):
        with pytest.raises(StoreError):
            Session.unlock(canary_store, wrong)
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", f"{FAMILY_NAME} is not the passphrase")
    assert run_cli(["--store", str(canary_store), "cases", "list", "--search", CHILD_NAME[:3]]) == 1
    out, err = capfd.readouterr()
    assert "passphrase" in err.lower()
    _assert_clean(out, err, *logs.lines)


def test_bad_and_hostile_import_files(canary_store: Path, canary_record: bytes, tmp_path: Path, logs: _Collector,
                                      capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, bytes] = {
        "random": os.urandom(8192),
        "truncated": canary_record[: len(canary_record) // 2 + 100],
        "text": f"{FAMILY_NAME},{CHILD_NAME},{NHS_NUMBER}\n".encode() * 300,
        "flipped": canary_record[:5000] + bytes([canary_record[5000] ^ 0x40]) + canary_record[5001:],
    }
    hostile = {
        "looping-view": ("DROP TABLE sheet_texts", "CREATE VIEW sheet_texts AS WITH RECURSIVE n(i) AS (SELECT 1 "
                         "UNION ALL SELECT i + 1 FROM n) SELECT i AS sheet_id, i AS section_id, i AS body FROM n"),
        "control-chars": (f"UPDATE children SET given_names = '{CHILD_NAME}' || char(27) || '[31m'",),
        "altered-note": (f"UPDATE answers SET note = '{NOTE} changed'",),
        "trigger": ("CREATE TRIGGER sneaky AFTER INSERT ON answers BEGIN SELECT 1; END",),
    }
    paths = []
    for name, content in files.items():
        paths.append(tmp_path / f"{name}.ntrec")
        paths[-1].write_bytes(content)
    for name, statements in hostile.items():
        paths.append(tmp_path / f"{name}.ntrec")
        paths[-1].write_bytes(canary_record)
        tamper(paths[-1], *statements, iterations=STANDARD_ITER)
    for path in paths:
        with pytest.raises(RecordError) as caught:
            sharing.read_record(path, RECORD_PASSPHRASE)
        _assert_clean(str(caught.value), user_message(caught.value))
    good = tmp_path / "good.ntrec"
    good.write_bytes(canary_record)
    with pytest.raises(RecordError):
        sharing.read_record(good, f"{CHILD_NAME} wrong passphrase")
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("NEGLECT_TOOL_IMPORT_PASSPHRASE", RECORD_PASSPHRASE)
    for path in (paths[0], paths[4], paths[5]):
        assert run_cli(["--store", str(canary_store), "import", str(path)]) == 1
    out, err = capfd.readouterr()
    assert err.count("neglect-tool:") == 3
    _assert_clean(out, err, *logs.lines)


def test_malformed_form_file(tmp_path: Path, logs: _Collector, capfd: pytest.CaptureFixture[str]) -> None:
    broken = VALID.replace("[[sections]]", "[[sections", 1)
    form = tmp_path / "broken.toml"
    form.write_text(f"# drafted after the {FAMILY_NAME} review\n" + broken, encoding="utf-8")
    with pytest.raises(FormError):
        load_form_text(form.read_text(encoding="utf-8"), "broken.toml")
    assert run_cli(["forms", "validate", str(form)]) != 0
    out, err = capfd.readouterr()
    assert "broken.toml" in out + err
    _assert_clean(out, err, *logs.lines)


def test_corrupted_store(canary_store: Path, tmp_path: Path, logs: _Collector, capfd: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(canary_store.read_bytes())
    for offset in range(4096 * 2 + 100, len(data), 4096 * 3):
        data[offset] ^= 0x5A
    damaged = tmp_path / "damaged.ntdb"
    damaged.write_bytes(bytes(data))
    try:
        with Store.open(damaged, PASSPHRASE, kdf=STORE_KDF) as store:
            assert not store.check().ok
            store.families.list_summaries()
    except StoreError as exc:
        _assert_clean(str(exc), user_message(exc))
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", PASSPHRASE)
    run_cli(["--store", str(damaged), "store", "check"])
    run_cli(["--store", str(damaged), "cases", "list"])
    _out, err = capfd.readouterr()
    _assert_clean(err, *logs.lines)  # stdout of `cases list` may list the cases it could still read
    # a real process, so that anything the C libraries write to stderr is seen as a user would see it
    env = {**os.environ, "NEGLECT_TOOL_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "neglect_tool", "--store", str(damaged), "store", "check"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    _assert_clean(done.stdout, done.stderr)


def test_domain_errors_and_unexpected_errors(fresh_store: Store, logs: _Collector,
                                            capfd: pytest.CaptureFixture[str]) -> None:
    family = fresh_store.families.add(Family(case_ref="LP-1", family_name="Plainname"))
    attempts = [
        lambda: Family(case_ref="LP-2", family_name=f"{FAMILY_NAME}\x07"),
        lambda: Family(case_ref="LP-2", family_name=FAMILY_NAME * 40),
        lambda: Child(family_id=family.id, given_names=f"{CHILD_NAME}\x1b[2J", family_name=FAMILY_NAME,
                      date_of_birth=dt.date(2019, 1, 1)),
        lambda: Child(family_id=family.id, given_names=CHILD_NAME, family_name=FAMILY_NAME,
                      date_of_birth=dt.date(2019, 1, 1), nhs_number=NHS_NUMBER[:-1] + "0"),
        lambda: Child(family_id=family.id, given_names=CHILD_NAME, family_name=FAMILY_NAME,
                      date_of_birth=dt.date(2099, 1, 1)),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as caught:
            attempt()
        _assert_clean(str(caught.value), user_message(caught.value))  # messages say what is wrong, not the value
    with pytest.raises(StoreError) as refused:  # a duplicate case reference
        fresh_store.families.add(Family(case_ref="LP-1", family_name=FAMILY_NAME))
    _assert_clean(str(refused.value))
    shown = user_message(RuntimeError(f"boom while saving {CHILD_NAME} {NHS_NUMBER}"))
    assert "RuntimeError" in shown
    _assert_clean(shown)
    logging.getLogger("neglect_tool").debug("a debug line with %s", "no personal data")
    assert any("unexpected error" in line and "RuntimeError" in line for line in logs.lines)  # capture works
    out, err = capfd.readouterr()
    _assert_clean(out, err, *logs.lines)


def test_the_collector_does_catch_a_leak(logs: _Collector) -> None:
    """The scan is not blind: a canary that does reach a log is found."""
    logging.getLogger("neglect_tool.test").warning("leaked %s", CHILD_NAME)
    with pytest.raises(AssertionError):
        _assert_clean(*logs.lines)
