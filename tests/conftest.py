"""Settings shared by every test: Qt renders offscreen unless a display is chosen on purpose."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The ``qloop`` fixture (a running qasync loop for click-then-wait widget tests) lives in tests/qt_loop.py.
pytest_plugins = ["tests.qt_loop"]
