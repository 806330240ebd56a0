"""Where tokens live: the OS keyring when a secure one is usable, otherwise memory for this run only.

``choose_secret_store()`` decides once at startup and says why, as a ``StoreProblem`` code the UI turns into
words. It never hands out a store that writes secrets to a plain file: keyring's own chainer would read from
(and, with keyrings.alt installed, fall back to) a base64 "plaintext" file, so the chainer is never used
directly; the best trusted member is.

``keyring`` is imported inside functions (it costs about 110 ms at startup) and every keyring call runs in a
worker thread: D-Bus round trips and unlock prompts must not stall the Qt event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import enum
import logging
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from mxsettings.errors import SecretStoreError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "mxsettings"
"""The keyring "service" every secret of the app is filed under."""

# Read once at startup to see that the store answers; the app never writes it, so the lookup finds no item
# and no backend has a reason to ask the user about an item.
PROBE_KEY = "probe (never stored)"

# The OS secret stores: each keeps secrets encrypted under the user's login or a master password.
# Priority alone is not enough: third-party backends such as the artifact-registry credential helpers
# report priority 9 but cannot store anything, and a chainer would put them first.
TRUSTED_BACKENDS: frozenset[str] = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)

_T = TypeVar("_T")


class StoreProblem(enum.StrEnum):
    """Why the choice fell where it did; ``OK`` means a secure keyring is in use."""

    OK = "ok"
    NO_BACKEND = "no_backend"  # keyring found no backend at all (its "fail" backend)
    DISABLED = "disabled"  # keyring was turned off on purpose (the "null" backend)
    PLAINTEXT = "plaintext"  # only a file-based keyring (keyrings.alt) is available
    UNTRUSTED = "untrusted"  # not a known OS secret store, or not recommended (priority < 1)
    LOCKED = "locked"  # the keyring exists but is locked
    NO_COLLECTION = "no_collection"  # the Secret Service has no default collection; making one needs a prompt
    UNAVAILABLE = "unavailable"  # the backend failed to load or answer (D-Bus down, broken config)


class SecretStore(Protocol):
    """Async key/value storage for secrets. ``persistent`` is False when values vanish with the process."""

    @property
    def persistent(self) -> bool: ...

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...

    async def delete(self, key: str) -> None: ...


class MemorySecretStore:
    """Secrets for this run only: what the app uses when no secure keyring is available."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    @property
    def persistent(self) -> bool:
        return False

    async def get(self, key: str) -> str | None:
        return self._values.get(key)

    async def set(self, key: str, value: str) -> None:
        self._values[key] = value

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    def __repr__(self) -> str:
        return f"MemorySecretStore({len(self._values)} entries)"


# Threads start on first use, so this costs nothing at import.
_KEYRING_THREAD = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyring")


async def _in_keyring_thread(fn: Callable[..., _T], *args: object) -> _T:
    """Run a keyring call off the event loop, on one plain worker thread of our own.

    Not the loop's default executor: under qasync that is a pool of QThreads, and keyring work done there
    left Qt timers to be torn down from the wrong thread. One thread also keeps calls in order.
    """
    return await asyncio.get_running_loop().run_in_executor(_KEYRING_THREAD, fn, *args)


