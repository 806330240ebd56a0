"""The rows of addresses still being confirmed: each row's wait, its buttons and what it says.

``PendingRows`` belongs to the Contact info page. A row's wait for the link runs on the page's ``waits``
runner (it may last an hour and must not keep the window's busy indicator spinning); what the person
starts by hand (resend, a code, cancel) runs on the page's ``runner``, so rate limits count down there.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from mxsettings.api.generation import ContactAdd, Generation
from mxsettings.services.contact_input import MEDIUM_EMAIL, format_msisdn
from mxsettings.services.contacts import AddOutcome, ContactService, WaitReport, WaitState, Waker
from mxsettings.services.uia_driver import Prompter
from mxsettings.store.pending import PendingVerification
from mxsettings.ui.error_text import ErrorContext, ErrorText
from mxsettings.ui.pages.contact_rows import PendingRow
from mxsettings.ui.pages.contact_text import ContactText
from mxsettings.ui.task_runner import TaskRunner

Key = tuple[str, str]  # (medium, address)


class PendingRows(QObject):
    added = Signal(object)  # PendingVerification: the address is on the account now
    failed = Signal(object)  # ErrorText of an action that has no row to show it on any more
    counting_down = Signal(object)  # the FieldMessage that should show a rate-limit countdown
    rows_changed = Signal()

    def __init__(
        self,
        parent: QWidget,
        *,
        service: ContactService,
        prompter: Prompter,
        runner: TaskRunner,
        waits: TaskRunner,
        list_for: Callable[[str], QVBoxLayout],
        resend_cooldown: float,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._service = service
        self._prompter = prompter
        self._runner = runner
        self._waits = waits
        self._list_for = list_for
        self._resend_cooldown = resend_cooldown
        self._text = ContactText(self)
        self.generation: Generation | None = None
        self._rows: dict[Key, PendingRow] = {}
        self._items: dict[Key, PendingVerification] = {}
        self._loops: dict[Key, asyncio.Task[AddOutcome]] = {}
        self._wakers: dict[Key, Waker] = {}
        self._not_yet: set[Key] = set()  # rows showing the answer to a "check now"

    def keys(self) -> list[Key]:
        return list(self._rows)

    def row(self, key: Key) -> PendingRow | None:
        return self._rows.get(key)

    def show(self, item: PendingVerification, *, start: bool, may_ask: bool) -> None:
        key = item.key
        row = self._rows.get(key)
        if row is None:
            display = item.address if item.medium == MEDIUM_EMAIL else format_msisdn(item.address)
            row = PendingRow(item.medium, item.address, display, self._text.check_button(item), self._parent)
            row.check_requested.connect(functools.partial(self._check_now, key))
            row.resend_requested.connect(functools.partial(self._resend, key))
            row.cancel_requested.connect(functools.partial(self._cancel, key))
            row.code_submitted.connect(functools.partial(self._submit_code, key))
            self._list_for(item.medium).addWidget(row)
            self._rows[key] = row
            self.rows_changed.emit()
        self._items[key] = item
        row.error.clear_message()
        row.start_cooldown(item.created_at + self._resend_cooldown - self._service.pending_store.now())
        expired = item.expired(self._service.pending_store.now())
        if item.submit_url is not None and not item.code_confirmed:
            row.show_code_entry(not expired)
            row.show_status(self._text.code_sent(item))
            if expired:
                row.show_expired(self._text.expired(item))
        elif start:
            self._start_waiting(key, may_ask=may_ask)

    def _start_waiting(self, key: Key, *, may_ask: bool) -> None:
        self._stop_waiting(key)
        item, row = self._items[key], self._rows[key]
        row.show_code_entry(False)
        row.show_status(self._text.waiting(item, self.generation))
        waker = self._wakers[key] = Waker()
        self._loops[key] = self._waits.run(
            self._service.wait_until_added(
                item,
                self._prompter,
                waker=waker,
                report=functools.partial(self._report, key),
                may_ask=may_ask,
            ),
            on_ok=functools.partial(self._wait_ended, key),
            on_error=functools.partial(self._row_error, key),
            context=self._context(item),
        )

    def _stop_waiting(self, key: Key) -> None:
        self._wakers.pop(key, None)
        task = self._loops.pop(key, None)
        if task is not None:
            task.cancel()

    def _report(self, key: Key, report: WaitReport) -> None:
        row, item = self._rows.get(key), self._items.get(key)
        if row is None or item is None or not shiboken6.isValid(row):
            return
        if report.state is WaitState.OFFLINE:
            row.show_status(self._text.offline())
        else:
            row.show_status(self._text.waiting(item, self.generation))
        if report.checked_by_user and report.state is WaitState.WAITING:
            # The answer to the person's question, not a failure: shown as a note, not in red.
            row.error.show_note(self._text.not_yet(item, self._legacy_validation()))
            self._not_yet.add(key)
        elif key in self._not_yet:
            # The answer to a "check now" stays until the next try; other notes (resent) stay longer.
            self._not_yet.discard(key)
            row.error.clear_message()

    def _legacy_validation(self) -> bool:
        # On the seed's servers the identity server vouched for the address; its refusal is named as such.
        return self.generation is not None and self.generation.contact_add is ContactAdd.THREE_PID_CREDS_CAMEL

    def _wait_ended(self, key: Key, outcome: AddOutcome) -> None:
        self._loops.pop(key, None)
        item, row = self._items.get(key), self._rows.get(key)
        if item is None or row is None:
            return
        if outcome is AddOutcome.ADDED:
            self._drop_row(key)
            self.added.emit(item)
        elif outcome is AddOutcome.EXPIRED:
            row.show_expired(self._text.expired(item))
        elif outcome is AddOutcome.LOST:
            row.show_expired(self._text.lost())
        else:
            row.show_status(self._text.needs_confirmation(item))

    def _row_error(self, key: Key, text: ErrorText) -> None:
        row = self._rows.get(key)
        if row is None:
            return
        row.error.show_error(text.message)
        if text.retry_after is not None:
            self.counting_down.emit(row.error)

    def _check_now(self, key: Key) -> None:
        waker, loop = self._wakers.get(key), self._loops.get(key)
        # A wait that ended on an error is still listed, but waking it would do nothing: start a new one.
        if loop is not None and not loop.done() and waker is not None:
            waker.wake()
        elif key in self._items:
            self._rows[key].error.clear_message()
            self._start_waiting(key, may_ask=True)

    def _submit_code(self, key: Key, code: str) -> None:
        row, item = self._rows[key], self._items[key]
        if not code.strip():
            row.error.show_error(self._text.type_the_code())
            return
        row.error.clear_message()
        self._runner.run(
            self._service.submit_code(item, code),
            on_ok=functools.partial(self._code_accepted, key),
            on_error=functools.partial(self._row_error, key),
            busy=(row.submit_code_button, row.code_edit),
            context=ErrorContext.ADD_PHONE,
        )

    def _code_accepted(self, key: Key, item: PendingVerification) -> None:
        self._items[key] = item
        self._start_waiting(key, may_ask=True)

    def _resend(self, key: Key) -> None:
        row, item = self._rows[key], self._items[key]
        row.error.clear_message()
        self._runner.run(
            self._service.resend(item),
            on_ok=functools.partial(self._resent, key),
            on_error=functools.partial(self._row_error, key),
            busy=row.resend_button,
            context=self._context(item),
        )

    def _resent(self, key: Key, item: PendingVerification) -> None:
        self._stop_waiting(key)
        row = self._rows[key]
        row.check_button.setVisible(True)
        self.show(item, start=True, may_ask=True)
        row.error.show_note(self._text.sent_again(item))

    def _cancel(self, key: Key) -> None:
        item = self._items.get(key)
        self._stop_waiting(key)
        self._drop_row(key)
        if item is not None:
            self._runner.run(self._service.cancel(item), on_ok=lambda _: None, on_error=self.failed.emit)

    def _drop_row(self, key: Key) -> None:
        self._stop_waiting(key)
        self._items.pop(key, None)
        row = self._rows.pop(key, None)
        if row is not None:
            row.deleteLater()
            self.rows_changed.emit()

    def _context(self, item: PendingVerification) -> ErrorContext:
        return ErrorContext.ADD_EMAIL if item.medium == MEDIUM_EMAIL else ErrorContext.ADD_PHONE
