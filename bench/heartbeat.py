"""The event loop's pulse: the longest it went without turning, seen by a precise timer."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer

#: How often the heartbeat timer asks to run; a gap much wider than this is the loop being stalled.
HEARTBEAT_MS = 5


class Heartbeat(QObject):
    """A precise timer every ``HEARTBEAT_MS``; ``longest`` is the widest gap between two of its ticks."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def start(self) -> None:
        self.last, self.longest = time.monotonic(), 0.0
        self.timer.start()

    def stop(self) -> float:
        """Stop, and return the longest gap in milliseconds."""
        self._tick()
        self.timer.stop()
        return self.longest * 1000

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self.last)
        self.last = now
