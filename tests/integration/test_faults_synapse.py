"""Every account flow under every network fault, through the whole app, against the real Synapse.

A ``FaultProxy`` sits between the app and Synapse. For each flow (sign in, change the password, add an email
address: sending the link and attaching the address, remove an address) and each fault (``Fault``), the test
arms the fault on the flow's own request, does what a person does, and then checks what the person is left
with:

* the specific message for that flow and fault (``tests/integration/fault_table.py``, which is also the
  table in ``docs/reliability.md``);
* the app usable: nothing busy, the button enabled again, what was typed still there;
* nothing lost: a pending email confirmation is still shown and stored, and finishes without a second mail
  or a second password prompt;
* the action retryable: with the fault gone, the same button finishes the job;
* no unhandled exception and no error in the log (pytest-qt fails the test on a Qt warning or an exception
  in a slot on its own).
"""

from __future__ import annotations

import pytest

from tests.harness.fault_proxy import Fault, FaultProxy
from tests.harness.mailbox import Mailbox
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer
from tests.integration.app_driver import (
    WAIT,
    AppDriver,
    ErrorLog,
    open_mailed_link,
    server_versions,
    set_emails,
)
from tests.integration.fault_table import DELAY, EXPECTED, FLOWS, Flow, expected_message

NEW_PASSWORD = "N3w-fault-password"


@pytest.fixture(scope="module")
def versions(synapse: SynapseServer) -> tuple[str, ...]:
    return server_versions(synapse)


