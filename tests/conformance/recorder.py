"""Record what the app sends, then check every request against the right API description.

recorder = RecordingTransport()                      # wraps httpx.AsyncHTTPTransport() by default
client = httpx.AsyncClient(transport=recorder)
... drive the app ...
assert problems(recorder.records) == []
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from tests.conformance.openapi import (
    Api,
    find_operation,
    token_in_url_problems,
    validate_request,
    validate_submit_token,
)
from tests.conformance.seed import validate_legacy_3pid_add, validate_seed_request

REDACTED_AUTHORIZATION = "Bearer <redacted>"
REDACTED_QUERY_VALUE = "<redacted>"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as sent, with secrets redacted (the Authorization value, a query access_token)."""

    method: str
    url: str
    headers: dict[str, str]
    body: object | None  # decoded JSON; the text when the body is not JSON; None when there is no body


def _redact_url(url: httpx.URL) -> str:
    parts = urlsplit(str(url))
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name == "access_token" for name, _ in query):
        return str(url)
    # Keep the parameter name, so the "token in the URL" check still fires, but not the token.
    redacted = [(name, REDACTED_QUERY_VALUE if name == "access_token" else value) for name, value in query]
    return urlunsplit(parts._replace(query=urlencode(redacted, safe="<>")))


def _decode_body(content: bytes) -> object | None:
    if not content:
        return None
    text = content.decode("utf-8", errors="replace")
    try:
        decoded: object = json.loads(text)
    except ValueError:
        return text
    return decoded


def recorded(request: httpx.Request) -> RecordedRequest:
    """A RecordedRequest of an httpx request whose body has been read."""
    headers = {
        name: (REDACTED_AUTHORIZATION if name.lower() == "authorization" else value)
        for name, value in request.headers.items()
    }
    return RecordedRequest(
        method=request.method.upper(),
        url=_redact_url(request.url),
        headers=headers,
        body=_decode_body(request.content),
    )


class RecordingTransport(httpx.AsyncBaseTransport):
    """An httpx transport that records every request, then hands it to ``inner``."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport | None = None, *, records: list[RecordedRequest] | None = None
    ) -> None:
        self.inner = inner if inner is not None else httpx.AsyncHTTPTransport()
        self.records: list[RecordedRequest] = records if records is not None else []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()  # streamed bodies too; httpx keeps the bytes for the inner transport
        self.records.append(recorded(request))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def clear(self) -> None:
        self.records.clear()


# ---------------------------------------------------------------------------------------------------------
# Routing records to checkers

Route = Literal["client", "identity", "seed", "legacy_3pid_r0", "submit_url", "skip"]

_SUBMIT_SEGMENTS = ("submitToken", "submit_token")
_WELL_KNOWN_MATRIX = re.compile(r"^/\.well-known/matrix/")


def route(record: RecordedRequest, submit_urls: Collection[str] = ()) -> Route:
    """Which description a recorded request is checked against."""
    parts = urlsplit(record.url)
    path = parts.path
    if _without_query(record.url) in {_without_query(url) for url in submit_urls}:
        return "submit_url"
    if path.startswith("/_synapse/"):
        return "skip"  # Synapse's admin and client-side pages: not in the Matrix spec
    if path.startswith("/_matrix/client/v2_alpha/"):
        return "seed"
    if record.method == "POST" and path == "/_matrix/client/r0/account/3pid":
        return "legacy_3pid_r0"
    api: Api = "identity" if path.startswith("/_matrix/identity/") else "client"
    if path.rsplit("/", 1)[-1] in _SUBMIT_SEGMENTS and find_operation(record.method, path, api=api) is None:
        # A server-chosen submit_url (Synapse's is /_matrix/client/unstable/add_threepid/msisdn/submit_token):
        # not a specced path, but its body is the identity service's submitToken body.
        return "submit_url"
    if path.startswith("/_matrix/identity/"):
        return "identity"
    if path.startswith("/_matrix/") or _WELL_KNOWN_MATRIX.match(path):
        # Client-server API (and /_matrix/media); other /_matrix/ APIs (federation, keys) are not in it, so a
        # client calling them shows up as an unknown path.
        return "client"
    # Anything else is not a Matrix API, e.g. the OAuth 2.0 endpoints named by auth_metadata (RFC 6749/8628
    # shapes, form-encoded) or an identity server's web pages.
    return "skip"


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query="", fragment=""))


def record_problems(record: RecordedRequest, submit_urls: Collection[str] = ()) -> list[str]:
    """Problems with one recorded request; every request, even a skipped one, must keep tokens out of URLs."""
    which = route(record, submit_urls)
    if which == "skip":
        return token_in_url_problems(record.method, record.url)
    if which == "seed":
        return validate_seed_request(record.method, record.url, record.body)
    if which == "legacy_3pid_r0":
        return token_in_url_problems(record.method, record.url) + validate_legacy_3pid_add(record.body, "r0")
    if which == "submit_url":
        if record.method != "POST":
            return [f"{record.method} {record.url}: a submit_url takes POST"]
        return validate_submit_token(record.url, record.body)
    return validate_request(record.method, record.url, record.body, api=which)


def problems(records: Iterable[RecordedRequest], *, submit_urls: Collection[str] = ()) -> list[str]:
    """Every problem of every recorded request, in order; an empty list means all of them conform.

    ``submit_urls``: URLs the server handed out as ``submit_url`` (POSTs to them are checked as
    submitToken bodies). Without it, a request to an unknown path whose last segment is ``submitToken`` or
    ``submit_token`` is taken for one.
    """
    found: list[str] = []
    for record in records:
        found += record_problems(record, submit_urls)
    return found
