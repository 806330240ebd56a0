"""Ending the requests of a ``gather`` that failed.

``asyncio.gather`` raises the first failure and leaves the other awaitables running. Requests left so would
go on using a client that the caller closes next, and their connections would outlive it. Callers keep the
tasks they gather and ``settle`` them in a ``finally``.
"""

from __future__ import annotations

import asyncio
from typing import Any


async def settle(*tasks: asyncio.Future[Any]) -> None:
    """Cancel whichever of ``tasks`` still runs, and wait until every one has ended."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
