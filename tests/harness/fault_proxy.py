"""A loopback TCP proxy that sits between the app and a server and misbehaves on purpose.

Used by the fault tests (``tests/integration/test_faults_synapse.py``) and by ``make bench`` (a 200 ms delay
on every answer). It speaks just enough HTTP/1.1 to see where each request and each answer ends, so a fault
can hit one request on a kept-alive connection while everything else passes through untouched::

    with FaultProxy(synapse.port) as proxy:          # http://127.0.0.1:<proxy.port> -> Synapse
        rule = proxy.fail(Fault.RESET, method="POST", path=r"/login$")
        ...                                          # the next POST /login gets half an answer, then RST
        proxy.clear()                                # everything passes again

The proxy runs its own asyncio loop in a daemon thread, so it keeps answering while a test's Qt loop is
blocked or busy. Every request it sees is kept in ``exchanges`` (method, path, when, what happened), which is
also how round trips are counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Self


class Fault(enum.StrEnum):
    """What the proxy does to a matching request."""

    DELAY = "delay"  # the answer arrives late (``Rule.delay`` seconds), within the client's timeout
    DROP = "drop"  # the connection is closed after the request, before any answer; the server never sees it
    RESET = "reset"  # the server answers; the client gets the head and half the body, then a TCP reset
    TRUNCATE = "truncate"  # as RESET, but a clean close: the body stops short of its Content-Length
    BAD_GATEWAY = "502"  # a gateway's own 502 page (HTML, as nginx sends it); the server never sees it
    UNAVAILABLE = "503"  # 503 with Retry-After and no body (maintenance); the server never sees it
    HTML = "html"  # 200 with an HTML page (a captive portal, a misrouted proxy); the server never sees it
    STALL = "stall"  # the request is swallowed and nothing ever comes back, past any timeout


#: Faults where the server itself handles the request (the client just does not hear all of it).
REACHES_SERVER = frozenset({Fault.DELAY, Fault.RESET, Fault.TRUNCATE})


@dataclass
class Rule:
    """Which requests get ``fault``: ``method`` (exact) and ``path`` (a regex searched in the path and query);
    ``times`` matching requests, or every one until ``FaultProxy.clear`` when None."""

    fault: Fault
    method: str | None = None
    path: re.Pattern[str] | None = None
    times: int | None = None
    delay: float = 1.0
    hits: int = 0

    def matches(self, method: str, target: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and method != self.method:
            return False
        return self.path is None or self.path.search(target) is not None


@dataclass(frozen=True)
class Exchange:
    """One request as the proxy saw it. Times are ``time.monotonic()`` (comparable across processes)."""

    method: str
    target: str  # path and query, as sent
    started: float  # the whole request was read
    finished: float  # the answer (or what stood for it) was written, or the connection was given up
    status: int | None  # the status the client was sent; None when it got no status line
    fault: Fault | None

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass
class _Message:
    head: bytes
    body: bytes
    start_line: str
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def wants_close(self) -> bool:
        return (self.header("connection") or "").lower() == "close"


def _canned(status: str, content_type: str | None, body: bytes, extra: str = "") -> bytes:
    headers = f"HTTP/1.1 {status}\r\n"
    if content_type:
        headers += f"Content-Type: {content_type}\r\n"
    headers += f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    return headers.encode("latin-1") + body


_CANNED: dict[Fault, bytes] = {
    Fault.BAD_GATEWAY: _canned(
        "502 Bad Gateway",
        "text/html",
        b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
        b"</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    ),
    Fault.UNAVAILABLE: _canned("503 Service Unavailable", None, b"", "Retry-After: 1\r\n"),
    Fault.HTML: _canned(
        "200 OK",
        "text/html; charset=utf-8",
        b"<!DOCTYPE html><html><head><title>Sign in to the Wi-Fi</title></head>"
        b"<body><form action='/portal'><input name='room'></form></body></html>",
    ),
}


class FaultProxy:
    """Forwards ``127.0.0.1:<port>`` to the upstream server; ``delay`` seconds are added to every answer."""

    def __init__(self, upstream_port: int, *, upstream_host: str = "127.0.0.1", delay: float = 0.0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.delay = delay
        self.host = "127.0.0.1"
        self.port = 0
        self._rules: list[Rule] = []
        self._exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._startup_error: BaseException | None = None
        self._connections: set[asyncio.Task[None]] = set()

    # --- lifecycle -----------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fault proxy did not start within 10 s")
        if self._startup_error is not None:
            raise RuntimeError("the fault proxy could not start") from self._startup_error

    def close(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop already stopped
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- faults --------------------------------------------------------------------------------------

    def fail(
        self,
        fault: Fault,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
        delay: float = 1.0,
    ) -> Rule:
        """Add a rule; the first rule that matches a request decides what happens to it."""
        rule = Rule(fault, method, re.compile(path) if path is not None else None, times, delay)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    # --- what was seen -------------------------------------------------------------------------------

    @property
    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return list(self._exchanges)

    def forget_exchanges(self) -> None:
        with self._lock:
            self._exchanges.clear()

    def exchanges_since(self, mark: float) -> list[Exchange]:
        return [e for e in self.exchanges if e.started >= mark]

    # --- the proxy thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            server = await asyncio.start_server(self._accept, self.host, 0)
        except BaseException as exc:
            self._startup_error = exc
            self._ready.set()
            raise
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
            server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)
            # A closed transport lets go of its socket in a callback one loop turn later; without those
            # turns the sockets outlive the loop and are reported unclosed when collected.
            for _ in range(3):
                await asyncio.sleep(0)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        upstream: _Upstream | None = None
        try:
            while True:
                request = await _read_message(reader, request_method=None)
                if request is None:
                    return
                if upstream is not None and upstream.closed:
                    # The server hung up (its end is at EOF): our end of that socket must still be closed,
                    # or it lingers until collected and is reported unclosed.
                    upstream.close()
                    upstream = None
                keep, upstream = await self._exchange(request, reader, writer, upstream)
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            return  # the client or the server went away mid-message; nothing more to relay
        except asyncio.CancelledError:
            # The proxy is closing. Ending normally matters: Python 3.11's stream server calls
            # task.exception() on its handler task, which raises (and logs an error) for a cancelled one.
            return
        finally:
            self._connections.discard(task)
            if upstream is not None:
                upstream.close()
            _close(writer)

    async def _exchange(
        self,
        request: _Message,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: _Upstream | None,
    ) -> tuple[bool, _Upstream | None]:
        """Handle one request; returns whether the client connection goes on, and the upstream to reuse."""
        method, target = _request_line(request)
        started = time.monotonic()
        rule = self._match(method, target)
        fault = rule.fault if rule is not None else None

        if fault is Fault.DROP:
            self._record(method, target, started, None, fault)
            return False, upstream
        if fault is Fault.STALL:
            # Swallow it: keep the connection open and silent until the client gives up (or we stop).
            with contextlib.suppress(ConnectionError):
                while await reader.read(65536):
                    pass
            self._record(method, target, started, None, fault)
            return False, upstream
        # Each exchange is recorded before its last byte goes out, so a client that has its answer can
        # count on finding the exchange recorded.
        if fault in _CANNED:
            self._record(method, target, started, _status(_CANNED[fault]), fault)
            writer.write(_CANNED[fault])
            await writer.drain()
            return False, upstream

        try:
            if upstream is None:
                upstream = await _Upstream.open(*self.upstream)
            upstream.writer.write(request.head + request.body)
            await upstream.writer.drain()
            response = await _read_message(upstream.reader, request_method=method)
        except OSError:
            # The server is down (refused), or went away with this connection: the client gets no answer,
            # and the try is still recorded, so a test can count the tries made during an outage.
            response = None
        if response is None:
            self._record(method, target, started, None, fault)
            return False, upstream
        delay = self.delay + (rule.delay if rule is not None and fault is Fault.DELAY else 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        status = _status(response.head)
        if fault in (Fault.RESET, Fault.TRUNCATE):
            writer.write(response.head + response.body[: len(response.body) // 2])
            await writer.drain()
            # Let the client take in what it was sent before the connection goes: a reset that overtakes
            # the data would make this a plain "connection refused" mid-request instead.
            await asyncio.sleep(0.05)
            self._record(method, target, started, status, fault)
            if fault is Fault.RESET:
                _reset(writer)
            return False, upstream
        self._record(method, target, started, status, fault)
        writer.write(response.head + response.body)
        await writer.drain()
        if response.wants_close or (response.header("content-length") is None and not _chunked(response)):
            upstream.close()
            upstream = None
        return not request.wants_close, upstream

    def _match(self, method: str, target: str) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, target):
                    rule.hits += 1
                    return rule
        return None

    def _record(
        self, method: str, target: str, started: float, status: int | None, fault: Fault | None
    ) -> None:
        exchange = Exchange(method, target, started, time.monotonic(), status, fault)
        with self._lock:
            self._exchanges.append(exchange)


@dataclass
class _Upstream:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    @classmethod
    async def open(cls, host: str, port: int) -> _Upstream:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    @property
    def closed(self) -> bool:
        return self.writer.is_closing() or self.reader.at_eof()

    def close(self) -> None:
        _close(self.writer)


async def _read_message(reader: asyncio.StreamReader, *, request_method: str | None) -> _Message | None:
    """One HTTP/1.1 message (``request_method`` None: a request; else the answer to that method), or None
    when the peer closed the connection cleanly before a new message began."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise
    lines = head.decode("latin-1").split("\r\n")
    headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:] if line)]
    message = _Message(head, b"", lines[0], headers)
    if request_method is not None:
        status = _status(head)
        if request_method == "HEAD" or status in (204, 304) or (status is not None and status < 200):
            return message
    if _chunked(message):
        message.body = await _read_chunked(reader)
    elif (length := message.header("content-length")) is not None:
        message.body = await reader.readexactly(int(length))
    elif request_method is not None:
        message.body = await reader.read()  # an answer without a length ends with the connection
    return message


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    raw = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        raw += size_line
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (trailer := await reader.readuntil(b"\r\n")) != b"\r\n":
                raw += trailer
            raw += b"\r\n"
            return bytes(raw)
        raw += await reader.readexactly(size + 2)


def _chunked(message: _Message) -> bool:
    return "chunked" in (message.header("transfer-encoding") or "").lower()


def _request_line(request: _Message) -> tuple[str, str]:
    parts = request.start_line.split(" ")
    if len(parts) < 2:
        raise ValueError(f"not an HTTP request line: {request.start_line[:80]!r}")
    return parts[0].upper(), parts[1]


def _status(head: bytes) -> int | None:
    parts = head.split(b"\r\n", 1)[0].split(b" ")
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return None


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST instead of a FIN (SO_LINGER on, timeout 0)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        writer.close()
