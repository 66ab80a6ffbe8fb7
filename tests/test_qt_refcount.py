"""Guard against PySide6-Essentials 6.12.0's defect on CPython < 3.12: every wrapped Qt method returning
void dropped a reference to None, and after ~5,000 calls the interpreter aborted (none_dealloc).
pyproject.toml pins a range without it; this test makes sure no upgrade brings it back silently."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")


def test_void_qt_calls_do_not_leak_references_to_none(qapp: object) -> None:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    obj = QObject()
    before = sys.getrefcount(None)
    for i in range(5_000):
        widget.resize(10 + i % 7, 10)  # QWidget.resize returns void
        obj.setObjectName("probe")  # QObject.setObjectName returns void
    after = sys.getrefcount(None)
    # Python >= 3.12 makes None immortal (refcount constant); before that it must not fall.
    assert after >= before, f"None lost {before - after} references over 10,000 void Qt calls"
    widget.deleteLater()


def test_installed_pyside_is_not_the_broken_release() -> None:
    import PySide6

    if sys.version_info < (3, 12):
        assert not PySide6.__version__.startswith("6.12.0"), "PySide6 6.12.0 crashes CPython < 3.12"
