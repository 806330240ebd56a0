"""The Contact info tab against a real Synapse 1.163.2 and its captured mail.

The test plays the person: it types an address, answers the password prompt (a scripted prompter), opens
the link from the mail it finds in the SMTP sink, and then only watches: the row must finish by itself.
Every request the page sends is checked against the Matrix definitions when the test ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from mxsettings.api.client import RateLimitPolicy
from mxsettings.api.generation import ContactAdd, Generation, r0_generation
from mxsettings.api.models import Versions
from mxsettings.store.pending import PendingStore
from mxsettings.store.secrets import MemorySecretStore
from mxsettings.ui.pages.contact_page import ContactPage
from tests.conformance.recorder import RecordedRequest, RecordingTransport, problems
from tests.harness.mailbox import Mailbox, validation_link
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer
from tests.integration.api_support import open_link
from tests.ui.contact_support import PageKeeper, ScriptedPrompter, build_page, make_account, row

R0_BEFORE_ADD = r0_generation(Versions(versions=("r0.4.0", "r0.5.0")))
LINK_TIMEOUT_MS = 15_000


@pytest.fixture
def records() -> Iterator[list[RecordedRequest]]:
    found: list[RecordedRequest] = []
    yield found
    wrong = problems(found)
    assert not wrong, "requests that do not match the Matrix definitions:\n" + "\n".join(wrong)


class Pages:
    """Opens Contact info tabs for users of a server, the way the app would after signing in."""

    def __init__(self, qtbot: QtBot, records: list[RecordedRequest], directory: Path) -> None:
        self.qtbot = qtbot
        self.records = records
        self.directory = directory
        # The keyring: it outlives a page, as the OS keyring outlives the app.
        self.secrets = MemorySecretStore()
        self.keeper = PageKeeper(qtbot)

    def store(self, name: str = "config") -> PendingStore:
        return PendingStore(self.directory / name, self.secrets)

    def open(
        self,
        server: SynapseServer,
        user: RegisteredUser,
        prompter: ScriptedPrompter,
        *,
        store: PendingStore | None = None,
        generation: Generation | None = None,
        rate_limit: RateLimitPolicy | None = None,
    ) -> ContactPage:
        account = make_account(
            server.base_url,
            user.user_id,
            user.access_token,
            transport=RecordingTransport(records=self.records),
            generation=generation,
            rate_limit=rate_limit,
        )
        page = self.keeper.keep(build_page(account, prompter, store or self.store(user.localpart)))
        page.show()
        page.load()
        self.qtbot.waitUntil(lambda: not page.runner.busy)  # the list is in; waits run on page.waits
        return page


@pytest.fixture
def pages(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, records: list[RecordedRequest], tmp_path: Path
) -> Iterator[Pages]:
    opened = Pages(qtbot, records, tmp_path)
    yield opened
    opened.keeper.close_all(qloop)


def type_and_enter(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def mail_to(mailbox: Mailbox, address: str, since: int) -> EmailMessage | None:
    try:
        return mailbox.wait_for(address, since, timeout=0)
    except TimeoutError:
        return None


def open_the_mailed_link(qtbot: QtBot, mailbox: Mailbox, address: str, since: int) -> None:
    qtbot.waitUntil(lambda: mail_to(mailbox, address, since) is not None, timeout=LINK_TIMEOUT_MS)
    mail = mail_to(mailbox, address, since)
    assert mail is not None
    assert open_link(validation_link(mail)).status_code == 200


def status(page: ContactPage, name: str) -> str:
    shown = row(page, name)
    if shown is None:
        return ""
    label = shown.findChild(QLabel, "statusLabel")
    return label.text() if isinstance(label, QLabel) else ""


def wait_for_row(qtbot: QtBot, page: ContactPage, name: str) -> QFrame:
    qtbot.waitUntil(lambda: row(page, name) is not None, timeout=LINK_TIMEOUT_MS)
    found = row(page, name)
    assert found is not None
    return found


def add_email(qtbot: QtBot, page: ContactPage, mailbox: Mailbox, address: str) -> None:
    """Add ``address`` the way a person does: type it, open the link, watch it finish."""
    before = mailbox.count()
    type_and_enter(qtbot, page.email_form.edit, address)
    wait_for_row(qtbot, page, f"pending:email:{address}")
    open_the_mailed_link(qtbot, mailbox, address, before)
    wait_for_row(qtbot, page, f"contact:email:{address}")


def test_an_email_is_added_by_itself_once_the_link_is_opened(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("contact")
    address = f"{user.localpart}@example.test"
    prompter = ScriptedPrompter(user.password)
    page = pages.open(synapse, user, prompter)
    add_email(qtbot, page, mailbox, address)
    assert row(page, f"pending:email:{address}") is None
    assert len(prompter.asks) == 1  # once, before the link was opened; never again
    assert page.message.text() == f"{address} was added to your account."
    shown = row(page, f"contact:email:{address}")
    assert shown is not None
    dates = shown.findChild(QLabel, "datesLabel")
    assert isinstance(dates, QLabel)
    assert dates.text().startswith("Added on ")


def test_closing_the_app_while_waiting_loses_nothing(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("restart")
    address = f"{user.localpart}@example.test"
    store = pages.store("restart")
    first = pages.open(synapse, user, ScriptedPrompter(user.password), store=store)
    before = mailbox.count()
    type_and_enter(qtbot, first.email_form.edit, address)
    wait_for_row(qtbot, first, f"pending:email:{address}")
    qtbot.waitUntil(lambda: '"uia_session"' in store.path.read_text() and "null" not in _session_line(store))
    pages.keeper.close(first)  # the app quits

    # The app starts again: a new page, the same pending file and keyring. Nothing may be asked.
    quiet = ScriptedPrompter(None)
    second = pages.open(synapse, user, quiet, store=PendingStore(store.path.parent, pages.secrets))
    wait_for_row(qtbot, second, f"pending:email:{address}")
    open_the_mailed_link(qtbot, mailbox, address, before)
    wait_for_row(qtbot, second, f"contact:email:{address}")
    assert quiet.asks == []
    assert '"accounts": {}' in store.path.read_text()


def _session_line(store: PendingStore) -> str:
    return next((line for line in store.path.read_text().splitlines() if '"uia_session"' in line), "null")


def test_an_address_of_another_account_is_refused_beside_the_field(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    owner, other = new_user("owner"), new_user("other")
    address = f"{owner.localpart}@example.test"
    add_email(qtbot, pages.open(synapse, owner, ScriptedPrompter(owner.password)), mailbox, address)
    page = pages.open(synapse, other, ScriptedPrompter(other.password))
    type_and_enter(qtbot, page.email_form.edit, address)
    qtbot.waitUntil(page.email_form.error.isVisible)
    assert page.email_form.error.text() == "This email address is already used by another account."
    assert row(page, f"pending:email:{address}") is None


def test_removing_an_address_asks_then_says_what_the_identity_server_heard(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("remove")
    address = f"{user.localpart}@example.test"
    page = pages.open(synapse, user, ScriptedPrompter(user.password))
    add_email(qtbot, page, mailbox, address)
    shown = wait_for_row(qtbot, page, f"contact:email:{address}")
    remove = shown.findChild(QPushButton, "removeButton")
    assert remove is not None
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    confirm = shown.findChild(QPushButton, "confirmRemoveButton")
    assert confirm is not None
    assert confirm.isVisible()
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row(page, f"contact:email:{address}") is None)
    # Synapse answers "no-support" for every delete, bound or not (test-homeserver.md §4).
    assert "The identity server could not be told" in page.message.text()
    qtbot.waitUntil(page.email_empty.isVisible)


def test_a_rate_limited_request_counts_down_beside_the_field(
    pages: Pages, qtbot: QtBot, synapse_tight: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("tight", server=synapse_tight)
    # Hand every 429 to the page at once, as a long wait would be: the tight server's Retry-After is 2 s.
    page = pages.open(
        synapse_tight, user, ScriptedPrompter(user.password), rate_limit=RateLimitPolicy(max_auto_wait=0)
    )
    form = page.email_form
    for attempt in range(1, 8):
        qtbot.waitUntil(form.add_button.isEnabled)
        form.edit.clear()
        type_and_enter(qtbot, form.edit, f"{user.localpart}-{attempt}@example.test")
        qtbot.waitUntil(lambda: not page.runner.busy or page.runner.rate_limited, timeout=10_000)
        if page.runner.rate_limited:
            break
    assert page.runner.rate_limited, "the tight server never answered 429"
    assert "Try again in" in form.error.text()
    assert not form.add_button.isEnabled()
    qtbot.waitUntil(lambda: form.error.text() == "You can try again now.", timeout=10_000)
    assert form.add_button.isEnabled()


def test_the_deprecated_3pid_post_through_the_page(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("legacy")
    address = f"{user.localpart}@example.test"
    assert R0_BEFORE_ADD.contact_add is ContactAdd.THREE_PID_CREDS
    prompter = ScriptedPrompter(None)  # the deprecated endpoint has no UIA: nothing may be asked
    page = pages.open(synapse, user, prompter, generation=R0_BEFORE_ADD)
    assert not page.email_form.bind_check.isVisible()  # only the seed's servers had the choice
    add_email(qtbot, page, mailbox, address)
    assert prompter.asks == []
    adds = [
        r for r in pages.records if r.method == "POST" and r.url.endswith("/_matrix/client/r0/account/3pid")
    ]
    assert adds
    assert all(isinstance(r.body, dict) and set(r.body) == {"three_pid_creds"} for r in adds)


def test_a_phone_number_on_a_server_without_sms_is_refused_in_words(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("phone")
    page = pages.open(synapse, user, ScriptedPrompter(user.password))
    page.phone_form.set_country("DE")
    type_and_enter(qtbot, page.phone_form.edit, "01512 3456789")
    qtbot.waitUntil(page.phone_form.error.isVisible)
    assert (
        page.phone_form.error.text()
        == "Your server cannot send text messages, so it cannot add phone numbers."
    )


def test_the_wait_survives_the_server_going_away(
    pages: Pages, qtbot: QtBot, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("offline")
    address = f"{user.localpart}@example.test"
    page = pages.open(synapse, user, ScriptedPrompter(user.password))
    before = mailbox.count()
    type_and_enter(qtbot, page.email_form.edit, address)
    name = f"pending:email:{address}"
    wait_for_row(qtbot, page, name)
    qtbot.waitUntil(lambda: mail_to(mailbox, address, before) is not None, timeout=LINK_TIMEOUT_MS)
    synapse.stop()
    try:
        qtbot.waitUntil(lambda: "cannot be reached" in status(page, name), timeout=LINK_TIMEOUT_MS)
    finally:
        synapse.start()
    open_the_mailed_link(qtbot, mailbox, address, before)
    wait_for_row(qtbot, page, f"contact:email:{address}")
