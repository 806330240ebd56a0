"""Every response parser under arbitrary input: a model or MalformedResponse, nothing else escapes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mxsettings.api import models
from mxsettings.api.client import MatrixHttp
from mxsettings.errors import MalformedResponse, MxError

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)

# One client for all examples: decoding needs no connection.
HTTP = MatrixHttp("https://hs.example")

PARSERS: list[Callable[[object], object]] = [
    models.WellKnown.parse,
    models.Versions.parse,
    models.Capabilities.parse,
    models.AuthMetadata.parse,
    models.LoginFlows.parse,
    models.LoginResponse.parse,
    models.RefreshResponse.parse,
    models.WhoAmI.parse,
    models.ThreePidList.parse,
    models.TokenRequested.parse,
    models.SubmitTokenResult.parse,
    models.UnbindResult.parse,
    models.UiaChallenge.parse,
    models.DeactivateResult.parse,
]

# Near-misses: the right keys with the wrong shapes find more paths than random dictionaries do.
KEYS = [
    "m.homeserver", "base_url", "m.identity_server", "versions", "unstable_features", "capabilities",
    "m.change_password", "enabled", "issuer", "authorization_endpoint", "token_endpoint", "flows", "type",
    "identity_providers", "id", "name", "user_id", "device_id", "access_token", "refresh_token",
    "expires_in_ms", "well_known", "threepids", "medium", "address", "validated_at", "sid", "submit_url",
    "success", "id_server_unbind_result", "stages", "session", "completed", "params", "errcode",
]  # fmt: skip
near_misses = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.sampled_from(KEYS),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6)
    ),
    max_leaves=30,
)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: getattr(p, "__qualname__", "parser"))
@given(data=json_values | near_misses)
def test_parsers_return_a_model_or_malformed(parse: Callable[[object], object], data: object) -> None:
    with contextlib.suppress(MalformedResponse):
        parse(data)


@given(
    status=st.integers(min_value=100, max_value=599),
    body=st.binary(max_size=300),
    ctype=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
)
def test_client_decoding_raises_only_app_errors(status: int, body: bytes, ctype: str) -> None:
    response = httpx.Response(status, content=body, headers={"content-type": ctype} if ctype else {})
    with contextlib.suppress(MxError):
        HTTP._decode(response)


@given(status=st.integers(min_value=200, max_value=599), data=json_values | near_misses)
def test_client_decoding_of_any_json_raises_only_app_errors(status: int, data: object) -> None:
    with contextlib.suppress(MxError):
        HTTP._decode(httpx.Response(status, json=data))
