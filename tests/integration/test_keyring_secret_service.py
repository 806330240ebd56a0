"""The secret store against a real Secret Service (gnome-keyring under a private D-Bus session).

``scripts/run-tests.sh`` runs pytest inside ``dbus-run-session`` with an unlocked gnome-keyring and a
throwaway ``$HOME``. Without that session these tests fail: a skipped keyring test would hide the one
place where tokens could leak to disk.

The locked and missing-collection cases need a keyring in a state the shared session must not be left in,
so they start their own short-lived D-Bus session and gnome-keyring in a child process. There, a spy on
secretstorage's prompt call shows that choosing the store asks the user nothing, and that keyring's own
lookup, for comparison, would have.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import keyring
import keyring.core
import pytest
import secretstorage
from keyring.backends import SecretService

from mxsettings.store.secrets import (
    SERVICE,
    KeyringSecretStore,
    StoreProblem,
    access_token_key,
    choose_secret_store,
)

ROOT = Path(__file__).resolve().parents[2]
MAX_FILES_SCANNED = 50_000


def require_session_bus() -> None:
    # A failure, not a skip, and in the test itself so it reads FAILED rather than a setup error.
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail(
            "DBUS_SESSION_BUS_ADDRESS is unset: the keyring tests need a D-Bus session with an unlocked "
            "gnome-keyring. Run the suite with `bash scripts/run-tests.sh` (or `make test`), which starts "
            "one under dbus-run-session with a throwaway HOME.",
            pytrace=False,
        )


@pytest.fixture
def fresh_detection() -> Iterator[None]:
    """Let keyring detect its backend again, as the app does at startup; restore the previous one after."""
    previous = keyring.core._keyring_backend
    keyring.core._keyring_backend = None
    try:
        yield
    finally:
        keyring.core._keyring_backend = previous


def test_the_secret_service_is_chosen(fresh_detection: None) -> None:
    require_session_bus()
    choice = choose_secret_store()
    assert choice.reason is StoreProblem.OK
    assert choice.secure
    assert isinstance(choice.store, KeyringSecretStore)
    # Exactly the Secret Service, even when keyrings.alt is installed and keyring itself returns a chainer.
    assert type(choice.store.backend) is SecretService.Keyring
    assert choice.backend == "keyring.backends.SecretService.Keyring"


@pytest.mark.asyncio
async def test_round_trip_keeps_the_value_out_of_every_file(fresh_detection: None) -> None:
    require_session_bus()
    choice = choose_secret_store()
    assert choice.secure, f"no secure store: {choice.reason}"
    store = choice.store
    key = access_token_key("@keyring-test:example.org", f"DEV{secrets.token_hex(4)}")
    value = f"syt_{secrets.token_hex(12)}_påsswörd-ключ-🔑"

    await store.set(key, value)
    try:
        assert await store.get(key) == value
        assert _secret_service_item(key) == value  # it really is in the Secret Service
        leaks = _files_containing(value)
        assert leaks == [], f"the secret is readable in plain files: {leaks}"
    finally:
        await store.delete(key)
    assert await store.get(key) is None
    await store.delete(key)  # deleting what is gone is fine


def _secret_service_item(key: str) -> str | None:
    # Straight from the daemon, not through keyring: proves where the value went.
    with closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.get_default_collection(connection)
        for item in collection.search_items({"service": SERVICE, "username": key}):
            return item.get_secret().decode("utf-8")
    return None


def _files_containing(value: str) -> list[str]:
    """Files under $HOME holding the value as UTF-8 or base64 (keyrings.alt's "plaintext" format)."""
    home = Path.home()
    excluded = {(home / ".local" / "share" / "keyrings").resolve()}
    if os.environ.get("XDG_DATA_HOME"):
        excluded.add((Path(os.environ["XDG_DATA_HOME"]) / "keyrings").resolve())
    raw = value.encode("utf-8")
    needles = (raw, base64.b64encode(raw))
    found: list[str] = []
    scanned = 0
    for directory, subdirs, files in os.walk(home):
        subdirs[:] = [d for d in subdirs if (Path(directory) / d).resolve() not in excluded]
        for name in files:
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue  # sockets, fifos, links out of HOME
            scanned += 1
            if scanned > MAX_FILES_SCANNED:
                pytest.fail(f"HOME ({home}) has over {MAX_FILES_SCANNED} files; run via scripts/run-tests.sh")
            try:
                content = path.read_bytes()
            except OSError:
                continue
            if any(needle in content for needle in needles):
                found.append(str(path))
    return found


# --- locked and missing collections, each in its own D-Bus session ---------------------------------------

CHILD = r"""
import json, sys, time
import secretstorage.collection, secretstorage.item, secretstorage.util

prompts = []
for module in (secretstorage.util, secretstorage.collection, secretstorage.item):
    original = getattr(module, "exec_prompt", None)
    if original is not None:
        def spy(connection, prompt_path, *args, _original=original, **kwargs):
            prompts.append(prompt_path)
            return _original(connection, prompt_path, *args, **kwargs)
        module.exec_prompt = spy

from mxsettings.store.secrets import PROBE_KEY, SERVICE, choose_secret_store

started = time.perf_counter()
choice = choose_secret_store()
elapsed_ms = 1e3 * (time.perf_counter() - started)
prompts_while_choosing = list(prompts)

# For comparison: keyring's own lookup on the same keyring.
import keyring
try:
    keyring.get_keyring().get_password(SERVICE, PROBE_KEY)
    naive = "ok"
except Exception as exc:
    naive = type(exc).__name__
print(json.dumps({
    "reason": str(choice.reason), "secure": choice.secure, "backend": choice.backend, "ms": elapsed_ms,
    "prompts": prompts_while_choosing, "naive": naive, "naive_prompts": prompts[len(prompts_while_choosing):],
}))
"""

SEED = (
    "from keyring.backends.SecretService import Keyring\n"
    "Keyring().set_password('mxsettings-test', 'seed', 'seed')\n"
)


def _private_session(
    home: Path, daemon: str | None, script: str, password: str | None
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` under a new D-Bus session whose gnome-keyring uses ``home``; nothing is shared.

    ``daemon`` None: no gnome-keyring at all, running or activatable (the bus is given a configuration
    whose only service folder is empty, so it finds no service file for org.freedesktop.secrets)."""
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found; install dbus-daemon and gnome-keyring (make system-deps)")
    runtime = home / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {"DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL", "PYTHON_KEYRING_BACKEND", "DISPLAY"}
    }
    env |= {
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PYTHONPATH": str(ROOT),
    }
    # The keyring password goes in on stdin; `--start` instead of `--unlock` leaves no login collection.
    command = f'gnome-keyring-daemon {daemon} --components=secrets >/dev/null && exec "$0" -c "$1"'
    bus = ["dbus-run-session"]
    if daemon is None:
        bus += ["--config-file", str(_bus_without_services(home))]
        command = 'exec "$0" -c "$1"'
    result = subprocess.run(
        [*bus, "--", "sh", "-c", command, sys.executable, script],
        input=password or "",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def _bus_without_services(home: Path) -> Path:
    """A session bus configuration like the system's, but with one empty folder for activatable services."""
    services = home / "no-services"
    services.mkdir(exist_ok=True)
    config = home / "session-without-services.conf"
    config.write_text(
        f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={home}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""",
        encoding="utf-8",
    )
    return config


def _child_report(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_a_locked_keyring_is_reported_without_a_prompt(
    tmp_path: Path,
) -> None:
    # The login keyring is made with one password, then the daemon is started with another: it stays locked.
    _private_session(tmp_path, "--unlock", SEED, password="first-password")
    report = _child_report(_private_session(tmp_path, "--unlock", CHILD, password="another-password"))
    assert report["reason"] == StoreProblem.LOCKED
    assert report["secure"] is False
    assert report["backend"] == "keyring.backends.SecretService.Keyring"
    assert report["prompts"] == []
    # keyring's own lookup asks the daemon to unlock, which means a dialog on a desktop.
    assert report["naive_prompts"] != []
    assert report["naive"] == "KeyringLocked"


def test_a_missing_collection_is_reported_without_a_prompt(tmp_path: Path) -> None:
    report = _child_report(_private_session(tmp_path, "--start", CHILD, password=None))
    assert report["reason"] == StoreProblem.NO_COLLECTION
    assert report["secure"] is False
    assert report["prompts"] == []
    # keyring's own lookup would create the collection, which needs a "new keyring password" dialog.
    assert report["naive_prompts"] != []
    assert report["naive"] == "InitError"


# --- the short way to the Secret Service (store/keyring_backend.py) -------------------------------------

SHORT_WAY = r"""
import json, sys
import keyring.core
from mxsettings.store.secrets import choose_secret_store, _pick, TRUSTED_BACKENDS

choice = choose_secret_store()
report = {
    "backend": choice.backend, "reason": str(choice.reason),
    "searched": keyring.core._keyring_backend is not None,
    "loaded": sorted(m for m in ("keyrings.alt", "keyring.backends.kwallet", "keyring.backends.libsecret")
                     if m in sys.modules),
}
# keyring's own search, for comparison: the member the app would trust must be the same class.
picked, _, _ = _pick(keyring.get_keyring(), TRUSTED_BACKENDS)
report["search_picks"] = f"{type(picked).__module__}.{type(picked).__qualname__}"
print(json.dumps(report))
"""


def test_a_running_secret_service_is_taken_without_keyrings_search() -> None:
    require_session_bus()
    from tests.fresh_python import run_fresh

    report = json.loads(run_fresh(SHORT_WAY).splitlines()[-1])
    assert report["backend"] == "keyring.backends.SecretService.Keyring"
    assert report["reason"] == StoreProblem.OK
    # keyring never searched: none of the other backends or the plugins (keyrings.alt) were imported...
    assert report["searched"] is False
    assert report["loaded"] == []
    # ...and the search, run afterwards, would have led to the same backend.
    assert report["search_picks"] == report["backend"]


NO_SERVICE = r"""
import json
from mxsettings.store.secrets import choose_secret_store
choice = choose_secret_store()
print(json.dumps({"backend": choice.backend, "reason": str(choice.reason), "secure": choice.secure}))
"""


def test_without_a_secret_service_keyring_searches_as_before(tmp_path: Path) -> None:
    # A D-Bus session with no gnome-keyring running and none activatable (no service files in the data
    # dirs): the short way finds nothing and keyring's search runs. In this venv it finds keyrings.alt's
    # plaintext file, which is refused, so the session stays in memory.
    report = _child_report(_private_session(tmp_path, None, NO_SERVICE, password=None))
    assert report["secure"] is False
    assert report["backend"] == "keyrings.alt.file.PlaintextKeyring"
    assert report["reason"] == StoreProblem.PLAINTEXT
