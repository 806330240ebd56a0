"""The password strength meter's estimates, made in a helper process that ends when it is not needed.

zxcvbn judges a password against about 95,000 ranked words. Loaded in Python they are about 13 MB of objects,
and they stay for the life of the process that loads them (``make bench`` measured the app at +52 MB over a
bare window after a password change, +39 MB before). The meter is needed for the minute a person spends
typing a new password, so the estimates come from a helper: this app started with ``--strength-worker``. The
Password tab starts it on the first keystroke and ends it once the password is changed or the tab goes away;
the helper also ends by itself after ``IDLE_EXIT_SECONDS`` without a question. Its memory goes with it.

The protocol is one JSON object per line. To the helper: ``{"password": ..., "inputs": [...]}``; back:
``{"score": 0-4, "warning": ..., "suggestions": [...]}``, ``{"unavailable": true}`` when zxcvbn is not
installed, or ``{"error": "<exception class>"}``. ``json.dumps`` escapes every non-ASCII character, so the
pipe's encoding never matters. The password travels only through the pipe: neither side logs it or puts it
in an error. Qt-free: the page calls ``StrengthEstimator.estimate`` from the event loop; the pipe is read in a
worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

log = logging.getLogger(__name__)

WORKER_FLAG = "--strength-worker"
#: A helper that has not been asked anything for this long exits; the next question starts a new one.
IDLE_EXIT_SECONDS = 60.0
#: How long ``close`` waits for the helper to exit before it is killed.
_EXIT_WAIT = 2.0
# zxcvbn's own ceiling: its matching is quadratic and it refuses longer input.
_ZXCVBN_MAX = 72


def worker_command() -> list[str]:
    """How to start the helper: the bundle's own executable, or this Python running the package."""
    if getattr(sys, "frozen", False):  # PyInstaller: sys.executable is the app itself
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "mxsettings", WORKER_FLAG]


@dataclass(frozen=True)
class Strength:
    """zxcvbn's verdict: ``score`` 0 (guessed at once) to 4 (very hard to guess); English feedback."""

    score: int
    warning: str = ""
    suggestions: tuple[str, ...] = ()


def estimate_strength(password: str, user_inputs: Iterable[str] = ()) -> Strength | None:
    """How hard ``password`` is to guess; None when the estimator is not installed.

    ``user_inputs`` (the user ID's parts, the server name) count as easy guesses. Beyond zxcvbn's 72
    characters only the start is judged: such a password is long enough that its start decides.
    """
    if not password:
        return Strength(score=0)
    try:
        from zxcvbn import zxcvbn  # in the helper only: about 13 MB and 30 ms of word lists
    except ImportError:
        return None
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[s for s in user_inputs if s])
    feedback = result["feedback"]
    return Strength(
        score=int(result["score"]), warning=feedback["warning"], suggestions=tuple(feedback["suggestions"])
    )


# --- the helper --------------------------------------------------------------------------------------------


def serve(requests: IO[str], replies: IO[str], *, idle: float = IDLE_EXIT_SECONDS) -> int:
    """Answer one request line at a time until the input ends or stays silent for ``idle`` seconds.

    The lines are read in a thread of their own and waited for with a timeout: ``select`` cannot wait on
    a pipe on Windows. After an idle return the reader is left blocked; the helper process exits anyway.
    """
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in requests:
            lines.put(line)
        lines.put("")  # the end of the input

    threading.Thread(target=read, name="strength-requests", daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=idle)
        except queue.Empty:
            return 0
        if not line:
            return 0
        replies.write(json.dumps(_answer(line)) + "\n")
        replies.flush()


def serve_standard_streams() -> int:
    """``serve`` on the process's standard input and output (``mxsettings --strength-worker``).

    A windowed bundle on Windows starts with ``sys.stdin`` and ``sys.stdout`` set to None even when its
    parent handed it pipes; the C runtime's descriptors 0 and 1 are those pipes then.
    """
    requests = sys.stdin if sys.stdin is not None else open(0, encoding="ascii", closefd=False)  # noqa: SIM115
    replies = sys.stdout if sys.stdout is not None else open(1, "w", encoding="ascii", closefd=False)  # noqa: SIM115
    return serve(requests, replies)


