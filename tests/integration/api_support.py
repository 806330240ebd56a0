"""Helpers for driving the API layer against the real Synapse: sessions, scripted prompters, mail links."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import httpx

from mxsettings.api.client import MatrixHttp, RateLimitPolicy, Sleep
from mxsettings.api.generation import Generation
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import ThreePidCredentials
from mxsettings.errors import Cancelled
from mxsettings.services.uia_driver import FallbackAsk, FallbackWaiter, PasswordAsk, ThreePidAsk
from tests.conformance.recorder import RecordedRequest, RecordingTransport

DEFAULT_POLICY = RateLimitPolicy()


class ApiFactory(Protocol):
    """The ``api`` fixture: ``async with api(base_url, token) as hs`` gives a recorded Homeserver."""

    def __call__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        generation: Generation | None = None,
        sleep: Sleep = asyncio.sleep,
        rate_limit: RateLimitPolicy = DEFAULT_POLICY,
    ) -> AbstractAsyncContextManager[Homeserver]: ...


def recorded_api(records: list[RecordedRequest]) -> ApiFactory:
    """Homeservers whose traffic all lands in ``records`` for the conformance check."""

    @asynccontextmanager
    async def factory(
        base_url: str,
        token: str | None = None,
        *,
        generation: Generation | None = None,
        sleep: Sleep = asyncio.sleep,
        rate_limit: RateLimitPolicy = DEFAULT_POLICY,
    ) -> AsyncIterator[Homeserver]:
        transport = RecordingTransport(records=records)
        http = MatrixHttp(base_url, transport=transport, sleep=sleep, rate_limit=rate_limit)
        http.set_access_token(token)
        hs = Homeserver(http, generation=generation)
        try:
            yield hs
        finally:
            await hs.aclose()

    return factory


class PasswordPrompter:
    """Answers password stages from a script; any other stage is a test failure (cancelled)."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asks: list[PasswordAsk] = []

    async def password(self, ask: PasswordAsk) -> str:
        self.asks.append(ask)
        if not self.answers:
            raise Cancelled
        return self.answers.pop(0)

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        raise Cancelled

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        raise Cancelled

    async def open_fallback(self, ask: FallbackAsk) -> FallbackWaiter:
        raise Cancelled


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def open_link(url: str) -> httpx.Response:
    """What the user's browser does with the validation link."""
    return httpx.get(url, timeout=10)
