"""The strength meter's helper process: its line protocol, and the app's side that starts, restarts and
ends it (services/strength.py). The helper is the real one: this Python running ``mxsettings
--strength-worker``."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from mxsettings.services.strength import StrengthEstimator, serve

pytestmark = pytest.mark.asyncio

MARK = "hunter2-päss-⚑"


def ask_serve(lines: list[str], *, idle: float = 5.0) -> list[dict[str, object]]:
    """Run ``serve`` over real pipes with ``lines`` as its input, then end the input; its replies."""
    to_read, to_write = os.pipe()
    from_read, from_write = os.pipe()
    with (
        os.fdopen(to_read, "r") as requests,
        os.fdopen(to_write, "w") as feed,
        os.fdopen(from_read, "r") as answers,
        os.fdopen(from_write, "w") as replies,
    ):
        server = threading.Thread(target=serve, args=(requests, replies), kwargs={"idle": idle})
        server.start()
        got = []
        for line in lines:
            feed.write(line + "\n")
            feed.flush()
            got.append(json.loads(answers.readline()))
        feed.close()
        server.join(10)
        assert not server.is_alive()
    return got


async def test_the_helper_answers_each_line_and_never_repeats_the_password() -> None:
    weak, strong, broken, wrong_type = ask_serve(
        [
            json.dumps({"password": "password1", "inputs": []}),
            json.dumps({"password": "correct horse battery staple orbit", "inputs": ["alice"]}),
            "not json " + MARK,
            json.dumps({"password": 42, "inputs": [MARK]}),
        ]
    )
    assert weak["score"] == 0
    assert weak["warning"] == "This is a very common password."
    assert strong["score"] == 4
    assert broken == {"error": "JSONDecodeError"}
    assert wrong_type == {"error": "TypeError"}
    assert MARK not in json.dumps([broken, wrong_type])


async def test_a_silent_helper_ends_by_itself() -> None:
    to_read, to_write = os.pipe()
    from_read, from_write = os.pipe()
    with os.fdopen(to_read, "r") as requests, os.fdopen(from_write, "w") as replies:
        assert serve(requests, replies, idle=0.1) == 0  # returns, with the input still open
        os.close(to_write)  # the end of the input lets serve's reader thread finish before the pipe closes
    os.close(from_read)


@pytest.fixture
def estimator() -> Iterator[StrengthEstimator]:
    found = StrengthEstimator()
    yield found
    found.close()


async def test_the_app_asks_the_helper_and_ends_it(estimator: StrengthEstimator) -> None:
    assert not estimator.running  # nothing starts before the first question
    weak = await estimator.estimate("password1")
    assert weak is not None
    assert weak.score == 0
    assert estimator.running
    own_name = await estimator.estimate("alicesmith", ["alicesmith", "example.org"])
    plain = await estimator.estimate("alicesmith")
    assert own_name is not None
    assert plain is not None
    assert own_name.score <= plain.score
    process = estimator._process
    assert process is not None
    estimator.close()
    assert not estimator.running
    assert process.poll() is not None  # the helper and its word lists are gone
    again = await estimator.estimate("correct horse battery staple orbit")  # a new helper
    assert again is not None
    assert again.score == 4


async def test_a_helper_that_ended_on_its_own_is_started_again(estimator: StrengthEstimator) -> None:
    assert await estimator.estimate("password1") is not None
    process = estimator._process
    assert process is not None
    process.kill()  # as if it had exited after its idle minute
    process.wait()
    strength = await estimator.estimate("password1")
    assert strength is not None
    assert strength.score == 0
    assert estimator._process is not process


async def test_a_helper_that_cannot_start_leaves_the_meter_empty() -> None:
    estimator = StrengthEstimator(["/nonexistent/mxsettings-helper"])
    assert await estimator.estimate("password1") is None
    assert await estimator.estimate("password2") is None  # and it is not tried on every keystroke
    assert estimator._unusable


async def test_an_answer_that_makes_no_sense_is_no_estimate() -> None:
    nonsense = "import sys\nfor line in sys.stdin:\n    print('{\"score\": 9}', flush=True)\n"
    estimator = StrengthEstimator([sys.executable, "-c", nonsense])
    try:
        assert await estimator.estimate("password1") is None
    finally:
        estimator.close()


async def test_an_empty_password_asks_nobody(estimator: StrengthEstimator) -> None:
    strength = await estimator.estimate("")
    assert strength is not None
    assert strength.score == 0
    assert not estimator.running


async def test_closing_while_a_question_waits_does_not_start_a_new_helper() -> None:
    slow = "import sys, time\nfor line in sys.stdin:\n    time.sleep(30)\n"
    estimator = StrengthEstimator([sys.executable, "-c", slow])
    question = asyncio.ensure_future(estimator.estimate("password1"))
    while not estimator.running:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)  # the question is written and its answer awaited
    estimator.close()
    assert await asyncio.wait_for(question, 10) is None
    assert not estimator.running


async def test_a_question_longer_than_a_pipe_buffer_is_answered(estimator: StrengthEstimator) -> None:
    # 1,000 non-ASCII characters are 6,000 bytes of JSON escapes: more than one atomic pipe write.
    strength = await estimator.estimate("ä" * 999 + "!")
    assert strength is not None
    assert estimator.running


async def test_without_python_level_streams_the_helper_uses_the_descriptors() -> None:
    # A windowed bundle on Windows has sys.stdin and sys.stdout set to None even when handed pipes.
    code = (
        "import sys\n"
        "sys.stdin = sys.stdout = None\n"
        "from mxsettings.services.strength import serve_standard_streams\n"
        "raise SystemExit(serve_standard_streams())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps({"password": "password1", "inputs": []}) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout)["score"] == 0
