"""The conformance checker itself: it must pass conforming requests and, above all, be able to fail."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from tests.conformance.openapi import (
    ENV_VAR,
    SharedFolderMissingError,
    find_operation,
    validate_request,
    validate_submit_token,
)
from tests.conformance.recorder import RecordedRequest, RecordingTransport, problems, route
from tests.conformance.seed import (
    load_seed,
    validate_legacy_3pid_add,
    validate_seed_request,
)

V3 = "/_matrix/client/v3"
R0 = "/_matrix/client/r0"
HS = "https://matrix.example.org"

GOOD_PASSWORD_CHANGE = {
    "new_password": "correct horse battery staple",
    "logout_devices": False,
    "auth": {"type": "m.login.password", "session": "xxxxx", "password": "old", "identifier": {}},
}


# ---------------------------------------------------------------------------------------------------------
# v1.19 client-server API


def test_password_change_with_auth_conforms() -> None:
    assert validate_request("POST", f"{V3}/account/password", GOOD_PASSWORD_CHANGE) == []


def test_password_must_be_a_string() -> None:
    found = validate_request("POST", f"{V3}/account/password", {**GOOD_PASSWORD_CHANGE, "new_password": 5})
    assert len(found) == 1
    assert "new_password" in found[0]
    assert "'string'" in found[0]


def test_password_change_needs_new_password() -> None:
    found = validate_request("POST", f"{V3}/account/password", {"logout_devices": True})
    assert any("'new_password' is a required property" in problem for problem in found)


def test_logout_devices_must_be_boolean() -> None:
    found = validate_request(
        "POST", f"{V3}/account/password", {**GOOD_PASSWORD_CHANGE, "logout_devices": "no"}
    )
    assert any("logout_devices" in problem for problem in found)


def test_email_request_token_without_client_secret_fails() -> None:
    body = {"email": "alice@example.org", "send_attempt": 1}
    found = validate_request("POST", f"{V3}/account/3pid/email/requestToken", body)
    assert any("'client_secret' is a required property" in problem for problem in found)
    assert (
        validate_request(
            "POST", f"{V3}/account/3pid/email/requestToken", {**body, "client_secret": "monkeys_are_GREAT"}
        )
        == []
    )


def test_msisdn_request_token_schema_is_checked() -> None:
    good = {"client_secret": "s3cret", "country": "GB", "phone_number": "07700900001", "send_attempt": 1}
    assert validate_request("POST", f"{V3}/account/3pid/msisdn/requestToken", good) == []
    bad = {**good, "send_attempt": "1"}
    assert validate_request("POST", f"{V3}/account/3pid/msisdn/requestToken", bad) != []


def test_unknown_path_fails() -> None:
    found = validate_request("POST", f"{V3}/account/password/change", GOOD_PASSWORD_CHANGE)
    assert found == [f"POST {V3}/account/password/change: unknown path, not in the v1.19 client spec"]


def test_wrong_method_fails() -> None:
    found = validate_request("POST", f"{V3}/account/whoami", None)
    assert len(found) == 1
    assert "method not in the client spec (it has GET)" in found[0]


def test_access_token_in_query_fails() -> None:
    found = validate_request("GET", f"{HS}{V3}/account/whoami?access_token=syt_abc", None)
    assert len(found) == 1
    assert "access_token in the query string" in found[0]
    assert "syt_abc" not in found[0]
    # Other query parameters are ignored.
    assert validate_request("GET", f"{HS}{V3}/account/whoami?foo=bar", None) == []


def test_body_must_be_a_json_object() -> None:
    found = validate_request("POST", f"{V3}/account/password", ["new_password"])
    assert any("must be a JSON object, got list" in problem for problem in found)


def test_required_body_missing_fails() -> None:
    found = validate_request("POST", f"{V3}/account/3pid/add", None)
    assert found == [f"POST {V3}/account/3pid/add: request body required but none sent"]


def test_body_on_endpoint_without_one_fails_but_empty_object_is_fine() -> None:
    assert validate_request("POST", f"{V3}/logout", {}) == []
    assert validate_request("GET", f"{V3}/account/whoami", {"user": "x"}) != []


def test_r0_path_is_checked_as_v3() -> None:
    assert validate_request("POST", f"{R0}/account/password", GOOD_PASSWORD_CHANGE) == []
    found = validate_request("POST", f"{R0}/account/password", {**GOOD_PASSWORD_CHANGE, "new_password": 5})
    assert len(found) == 1
    assert f"(as {V3}/account/password)" in found[0]
    op = find_operation("POST", f"{HS}{R0}/account/3pid/add")
    assert op is not None
    assert op.template == f"{V3}/account/3pid/add"


def test_unstable_path_falls_back_to_v1() -> None:
    op = find_operation("GET", "/_matrix/client/unstable/auth_metadata")
    assert op is not None
    assert op.template == "/_matrix/client/v1/auth_metadata"


def test_auth_metadata_is_a_v1_endpoint() -> None:
    assert validate_request("GET", "/_matrix/client/v1/auth_metadata", None) == []
    assert validate_request("GET", f"{V3}/auth_metadata", None) != []


def test_path_parameters_match_templates() -> None:
    url = f"{HS}{V3}/user/%40alice%3Aexample.org/openid/request_token"
    assert validate_request("POST", url, {}) == []
    op = find_operation("POST", url)
    assert op is not None
    assert op.template == f"{V3}/user/{{userId}}/openid/request_token"


def test_v3_account_3pid_is_the_v1_19_shape() -> None:
    # v1.19 documents the deprecated POST /account/3pid with id_server and id_access_token required.
    body = {"three_pid_creds": {"client_secret": "s", "sid": "1"}}
    found = validate_request("POST", f"{V3}/account/3pid", body)
    assert any("'id_access_token' is a required property" in problem for problem in found)


def test_identity_api() -> None:
    body = {"access_token": "x", "token_type": "Bearer", "matrix_server_name": "hs", "expires_in": 3600}
    assert (
        validate_request(
            "POST", "https://id.example/_matrix/identity/v2/account/register", body, api="identity"
        )
        == []
    )
    assert validate_request("GET", "https://id.example/_matrix/identity/v2/terms", None, api="identity") == []
    assert validate_request("GET", f"{V3}/account/whoami", None, api="identity") != []


KNOWN = [
    ("GET", "/.well-known/matrix/client"),
    ("GET", "/_matrix/client/versions"),
    ("GET", f"{V3}/capabilities"),
    ("GET", "/_matrix/client/v1/auth_metadata"),
    ("GET", f"{V3}/login"),
    ("POST", f"{V3}/login"),
    ("POST", f"{V3}/logout"),
    ("GET", f"{V3}/account/whoami"),
    ("POST", f"{V3}/account/password"),
    ("GET", f"{V3}/account/3pid"),
    ("POST", f"{V3}/account/3pid/email/requestToken"),
    ("POST", f"{V3}/account/3pid/msisdn/requestToken"),
    ("POST", f"{V3}/account/3pid/add"),
    ("POST", f"{V3}/account/3pid/bind"),
    ("POST", f"{V3}/account/3pid/unbind"),
    ("POST", f"{V3}/account/3pid/delete"),
    ("POST", f"{V3}/account/deactivate"),
    ("POST", f"{V3}/refresh"),
    ("POST", f"{V3}/user/@alice:example.org/openid/request_token"),
]


@pytest.mark.parametrize(("method", "path"), KNOWN)
def test_every_endpoint_the_app_calls_is_in_the_spec(method: str, path: str) -> None:
    assert find_operation(method, path) is not None
    assert find_operation(method, f"{HS}{path}") is not None


# ---------------------------------------------------------------------------------------------------------
# The seed (v2_alpha) and the legacy POST /account/3pid

SEED_3PID = {"threePidCreds": {"client_secret": "x", "id_server": "example.org", "sid": "1"}, "bind": False}


def test_seed_is_rebuilt_from_the_flattened_file() -> None:
    seed = load_seed()
    assert seed["basePath"] == "/_matrix/client/v2_alpha"
    post_3pid = seed["paths"]["/account/3pid"]["post"]["parameters"][0]["schema"]
    assert post_3pid["required"] == ["threePidCreds"]
    assert set(post_3pid["properties"]) == {"threePidCreds", "bind"}
    assert post_3pid["properties"]["threePidCreds"]["required"] == ["client_secret", "id_server", "sid"]
    password = seed["paths"]["/account/password"]["post"]["parameters"][0]["schema"]
    assert password["required"] == ["new_password"]
    assert set(seed["paths"]["/account/3pid"]) == {"get", "post"}


def test_seed_accepts_three_pid_creds_with_bind() -> None:
    assert validate_seed_request("POST", "/_matrix/client/v2_alpha/account/3pid", SEED_3PID) == []
    # validate_request hands v2_alpha paths to the seed checker.
    assert validate_request("POST", f"{HS}/_matrix/client/v2_alpha/account/3pid", SEED_3PID) == []


def test_seed_rejects_body_without_three_pid_creds() -> None:
    found = validate_seed_request("POST", "/_matrix/client/v2_alpha/account/3pid", {"bind": False})
    assert any("'threePidCreds' is a required property" in problem for problem in found)
    snake = {"three_pid_creds": SEED_3PID["threePidCreds"]}
    assert validate_seed_request("POST", "/_matrix/client/v2_alpha/account/3pid", snake) != []


def test_seed_checks_password_and_paths() -> None:
    path = "/_matrix/client/v2_alpha/account/password"
    assert validate_seed_request("POST", path, {"new_password": "x", "auth": {"type": "m.login.dummy"}}) == []
    assert validate_seed_request("POST", path, {"new_password": 5}) != []
    assert validate_seed_request("POST", f"{path}?access_token=abc", {"new_password": "x"}) != []
    assert validate_seed_request("GET", "/_matrix/client/v2_alpha/account/whoami", None) != []
    assert validate_seed_request("GET", f"{V3}/account/3pid", None) != []


def test_legacy_3pid_add_r0_shape() -> None:
    assert validate_legacy_3pid_add({"three_pid_creds": {"client_secret": "s", "sid": "1"}}, "r0") == []
    with_is = {"three_pid_creds": {"client_secret": "s", "sid": "1", "id_server": "id.example"}, "bind": True}
    assert validate_legacy_3pid_add(with_is, "r0") == []
    assert validate_legacy_3pid_add({"three_pid_creds": {"client_secret": "s"}}, "r0") != []
    assert validate_legacy_3pid_add(SEED_3PID, "r0") != []  # camelCase is the v2_alpha form
    assert validate_legacy_3pid_add(None, "r0") != []
    # validate_request sends the r0 legacy form here instead of the v1.19 schema.
    assert (
        validate_request(
            "POST", f"{R0}/account/3pid", {"three_pid_creds": {"client_secret": "s", "sid": "1"}}
        )
        == []
    )


def test_legacy_3pid_add_v2_alpha_shape() -> None:
    assert validate_legacy_3pid_add(SEED_3PID, "v2_alpha") == []
    assert validate_legacy_3pid_add({"three_pid_creds": {"client_secret": "s", "sid": "1"}}, "v2_alpha") != []


# ---------------------------------------------------------------------------------------------------------
# The shared folder


def test_missing_shared_folder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-shared"
    monkeypatch.setenv(ENV_VAR, str(missing))
    with pytest.raises(SharedFolderMissingError) as info:
        validate_request("GET", f"{V3}/account/whoami", None)
    message = str(info.value)
    assert str(missing) in message
    assert ENV_VAR in message
    with pytest.raises(SharedFolderMissingError):
        validate_seed_request("POST", "/_matrix/client/v2_alpha/account/3pid", SEED_3PID)


def test_shared_folder_without_spec_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    with pytest.raises(SharedFolderMissingError, match=r"matrix-v1\.19"):
        find_operation("GET", f"{V3}/account/whoami")


# ---------------------------------------------------------------------------------------------------------
# Recording and routing


def _record(method: str, url: str, body: object | None = None) -> RecordedRequest:
    return RecordedRequest(method=method, url=url, headers={}, body=body)


def test_recording_transport_records_and_redacts() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    recorder = RecordingTransport(httpx.MockTransport(handler))

    async def run() -> None:
        async with httpx.AsyncClient(transport=recorder, base_url=HS) as client:
            await client.post(
                f"{V3}/account/password",
                json=GOOD_PASSWORD_CHANGE,
                headers={"Authorization": "Bearer syt_secret"},
            )
            await client.get(f"{V3}/account/whoami", params={"access_token": "syt_secret"})
            await client.post(f"{V3}/logout")

    asyncio.run(run())
    assert len(seen) == 3
    assert json.loads(seen[0].content) == GOOD_PASSWORD_CHANGE  # the inner transport still gets the body
    first, second, third = recorder.records
    assert first.method == "POST"
    assert first.url == f"{HS}{V3}/account/password"
    assert first.body == GOOD_PASSWORD_CHANGE
    assert first.headers["authorization"] == "Bearer <redacted>"
    assert "syt_secret" not in repr(recorder.records)
    assert third.body is None
    found = problems(recorder.records)
    assert len(found) == 1
    assert "access_token in the query string" in found[0]
    assert second.url.startswith(f"{HS}{V3}/account/whoami?access_token=")


def test_problems_routes_each_record() -> None:
    submit_url = f"{HS}/_matrix/client/unstable/add_threepid/msisdn/submit_token"
    records = [
        _record("GET", f"{HS}/.well-known/matrix/client"),
        _record("GET", f"{HS}/_matrix/client/versions"),
        _record("POST", f"{HS}{R0}/account/password", GOOD_PASSWORD_CHANGE),
        _record("POST", f"{HS}/_matrix/client/v2_alpha/account/3pid", SEED_3PID),
        _record("POST", f"{HS}{R0}/account/3pid", {"three_pid_creds": {"client_secret": "s", "sid": "1"}}),
        _record("POST", submit_url, {"sid": "1", "client_secret": "s", "token": "123456"}),
        _record("GET", f"{HS}/_synapse/admin/v2/users/@alice:example.org"),
        _record("POST", "https://auth.example/oauth2/token", "grant_type=refresh_token&refresh_token=x"),
        _record("GET", "https://id.example/_matrix/identity/v2/terms"),
    ]
    assert [route(record) for record in records] == [
        "client",
        "client",
        "client",
        "seed",
        "legacy_3pid_r0",
        "submit_url",
        "skip",
        "skip",
        "identity",
    ]
    assert problems(records) == []


def test_problems_finds_each_kind_of_fault() -> None:
    records = [
        _record("POST", f"{HS}{V3}/account/password", {"new_password": 5}),
        _record("POST", f"{HS}/_matrix/client/v2_alpha/account/3pid", {"bind": False}),
        _record("POST", f"{HS}{R0}/account/3pid", SEED_3PID),
        _record("POST", f"{HS}/_matrix/client/unstable/add_threepid/msisdn/submit_token", {"sid": "1"}),
        _record("GET", f"{HS}{V3}/account/whoamI"),
        _record("GET", "https://auth.example/oauth2/userinfo?access_token=<redacted>"),
        _record(
            "POST", "https://id.example/_matrix/identity/v2/validate/email/requestToken", {"email": "a@b.c"}
        ),
    ]
    found = problems(records)
    for record in records:
        path = httpx.URL(record.url).path
        assert any(path in problem for problem in found), path


def test_explicit_submit_url_is_checked_as_submit_token() -> None:
    url = "https://hs.example/some/server/chosen/path"
    record = _record("POST", url, {"sid": "1", "client_secret": "s"})
    assert route(record) == "skip"
    assert route(record, submit_urls=[url]) == "submit_url"
    found = problems([record], submit_urls=[url])
    assert any("'token' is a required property" in problem for problem in found)
    assert validate_submit_token(url, {"sid": "1", "client_secret": "s", "token": "t"}) == []
