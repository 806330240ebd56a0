"""Which keyring the app trusts with tokens, and what happens when none can be trusted.

Every test installs its backend explicitly. The backend classes defined here have ``priority = -10`` as a
class attribute: keyring registers every ``KeyringBackend`` subclass, and a positive class priority would
turn ``keyring.get_keyring()`` into a chainer in every later test of the session.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import InitError, KeyringLocked, PasswordDeleteError, PasswordSetError
from keyrings.alt.file import PlaintextKeyring

from mxsettings.errors import SecretStoreError
from mxsettings.store.secrets import (
    SERVICE,
    TRUSTED_BACKENDS,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStore,
    StoreChoice,
    StoreProblem,
    access_token_key,
    choose_secret_store,
    open_secret_store,
    pending_secret_key,
    refresh_token_key,
)

SECRET = "syt_bW9ja3Rva2Vu_päss-wörd-✓"


class DictKeyring(KeyringBackend):
    """Stands in for an OS secret store: values in a dict, and it records the threads that call it."""

    priority = -10  # class level: never picked by keyring's own detection (see the module docstring)

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.threads: set[int] = set()

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.add(threading.get_ident())
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.add(threading.get_ident())
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.threads.add(threading.get_ident())
        if self.values.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class LockedKeyring(DictKeyring):
    """A store whose unlock prompt was dismissed, as the Secret Service backend reports it."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class LeakyKeyring(DictKeyring):
    """A backend whose errors quote what it was given: the store must not pass that text on."""

    def __init__(self, error: type[Exception]) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error(f"lookup of {username} failed")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error(f"cannot store {password!r} for {username}")

    def delete_password(self, service: str, username: str) -> None:
        raise self.error("delete failed")


class CredentialHelperKeyring(DictKeyring):
    """Like the artifact-registry helpers: a high priority, but it cannot store anything."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError


def dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# The production list plus the stand-in classes: the only way a test backend becomes trusted.
TRUSTED = TRUSTED_BACKENDS | {dotted(DictKeyring), dotted(LockedKeyring), dotted(LeakyKeyring)}


B = TypeVar("B", bound=KeyringBackend)


def viable(backend: B, priority: float = 5) -> B:
    """Give this instance the priority a viable OS store reports (Secret Service: 5); the class keeps -10."""
    backend.priority = priority
    return backend


@pytest.fixture
def use_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    # keyring keeps its backend in a module global; put back whatever was there (None included).
    previous = keyring.core._keyring_backend
    try:
        yield keyring.set_keyring
    finally:
        keyring.core._keyring_backend = previous


@pytest.fixture
def plaintext(tmp_path: Path) -> PlaintextKeyring:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "python_keyring" / "keyring_pass.cfg")
    return backend


@pytest.fixture
def chainer_of(
    monkeypatch: pytest.MonkeyPatch, use_keyring: Callable[[KeyringBackend], None]
) -> Callable[..., ChainerBackend]:
    """keyring's real ChainerBackend over the given backends, installed as the current keyring."""

    def make(*members: KeyringBackend) -> ChainerBackend:
        monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: list(members))
        chainer = ChainerBackend()
        use_keyring(chainer)
        return chainer

    return make


def assert_memory(choice: StoreChoice, reason: StoreProblem) -> None:
    assert isinstance(choice.store, MemorySecretStore)
    assert not choice.secure
    assert not choice.store.persistent
    assert choice.reason is reason


# --- choosing --------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_trusted_viable_backend_is_used(use_keyring: Callable[[KeyringBackend], None]) -> None:
    backend = viable(DictKeyring())
    use_keyring(backend)
    choice = choose_secret_store(trusted=TRUSTED)
    assert choice.secure
    assert choice.reason is StoreProblem.OK
    assert choice.backend == dotted(DictKeyring)
    assert isinstance(choice.store, KeyringSecretStore)
    assert choice.store.backend is backend
    assert choice.store.persistent

    backend.threads.clear()  # the probe ran here: choose_secret_store is the blocking half
    key = access_token_key("@alice:example.org", "DEVICE")
    await choice.store.set(key, SECRET)
    assert backend.values == {(SERVICE, key): SECRET}
    assert await choice.store.get(key) == SECRET
    await choice.store.delete(key)
    assert await choice.store.get(key) is None
    # Every store call ran off the event-loop thread.
    assert threading.get_ident() not in backend.threads


