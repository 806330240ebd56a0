"""TLS verification is always on: a real handshake with a self-signed server fails, whatever the host.

The server is a real TLS listener on 127.0.0.1 with a certificate made here by ``openssl``. Loopback is the
one place where the app accepts plain ``http://``; it must still refuse a certificate it cannot verify over
``https://``, so that no host (loopback or not) has a way around verification. Non-loopback hosts cannot be
reached from the test machine, so for them the test checks what the app's client would use: a context that
requires a verified certificate and a matching host name, with no parameter or environment to relax it.
"""

from __future__ import annotations

import inspect
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from mxsettings.api.client import MatrixHttp
from mxsettings.errors import InsecureUrl, TlsError


class _Versions(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"versions": ["v1.11"]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``https://127.0.0.1:<port>`` served with a self-signed certificate for 127.0.0.1 and localhost."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is needed to make the test certificate (Debian: apt-get install openssl)")
    folder: Path = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Versions)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.asyncio
async def test_a_self_signed_server_is_refused_even_on_loopback(self_signed: str) -> None:
    http = MatrixHttp(self_signed)
    try:
        with pytest.raises(TlsError) as caught:
            await http.request("GET", "/_matrix/client/versions")
    finally:
        await http.aclose()
    assert "certificate" in caught.value.detail.lower()


@pytest.mark.asyncio
async def test_the_listener_really_answers_to_a_client_that_trusts_it(self_signed: str) -> None:
    # The refusal above is the certificate's, not a server that does not answer: a client told to skip
    # verification (which the app never is) gets the JSON.
    async with httpx.AsyncClient(verify=False) as client:  # noqa: S501 (the control case)
        response = await client.get(f"{self_signed}/_matrix/client/versions")
    assert response.json() == {"versions": ["v1.11"]}


def test_there_is_no_way_to_ask_for_unverified_tls() -> None:
    parameters = inspect.signature(MatrixHttp.__init__).parameters
    assert not {"verify", "ssl_context", "insecure", "cert"} & set(parameters)
    with pytest.raises(TypeError):
        MatrixHttp("https://matrix.example.org", verify=False)  # type: ignore[call-arg]


@pytest.mark.asyncio
async def test_a_remote_host_gets_a_context_that_verifies_certificate_and_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Python's own switch for unverified https (PEP 493) must not reach the app's client. (SSL_CERT_FILE,
    # which httpx honours, only chooses which authorities to trust; verification stays on.)
    monkeypatch.setenv("PYTHONHTTPSVERIFY", "0")
    http = MatrixHttp("https://matrix.example.org")
    try:
        pool = http._client._transport._pool  # type: ignore[attr-defined]  # httpx's own transport
        context: ssl.SSLContext = pool._ssl_context
        assert context.verify_mode is ssl.CERT_REQUIRED
        assert context.check_hostname is True
    finally:
        await http.aclose()


@pytest.mark.parametrize("url", ["http://matrix.example.org", "http://10.0.0.5:8008", "ftp://example.org"])
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(InsecureUrl):
        MatrixHttp(url)


@pytest.mark.asyncio
async def test_every_client_shares_one_verifying_context() -> None:
    clients = [MatrixHttp("https://one.example"), MatrixHttp("https://two.example")]
    try:
        contexts = [c._client._transport._pool._ssl_context for c in clients]  # type: ignore[attr-defined]
        assert contexts[0] is contexts[1]
        assert contexts[0].verify_mode is ssl.CERT_REQUIRED
    finally:
        for client in clients:
            await client.aclose()
