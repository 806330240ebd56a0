"""One homeserver as seen by one account: its HTTP client plus what was learnt about it.

``/versions`` (and therefore the API generation) is fetched once and shared by concurrent callers, so opening
a session never asks twice.
"""

from __future__ import annotations

import asyncio

from mxsettings.api.client import MatrixHttp
from mxsettings.api.generation import Generation, generation_for
from mxsettings.api.models import Versions
from mxsettings.errors import MatrixError

VERSIONS_PATH = "/_matrix/client/versions"


class Homeserver:
    def __init__(
        self, http: MatrixHttp, *, generation: Generation | None = None, versions: Versions | None = None
    ) -> None:
        """``versions`` (remembered from an earlier visit) spares the /versions request; ``generation``
        forces one (tests, and servers known to lie)."""
        self.http = http
        self._versions = versions
        self._generation = generation or (generation_for(versions) if versions is not None else None)
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        name = self._generation.name if self._generation else "unknown"
        return f"Homeserver({self.http.base_url!r}, generation={name})"

    @property
    def base_url(self) -> str:
        return self.http.base_url

    @property
    def known_generation(self) -> Generation | None:
        return self._generation

    async def versions(self) -> Versions | None:
        """``/versions``, or None for a server that predates it. Fetched once."""
        await self.generation()
        return self._versions

    async def generation(self) -> Generation:
        if self._generation is not None:
            return self._generation
        async with self._lock:
            if self._generation is None:
                self._versions = await fetch_versions(self.http)
                self._generation = generation_for(self._versions)
        return self._generation

    async def aclose(self) -> None:
        await self.http.aclose()


async def fetch_versions(http: MatrixHttp) -> Versions | None:
    try:
        data = await http.request("GET", VERSIONS_PATH, authed=False)
    except MatrixError as exc:
        # Pre-r0 servers answer 404 (M_UNRECOGNIZED, or no errcode at all) here.
        if exc.status in (400, 404, 405):
            return None
        raise
    return Versions.parse(data)
