"""Settings shared by every test: Qt renders offscreen unless a display is chosen on purpose."""

from __future__ import annotations

import os

# Imported up front: when no test needed it, hypothesis's pytest plugin imports it at the terminal summary,
# and after a failed Qt test CPython 3.11.7 has crashed there ("AST constructor recursion depth mismatch"),
# hiding the failure it was about to report.
import hypothesis  # noqa: F401

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The ``qloop`` fixture (a running qasync loop for click-then-wait widget tests) lives in tests/qt_loop.py.
pytest_plugins = ["tests.qt_loop"]
