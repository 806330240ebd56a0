"""One way to run network work from the UI: ``runner.run(coro, on_ok=..., busy=button)``.

A page calls ``run`` from a plain slot and returns; it never awaits. The runner owns everything around the
coroutine so that no page gets it wrong:

* the ``busy`` widgets are disabled while it runs and restored afterwards on every outcome (success,
  error, cancel, a crash in a callback). A widget held by two tasks comes back only when both are done,
  and it comes back to the state it had before, so a button the page had disabled stays disabled;
* a rate limit (``M_LIMIT_EXCEEDED`` with a wait) keeps those widgets disabled until the wait is over,
  announcing the seconds left through ``rate_limit_tick`` and ``status`` each time the number changes,
  then ``rate_limit_ended``;
* progress is reported by signals, not a wait cursor: ``busy_changed`` drives a non-blocking indicator in
  the main window and ``status`` its text. An override cursor would freeze the whole app's pointer and
  is easily left set;
* every failure goes through ``describe``; cancellations end quietly; anything else, of any type, is caught
  here (never an unhandled exception in the Qt loop) and logged by class name only, since an exception's
  text may carry secrets;
* a failure because the server no longer takes the account's token (``UnknownToken``: signed out
  elsewhere, or expired) is also announced through ``session_ended``, for the window to sign the account
  out here too;
* tasks are referenced until done (asyncio keeps only weak references) and are cancelled by
  ``cancel_all``, when the runner is destroyed (it is usually a child of its page), and when a widget
  given to ``attach_to`` is closed or destroyed.

Callbacks run after the widgets are restored, so ``on_ok`` may disable them again. They are not called
for a cancelled task, nor once the runner itself is gone.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import time
import traceback
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from mxsettings.errors import LimitExceeded, MxError, UnknownToken
from mxsettings.ui.countdown import Clock, Countdown
from mxsettings.ui.error_text import ErrorContext, ErrorText, describe, rate_limit_message

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    widgets: tuple[QWidget, ...]
    context: ErrorContext
    on_ok: Callable[[Any], None]
    on_error: Callable[[ErrorText], None] | None
    progress: str | None


@dataclass
class _Hold:
    was_enabled: bool
    count: int = 0
    focus: QWidget | None = None  # the held widget (or the child of it) that had the focus, to give it back


class TaskRunner(QObject):
    """Runs coroutines on the running qasync loop on behalf of one page or dialog."""

    busy_changed = Signal(bool)  # True when the first task starts, False when the last one ends
    status = Signal(str)  # progress or countdown text for the status area; "" clears it
    failed = Signal(object)  # ErrorText of a failure whose run() had no on_error
    rate_limit_tick = Signal(int)  # whole seconds left; at the start and whenever the number drops
    rate_limit_ended = Signal()  # the wait is over and the held widgets are restored
    session_ended = Signal(object)  # UnknownToken: the server no longer takes the account's token

    def __init__(self, parent: QObject | None = None, *, clock: Clock = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._jobs: dict[asyncio.Task[Any], _Job] = {}
        self._holds: dict[QWidget, _Hold] = {}
        self._countdown: Countdown | None = None
        self._countdown_widgets: tuple[QWidget, ...] = ()
        self._status_text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        # By the time a parent's destroyed signal fires its children (this runner) are gone, so the runner
        # cancels its own tasks as it dies. The slot must not be a method: ``self`` is half destroyed.
        self.destroyed.connect(functools.partial(_cancel_tasks, self._jobs))

    # --- Public API ---------------------------------------------------------------------------------------

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        *,
        on_ok: Callable[[T], None],
        on_error: Callable[[ErrorText], None] | None = None,
        busy: QWidget | Sequence[QWidget] = (),
        context: ErrorContext = ErrorContext.GENERAL,
        progress: str | None = None,
    ) -> asyncio.Task[T]:
        """Start ``coro`` and return at once; the task is kept until it ends."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()  # else Python warns that it was never awaited
            raise RuntimeError("TaskRunner.run needs the running qasync event loop") from None
        widgets = (busy,) if isinstance(busy, QWidget) else tuple(busy)
        task = loop.create_task(coro)
        self._jobs[task] = _Job(widgets, context, on_ok, on_error, progress)
        self._hold(widgets)
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._refresh_status()
        task.add_done_callback(self._finished)
        return task

    def cancel_all(self) -> None:
        """Cancel every running task; each then ends quietly and restores its widgets."""
        _cancel_tasks(self._jobs)

    def running(self) -> list[asyncio.Task[Any]]:
        """The tasks not finished yet (for a shutdown that waits for them to let go of the network)."""
        return [task for task in self._jobs if not task.done()]

    def attach_to(self, widget: QWidget) -> None:
        """Cancel every task (and stop a countdown) when ``widget`` is closed or destroyed.

        Attach a dialog or window to cancel on close. A page inside the main window's tabs never gets a
        close event; it is covered by its destruction, which takes a runner parented to it along.
        """
        widget.destroyed.connect(self._owner_gone)
        widget.installEventFilter(self)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def rate_limited(self) -> bool:
        return self._countdown is not None

    @property
    def seconds_left(self) -> int:
        """Seconds left of the rate-limit wait, 0 when none is active."""
        return self._countdown.seconds_left if self._countdown is not None else 0

    @property
    def status_text(self) -> str:
        return self._status_text

    # --- Qt hooks -----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            # A close can still be refused by the widget; look again once it has been handled.
            QTimer.singleShot(0, self, functools.partial(self._after_close, watched))
        return super().eventFilter(watched, event)

    def _after_close(self, widget: QWidget) -> None:
        if not shiboken6.isValid(widget) or not widget.isVisible():
            self._owner_gone()

    def _owner_gone(self) -> None:
        self.cancel_all()
        self._end_rate_limit(announce=False)

    # --- Finishing a task ---------------------------------------------------------------------------------

    def _finished(self, task: asyncio.Task[Any]) -> None:
        error = None if task.cancelled() else task.exception()  # reading it marks it retrieved
        job = self._jobs.pop(task, None)
        if job is None or not shiboken6.isValid(self):
            return  # the page that asked is gone: nothing to restore, nobody to tell
        if isinstance(error, LimitExceeded):
            self._start_rate_limit(error, job.widgets)  # before releasing, so nothing flickers enabled
        self._release(job.widgets)
        if not self._jobs:
            self.busy_changed.emit(False)
        self._refresh_status()
        if task.cancelled():
            return
        if error is None:
            self._call_ok(job, task.result())
        else:
            self._report(job, error)
            if isinstance(error, UnknownToken):
                # Not the page's business alone: the whole account is signed out (the window handles it).
                self.session_ended.emit(error)

    def _call_ok(self, job: _Job, result: object) -> None:
        try:
            job.on_ok(result)
        except Exception as exc:
            _log_unexpected(exc, "on_ok")
            self._deliver(job, describe(exc, context=job.context))

    def _report(self, job: _Job, error: BaseException) -> None:
        if isinstance(error, MxError):
            log.info("task failed: %s", type(error).__name__)
        else:
            _log_unexpected(error, "task")
        text = describe(error, context=job.context)
        if not text.silent:
            self._deliver(job, text)

    def _deliver(self, job: _Job, text: ErrorText) -> None:
        if job.on_error is None:
            self.failed.emit(text)
            return
        try:
            job.on_error(text)
        except Exception as exc:
            _log_unexpected(exc, "on_error")
            self.failed.emit(describe(exc))

    # --- Rate-limit countdown -----------------------------------------------------------------------------

    def _start_rate_limit(self, error: LimitExceeded, widgets: tuple[QWidget, ...]) -> None:
        wait = describe(error).retry_after  # the wait as shown: finite, positive, at most a day
        if wait is None:
            return  # no hint: nothing to count down; the message says "wait a moment"
        self._hold(widgets)
        self._countdown_widgets += widgets
        if self._countdown is None:
            self._countdown = Countdown(wait, clock=self._clock)
        else:
            self._countdown.extend(wait)
        self._tick()

    def _tick(self) -> None:
        countdown = self._countdown
        if countdown is None:
            return
        left = countdown.seconds_left
        if left == 0:
            self._end_rate_limit(announce=True)
            return
        self.rate_limit_tick.emit(left)
        self._refresh_status()
        self._timer.start(max(1, math.ceil(countdown.until_next_change() * 1000)))

    def _end_rate_limit(self, *, announce: bool) -> None:
        if self._countdown is None:
            return
        self._timer.stop()
        self._countdown = None
        widgets, self._countdown_widgets = self._countdown_widgets, ()
        self._release(widgets)
        self._refresh_status()
        if announce:
            self.rate_limit_ended.emit()

    # --- Widgets and status -------------------------------------------------------------------------------

    def _hold(self, widgets: Iterable[QWidget]) -> None:
        for widget in widgets:
            hold = self._holds.get(widget)
            if hold is None:
                # WA_ForceDisabled is the widget's own setEnabled(False), not a disabled parent's.
                was_enabled = not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
                hold = self._holds[widget] = _Hold(was_enabled, focus=_take_focus(widget))
                widget.setEnabled(False)
            hold.count += 1

    def _release(self, widgets: Iterable[QWidget]) -> None:
        for widget in widgets:
            hold = self._holds.get(widget)
            if hold is None:
                continue
            hold.count -= 1
            if hold.count == 0:
                del self._holds[widget]
                if shiboken6.isValid(widget):
                    widget.setEnabled(hold.was_enabled)
                    _give_focus_back(widget, hold.focus)

    def _refresh_status(self) -> None:
        if self._countdown is not None:
            text = rate_limit_message(self._countdown.seconds_left)
        else:
            text = next((job.progress for job in reversed(self._jobs.values()) if job.progress), "")
        if text != self._status_text:
            self._status_text = text
            self.status.emit(text)


