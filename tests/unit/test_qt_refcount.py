"""Regression guard for the PySide6 6.12.0 reference-count bug on Python 3.11.

On the broken release, every Python-side ``emit`` drops a reference to ``True`` and every C++ -> Python call
(timers, which qasync uses for each asyncio callback) drops one to ``None``; the interpreter aborts after a
few thousand. Here the counts must stay put while far more than that happens.
"""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

EMITS = 20_000
CALLBACKS = 20_000


class Emitter(QObject):
    fired = Signal(bool)


def test_many_signal_emits_keep_true_alive(qtbot: QtBot) -> None:
    emitter = Emitter()
    received = [0]

    def count(_value: bool) -> None:
        received[0] += 1  # must not keep the value: holding 20,000 Trues would hide the bug

    emitter.fired.connect(count)
    before = sys.getrefcount(True)
    for _ in range(EMITS):
        emitter.fired.emit(True)
    assert received[0] == EMITS
    # Immortal on 3.12+ (huge, constant); on 3.11 a leak or an over-release moves it by thousands.
    assert abs(sys.getrefcount(True) - before) < 1000


def test_many_qasync_callbacks_keep_none_alive(qapp: QApplication) -> None:
    import qasync

    loop = qasync.QEventLoop(qapp)
    before = sys.getrefcount(None)

    async def spin() -> int:
        count = 0
        for _ in range(CALLBACKS):
            await asyncio.sleep(0)
            count += 1
        return count

    try:
        assert loop.run_until_complete(spin()) == CALLBACKS
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert abs(sys.getrefcount(None) - before) < 1000


def test_installed_pyside6_is_not_the_broken_release_on_311() -> None:
    import PySide6

    broken = sys.version_info < (3, 12) and PySide6.__version__.startswith("6.12.")
    assert not broken, f"PySide6 {PySide6.__version__} aborts on Python 3.11"
