"""TaskRunner: buttons come back on every outcome, errors arrive as words, rate limits count down, and a
closed page takes its tasks with it. Every test runs on the ``qloop`` fixture and waits with qtbot."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from mxsettings import errors as err
from mxsettings.ui.countdown import Countdown
from mxsettings.ui.error_text import ErrorContext, ErrorText, Field, describe, rate_limit_message
from mxsettings.ui.task_runner import TaskRunner

SECRET = "syt_dG9rZW4_hunter2"


class Page(QWidget):
    """A stand-in page: one button, one runner that belongs to the page."""

    def __init__(self) -> None:
        super().__init__()
        self.button = QPushButton("Apply", self)
        self.runner = TaskRunner(self)
        self.results: list[object] = []
        self.errors: list[ErrorText] = []


@pytest.fixture
def page(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Page]:
    widget = Page()
    qtbot.addWidget(widget)
    yield widget
    if shiboken6.isValid(widget):
        widget.runner.cancel_all()


async def answer(future: asyncio.Future[int]) -> int:
    return await future


async def fail(error: BaseException) -> int:
    await asyncio.sleep(0)
    raise error


def start(
    page: Page,
    coro: Coroutine[Any, Any, int],
    *,
    context: ErrorContext = ErrorContext.GENERAL,
    progress: str | None = None,
) -> asyncio.Task[int]:
    return page.runner.run(
        coro,
        on_ok=page.results.append,
        on_error=page.errors.append,
        busy=page.button,
        context=context,
        progress=progress,
    )


def test_button_is_disabled_while_running_and_back_after_success(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page
) -> None:
    future: asyncio.Future[int] = qloop.create_future()
    statuses: list[str] = []
    page.runner.status.connect(statuses.append)
    with qtbot.waitSignal(page.runner.busy_changed) as started:
        task = start(page, answer(future), progress="Changing the password…")
    assert started.args == [True]
    assert not page.button.isEnabled()
    assert page.runner.busy
    with qtbot.waitSignal(page.runner.busy_changed, timeout=5000) as ended:
        future.set_result(42)
    assert ended.args == [False]
    qtbot.waitUntil(lambda: page.results == [42], timeout=5000)
    assert page.button.isEnabled()
    assert task.result() == 42
    assert page.errors == []
    assert statuses == ["Changing the password…", ""]


def test_an_error_arrives_as_words_for_the_right_field(qtbot: QtBot, page: Page) -> None:
    start(page, fail(err.Forbidden(status=403, server_message=SECRET)), context=ErrorContext.SIGN_IN)
    qtbot.waitUntil(lambda: page.errors != [], timeout=5000)
    assert page.errors == [ErrorText("The user name or password is wrong.", Field.PASSWORD)]
    assert page.button.isEnabled()
    assert page.results == []


def test_cancelling_restores_the_button_and_reports_nothing(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page
) -> None:
    task = start(page, answer(qloop.create_future()))
    qtbot.waitUntil(lambda: not page.button.isEnabled())
    task.cancel()
    qtbot.waitUntil(page.button.isEnabled, timeout=5000)
    assert task.cancelled()
    start(page, fail(err.Cancelled()))  # the user closed a dialog: not an error either
    qtbot.waitUntil(lambda: not page.runner.busy, timeout=5000)
    assert page.button.isEnabled()
    assert (page.results, page.errors) == ([], [])


def test_cancel_all_stops_every_task(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page) -> None:
    tasks = [start(page, answer(qloop.create_future())) for _ in range(3)]
    page.runner.cancel_all()
    qtbot.waitUntil(lambda: all(t.cancelled() for t in tasks), timeout=5000)
    qtbot.waitUntil(page.button.isEnabled, timeout=5000)


def test_a_shared_button_waits_for_both_tasks(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page
) -> None:
    first, second = qloop.create_future(), qloop.create_future()
    start(page, answer(first))
    start(page, answer(second))
    first.set_result(1)
    qtbot.waitUntil(lambda: page.results == [1], timeout=5000)
    assert not page.button.isEnabled()
    second.set_result(2)
    qtbot.waitUntil(lambda: page.results == [1, 2], timeout=5000)
    assert page.button.isEnabled()


def test_a_button_the_page_had_disabled_stays_disabled(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page
) -> None:
    page.button.setEnabled(False)
    future: asyncio.Future[int] = qloop.create_future()
    start(page, answer(future))
    future.set_result(7)
    qtbot.waitUntil(lambda: page.results == [7], timeout=5000)
    assert not page.button.isEnabled()


def test_without_on_error_the_failure_is_signalled(qtbot: QtBot, page: Page) -> None:
    with qtbot.waitSignal(page.runner.failed, timeout=5000) as failed:
        page.runner.run(fail(err.NetworkError("matrix.example.org")), on_ok=page.results.append)
    assert isinstance(failed.args[0], ErrorText)
    assert "matrix.example.org" in failed.args[0].message


def test_rate_limit_holds_the_button_through_a_countdown(qtbot: QtBot, page: Page) -> None:
    ticks: list[int] = []
    statuses: list[str] = []
    page.runner.rate_limit_tick.connect(ticks.append)
    page.runner.status.connect(statuses.append)
    with qtbot.waitSignal(page.runner.rate_limit_ended, timeout=5000):
        start(page, fail(err.LimitExceeded(status=429, retry_after=1.2)))
        qtbot.waitUntil(lambda: page.errors != [], timeout=5000)
        assert page.errors[0].retry_after == 1.2
        assert page.errors[0].message == rate_limit_message(2)
        assert not page.button.isEnabled()
        assert page.runner.rate_limited
    assert ticks == [2, 1]
    assert statuses == [rate_limit_message(2), rate_limit_message(1), ""]
    assert page.button.isEnabled()
    assert not page.runner.rate_limited


def test_rate_limit_without_a_hint_does_not_hold(qtbot: QtBot, page: Page) -> None:
    start(page, fail(err.LimitExceeded(status=429)))
    qtbot.waitUntil(lambda: page.errors != [], timeout=5000)
    assert page.errors[0].retry_after is None
    assert page.button.isEnabled()
    assert not page.runner.rate_limited


def test_closing_the_attached_window_cancels(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page
) -> None:
    page.runner.attach_to(page)
    page.show()
    task = start(page, answer(qloop.create_future()))
    page.close()
    qtbot.waitUntil(task.cancelled, timeout=5000)
    qtbot.waitUntil(page.button.isEnabled, timeout=5000)
    assert page.errors == []


def test_destroying_the_attached_widget_cancels(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    window = QWidget()
    button = QPushButton("Apply", window)
    runner = TaskRunner()  # not a child of the window: the window's destroyed signal does it
    runner.attach_to(window)
    task = runner.run(answer(qloop.create_future()), on_ok=print, busy=button)
    shiboken6.delete(window)
    qtbot.waitUntil(task.cancelled, timeout=5000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def test_destroying_the_page_cancels_its_runners_tasks(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    page = Page()
    task = start(page, answer(qloop.create_future()))
    shiboken6.delete(page)  # takes the runner (its child) with it, before any attach_to could react
    qtbot.waitUntil(task.cancelled, timeout=5000)


def test_an_unexpected_exception_ends_in_the_generic_sentence(
    qtbot: QtBot, page: Page, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mxsettings.ui.task_runner")
    with qtbot.captureExceptions() as escaped:
        start(page, fail(KeyError(SECRET)))
        qtbot.waitUntil(lambda: page.errors != [], timeout=5000)
    assert escaped == []  # nothing reached the Qt loop's exception hook
    assert page.errors == [describe(KeyError())]
    assert page.button.isEnabled()
    assert "unexpected KeyError in task" in caplog.text
    assert SECRET not in caplog.text


def test_a_failing_on_ok_is_reported_too(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, page: Page, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(result: int) -> None:
        raise ValueError(SECRET)

    future: asyncio.Future[int] = qloop.create_future()
    page.runner.run(answer(future), on_ok=broken, on_error=page.errors.append, busy=page.button)
    with qtbot.captureExceptions() as escaped:
        future.set_result(1)
        qtbot.waitUntil(lambda: page.errors != [], timeout=5000)
    assert escaped == []
    assert page.errors == [describe(ValueError())]
    assert page.button.isEnabled()
    assert SECRET not in caplog.text


async def one() -> int:
    return 1


def test_run_needs_the_running_loop(qtbot: QtBot) -> None:
    coro = one()
    with pytest.raises(RuntimeError, match="running qasync event loop"):
        TaskRunner().run(coro, on_ok=print)
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED  # so Python does not warn about it


# --- The countdown arithmetic, on a fake clock ------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_countdown_rounds_up_and_wakes_when_the_number_drops() -> None:
    clock = FakeClock()
    countdown = Countdown(2.5, clock=clock)
    assert (countdown.seconds_left, countdown.until_next_change()) == (3, 0.5)
    clock.now += 0.5
    assert (countdown.seconds_left, countdown.until_next_change()) == (2, 1.0)
    clock.now += 0.9995  # a timer firing a hair early still sees the new number
    assert countdown.seconds_left == 1
    clock.now += 1.0
    assert countdown.finished
    assert countdown.until_next_change() == 0.0


def test_countdown_extends_but_never_shortens() -> None:
    clock = FakeClock()
    countdown = Countdown(10, clock=clock)
    countdown.extend(3)
    assert countdown.seconds_left == 10
    countdown.extend(30)
    assert countdown.seconds_left == 30
    assert Countdown(-5, clock=clock).finished


class Form(QWidget):
    """A button followed in the Tab order by an unrelated control, as "Add" of the email form is followed by
    the phone form's country list."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.button = QPushButton("Add", self)
        self.unrelated = QPushButton("Country", self)
        self.elsewhere = QLineEdit(self)
        for widget in (self.button, self.unrelated, self.elsewhere):
            layout.addWidget(widget)
        self.runner = TaskRunner(self)