def _take_focus(widget: QWidget) -> QWidget | None:
    """Take the focus off ``widget`` (or its child) before it is disabled, and say who had it.

    Disabling the focused control makes Qt pass the focus on along the Tab order, to whatever comes next:
    after "Add" of the email form that is the phone form's country list, which a keyboard or screen reader
    user did not choose, and which then loads its whole list. The focus waits nowhere instead while the
    control is busy, and comes back to it (``_give_focus_back``).
    """
    focused = widget.window().focusWidget()
    if focused is None or not (focused is widget or widget.isAncestorOf(focused)):
        return None
    focused.clearFocus()
    return focused


def _give_focus_back(widget: QWidget, focused: QWidget | None) -> None:
    """Return the focus taken by ``_take_focus``, unless the user has put it somewhere else meanwhile."""
    if focused is None or not shiboken6.isValid(focused) or widget.window().focusWidget() is not None:
        return
    if focused.isEnabled() and focused.isVisible():
        focused.setFocus(Qt.FocusReason.OtherFocusReason)


def _cancel_tasks(jobs: dict[asyncio.Task[Any], _Job]) -> None:
    for task in list(jobs):
        task.cancel()


def _log_unexpected(exc: BaseException, where: str) -> None:
    # Class and place only: the message and the locals may hold a token or a password.
    frames = traceback.extract_tb(exc.__traceback__)
    place = f"{frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
    log.error("unexpected %s in %s at %s", type(exc).__name__, where, place)
