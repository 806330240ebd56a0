"""The fault proxy itself, and what the app's HTTP client makes of each fault (no Synapse needed).

An HTTP/1.1 server from the standard library stands in for the homeserver; the app's ``MatrixHttp`` talks
to it through the proxy, so each fault is seen exactly as the app sees it against Synapse.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mxsettings.api.client import MatrixHttp, Timeouts
from mxsettings.errors import MalformedResponse, MatrixError, MxError, NetworkError, RequestTimeout
from tests.harness.fault_proxy import Fault, FaultProxy

BODY = json.dumps({"answer": "x" * 400}).encode()  # long enough that half of it is a real truncation


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Synapse does

    def do_GET(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def do_POST(self) -> None:
        self.server.posts += 1  # type: ignore[attr-defined]
        self.do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")  # shutdown() waits out a 0.5 s poll: once per module is enough
def upstream() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.posts = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(upstream: ThreadingHTTPServer) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.server_address[1]) as running:
        yield running


async def _twice(proxy: FaultProxy, method: str = "GET") -> tuple[BaseException | dict[str, object], object]:
    """One request that may meet the fault, then one more on the same client, which must get through."""
    http = MatrixHttp(proxy.base_url, timeouts=Timeouts(connect=1, read=0.5, write=1, pool=1))
    try:
        try:
            first: BaseException | dict[str, object] = await http.request(method, "/x", body={"a": 1})
        except MxError as exc:
            first = exc
        return first, await http.request("GET", "/y")
    finally:
        await http.aclose()


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault.DROP, NetworkError),
        (Fault.RESET, NetworkError),
        (Fault.TRUNCATE, NetworkError),
        (Fault.BAD_GATEWAY, MatrixError),
        (Fault.UNAVAILABLE, MatrixError),
        (Fault.HTML, MalformedResponse),
        (Fault.STALL, RequestTimeout),
    ],
)
def test_each_fault_reaches_the_client_as_an_app_error_and_the_next_request_passes(
    proxy: FaultProxy, fault: Fault, expected: type[MxError]
) -> None:
    rule = proxy.fail(fault, method="POST", times=1)
    first, second = asyncio.run(_twice(proxy, "POST"))
    assert type(first) is expected, repr(first)
    assert second == json.loads(BODY)
    assert rule.hits == 1
    seen = [(e.method, e.path, e.fault) for e in proxy.exchanges]
    assert seen == [("POST", "/x", fault), ("GET", "/y", None)]


def test_a_server_error_page_keeps_its_status(proxy: FaultProxy) -> None:
    proxy.fail(Fault.BAD_GATEWAY, times=1)
    first, _ = asyncio.run(_twice(proxy))
    assert isinstance(first, MatrixError)
    assert (first.status, first.code) == (502, "")


def test_reset_and_truncate_happen_after_the_server_acted(
    proxy: FaultProxy, upstream: ThreadingHTTPServer
) -> None:
    before = upstream.posts  # type: ignore[attr-defined]
    proxy.fail(Fault.RESET, method="POST", times=1)
    proxy.fail(Fault.TRUNCATE, method="POST", times=1)
    proxy.fail(Fault.DROP, method="POST", times=1)
    for _ in range(3):
        asyncio.run(_twice(proxy, "POST"))
    assert upstream.posts - before == 2  # type: ignore[attr-defined]  # the dropped one never left


def test_delay_is_added_to_every_answer_and_a_delay_fault_on_top(upstream: ThreadingHTTPServer) -> None:
    with FaultProxy(upstream.server_address[1], delay=0.1) as proxy:
        proxy.fail(Fault.DELAY, path="^/x$", delay=0.2)
        first, _ = asyncio.run(_twice(proxy))
        assert first == json.loads(BODY)
        slow, normal = proxy.exchanges
    assert slow.finished - slow.started >= 0.3
    assert 0.1 <= normal.finished - normal.started < 0.3


def test_clear_lets_everything_through_again(proxy: FaultProxy) -> None:
    proxy.fail(Fault.BAD_GATEWAY)  # every request, until cleared
    with pytest.raises(MatrixError):
        asyncio.run(_twice(proxy))
    proxy.clear()
    first, _ = asyncio.run(_twice(proxy))
    assert first == json.loads(BODY)