def test_a_backend_off_the_trusted_list_is_refused(use_keyring: Callable[[KeyringBackend], None]) -> None:
    # Same backend, same priority, production list: priority alone does not make a store trusted.
    use_keyring(viable(DictKeyring()))
    assert_memory(choose_secret_store(), StoreProblem.UNTRUSTED)


def test_a_trusted_class_with_priority_below_one_is_refused(
    use_keyring: Callable[[KeyringBackend], None],
) -> None:
    use_keyring(viable(DictKeyring(), priority=0.9))
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.UNTRUSTED)


def test_the_fail_backend_means_no_backend(use_keyring: Callable[[KeyringBackend], None]) -> None:
    use_keyring(fail.Keyring())
    choice = choose_secret_store(trusted=TRUSTED)
    assert_memory(choice, StoreProblem.NO_BACKEND)
    assert choice.backend == "keyring.backends.fail.Keyring"


def test_the_null_backend_is_refused(use_keyring: Callable[[KeyringBackend], None]) -> None:
    use_keyring(null.Keyring())
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.DISABLED)


def test_the_plaintext_backend_is_refused_and_not_touched(
    use_keyring: Callable[[KeyringBackend], None], plaintext: PlaintextKeyring
) -> None:
    use_keyring(plaintext)
    assert_memory(choose_secret_store(trusted=TRUSTED | {dotted(PlaintextKeyring)}), StoreProblem.PLAINTEXT)
    assert not Path(plaintext.file_path).exists()


def test_a_backend_that_cannot_load_is_unavailable(
    monkeypatch: pytest.MonkeyPatch, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "mxsettings_no_such_module.Keyring")
    keyring.core._keyring_backend = None  # detect again, as at startup; the fixture restores it
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.UNAVAILABLE)


@pytest.mark.asyncio
async def test_the_chainer_uses_its_secure_member_and_never_writes_plaintext(
    chainer_of: Callable[..., ChainerBackend], plaintext: PlaintextKeyring
) -> None:
    secure = viable(DictKeyring())
    chainer = chainer_of(secure, plaintext)
    assert chainer.backends == [secure, plaintext]  # what keyring itself would chain with keyrings.alt

    choice = choose_secret_store(trusted=TRUSTED)
    assert choice.secure
    assert isinstance(choice.store, KeyringSecretStore)
    assert choice.store.backend is secure
    await choice.store.set(access_token_key("@alice:example.org", "DEVICE"), SECRET)
    await choice.store.delete(access_token_key("@alice:example.org", "DEVICE"))
    assert not Path(plaintext.file_path).exists()


@pytest.mark.asyncio
async def test_reads_never_fall_through_to_the_plaintext_member(
    chainer_of: Callable[..., ChainerBackend], plaintext: PlaintextKeyring
) -> None:
    key = access_token_key("@alice:example.org", "DEVICE")
    plaintext.set_password(SERVICE, key, "left-over-plaintext")  # e.g. written by another tool
    chainer = chainer_of(viable(DictKeyring()), plaintext)
    assert chainer.get_password(SERVICE, key) == "left-over-plaintext"  # keyring's chainer would read it

    choice = choose_secret_store(trusted=TRUSTED)
    assert await choice.store.get(key) is None


def test_priority_does_not_beat_trust_inside_a_chainer(chainer_of: Callable[..., ChainerBackend]) -> None:
    secure = viable(DictKeyring())
    chainer_of(viable(CredentialHelperKeyring(), priority=9), secure)
    choice = choose_secret_store(trusted=TRUSTED)
    assert isinstance(choice.store, KeyringSecretStore)
    assert choice.store.backend is secure


def test_a_chainer_of_only_plaintext_is_refused_as_plaintext(
    chainer_of: Callable[..., ChainerBackend], plaintext: PlaintextKeyring
) -> None:
    chainer_of(plaintext)
    choice = choose_secret_store(trusted=TRUSTED)
    assert_memory(choice, StoreProblem.PLAINTEXT)
    assert choice.backend == "keyrings.alt.file.PlaintextKeyring"  # the reason names the refused member