@pytest.fixture
def form(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Form]:
    widget = Form()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.button.setFocus()
    assert widget.focusWidget() is widget.button
    yield widget
    if shiboken6.isValid(widget):
        widget.runner.cancel_all()


def test_a_busy_control_keeps_the_focus_from_wandering_and_gets_it_back(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, form: Form
) -> None:
    future: asyncio.Future[int] = qloop.create_future()
    results: list[int] = []
    form.runner.run(answer(future), on_ok=results.append, busy=form.button)
    assert not form.button.isEnabled()
    # Qt alone would have moved the focus on to the next control in the Tab order.
    assert form.focusWidget() is not form.unrelated
    assert not form.unrelated.hasFocus()
    future.set_result(1)
    qtbot.waitUntil(lambda: results == [1], timeout=5000)
    assert form.button.isEnabled()
    assert form.focusWidget() is form.button


def test_focus_the_user_moved_while_busy_stays_where_they_put_it(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, form: Form
) -> None:
    future: asyncio.Future[int] = qloop.create_future()
    results: list[int] = []
    form.runner.run(answer(future), on_ok=results.append, busy=form.button)
    form.elsewhere.setFocus()
    future.set_result(1)
    qtbot.waitUntil(lambda: results == [1], timeout=5000)
    assert form.focusWidget() is form.elsewhere


def test_a_control_without_the_focus_is_not_given_it(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, form: Form
) -> None:
    form.elsewhere.setFocus()
    future: asyncio.Future[int] = qloop.create_future()
    results: list[int] = []
    form.runner.run(answer(future), on_ok=results.append, busy=form.button)
    assert form.focusWidget() is form.elsewhere
    future.set_result(1)
    qtbot.waitUntil(lambda: results == [1], timeout=5000)
    assert form.focusWidget() is form.elsewhere
