"""Render the app's windows into docs/screenshots/ (offscreen), against the spec-shaped fake homeserver.

    .venv/bin/python scripts/screenshots.py [OUTDIR]

Every picture comes from the real widgets driven through their real code paths; only the server is fake,
so the pictures need no network and look the same on every run. Open them after changing a window.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from mxsettings.app import build_main_window
from mxsettings.store.secrets import MemorySecretStore, StoreProblem
from tests.fakes.homeserver import FakeHomeserver


def save(widget: QWidget, outdir: Path, name: str) -> None:
    path = outdir / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the window never reached the state to photograph")
        await asyncio.sleep(0.02)


async def shoot(outdir: Path) -> None:
    fake = FakeHomeserver(base_url="https://matrix.example.org", user_id="@alice:example.org")
    with tempfile.TemporaryDirectory() as config:
        window = build_main_window(
            config_dir=Path(config),
            secret_store=MemorySecretStore(),
            transport=fake.transport(),
            store_problem=StoreProblem.NO_BACKEND,
            open_url=lambda url: None,
        )
        window.resize(760, 560)
        window.show()
        window.start()
        page = window.sign_in
        await until(lambda: window.stack.currentWidget() is page)
        save(window, outdir, "sign-in")
        page.homeserver_input.setText("https://matrix.example.org")
        page.look_up()
        await until(page.password_box.isVisible)
        page.username_input.setText("alice")
        page.password_input.setText("wrong-password")
        page.sign_in()
        await until(page.password_error.isVisible)
        save(window, outdir, "sign-in-error")
        page.password_input.setText(fake.password)
        page.sign_in()
        await until(lambda: window.stack.currentWidget() is window.account_view)
        await until(lambda: not window.busy.isVisible())
        save(window, outdir, "main-window")
        await window.shutdown()
        window.close()


def main() -> int:
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    outdir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(shoot(outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
