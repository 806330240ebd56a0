"""The Contact info tab: the account's email addresses and phone numbers, adding that finishes by itself.

Adding an address leaves a row that says what the app is waiting for; the app keeps trying to attach the
address until the link is opened (or the code typed), so the person never has to come back and press
"Continue" (Element's complaint since 2016). The row is stored (``PendingStore``): closing the tab or the app
and coming back resumes the wait. Every network call runs through ``self.runner``; the page never awaits.

Servers that forbid changes here (``m.3pid_changes`` off) or manage accounts on their own site (delegated
authentication) get the list read-only, with the reason and, for the latter, the account page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from mxsettings.api.models import ThreePid, UnbindResult
from mxsettings.services.account_management import PROFILE, account_page_url
from mxsettings.services.accounts import Account
from mxsettings.services.contact_input import MEDIUM_EMAIL, PhoneNumber, format_msisdn
from mxsettings.services.contacts import (
    ContactList,
    ContactService,
    WaitSchedule,
)
from mxsettings.services.uia_driver import Prompter
from mxsettings.store.pending import PendingStore, PendingVerification
from mxsettings.ui.error_text import ErrorContext, ErrorText, rate_limit_message
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.pages.contact_forms import EmailForm, PhoneForm
from mxsettings.ui.pages.contact_pending import PendingRows
from mxsettings.ui.pages.contact_rows import AddressRow
from mxsettings.ui.pages.contact_text import ContactText
from mxsettings.ui.tab_order import follow_layout
from mxsettings.ui.task_runner import TaskRunner

# After a mail or text is sent, Resend stays off this long: mail takes a moment, and a second press would
# only send a second message to the same inbox.
RESEND_COOLDOWN = 30.0

Key = tuple[str, str]  # (medium, address)


class ContactPage(QWidget):
    def __init__(
        self,
        account: Account,
        *,
        prompter: Prompter,
        pending: PendingStore,
        open_url: Callable[[str], None],
        parent: QWidget | None = None,
        schedule: WaitSchedule | None = None,
        resend_cooldown: float = RESEND_COOLDOWN,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactPage")
        self.account = account
        self._open_url = open_url
        self.runner = TaskRunner(self)
        # The waits for a link run on a runner of their own: they last minutes to hours, and the window's
        # busy indicator (fed by ``runner``) must not spin all that time.
        self.waits = TaskRunner(self)
        self.service = ContactService(
            account.homeserver, account.user_id, pending, schedule=schedule or WaitSchedule()
        )
        self.text = ContactText(self)
        self._address_rows: dict[Key, AddressRow] = {}
        self._listed: dict[Key, ThreePid] = {}  # the server's latest list, for a Remove confirmed later
        # Removals still running, and the row each was started from: the list can be rebuilt meanwhile (a
        # reload after another removal or addition), and the answer belongs to the row shown by then.
        self._removing: dict[Key, AddressRow] = {}
        self._countdown_target: FieldMessage | None = None
        self._build()
        self.pending = PendingRows(
            self,
            service=self.service,
            prompter=prompter,
            runner=self.runner,
            waits=self.waits,
            list_for=self._list_for,
            resend_cooldown=resend_cooldown,
        )
        self.pending.added.connect(self._added)
        self.pending.failed.connect(lambda text: self.message.show_error(text.message))
        self.pending.counting_down.connect(self._count_down_on)
        self.pending.rows_changed.connect(self._update_placeholders)
        self.runner.rate_limit_tick.connect(self._rate_limit_tick)
        self.runner.rate_limit_ended.connect(self._rate_limit_ended)

    # --- building -------------------------------------------------------------------------------------------

    @property
    def restricted(self) -> bool:
        return self.account.delegates_auth or not self.account.capabilities.threepid_changes

    def _build(self) -> None:
        self.restricted_note = QLabel(self)
        self.restricted_note.setObjectName("restrictedNote")
        self.restricted_note.setWordWrap(True)
        self.account_page_button = QPushButton(self.tr("Open the &account page"), self)
        self.account_page_button.setObjectName("accountPageButton")
        self.account_page_button.setAccessibleName(self.tr("Open your server's account page in the browser"))
        self.account_page_button.clicked.connect(self._open_account_page)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setAccessibleName(self.tr("Refresh the contact information"))
        self.refresh_button.clicked.connect(self.load)
        self.message = FieldMessage(None, self, name="pageMessage")
        self.email_form, self.phone_form = EmailForm(self), PhoneForm(self)
        self.email_form.submitted.connect(self._add_email)
        self.phone_form.submitted.connect(self._add_phone)
        self.email_group, self.email_list, self.email_empty = self._group(
            "email", self.tr("Email addresses"), self.tr("No email addresses yet."), self.email_form
        )
        self.phone_group, self.phone_list, self.phone_empty = self._group(
            "phone", self.tr("Phone numbers"), self.tr("No phone numbers yet."), self.phone_form
        )
        header = QHBoxLayout()
        header.addWidget(self.restricted_note, 1)
        header.addStretch(0)  # keeps the button its own size while the note is hidden
        header.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.addLayout(header)
        column.addWidget(self.account_page_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.message)
        column.addWidget(self.email_group)
        column.addWidget(self.phone_group)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        # Not a Tab stop of its own: it scrolls to whichever control gets the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._show_restrictions()

    def _group(
        self, name: str, title: str, empty: str, form: QWidget
    ) -> tuple[QGroupBox, QVBoxLayout, QLabel]:
        group = QGroupBox(title, self)
        group.setObjectName(f"{name}Group")
        rows = QWidget(group)
        rows.setObjectName(f"{name}List")
        rows.setAccessibleName(title)
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        placeholder = QLabel(empty, group)
        placeholder.setObjectName(f"{name}Empty")
        layout = QVBoxLayout(group)
        layout.addWidget(rows)
        layout.addWidget(placeholder)
        layout.addWidget(form)
        return group, rows_layout, placeholder

    def _show_restrictions(self) -> None:
        restricted = self.restricted
        self.restricted_note.setText(self.text.restriction(self.account) if restricted else "")
        self.restricted_note.setVisible(restricted)
        self.account_page_button.setVisible(self.account.delegates_auth and self._account_page() is not None)
        self.email_form.setVisible(not restricted)
        self.phone_form.setVisible(not restricted)

    def _account_page(self) -> str | None:
        return account_page_url(self.account.auth_metadata, PROFILE)

    def _open_account_page(self) -> None:
        url = self._account_page()
        if url is not None:
            self._open_url(url)

    # --- loading --------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the list (and, where changes are allowed, resume the waiting rows)."""
        self.runner.run(
            self.service.load(with_pending=not self.restricted),
            on_ok=self._loaded,
            on_error=lambda text: self.message.show_error(text.message),
            busy=self.refresh_button,
        )

    def _loaded(self, contacts: ContactList) -> None:
        self.pending.generation = contacts.generation
        offers_bind = contacts.generation.offers_bind_choice and not self.restricted
        self.email_form.bind_check.setVisible(offers_bind)
        self.phone_form.bind_check.setVisible(offers_bind)
        self._show_addresses(contacts.threepids, removable=contacts.generation.has_3pid_delete)
        for item in contacts.pending:
            if self.pending.row(item.key) is None:
                # Resumed, not started by hand: the wait must not pop up a password prompt by itself.
                self.pending.show(item, start=True, may_ask=False)
        self._update_placeholders()

    def _show_addresses(self, threepids: tuple[ThreePid, ...], *, removable: bool) -> None:
        """Show the server's list. An address still listed keeps its row, and with it whatever the person is
        doing there (a Remove waiting for its confirmation, the focus): a reload after an add or a Refresh
        can finish at any moment. Only the rows of addresses gone from the list go."""
        listed = {(t.medium, t.address): t for t in threepids}
        for key in [key for key in self._address_rows if key not in listed]:
            self._address_rows.pop(key).deleteLater()
        kept, self._address_rows = self._address_rows, {}
        self._listed = listed
        can_remove = removable and not self.restricted
        for key, threepid in listed.items():
            row = kept.get(key)
            if row is None:
                row = AddressRow(
                    threepid.medium, threepid.address, _display(threepid.medium, threepid.address),
                    self._dates(threepid), self,
                )  # fmt: skip
                row.set_removable(can_remove)
                row.remove_confirmed.connect(functools.partial(self._remove_listed, key, row))
                if key in self._removing:
                    _show_removing(row)  # still being removed: no second Remove until the first one answers
            else:
                row.set_dates(self._dates(threepid))
                row.set_removable(can_remove)
                self._list_for(threepid.medium).removeWidget(row)  # put back below, in the server's order
            self._list_for(threepid.medium).insertWidget(len(self._address_rows_of(threepid.medium)), row)
            self._address_rows[key] = row

    def _remove_listed(self, key: Key, row: AddressRow) -> None:
        threepid = self._listed.get(key)
        if threepid is not None:
            self._remove(threepid, row)

    def _address_rows_of(self, medium: str) -> list[AddressRow]:
        return [row for key, row in self._address_rows.items() if key[0] == medium]

    def _dates(self, threepid: ThreePid) -> str:
        if threepid.added_at is None:
            return ""  # the seed's servers sent no timestamps
        date = QDateTime.fromMSecsSinceEpoch(threepid.added_at).date()
        locale = QLocale()
        # The locale's long date without the weekday: "3 May 2025", in the locale's own order and words.
        pattern = locale.dateFormat(QLocale.FormatType.LongFormat).replace("dddd, ", "").replace("dddd ", "")
        return self.tr("Added on %1").replace("%1", locale.toString(date, pattern))

    def _list_for(self, medium: str) -> QVBoxLayout:
        return self.email_list if medium == MEDIUM_EMAIL else self.phone_list

    def _update_placeholders(self) -> None:
        for medium, label in ((MEDIUM_EMAIL, self.email_empty), ("msisdn", self.phone_empty)):
            label.setVisible(not any(key[0] == medium for key in (*self._address_rows, *self.pending.keys())))
        follow_layout(self)  # new rows go where they are shown in the Tab order, not at its end

    # --- adding ---------------------------------------------------------------------------------------------

    def _add_email(self, address: str, bind: bool) -> None:
        if self._already_here(MEDIUM_EMAIL, address, self.email_form.error):
            return
        self.runner.run(
            self.service.start_email(address, bind=bind),
            on_ok=functools.partial(self._sent, self.email_form),
            on_error=functools.partial(self._form_error, self.email_form.error),
            busy=self.email_form.add_button,
            context=ErrorContext.ADD_EMAIL,
            progress=self.tr("Sending a confirmation link…"),
        )

    def _add_phone(self, number: PhoneNumber, bind: bool) -> None:
        if self._already_here("msisdn", number.msisdn, self.phone_form.error):
            return
        self.runner.run(
            self.service.start_phone(number, bind=bind),
            on_ok=functools.partial(self._sent, self.phone_form),
            on_error=functools.partial(self._form_error, self.phone_form.error),
            busy=self.phone_form.add_button,
            context=ErrorContext.ADD_PHONE,
            progress=self.tr("Sending a code…"),
        )

    def _already_here(self, medium: str, address: str, error: FieldMessage) -> bool:
        if (medium, address) in self._address_rows:
            error.show_error(self.text.already_on_account())
            return True
        row = self.pending.row((medium, address))
        if row is not None:
            error.show_error(self.text.already_waiting())
            row.resend_button.setFocus()
            return True
        return False

    def _sent(self, form: EmailForm | PhoneForm, item: PendingVerification) -> None:
        form.clear()
        self.pending.show(item, start=True, may_ask=True)

    def _form_error(self, label: FieldMessage, text: ErrorText) -> None:
        label.show_error(text.message)
        if text.retry_after is not None:
            self._count_down_on(label)

    def _added(self, item: PendingVerification) -> None:
        self.message.show_note(self.text.added(item))
        self.load()

    # --- removing -------------------------------------------------------------------------------------------

    def _remove(self, threepid: ThreePid, row: AddressRow) -> None:
        key = (threepid.medium, threepid.address)
        if key in self._removing:
            return
        self._removing[key] = row
        self.runner.run(
            self.service.remove(threepid),
            on_ok=functools.partial(self._removed, threepid),
            on_error=functools.partial(self._remove_failed, key),
            busy=(row.confirm_button, row.keep_button),
            context=ErrorContext.REMOVE_CONTACT,
        )

    def _removed(self, threepid: ThreePid, result: UnbindResult) -> None:
        self._removal_over((threepid.medium, threepid.address))
        self.message.show_note(self.text.removed(_display(threepid.medium, threepid.address), result))
        self.load()

    def _remove_failed(self, key: Key, text: ErrorText) -> None:
        row = self._removal_over(key)
        if row is None:
            self.message.show_error(text.message)  # the address is no longer listed
            return
        # Still asking "Remove it?", so the answer can simply be given again.
        row.error.show_error(text.message)

    def _removal_over(self, key: Key) -> AddressRow | None:
        """The row now shown for ``key`` (None if the address is no longer listed), ready to act again."""
        started_from = self._removing.pop(key, None)
        row = self._address_rows.get(key)
        if row is None or not shiboken6.isValid(row):
            return None
        if row is not started_from:  # rebuilt while the removal ran: its buttons were held here
            row.confirm_button.setEnabled(True)
            row.keep_button.setEnabled(True)
        return row

    # --- rate limits ----------------------------------------------------------------------------------------

    def _count_down_on(self, label: FieldMessage) -> None:
        self._countdown_target = label

    def _rate_limit_tick(self, seconds: int) -> None:
        if self._countdown_target is not None and shiboken6.isValid(self._countdown_target):
            self._countdown_target.show_error(rate_limit_message(seconds))

    def _rate_limit_ended(self) -> None:
        target, self._countdown_target = self._countdown_target, None
        if target is not None and shiboken6.isValid(target):
            target.show_note(rate_limit_message(0))


def _show_removing(row: AddressRow) -> None:
    row.ask_confirmation()
    row.confirm_button.setEnabled(False)
    row.keep_button.setEnabled(False)


def _display(medium: str, address: str) -> str:
    return address if medium == MEDIUM_EMAIL else format_msisdn(address)