def test_an_empty_chainer_means_no_backend(chainer_of: Callable[..., ChainerBackend]) -> None:
    chainer_of()
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.NO_BACKEND)


def test_a_chainer_that_cannot_list_its_members_is_unavailable(
    monkeypatch: pytest.MonkeyPatch, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    def broken() -> list[KeyringBackend]:
        raise RuntimeError("Unable to initialize SecretService: D-Bus went away")

    monkeypatch.setattr(keyring.backend, "get_all_keyring", broken)
    use_keyring(ChainerBackend())
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.UNAVAILABLE)


def test_a_locked_backend_means_memory_and_locked(use_keyring: Callable[[KeyringBackend], None]) -> None:
    use_keyring(viable(LockedKeyring()))
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.LOCKED)


def test_a_probe_that_fails_otherwise_means_unavailable(
    use_keyring: Callable[[KeyringBackend], None],
) -> None:
    use_keyring(viable(LeakyKeyring(InitError)))
    assert_memory(choose_secret_store(trusted=TRUSTED), StoreProblem.UNAVAILABLE)


@pytest.mark.asyncio
async def test_open_secret_store_chooses_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = viable(DictKeyring())
    use_keyring(backend)
    choice = await open_secret_store(trusted=TRUSTED)
    assert choice.secure
    assert backend.threads  # the probe ran
    assert threading.get_ident() not in backend.threads


def test_reasons_are_stable_codes() -> None:
    # The UI maps these to translated text; they are codes, not prose.
    assert {p.value for p in StoreProblem} == {
        "ok", "no_backend", "disabled", "plaintext", "untrusted", "locked", "no_collection", "unavailable",
    }  # fmt: skip


# --- errors never carry the secret -----------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("error", [PasswordSetError, RuntimeError, OSError, InitError])
async def test_a_failed_write_becomes_a_secret_store_error_without_the_value(error: type[Exception]) -> None:
    store = KeyringSecretStore(LeakyKeyring(error))
    with pytest.raises(SecretStoreError) as caught:
        await store.set(access_token_key("@alice:example.org", "DEVICE"), SECRET)
    exc = caught.value
    assert exc.operation == "set"
    assert exc.cause == error.__name__
    assert "<redacted>" in exc.detail
    # Not in the text, the repr, the detail, nor anything a logged traceback would print.
    assert exc.__context__ is None
    assert exc.__cause__ is None
    printed = "".join(traceback.format_exception(exc))
    for text in (str(exc), repr(exc), exc.detail, printed):
        assert SECRET not in text


@pytest.mark.asyncio
async def test_a_failed_read_becomes_a_secret_store_error() -> None:
    with pytest.raises(SecretStoreError, match=r"keyring get failed \(RuntimeError\)"):
        await KeyringSecretStore(LeakyKeyring(RuntimeError)).get("k")


@pytest.mark.asyncio
async def test_a_locked_keyring_on_write_is_flagged() -> None:
    with pytest.raises(SecretStoreError) as caught:
        await KeyringSecretStore(LockedKeyring()).set("k", SECRET)
    assert caught.value.locked
    assert SECRET not in str(caught.value)


@pytest.mark.asyncio
async def test_deleting_a_missing_key_is_fine() -> None:
    await KeyringSecretStore(DictKeyring()).delete(access_token_key("@alice:example.org", "GONE"))


@pytest.mark.asyncio
async def test_other_delete_failures_are_reported() -> None:
    with pytest.raises(SecretStoreError, match="InitError"):
        await KeyringSecretStore(LeakyKeyring(InitError)).delete("k")


@pytest.mark.asyncio
async def test_reprs_show_no_values(use_keyring: Callable[[KeyringBackend], None]) -> None:
    memory = MemorySecretStore()
    await memory.set("k", SECRET)
    use_keyring(viable(DictKeyring()))
    choice = choose_secret_store(trusted=TRUSTED)
    await choice.store.set("k", SECRET)
    for shown in (repr(memory), repr(choice.store), repr(choice), str(choice)):
        assert SECRET not in shown
    assert repr(memory) == "MemorySecretStore(1 entries)"


