"""A tiny stdlib-only SMTP sink for tests.

Usage: ``python tests/harness/smtp_sink.py HOST PORT OUTDIR``

Accepts every message and writes it to ``OUTDIR/NNNN.eml`` (atomically: a ``.tmp`` file in the same
directory, then a rename). Numbering continues after the highest existing ``NNNN.eml``, so a restarted sink
never overwrites earlier mail. It never offers STARTTLS or AUTH. ``PORT`` may be ``0`` to let the kernel pick
one; the single line ``READY HOST PORT`` is printed on stdout once the socket listens. SIGTERM and SIGINT
end it cleanly with exit status 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from pathlib import Path

MAX_MESSAGE_BYTES = 32 * 1024 * 1024
_EML_NAME = re.compile(r"^(\d+)\.eml$")


class Sink:
    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        outdir.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in outdir.iterdir() if (m := _EML_NAME.match(p.name))]
        self.counter = max(numbers, default=0)
        self.connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    def store(self, data: bytes) -> int:
        self.counter += 1
        number = self.counter
        final = self.outdir / f"{number:04d}.eml"
        tmp = self.outdir / f".{number:04d}.eml.tmp"
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
        return number

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def send(line: str) -> None:
            writer.write(line.encode("ascii") + b"\r\n")
            await writer.drain()

        task = asyncio.current_task()
        assert task is not None
        self.connections[task] = writer
        try:
            await send("220 localhost smtp-sink ready")
            while raw := await reader.readline():
                verb = raw.decode("utf-8", "replace").strip()[:4].upper()
                if verb == "EHLO":
                    writer.write(b"250-localhost\r\n250-8BITMIME\r\n")
                    await send(f"250 SIZE {MAX_MESSAGE_BYTES}")
                elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                    await send("250 OK")
                elif verb == "DATA":
                    await send("354 End data with <CR><LF>.<CR><LF>")
                    data = await self._read_data(reader)
                    if data is None:
                        return
                    number = self.store(data)
                    await send(f"250 OK queued as {number}")
                elif verb == "QUIT":
                    await send("221 Bye")
                    return
                else:
                    await send("502 Command not implemented")
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.connections.pop(task, None)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    @staticmethod
    async def _read_data(reader: asyncio.StreamReader) -> bytes | None:
        lines: list[bytes] = []
        while True:
            line = await reader.readline()
            if not line:
                return None  # connection dropped mid-message: discard it
            if line in (b".\r\n", b".\n"):
                return b"".join(lines)
            if line.startswith(b"."):
                line = line[1:]  # undo dot-stuffing (RFC 5321 section 4.5.2)
            lines.append(line)


async def serve(host: str, port: int, outdir: Path) -> None:
    sink = Sink(outdir)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await asyncio.start_server(sink.handle, host, port)
    bound_port = server.sockets[0].getsockname()[1]
    print(f"READY {host} {bound_port}", flush=True)
    await stop.wait()
    server.close()
    # Drop open client connections so their handlers end normally (cancelling them would log noise on 3.11).
    pending = list(sink.connections)
    for writer in sink.connections.values():
        writer.transport.abort()
    if pending:
        await asyncio.wait(pending, timeout=2.0)


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(f"usage: {argv[0]} HOST PORT OUTDIR", file=sys.stderr)
        return 2
    asyncio.run(serve(argv[1], int(argv[2]), Path(argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
