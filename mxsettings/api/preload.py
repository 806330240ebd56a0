"""Importing the network stack ahead of the first request, off the event loop.

httpx imports httpcore, h11 and anyio's asyncio backend only when the first connection is made, on the
event loop, and under PySide6 every import is slower (its import hook reads the module's source): about
30 ms of a frozen window just as the saved accounts open. The app calls ``load_network_stack`` in a worker
thread while the keyring is being chosen, so the first client and its first request find everything
loaded, the TLS context included. Nothing here is imported at module level.
"""

from __future__ import annotations

import contextlib
import importlib


def load_network_stack() -> None:
    from mxsettings.api.client import verifying_context  # httpx, httpcore, h11, ssl

    # The TLS context every client shares: loading the CA bundle takes 10 to 20 ms, which the first
    # client (restoring the saved accounts) would otherwise spend on the event loop.
    verifying_context()

    # What httpx, httpcore and anyio import only when the first connection is made. Private module names:
    # a rename in a later release costs only the head start, so a missing one is passed over.
    for name in ("httpcore", "h11", "httpcore._backends.anyio", "anyio._backends._asyncio"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
