"""The seed generation (pre-r0, v2_alpha) end to end against a spec-shaped fake, checked against the seed."""

from __future__ import annotations

import pytest

from mxsettings.api import account, session
from mxsettings.api.client import MatrixHttp
from mxsettings.api.generation import V2_ALPHA
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import ThreePidCredentials
from mxsettings.errors import ThreePidAuthFailed, UnsupportedByServer
from tests.conformance.recorder import RecordingTransport, problems
from tests.fakes.legacy_homeserver import LegacyHomeserver

pytestmark = pytest.mark.asyncio


async def test_seed_server_login_list_and_add_with_bind() -> None:
    server = LegacyHomeserver(validated_sessions={("sid1", "secret1")})
    transport = RecordingTransport(server.transport())
    hs = Homeserver(MatrixHttp("https://legacy.example", transport=transport))
    try:
        assert await hs.generation() is V2_ALPHA
        login = await session.login_password(hs, "seed", server.password)
        hs.http.set_access_token(login.access_token)
        assert (await account.list_threepids(hs)).threepids == ()
        creds = ThreePidCredentials(sid="sid1", client_secret="secret1", id_server="id.legacy.example")
        await account.add_threepid(hs, creds, auth=None, bind=True)
        (added,) = (await account.list_threepids(hs)).threepids
        assert added.validated_at is None  # the seed's servers sent no timestamps
        assert server.bound == [added.address]
        with pytest.raises(UnsupportedByServer):
            await account.delete_threepid(hs, "email", added.address)
    finally:
        await hs.aclose()
    assert problems(transport.records) == []
    add = next(r for r in transport.records if r.method == "POST" and r.url.endswith("/account/3pid"))
    assert add.body == {
        "threePidCreds": {"sid": "sid1", "client_secret": "secret1", "id_server": "id.legacy.example"},
        "bind": True,
    }


async def test_seed_server_refuses_unverified_credentials_with_its_own_error() -> None:
    server = LegacyHomeserver()
    hs = Homeserver(MatrixHttp("https://legacy.example", transport=server.transport()))
    hs.http.set_access_token(server.access_token)
    try:
        with pytest.raises(ThreePidAuthFailed) as caught:
            await account.add_threepid(
                hs, ThreePidCredentials(sid="x", client_secret="y"), auth=None, bind=False
            )
        assert caught.value.status == 403
    finally:
        await hs.aclose()