class Case:
    """One flow under one fault: the steps, and what must hold after each."""

    def __init__(  # noqa: PLR0917 (the fixtures a case needs)
        self,
        flow: Flow,
        fault: Fault,
        app: AppDriver,
        proxy: FaultProxy,
        user: RegisteredUser,
        mailbox: Mailbox,
        versions: tuple[str, ...],
    ) -> None:
        self.flow, self.fault, self.app, self.proxy = flow, fault, app, proxy
        self.user, self.mailbox, self.versions = user, mailbox, versions
        self.address = f"{user.localpart}@example.test"
        self.mails_before = 0

    @property
    def host(self) -> str:
        return f"{self.proxy.host}:{self.proxy.port}"

    def arm(self) -> None:
        path = {
            Flow.SIGN_IN: r"/login$",
            Flow.CHANGE_PASSWORD: r"/account/password$",
            Flow.SEND_LINK: r"/3pid/email/requestToken$",
            Flow.ATTACH_EMAIL: r"/3pid/add$",
            Flow.REMOVE_EMAIL: r"/3pid/delete$",
        }[self.flow]
        self.proxy.fail(self.fault, method="POST", path=path, delay=DELAY)

    # --- before the fault ----------------------------------------------------------------------------------

    def prepare(self, synapse: SynapseServer, admin: RegisteredUser) -> None:
        app = self.app
        if self.flow is Flow.SIGN_IN:
            app.open()
            app.look_up_server()
            return
        if self.flow is Flow.REMOVE_EMAIL:
            set_emails(synapse, admin, self.user, self.address)
        app.open_signed_in(self.user, self.versions)
        if self.flow is Flow.ATTACH_EMAIL:
            # Asked for the link and confirmed the password; the attachment waits for the link.
            app.press_add_email(self.address)
            self.mails_before = 0
            app.answer_password_prompt(self.user.password)
            self.app.qtbot.waitUntil(lambda: self._attach_answers(400) >= 1, timeout=WAIT)
        self.mails_before = self.mailbox.count()

    def _attach_answers(self, status: int) -> int:
        return sum(1 for e in self.proxy.exchanges if e.path.endswith("/3pid/add") and e.status == status)

    # --- the action, under the fault -----------------------------------------------------------------------

    def act(self) -> None:
        app = self.app
        match self.flow:
            case Flow.SIGN_IN:
                app.press_sign_in(self.user.localpart, self.user.password)
            case Flow.CHANGE_PASSWORD:
                app.press_change_password(self.user.password, NEW_PASSWORD)
            case Flow.SEND_LINK:
                app.press_add_email(self.address)
            case Flow.ATTACH_EMAIL:
                open_mailed_link(app.qtbot, self.mailbox, self.address, 0)
                faulted = len([e for e in self.proxy.exchanges if e.fault is not None])
                app.press_check_now(self.address)
                # The try has met the fault (or got through, for a delay) and the row says so.
                app.qtbot.waitUntil(
                    lambda: (
                        len([e for e in self.proxy.exchanges if e.fault is not None]) > faulted
                        and self.message() != self._waiting_text()
                    ),
                    timeout=WAIT,
                )
            case Flow.REMOVE_EMAIL:
                app.press_remove(self.address)

    def _waiting_text(self) -> str:
        row = self.app.pending_row(self.address)
        return (
            ""
            if row is None
            else f"We sent a link to {self.address}. Open it, and the address is added by itself."
        )

    def message(self) -> str:
        app = self.app
        match self.flow:
            case Flow.SIGN_IN:
                if app.window.stack.currentWidget() is app.window.account_view:
                    return "(signed in)"
                return app.sign_in_message()
            case Flow.CHANGE_PASSWORD:
                return app.password_message()
            case Flow.SEND_LINK:
                if app.pending_row(self.address) is not None:
                    return "(link sent)"
                return app.email_form_message()
            case Flow.ATTACH_EMAIL:
                row = app.pending_row(self.address)
                if row is None:
                    return app.contact_page().message.text()
                return row.error.text() or row.status_label.text()
            case Flow.REMOVE_EMAIL:
                row = app.address_row(self.address)
                if row is None:
                    return app.contact_page().message.text()
                return row.error.text()

    # --- after the fault -----------------------------------------------------------------------------------

    def assert_usable_and_nothing_lost(self) -> None:
        app = self.app
        assert app.idle(), "something is still busy"
        match self.flow:
            case Flow.SIGN_IN:
                page = app.window.sign_in
                assert page.sign_in_button.isEnabled()
                assert page.password_input.text() == self.user.password  # one click to try again
            case Flow.CHANGE_PASSWORD:
                page = app.password_page()
                assert page.submit_button.isEnabled()
                assert page.new_edit.text() == page.confirm_edit.text() == NEW_PASSWORD
            case Flow.SEND_LINK:
                form = app.contact_page().email_form
                assert form.add_button.isEnabled()
                assert form.edit.text() == self.address
            case Flow.ATTACH_EMAIL:
                row = app.pending_row(self.address)
                assert row is not None, "the pending confirmation is gone from the tab"
                assert row.check_button.isEnabled()
                assert self._stored_pending() == [self.address], "the pending confirmation is gone from disk"
            case Flow.REMOVE_EMAIL:
                row = app.address_row(self.address)
                assert row is not None
                # Still asking "Remove it?", so the answer can simply be given again.
                assert row.confirm_button.isVisible()
                assert row.confirm_button.isEnabled()
                assert row.keep_button.isEnabled()

    def _stored_pending(self) -> list[str]:
        store = self.app.contact_page().service.pending_store
        return [item.address for item in self.app.run(store.load(self.user.user_id))]

    def retry(self) -> None:
        """The fault is gone: the same button again."""
        app = self.app
        match self.flow:
            case Flow.SIGN_IN:
                app.press_sign_in(self.user.localpart, self.user.password)
                app.wait_for_account(self.user.user_id)
            case Flow.CHANGE_PASSWORD:
                app.press_change_password(self.user.password, NEW_PASSWORD)
                assert app.password_message().startswith("Your password has been changed."), self.message()
            case Flow.SEND_LINK:
                app.press_add_email(self.address)
                assert app.pending_row(self.address) is not None, self.message()
            case Flow.ATTACH_EMAIL:
                app.press_check_now(self.address)
                app.qtbot.waitUntil(lambda: app.address_row(self.address) is not None, timeout=WAIT)
            case Flow.REMOVE_EMAIL:
                app.press_confirm_remove(self.address)
                app.qtbot.waitUntil(lambda: app.address_row(self.address) is None, timeout=WAIT)

    def assert_done_once(self) -> None:
        """The retry finished the job, without a second mail or a second password prompt."""
        app = self.app
        if self.flow is Flow.SEND_LINK:
            assert self.mailbox.count() - self.mails_before == 1, "the retry mailed a second link"
        if self.flow is Flow.ATTACH_EMAIL:
            assert self.mailbox.count() == self.mails_before, "a new link was mailed"
            assert app.password_prompt() is None, "the password was asked for again"
            assert self._stored_pending() == []


@pytest.mark.parametrize("fault", list(Fault), ids=str)
@pytest.mark.parametrize("flow", FLOWS, ids=str)
def test_flow_under_fault(  # noqa: PLR0917 (fixtures)
    flow: Flow,
    fault: Fault,
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    versions: tuple[str, ...],
    error_log: ErrorLog,
) -> None:
    user = new_user("fault")
    admin = new_user("faultadmin", admin=True) if flow is Flow.REMOVE_EMAIL else user
    case = Case(flow, fault, app, proxy, user, mailbox, versions)
    case.prepare(synapse, admin)
    case.arm()
    case.act()
    message = case.message()
    print(f"OUTCOME {flow} {fault}: {message!r}")
    assert message == expected_message(flow, fault, case.host, case.address), EXPECTED[flow, fault]
    if fault is not Fault.DELAY:
        case.assert_usable_and_nothing_lost()
        proxy.clear()
        case.retry()
    case.assert_done_once()
    assert app.idle()
    assert error_log.problems() == []
