"""Responsiveness and round trips: each account flow through the whole app, Synapse 200 ms away.

Run in a child process (``python -m bench.flows``, by ``bench.run``) so that its QApplication, qasync loop
and keyring connection are its own. A ``FaultProxy`` that adds ``LATENCY`` to every answer stands between
the app and Synapse; the app keeps its token in the real keyring (``scripts/run-bench.sh`` provides one).

For each flow a heartbeat timer (``Heartbeat``) records the longest the Qt event loop went without turning,
and the proxy counts the requests the flow sent. The flows are the ones a person runs, driven through the
widgets as the fault tests drive them (``tests/integration/app_driver.py``), with typing paced like a
person's (one key every ``KEY_MS``) so that the measure is of the app, not of a burst of synthetic keys:

* ``open-stored``: start with a stored session (the requests until the account is shown, and whether they
  overlapped; the stalls until the Contact info list has loaded too);
* ``sign-in``: a fresh app: server address, user name, password, Sign in;
* ``password-change``: the Password tab, with the current password answering the server's only stage;
* ``add-email``: Add, the password prompt, the mailed link opened, the row finishing by itself;
* ``remove-email``: Remove, "Yes, remove".

The result is one JSON object on stdout's last line (``FlowResult`` for each flow).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import json
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import qasync
from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from bench.heartbeat import Heartbeat
from mxsettings.api.client import Timeouts
from mxsettings.app import io_threads, load_ahead
from mxsettings.store.secrets import choose_secret_store
from tests.harness.fault_proxy import Exchange, FaultProxy
from tests.harness.mailbox import Mailbox, validation_link
from tests.harness.synapse import RegisteredUser, SynapseServer, make_password
from tests.integration.app_driver import AppDriver, server_versions

LATENCY = 0.2  # seconds added to every answer
KEY_MS = 15  # between two typed keys


@dataclass(frozen=True)
class FlowResult:
    name: str
    max_stall_ms: float  # the longest gap between two heartbeats while the flow ran
    requests: int
    repeated: list[str]  # GET requests sent more than once in the flow ("nothing is fetched twice")
    overlapped: bool  # whether every request of the flow was in flight at once (the restore's goal)
    seconds: float
    paths: list[str]


@dataclass
class Cut:
    """Set ``at`` inside a flow to count only the requests started before that moment."""

    at: float | None = None


class PacedBot:
    """The few pytest-qt ``QtBot`` calls ``AppDriver`` makes, on QTest, with typing at a person's pace."""

    def waitUntil(self, condition: Callable[[], object], *, timeout: int = 5000) -> None:
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} ms for {condition!r}")
            QTest.qWait(2)

    @contextlib.contextmanager
    def waitSignal(self, signal: SignalInstance, *, timeout: int = 5000) -> Iterator[None]:
        fired: list[object] = []
        signal.connect(lambda *args: fired.append(args))
        yield
        self.waitUntil(lambda: fired, timeout=timeout)

    def mouseClick(self, widget: QWidget, button: Qt.MouseButton) -> None:
        QTest.mouseClick(widget, button)

    def keyClick(self, widget: QWidget, key: Qt.Key) -> None:
        QTest.keyClick(widget, key)

    def keyClicks(self, widget: QWidget, text: str) -> None:
        for char in text:
            QTest.keyClicks(widget, char)
            QTest.qWait(KEY_MS)


