"""The keyring backend to consider, found without keyring's full search where the answer is already known.

``keyring.get_keyring()`` searches: it imports every backend keyring ships (Windows, macOS, KWallet,
libsecret, the chainer) and reads the entry points of every installed package for plugins (keyrings.alt
among them), which brings in importlib_metadata, zipp, email parsing and the rest. That is one to two MB of
modules kept for the life of the app (``make bench``), and it decides nothing on an ordinary Linux desktop:
when the Secret Service runs, it wins, because its priority (5) beats every other backend keyring ships
for Linux (libsecret 4.8, KWallet 4.9). The one exception is KWallet under KDE (5.1), and only when
dbus-python is installed.

So, when nothing is configured, the platform is a free desktop, KWallet cannot be in the running, and the
Secret Service answers, it is taken directly. Everything else goes through keyring as before: a backend
set in this process (``keyring.set_keyring``, or a search that already ran), ``PYTHON_KEYRING_BACKEND``,
``keyringrc.cfg``, KDE with dbus-python, macOS, Windows. A third-party plugin with a priority above 5 is not
considered on the direct path; a user who wants one names it in ``keyringrc.cfg``.

This module decides which backend to look at; ``secrets.choose_secret_store`` still decides whether it can
be trusted. Blocking (D-Bus): call it from the keyring thread.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

_FREE_DESKTOPS = ("linux", "freebsd", "openbsd", "netbsd", "dragonfly")
_RENAMED = object()


def current_backend() -> KeyringBackend:
    """What keyring would use in this process, by the short way when it gives the same answer.

    Raises whatever keyring raises for a broken configuration (an unknown ``PYTHON_KEYRING_BACKEND``).
    """
    import keyring
    import keyring.core

    # keyring keeps the process's backend in a private global; should it ever be renamed, the missing
    # name reads as "set", and keyring is asked as before.
    already_set = getattr(keyring.core, "_keyring_backend", _RENAMED) is not None
    if secret_service_settles_it(
        platform=sys.platform,
        environ=os.environ,
        backend_already_set=already_set,
        has_dbus_python=_has_module("dbus"),
    ):
        configured = keyring.core.load_env() or keyring.core.load_config()
        if configured is not None:
            return configured
        direct = _running_secret_service()
        if direct is not None:
            return direct
    return keyring.get_keyring()


def secret_service_settles_it(
    *, platform: str, environ: Mapping[str, str], backend_already_set: bool, has_dbus_python: bool
) -> bool:
    """Whether keyring's search would end at the Secret Service whenever that service runs."""
    if backend_already_set:
        return False  # keyring.set_keyring (or an earlier search) decided for this process
    if not platform.startswith(_FREE_DESKTOPS):
        return False
    # KWallet outranks the Secret Service under KDE, if keyring can reach it at all (dbus-python).
    return not ("KDE" in environ.get("XDG_CURRENT_DESKTOP", "").split(":") and has_dbus_python)


def _running_secret_service() -> KeyringBackend | None:
    from keyring.backends import SecretService

    try:
        # A class property: RuntimeError when secretstorage is missing or no service answers on D-Bus.
        _ = SecretService.Keyring.priority
    except Exception as exc:
        log.info("no Secret Service (%s); asking keyring for the other backends", type(exc).__name__)
        return None
    return SecretService.Keyring()  # type: ignore[no-untyped-call]  # keyring leaves __init__ untyped


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
