"""Run slow service calls (unlock, create, demo build) off the UI thread, with one error path.

Modelled on Anki's CollectionOp: the caller gives the work and what to do with its result; errors are
delivered to one handler on the UI thread; the window stays responsive and can show a busy state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to the UI thread's error handler
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Operations(QObject):
    """Owns the relays of running jobs so that they live until their result arrives."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one store operation at a time
        self._live: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        relay = _Relay()
        self._live.add(relay)

        def finish_ok(result: object) -> None:
            self._live.discard(relay)
            on_success(result)

        def finish_err(exc: object) -> None:
            self._live.discard(relay)
            on_error(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))

        relay.succeeded.connect(finish_ok)
        relay.failed.connect(finish_err)
        self._pool.start(_Job(work, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