class Bench:
    def __init__(self, synapse: SynapseServer, proxy: FaultProxy, loop: asyncio.AbstractEventLoop) -> None:
        self.synapse, self.proxy, self.loop = synapse, proxy, loop
        self.heartbeat = Heartbeat()
        self.versions = server_versions(synapse)
        self.results: list[FlowResult] = []
        self.scratch = Path(tempfile.mkdtemp(prefix="mxsettings-bench-flows-"))
        self.secrets = choose_secret_store()
        if not self.secrets.secure:
            raise SystemExit(f"no secure keyring ({self.secrets.reason}): run through scripts/run-bench.sh")

    def driver(self, name: str) -> AppDriver:
        return AppDriver(
            PacedBot(),  # type: ignore[arg-type]  (duck-typed: the calls AppDriver makes)
            self.loop,
            self.proxy.base_url,
            self.scratch / name,
            secrets=self.secrets.store,
            timeouts=Timeouts(),  # the app's own
        )

    @contextlib.contextmanager
    def flow(self, name: str) -> Iterator[Cut]:
        """Times the block's stalls and counts its requests (those started before ``Cut.at``, when set)."""
        QTest.qWait(50)  # let what the previous step left settle before the clock starts
        mark = time.monotonic()
        cut = Cut()
        self.heartbeat.start()
        yield cut
        stall = self.heartbeat.stop()
        seen = [e for e in self.proxy.exchanges_since(mark) if cut.at is None or e.started < cut.at]
        self.results.append(
            FlowResult(
                name=name,
                max_stall_ms=round(stall, 1),
                requests=len(seen),
                repeated=_repeated(seen),
                overlapped=_overlapped(seen),
                seconds=round(time.monotonic() - mark, 2),
                paths=[f"{e.method} {e.path}" for e in seen],
            )
        )

    def run(self) -> list[FlowResult]:
        user = self.synapse.register_user(f"benchflows-{int(time.time())}", make_password())
        self.open_stored(user)
        signed_in = self.sign_in(user)
        try:
            user = self.change_password(signed_in, user)
            address = f"{user.localpart}@example.test"
            self.add_email(signed_in, user, address)
            self.remove_email(signed_in, address)
        finally:
            signed_in.close()
        return self.results

    def open_stored(self, user: RegisteredUser) -> None:
        app = self.driver("stored")
        app.store_session(user, self.versions)
        try:
            from mxsettings.app import build_main_window

            window = build_main_window(
                config_dir=app.config_dir,
                secret_store=app.secrets,
                open_url=app.browser,
                timeouts=app.timeouts,
            )
            window.show()
            app.windows.append(window)
            with self.flow("open-stored") as cut:
                window.start()
                app.wait_for_account(user.user_id)
                # Opening the session ends here: its requests are counted. The Contact info tab then loads its
                # list (one more request, which is the tab's); the stalls are measured until it has.
                cut.at = time.monotonic()
                app.contact_page()
        finally:
            app.close()

    def sign_in(self, user: RegisteredUser) -> AppDriver:
        app = self.driver("fresh")
        app.open()
        with self.flow("sign-in"):
            app.look_up_server()
            app.press_sign_in(user.localpart, user.password)
            app.wait_for_account(user.user_id)
        return app

    def change_password(self, app: AppDriver, user: RegisteredUser) -> RegisteredUser:
        new_password = make_password()
        page = app.password_page()
        # The typing is the person's, not the flow's: only pressing the button is timed.
        for edit, text in ((page.current_edit, user.password), (page.new_edit, new_password)):
            app.qtbot.keyClicks(edit, text)
        app.qtbot.keyClicks(page.confirm_edit, new_password)
        with self.flow("password-change"):
            app.press_change_password(user.password, new_password)
            message = app.password_message()
        if not message.startswith("Your password has been changed."):
            raise RuntimeError(f"the password change failed: {message!r}")
        return dataclasses.replace(user, password=new_password)

    def add_email(self, app: AppDriver, user: RegisteredUser, address: str) -> None:
        since = self.synapse.mailbox.count()
        with self.flow("add-email"):
            app.press_add_email(address)
            app.answer_password_prompt(user.password)
            browse_to_link(PacedBot(), self.synapse.mailbox, address, since)
            app.qtbot.waitUntil(lambda: app.address_row(address) is not None, timeout=60_000)
            app.wait_idle()

    def remove_email(self, app: AppDriver, address: str) -> None:
        with self.flow("remove-email"):
            app.press_remove(address)
            app.qtbot.waitUntil(lambda: app.address_row(address) is None, timeout=20_000)


def browse_to_link(bot: PacedBot, mailbox: Mailbox, address: str, since: int) -> None:
    """The person opens the mailed link in their browser: another process, so here another thread.

    ``open_mailed_link`` of the tests fetches the link on the GUI thread, which stalls the very event loop
    this benchmark times (Synapse takes about 100 ms to validate); the browser's time is not the app's.
    """
    failures: list[BaseException] = []

    def browse() -> None:
        try:
            link = validation_link(mailbox.wait_for(address, since, timeout=30))
            with urllib.request.urlopen(link, timeout=10) as response:  # noqa: S310 (a loopback http link)
                if response.status != 200:
                    raise RuntimeError(f"the link answered {response.status}")
        except BaseException as exc:  # handed to the GUI thread, which fails the flow
            failures.append(exc)

    browser = threading.Thread(target=browse, name="browser")
    browser.start()
    bot.waitUntil(lambda: not browser.is_alive(), timeout=40_000)
    if failures:
        raise RuntimeError("opening the mailed link failed") from failures[0]


def _repeated(seen: list[Exchange]) -> list[str]:
    gets = [e.target for e in seen if e.method == "GET"]
    return sorted({target for target in gets if gets.count(target) > 1})


def _overlapped(seen: list[Exchange]) -> bool:
    """True when some moment had every request in flight (each started before any finished)."""
    return bool(seen) and max(e.started for e in seen) < min(e.finished for e in seen)


def main() -> int:
    from mxsettings.ui.import_scan import lighten_import_scan

    lighten_import_scan()  # as the app does before anything else
    app = QApplication(sys.argv)
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    loop.set_default_executor(io_threads())  # as the app's run() does
    load_ahead()  # as the app does while it opens the keyring: network stack, TLS context, services, pages
    try:
        with SynapseServer(name="bench-flows") as synapse, FaultProxy(synapse.port, delay=LATENCY) as proxy:
            results = Bench(synapse, proxy, loop).run()
    finally:
        gc.collect()
        # qasync's executor thread (the keyring calls) must be joined before Qt goes, or Qt aborts.
        loop.stop()
        loop.close()
        asyncio.events._set_running_loop(None)
    print(json.dumps([asdict(r) for r in results]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