class KeyringSecretStore:
    """One keyring backend, used directly (never through keyring's global chainer)."""

    def __init__(self, backend: KeyringBackend, *, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service
        # Some backends (KWallet) keep one D-Bus handle per instance; one call at a time is plenty for a
        # settings app and keeps such backends safe across worker threads.
        self._lock = threading.Lock()

    @property
    def backend(self) -> KeyringBackend:
        return self._backend

    @property
    def persistent(self) -> bool:
        return True

    async def get(self, key: str) -> str | None:
        return await self._call("get", lambda: self._backend.get_password(self._service, key))

    async def set(self, key: str, value: str) -> None:
        await self._call("set", lambda: self._backend.set_password(self._service, key, value), secret=value)

    async def delete(self, key: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete_if_present() -> None:
            # Every bundled backend raises PasswordDeleteError for "no such item"; deleting what is not
            # there leaves the state the caller wanted.
            with contextlib.suppress(PasswordDeleteError):
                self._backend.delete_password(self._service, key)

        await self._call("delete", delete_if_present)

    async def _call(self, operation: str, fn: Callable[[], _T], *, secret: str = "") -> _T:
        try:
            return await _in_keyring_thread(self._serialised, fn)
        except Exception as exc:  # backends raise D-Bus, OS and keyring errors alike
            failure = _store_error(operation, exc, secret)
        # Raised outside the except block on purpose: the backend's exception (whose text or traceback
        # locals may hold the secret) must not ride along as __context__.
        raise failure

    def _serialised(self, fn: Callable[[], _T]) -> _T:
        with self._lock:
            return fn()

    def __repr__(self) -> str:
        return f"KeyringSecretStore({_dotted_name(self._backend)}, service={self._service!r})"


def _store_error(operation: str, exc: Exception, secret: str) -> SecretStoreError:
    from keyring.errors import KeyringLocked

    detail = str(exc)
    if secret:
        detail = detail.replace(secret, "<redacted>")
    log.warning("keyring %s failed: %s", operation, type(exc).__name__)
    return SecretStoreError(
        operation, type(exc).__name__, locked=isinstance(exc, KeyringLocked), detail=detail[:200]
    )


@dataclass(frozen=True)
class StoreChoice:
    """The store to use, whether it keeps secrets safely across runs, and why (for the UI to explain)."""

    store: SecretStore
    secure: bool
    reason: StoreProblem
    backend: str = ""  # dotted class name of the keyring backend considered, for logs and diagnostics


def choose_secret_store(
    *, allow_prompt: bool = False, trusted: Collection[str] = TRUSTED_BACKENDS
) -> StoreChoice:
    """Pick the secure keyring, or fall back to memory and say why. Blocking: see ``open_secret_store``.

    With ``allow_prompt`` False (startup) nothing may ask the user anything: a locked keyring is reported as
    ``LOCKED``. The UI can offer "unlock" and call again with ``allow_prompt=True``, which lets the OS show
    its unlock prompt. ``trusted`` is the list of backend classes (dotted names) accepted as secure.
    """
    from mxsettings.store.keyring_backend import current_backend

    try:
        configured = current_backend()
    except Exception as exc:  # a bad PYTHON_KEYRING_BACKEND or keyringrc.cfg raises anything
        log.warning("keyring backend could not be loaded: %s", type(exc).__name__)
        return StoreChoice(MemorySecretStore(), secure=False, reason=StoreProblem.UNAVAILABLE)

    candidate, problem, considered = _pick(configured, trusted)
    name = _dotted_name(considered)
    if candidate is None:
        log.info("no secure keyring (%s, %s): secrets stay in memory", name, problem)
        return StoreChoice(MemorySecretStore(), secure=False, reason=problem, backend=name)

    problem = _probe(candidate, allow_prompt=allow_prompt)
    if problem is not StoreProblem.OK:
        log.info("keyring %s is not usable (%s): secrets stay in memory", name, problem)
        return StoreChoice(MemorySecretStore(), secure=False, reason=problem, backend=name)
    log.info("secrets are kept in %s", name)
    return StoreChoice(KeyringSecretStore(candidate), secure=True, reason=StoreProblem.OK, backend=name)


async def open_secret_store(
    *, allow_prompt: bool = False, trusted: Collection[str] = TRUSTED_BACKENDS
) -> StoreChoice:
    """``choose_secret_store`` in a worker thread: importing keyring and talking to D-Bus both block."""
    return await _in_keyring_thread(lambda: choose_secret_store(allow_prompt=allow_prompt, trusted=trusted))


def _pick(
    configured: KeyringBackend, trusted: Collection[str]
) -> tuple[KeyringBackend | None, StoreProblem, KeyringBackend]:
    """The highest-priority secure backend (or None), the verdict, and the backend the verdict is about."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(configured, ChainerBackend):
        # Reads through the chainer fall through to every member, plaintext ones too: look inside instead.
        try:
            members: list[KeyringBackend] = list(configured.backends)
        except Exception as exc:  # a member's priority raising (D-Bus gone since keyring was loaded)
            log.warning("keyring chainer could not list its backends: %s", type(exc).__name__)
            return None, StoreProblem.UNAVAILABLE, configured
    else:
        members = [configured]
    ranked = [(_priority(m), m) for m in members]
    ranked.sort(key=lambda pair: float("-inf") if pair[0] is None else pair[0], reverse=True)
    for priority, member in ranked:
        if _refusal(member, priority, trusted) is StoreProblem.OK:
            return member, StoreProblem.OK, member
    if not ranked:
        return None, StoreProblem.NO_BACKEND, configured
    # Nothing usable: explain with the best-ranked member (PLAINTEXT when keyrings.alt is all there is).
    priority, best = ranked[0]
    return None, _refusal(best, priority, trusted), best


def _refusal(backend: KeyringBackend, priority: float | None, trusted: Collection[str]) -> StoreProblem:
    from keyring.backends import fail, null

    name = _dotted_name(backend)
    if isinstance(backend, fail.Keyring):
        return StoreProblem.NO_BACKEND
    if isinstance(backend, null.Keyring):
        return StoreProblem.DISABLED
    if name.startswith("keyrings.alt."):
        # PlaintextKeyring writes base64; EncryptedKeyring asks for its password on a terminal nobody sees.
        return StoreProblem.PLAINTEXT
    if priority is None:
        return StoreProblem.UNAVAILABLE
    # keyring.core.recommended() is exactly this test; it is untyped, so it is spelled out here.
    if priority < 1 or name not in trusted:
        return StoreProblem.UNTRUSTED
    return StoreProblem.OK


def _priority(backend: KeyringBackend) -> float | None:
    # Read from the instance, as keyring's own by_priority does. A backend that is not viable right now
    # (Secret Service with no D-Bus) raises RuntimeError here.
    try:
        return float(backend.priority)
    except Exception:
        return None


def _probe(backend: KeyringBackend, *, allow_prompt: bool) -> StoreProblem:
    from keyring.errors import KeyringLocked

    started = time.perf_counter()
    try:
        if not allow_prompt:
            problem = _secret_service_state(backend)
            if problem is not StoreProblem.OK:
                return problem
        # For the Secret Service the state check above guarantees this lookup cannot prompt. Elsewhere a
        # lookup of a missing item asks nothing either (Windows, macOS); KWallet shows its "open wallet"
        # prompt if the wallet is closed, just as the first token read would.
        backend.get_password(SERVICE, PROBE_KEY)
    except KeyringLocked:
        return StoreProblem.LOCKED
    except Exception as exc:  # InitError, D-Bus errors, a broken backend
        log.warning("keyring probe failed: %s", type(exc).__name__)
        return StoreProblem.UNAVAILABLE
    finally:
        log.debug(
            "keyring probe of %s took %.1f ms", _dotted_name(backend), 1e3 * (time.perf_counter() - started)
        )
    return StoreProblem.OK


def _secret_service_state(backend: KeyringBackend) -> StoreProblem:
    """Locked or missing collection, found without a prompt.

    keyring's own ``get_password`` would *unlock* a locked collection and *create* a missing default one,
    each of which makes gnome-keyring or KWallet's Secret Service show a dialog.
    """
    from keyring.backends import SecretService

    if not isinstance(backend, SecretService.Keyring):
        return StoreProblem.OK
    import secretstorage
    from secretstorage.collection import DEFAULT_COLLECTION
    from secretstorage.exceptions import ItemNotFoundException

    path = getattr(backend, "preferred_collection", None) or DEFAULT_COLLECTION
    with contextlib.closing(secretstorage.dbus_init()) as connection:
        try:
            collection = secretstorage.Collection(connection, str(path))
        except ItemNotFoundException:
            return StoreProblem.NO_COLLECTION
        if collection.is_locked():
            return StoreProblem.LOCKED
    return StoreProblem.OK


def _dotted_name(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


# --- Secret keys -----------------------------------------------------------------------------------------
# Stable: a changed spelling orphans what earlier versions stored. The user ID comes before a space and
# holds none (the Matrix grammar forbids it), so "<kind> <user ID> <rest>" cannot be read two ways.


def access_token_key(user_id: str, device_id: str) -> str:
    return _key("access_token", user_id, device_id)


def refresh_token_key(user_id: str, device_id: str) -> str:
    return _key("refresh_token", user_id, device_id)


def pending_secret_key(user_id: str, sid: str) -> str:
    """The ``client_secret`` of a contact-address validation session ``sid`` still waiting for the user."""
    return _key("pending_secret", user_id, sid)


def _key(kind: str, user_id: str, last: str) -> str:
    if not user_id or any(c.isspace() or not c.isprintable() for c in user_id):
        raise ValueError("a user ID must be non-empty, without spaces or control characters")
    if not last or not last.isprintable():
        raise ValueError(f"the {kind} key needs a non-empty, printable identifier")
    return f"{kind} {user_id} {last}"
