"""Settings shared by every test: Qt renders offscreen unless a display is chosen on purpose."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
