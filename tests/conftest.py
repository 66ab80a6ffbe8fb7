"""Shared fixtures: real encrypted stores (fast KDF for speed), Qt offscreen, data folders under tmp."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from neglect_tool.domain import Agency, Professional
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every per-user folder (data, config, Qt settings) inside the test's temp area."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("NEGLECT_TOOL_STORE", raising=False)
    monkeypatch.delenv("NEGLECT_TOOL_PASSPHRASE", raising=False)


@pytest.fixture
def owner() -> Professional:
    return Professional(name="Robin Testwell", role="Social worker", agency=Agency.SOCIAL_CARE)


@pytest.fixture
def fresh_store(tmp_path: Path, owner: Professional) -> Iterator[Store]:
    store = Store.create(tmp_path / "store" / "test.ntdb", PASSPHRASE, owner=owner, kdf=FAST_TEST_KDF)
    try:
        yield store
    finally:
        store.close()
