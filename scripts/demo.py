"""Try mxsettings without an account anywhere: `make demo`.

Starts a throwaway Synapse and mail sink on 127.0.0.1, creates a demo account, signs the app in to it (the
token goes to your system keyring, the account record to a demo config folder), and starts the app. Every
validation mail the server sends is printed with its link, so adding an email address needs nothing but a
click on that link. Quit the app and press Enter to start it again (still signed in); press q or Ctrl-C
to stop: the servers, the demo folder and the demo token are removed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mxsettings.api.client import MatrixHttp
from mxsettings.services.accounts import AccountManager
from mxsettings.services.server_lookup import lookup_server
from mxsettings.store.accounts import CONFIG_DIR_ENV, AccountRecords
from mxsettings.store.secrets import choose_secret_store
from tests.harness.mailbox import Mailbox, recipients_of, validation_link
from tests.harness.synapse import SynapseServer

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-passw0rd"  # noqa: S105 - a throwaway account on a throwaway server


async def sign_in(server: SynapseServer, config_dir: Path) -> None:
    choice = choose_secret_store()
    if not choice.secure:
        print(f"Note: no secure keyring ({choice.reason}); the app will ask you to sign in (password above).")
    manager = AccountManager(AccountRecords(config_dir), choice.store, MatrixHttp)
    info = await lookup_server(server.base_url, MatrixHttp)
    try:
        await manager.sign_in_password(info, DEMO_USER, DEMO_PASSWORD)
    finally:
        await info.homeserver.aclose()
    await manager.close()


def watch_mail(mailbox: Mailbox, stop: threading.Event) -> None:
    seen = 0
    while not stop.wait(0.5):
        messages = mailbox.messages()
        for message in messages[seen:]:
            to = ", ".join(recipients_of(message))
            try:
                link = validation_link(message)
            except ValueError:
                link = "(no link in this mail)"
            print(f"\nMail for {to}: {message['Subject']}\n  open this link to confirm: {link}\n", flush=True)
        seen = len(messages)


def run_app(config_dir: Path) -> int:
    env = dict(os.environ, **{CONFIG_DIR_ENV: str(config_dir)})
    return subprocess.call([sys.executable, "-m", "mxsettings"], env=env)


def forget_demo_token(config_dir: Path) -> None:
    async def sign_out() -> None:
        manager = AccountManager(AccountRecords(config_dir), choose_secret_store().store, MatrixHttp)
        for result in await manager.restore_all():
            if result.account is not None:
                await manager.sign_out(result.account)
        await manager.close()

    asyncio.run(sign_out())


def main() -> int:
    demo_dir = Path(tempfile.mkdtemp(prefix="mxsettings-demo-"))
    config_dir = demo_dir / "config"
    server = SynapseServer(name="demo")
    stop = threading.Event()
    try:
        print("Starting a throwaway Synapse on 127.0.0.1 …", flush=True)
        server.start()
        server.register_user(DEMO_USER, DEMO_PASSWORD)
        asyncio.run(sign_in(server, config_dir))
        print(
            f"\nHomeserver:  {server.base_url}\nUser:        @{DEMO_USER}:localhost\n"
            f"Password:    {DEMO_PASSWORD}\nMail lands in {server.mail_dir} (links are printed here too)\n",
            flush=True,
        )
        threading.Thread(target=watch_mail, args=(server.mailbox, stop), daemon=True).start()
        while True:
            started = time.monotonic()
            run_app(config_dir)
            if time.monotonic() - started < 2:
                print("The app ended at once; is a display available (DISPLAY or WAYLAND_DISPLAY)?")
            if not sys.stdin.isatty():
                break
            answer = input("App closed. Enter starts it again (you stay signed in), q stops the demo: ")
            if answer.strip().lower().startswith("q"):
                break
    except KeyboardInterrupt:
        print()
    finally:
        stop.set()
        print("Cleaning up: signing the demo account out, stopping the servers …", flush=True)
        try:
            if server.running:
                forget_demo_token(config_dir)
        finally:
            server.close()
            shutil.rmtree(demo_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
