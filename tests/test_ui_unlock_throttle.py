"""Unlock throttling: each wrong passphrase in a row makes the next attempt wait longer (never an exit)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from neglect_tool.ui.screens.unlock import FAILURE_DELAYS, UnlockScreen


def test_wrong_passphrases_in_a_row_wait_longer_each_time(qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = UnlockScreen(store_label="store.ntdb")
    qtbot.addWidget(screen)
    assert list(FAILURE_DELAYS) == sorted(FAILURE_DELAYS) and FAILURE_DELAYS[-1] >= 30
    waits = []
    for _ in range(len(FAILURE_DELAYS) + 2):
        screen.passphrase.setText("not the passphrase")
        screen._submit()  # as pressing Enter does: the input is disabled while the attempt runs
        screen.unlock_failed("That passphrase does not unlock this store.")
        waits.append(screen._cooldown.interval() if screen._cooldown.isActive() else 0)
        if screen._cooldown.isActive():
            assert not screen.passphrase.isEnabled() and not screen.button.isEnabled()
            assert "Try again in" in screen.message.text()
            screen._cooldown.stop()
            screen._set_enabled(True)
    assert waits == sorted(waits) and waits[0] == 0 and waits[-1] == 30_000  # grows, then stays at 30 s
    screen.reset()
    assert screen.failures == 0 and screen.passphrase.isEnabled()


def test_the_input_comes_back_after_the_wait(qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = UnlockScreen(store_label="store.ntdb")
    qtbot.addWidget(screen)
    for _ in range(3):  # the third failure waits FAILURE_DELAYS[3] seconds
        screen.passphrase.setText("wrong")
        screen._submit()
        screen.unlock_failed("wrong")
    assert not screen.passphrase.isEnabled()
    screen._cooldown.setInterval(50)
    screen._cooldown.start()
    qtbot.waitUntil(screen.passphrase.isEnabled, timeout=2_000)
