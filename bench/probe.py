"""What the measured child processes report, shared by the floor and the app launcher.

Kept to the standard library at import time: whatever this module imports is paid for by both sides of the
start-up comparison. Qt is imported inside the functions, after the caller has imported it anyway.
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

#: Set by the parent: ``time.monotonic()`` just before it started the child (comparable across processes).
T0_ENV = "MXSETTINGS_BENCH_T0"
#: Where the child appends its JSON lines (one object per event).
REPORT_ENV = "MXSETTINGS_BENCH_REPORT"
#: "startup": quit once the main window has painted; "memory": go on to the idle measurement.
MODE_ENV = "MXSETTINGS_BENCH_MODE"
#: The stored account's password, for the flow the app runs before its memory is read.
PASSWORD_ENV = "MXSETTINGS_BENCH_PASSWORD"  # noqa: S105 - the name of a variable
#: How long a process sits idle before its resident memory is read.
IDLE_MS = 1500


def startup_only() -> bool:
    return os.environ.get(MODE_ENV, "startup") == "startup"


def since_start() -> float:
    """Seconds since the parent started this process."""
    return time.monotonic() - float(os.environ[T0_ENV])


def report(**fields: object) -> None:
    with Path(os.environ[REPORT_ENV]).open("a", encoding="utf-8") as out:
        out.write(json.dumps(fields) + "\n")


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS, after a full collection), in MB (10^6 bytes)."""
    gc.collect()
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmRSS in /proc/self/status")


#: Where resident memory is mapped, by the first matching fragment of the mapping's path ("" = anonymous).
RSS_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anonymous (Python objects, Qt's allocations)", ("", "[heap]", "[anon]", "[stack]")),
    ("Qt and PySide6 libraries", ("/PySide6/", "/shiboken6/")),
    ("cryptography (for secretstorage)", ("/cryptography/",)),
    ("system OpenSSL (TLS)", ("libssl.so", "libcrypto.so", "/_ssl.", "/_hashlib.")),
    ("Python interpreter and its extensions", ("libpython", "/lib-dynload/")),
)
OTHER_PART = "other libraries and files"


def rss_parts() -> dict[str, float]:
    """Resident memory by where it is mapped (``/proc/self/smaps``), in MB, under the names of RSS_PARTS.

    Read after ``rss_mb``: the figure is for explaining the total, not part of any goal.
    """
    parts: dict[str, float] = {}
    where = OTHER_PART
    for line in Path("/proc/self/smaps").read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and not fields[0].endswith(":"):  # a mapping's header line
            path = fields[5] if len(fields) > 5 else ""
            where = next(
                (
                    name
                    for name, fragments in RSS_PARTS
                    if any((f == "" and path == "") or (f and (path == f or f in path)) for f in fragments)
                ),
                OTHER_PART,
            )
        elif fields and fields[0] == "Rss:":
            parts[where] = parts.get(where, 0.0) + int(fields[1]) * 1024 / 1e6
    return parts


def watch_first_paint(app: QApplication, on_painted: object = None) -> None:
    """Report ``painted`` (seconds since process start) once a visible main window's paint has finished.

    An application-wide event filter sees the first Paint event of any widget in a visible QMainWindow; the
    time is taken in a zero timer after it, that is once the paint (and the flush of the backing store that
    follows it in the same event) is done. ``on_painted`` (a callable) runs after the report.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow, QWidget

    class _Watcher(QObject):
        def __init__(self) -> None:
            super().__init__(app)
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
                and watched.window().isVisible()
            ):
                self.seen = True
                QTimer.singleShot(0, self._painted)
            return False

        def _painted(self) -> None:
            report(event="painted", seconds=since_start())
            app.removeEventFilter(self)
            if callable(on_painted):
                on_painted()

    app.installEventFilter(_Watcher())