@pytest.mark.asyncio
async def test_memory_store_round_trip() -> None:
    store: SecretStore = MemorySecretStore()
    assert not store.persistent
    await store.set("k", SECRET)
    assert await store.get("k") == SECRET
    await store.delete("k")
    await store.delete("k")  # twice is fine
    assert await store.get("k") is None


# --- keys ------------------------------------------------------------------------------------------------


def test_keys_are_stable() -> None:
    # Changing these strings orphans every secret earlier versions stored.
    assert access_token_key("@alice:example.org", "ABCDEF") == "access_token @alice:example.org ABCDEF"
    assert refresh_token_key("@alice:example.org", "ABCDEF") == "refresh_token @alice:example.org ABCDEF"
    assert pending_secret_key("@alice:example.org", "sid1") == "pending_secret @alice:example.org sid1"


def test_keys_of_different_accounts_differ() -> None:
    keys = {
        access_token_key("@a:x", "D1"),
        access_token_key("@a:x", "D2"),
        access_token_key("@b:x", "D1"),
        refresh_token_key("@a:x", "D1"),
        pending_secret_key("@a:x", "D1"),
    }
    assert len(keys) == 5


@pytest.mark.parametrize(("user_id", "last"), [("", "D"), ("@a b:x", "D"), ("@a:x", ""), ("@a\n:x", "D")])
def test_malformed_key_parts_are_refused(user_id: str, last: str) -> None:
    with pytest.raises(ValueError, match=r"key|user ID"):
        access_token_key(user_id, last)


# --- which backend to look at: keyring's search, or the Secret Service directly -------------------------


@pytest.mark.parametrize(
    ("platform", "desktop", "already_set", "has_dbus", "direct"),
    [
        ("linux", "GNOME", False, False, True),
        ("linux", "GNOME", False, True, True),  # dbus-python alone does not put KWallet ahead
        ("freebsd14", "XFCE", False, False, True),
        ("linux", "KDE", False, False, True),  # under KDE, but keyring could not reach KWallet anyway
        ("linux", "KDE", False, True, False),  # KWallet (5.1) would beat the Secret Service (5)
        ("linux", "ubuntu:KDE", False, True, False),
        ("linux", "GNOME", True, False, False),  # keyring.set_keyring (or a search) decided already
        ("darwin", "", False, False, False),
        ("win32", "", False, False, False),
    ],
)
def test_the_secret_service_is_taken_directly_only_where_keyrings_search_would_end_there(
    platform: str, desktop: str, already_set: bool, has_dbus: bool, direct: bool
) -> None:
    from mxsettings.store.keyring_backend import secret_service_settles_it

    decided = secret_service_settles_it(
        platform=platform,
        environ={"XDG_CURRENT_DESKTOP": desktop},
        backend_already_set=already_set,
        has_dbus_python=has_dbus,
    )
    assert decided is direct


def test_a_backend_named_in_the_environment_wins_over_the_short_way(
    monkeypatch: pytest.MonkeyPatch, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    # keyring's "null" backend, named as a user would to switch keyring off: refused as disabled, and the
    # Secret Service (running in this test session) is not used instead.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    keyring.core._keyring_backend = None  # detect again, as at startup; the fixture restores it
    choice = choose_secret_store(trusted=TRUSTED)
    assert_memory(choice, StoreProblem.DISABLED)
    assert choice.backend == "keyring.backends.null.Keyring"


def test_a_keyringrc_file_wins_over_the_short_way(
    monkeypatch: pytest.MonkeyPatch, use_keyring: Callable[[KeyringBackend], None], tmp_path: Path
) -> None:
    config = tmp_path / "python_keyring"
    config.mkdir()
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    keyring.core._keyring_backend = None
    choice = choose_secret_store(trusted=TRUSTED)
    assert_memory(choice, StoreProblem.NO_BACKEND)
    assert choice.backend == "keyring.backends.fail.Keyring"


def test_if_keyring_renames_its_global_the_search_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from mxsettings.store.keyring_backend import current_backend

    searched = viable(DictKeyring())
    monkeypatch.delattr(keyring.core, "_keyring_backend")
    monkeypatch.setattr(keyring, "get_keyring", lambda: searched)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert current_backend() is searched  # not the Secret Service running in this test session
