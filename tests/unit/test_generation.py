"""The legacy switch: one decision from /versions, the same answer for every endpoint."""

from __future__ import annotations

import httpx
import pytest

from mxsettings.api.client import MatrixHttp
from mxsettings.api.generation import V2_ALPHA, V3, ContactAdd, generation_for
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import Versions


@pytest.mark.parametrize(
    ("versions", "name", "prefix", "contact_add", "delete"),
    [
        (["r0.6.1", "v1.1", "v1.12"], "v3", "/_matrix/client/v3", ContactAdd.ADD_WITH_UIA, True),
        (["v1.19"], "v3", "/_matrix/client/v3", ContactAdd.ADD_WITH_UIA, True),
        (["r0.0.1", "r0.6.0"], "r0", "/_matrix/client/r0", ContactAdd.ADD_WITH_UIA, True),
        (["r0.0.1", "r0.5.0"], "r0", "/_matrix/client/r0", ContactAdd.THREE_PID_CREDS, True),
        (["r0.0.1", "r0.3.0"], "r0", "/_matrix/client/r0", ContactAdd.THREE_PID_CREDS, False),
        ([], "v2_alpha", "/_matrix/client/v2_alpha", ContactAdd.THREE_PID_CREDS_CAMEL, False),
        (["weird", "v2"], "v2_alpha", "/_matrix/client/v2_alpha", ContactAdd.THREE_PID_CREDS_CAMEL, False),
    ],
)
def test_generation_from_versions(
    versions: list[str], name: str, prefix: str, contact_add: ContactAdd, delete: bool
) -> None:
    generation = generation_for(Versions(versions=tuple(versions)))
    assert (generation.name, generation.client_prefix, generation.contact_add) == (name, prefix, contact_add)
    assert generation.has_3pid_delete is delete


def test_no_versions_endpoint_means_the_seed_generation() -> None:
    assert generation_for(None) is V2_ALPHA
    assert V2_ALPHA.offers_bind_choice
    assert not V3.offers_bind_choice


@pytest.mark.asyncio
async def test_generation_is_fetched_once_and_remembered() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, json={"versions": ["r0.5.0"]})

    hs = Homeserver(MatrixHttp("https://hs.example", transport=httpx.MockTransport(handler)))
    first = await hs.generation()
    second = await hs.generation()
    assert first is second
    assert first.name == "r0"
    assert calls == ["/_matrix/client/versions"]


@pytest.mark.asyncio
async def test_a_missing_versions_endpoint_selects_v2_alpha() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"})

    hs = Homeserver(MatrixHttp("https://old.example", transport=httpx.MockTransport(handler)))
    assert await hs.generation() is V2_ALPHA
