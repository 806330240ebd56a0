"""The ``mxsettings`` command as a person runs it, closed at any moment of its start.

The app paints its window before it chooses the keyring and loads the rest (``app.run``), so a person can
close it while the accounts are still being opened. Each run here starts the real command in a child
process (offscreen, with this session's keyring, in Python's development mode, which reports pending
tasks and unclosed resources) and quits it a given time after the first paint.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAUNCHER = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

app = QApplication(sys.argv)
delay = int(sys.argv[1])


class QuitAfterPaint(QObject):
    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)):
            app.removeEventFilter(self)
            QTimer.singleShot(delay, app.quit)
        return False


quitter = QuitAfterPaint(app)
app.installEventFilter(quitter)
from mxsettings.cli import main
sys.exit(main([]))
"""


@pytest.mark.parametrize("delay_ms", [0, 40, 80, 120, 200, 600])
def test_closing_during_start_leaves_nothing_running(tmp_path: Path, delay_ms: int) -> None:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail("no D-Bus session: run the suite with scripts/run-tests.sh", pytrace=False)
    env = dict(os.environ, MXSETTINGS_CONFIG_DIR=str(tmp_path / "config"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-c", LAUNCHER, str(delay_ms)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    signs = ("Traceback", "was destroyed but it is pending", "never retrieved", "ResourceWarning")
    problems = [line for line in done.stderr.splitlines() if any(sign in line for sign in signs)]
    assert done.returncode == 0, done.stderr[-3000:]
    assert problems == [], done.stderr[-3000:]