def _answer(line: str) -> dict[str, Any]:
    try:
        request = json.loads(line)
        password, inputs = request["password"], request.get("inputs", [])
        if not isinstance(password, str) or not all(isinstance(i, str) for i in inputs):
            raise TypeError("password and inputs are text")
        strength = estimate_strength(password, inputs)
    except Exception as exc:  # a malformed line or a failing estimate: said by class, never with the text
        return {"error": type(exc).__name__}
    if strength is None:
        return {"unavailable": True}
    return {"score": strength.score, "warning": strength.warning, "suggestions": list(strength.suggestions)}


# --- the app's side ----------------------------------------------------------------------------------------


class StrengthEstimator:
    """Asks the helper, starting it when needed; None whenever no estimate can be had."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = list(command) if command is not None else worker_command()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # one question on the pipe at a time
        self._unusable = False  # the helper could not be started: the meter stays hidden for this run
        self._closings = 0  # bumped by close(): a question asked before it does not start a new helper

    @property
    def running(self) -> bool:
        process = self._process
        return process is not None and process.poll() is None

    async def estimate(self, password: str, user_inputs: Iterable[str] = ()) -> Strength | None:
        if not password:
            return Strength(score=0)
        inputs = [s for s in user_inputs if s]
        # In a closure, not as arguments: an executor may log what it is given (qasync's QThreadExecutor
        # does, at debug level, arguments and all).
        return await asyncio.to_thread(lambda: self._ask(password, inputs))

    def close(self) -> None:
        """End the helper (it takes its copy of the password and the word lists along). A later question
        starts a new one."""
        self._closings += 1
        process, self._process = self._process, None
        if process is not None:
            _end(process)

    def _ask(self, password: str, inputs: list[str]) -> Strength | None:
        request = (json.dumps({"password": password, "inputs": inputs}) + "\n").encode("ascii")
        closings = self._closings
        with self._lock:
            for _ in range(2):  # a helper that exited while idle is started again, once
                if self._closings != closings:
                    return None  # closed while this question waited: the answer is not wanted
                process = self._started()
                if process is None:
                    return None
                if self._closings != closings:  # closed while the helper was being started
                    self._process = None
                    _end(process)
                    return None
                assert process.stdin is not None
                assert process.stdout is not None
                try:
                    _write_all(process.stdin, request)
                    line = process.stdout.readline()
                except (OSError, ValueError):  # a closed pipe: the helper exited or close() ran
                    line = b""
                if line:
                    return _strength(line.decode("ascii", "replace"))
                if self._process is process:
                    self._process = None
                    _end(process)
            return None

    def _started(self) -> subprocess.Popen[bytes] | None:
        if self._unusable:
            return None
        if self._process is not None:
            if self._process.poll() is None:
                return self._process
            _end(self._process)  # it exited (its idle minute): its pipes are closed before a new one
            self._process = None
        try:
            self._process = subprocess.Popen(  # noqa: S603 - our own executable, no shell
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=0,  # json.dumps writes ASCII only; a line is read as it comes
            )
        except OSError as exc:
            log.warning("the password strength helper could not start: %s", type(exc).__name__)
            self._unusable = True
            return None
        return self._process


def _strength(line: str) -> Strength | None:
    try:
        reply = json.loads(line)
        if "score" not in reply:
            if "error" in reply:
                log.warning("the password strength helper failed: %s", str(reply["error"])[:80])
            return None
        score = reply["score"]
        if not isinstance(score, int) or not 0 <= score <= 4:
            raise ValueError("score out of range")
        warning, suggestions = reply.get("warning", ""), reply.get("suggestions", [])
        if not isinstance(warning, str) or not all(isinstance(s, str) for s in suggestions):
            raise ValueError("feedback is not text")
        return Strength(score=score, warning=warning, suggestions=tuple(suggestions))
    except (ValueError, TypeError, AttributeError):
        log.warning("the password strength helper answered something unreadable")
        return None


def _write_all(pipe: IO[bytes], data: bytes) -> None:
    # Unbuffered, so nothing is left to flush when the pipe is closed; a long line may take several writes.
    view = memoryview(data)
    while view:
        written = pipe.write(view)
        view = view[written or 0 :]


def _end(process: subprocess.Popen[bytes]) -> None:
    # Stopped first: a question being read in the worker thread then meets the end of the pipe at once,
    # instead of holding the pipe's lock while this closes it.
    process.terminate()
    try:
        process.wait(_EXIT_WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
