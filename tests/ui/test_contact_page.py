"""The Contact info tab against spec-shaped fakes: what Synapse cannot be made to do (phone numbers with a
``submit_url``, the seed's pre-r0 server, restricted and delegated servers, expiry, a lost connection).

Every test types and clicks like a person and waits for what the page shows; none sleeps."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from mxsettings.api.models import AuthMetadata, Capabilities
from mxsettings.store.pending import PendingStore
from mxsettings.store.secrets import MemorySecretStore
from mxsettings.ui.pages.contact_page import ContactPage
from mxsettings.ui.pages.contact_rows import AddressRow
from tests.fakes.homeserver import FakeHomeserver
from tests.fakes.legacy_homeserver import LegacyHomeserver
from tests.ui.contact_support import (
    Opened,
    PageKeeper,
    ScriptedPrompter,
    build_page,
    child,
    make_account,
    pending_store,
    row,
)

EMAIL = "alice@example.org"
PENDING_EMAIL = f"pending:email:{EMAIL}"


def open_page(
    keeper: PageKeeper,
    account_fake: FakeHomeserver,
    store: PendingStore,
    prompter: ScriptedPrompter,
    *,
    opened: Opened | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ContactPage:
    fake = account_fake
    metadata = AuthMetadata.parse(fake.auth_metadata) if fake.auth_metadata is not None else None
    account = make_account(
        fake.base_url,
        fake.user_id,
        fake.access_token,
        transport=transport or fake.transport(),
        capabilities=Capabilities(threepid_changes=fake.threepid_changes_enabled),
        auth_metadata=metadata,
    )
    page = keeper.keep(build_page(account, prompter, store, opened))
    page.show()
    page.load()
    keeper.qtbot.waitUntil(lambda: not page.runner.busy)
    return page


def text_of(parent: QWidget, name: str) -> str:
    label = child(parent, QLabel, name)
    assert isinstance(label, QLabel)
    return label.text() if label.isVisible() else ""


def button(parent: QWidget, name: str) -> QPushButton:
    found = child(parent, QPushButton, name)
    assert isinstance(found, QPushButton)
    return found


def pending_row(qtbot: QtBot, page: ContactPage, name: str) -> QWidget:
    qtbot.waitUntil(lambda: row(page, name) is not None)
    found = row(page, name)
    assert found is not None
    return found


def type_and_enter(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def gone(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or widget.parent() is None or not widget.isVisible()


@pytest.fixture
def fake() -> FakeHomeserver:
    return FakeHomeserver()


@pytest.fixture
def keeper(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[PageKeeper]:
    pages = PageKeeper(qtbot)
    yield pages
    pages.close_all(qloop)


# --- email on a current server --------------------------------------------------------------------------


def test_an_email_is_added_by_itself_after_one_password_prompt(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    prompter = ScriptedPrompter(fake.password)
    page = open_page(keeper, fake, pending_store(tmp_path), prompter)
    type_and_enter(qtbot, page.email_form.edit, "Alice@Example.ORG")
    pending = pending_row(qtbot, page, PENDING_EMAIL)
    assert "We sent a link to alice@example.org" in text_of(pending, "statusLabel")
    # Several tries go by while the link is unopened; the password was asked for only once.
    qtbot.waitUntil(lambda: sum(1 for r in fake.requests if r[1].endswith("/3pid/add")) >= 4)
    assert len(prompter.asks) == 1
    fake.validate(next(iter(fake.sessions)))
    qtbot.waitUntil(lambda: row(page, f"contact:email:{EMAIL}") is not None)
    assert row(page, PENDING_EMAIL) is None
    assert len(prompter.asks) == 1
    assert page.message.text() == f"{EMAIL} was added to your account."
    later_tries = [body for _, path, body in fake.requests if path.endswith("/3pid/add")][2:]
    assert all(body is not None and body["auth"].keys() == {"session"} for body in later_tries)


def test_pressing_add_keeps_the_focus_on_the_email_form(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    # Add is disabled while the link is sent. Qt would pass its focus on to the next control in the Tab
    # order, the phone form's country list, which would then load its whole list of countries.
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    add = page.email_form.add_button
    page.email_form.edit.setText(EMAIL)
    add.setFocus()
    qtbot.keyClick(add, Qt.Key.Key_Space)
    assert not add.isEnabled()
    assert page.focusWidget() is not page.phone_form.country_combo
    pending_row(qtbot, page, PENDING_EMAIL)
    qtbot.waitUntil(add.isEnabled)
    assert page.focusWidget() is add
    assert page.phone_form.country_combo.count() < 10  # never filled: nobody went there


def test_check_now_says_the_link_is_not_opened_yet(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    type_and_enter(qtbot, page.email_form.edit, EMAIL)
    pending = pending_row(qtbot, page, PENDING_EMAIL)
    qtbot.mouseClick(button(pending, "checkNowButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "has not been opened yet" in text_of(pending, "rowError"))


def test_a_malformed_address_is_refused_on_the_field_before_anything_is_sent(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    sent_before = len(fake.requests)
    type_and_enter(qtbot, page.email_form.edit, "alice at example")
    assert "not an email address" in page.email_form.error.text()
    assert page.email_form.error.isVisible()
    assert page.email_form.edit.accessibleDescription() == page.email_form.error.text()
    assert len(fake.requests) == sent_before


def test_an_address_in_use_is_said_beside_the_field(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    fake.threepids.append(
        {"medium": "email", "address": "taken@example.org", "validated_at": 1, "added_at": 1}
    )
    # The fake refuses any address on an account, this one's included; the page's own check comes first.
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    type_and_enter(qtbot, page.email_form.edit, "taken@example.org")
    assert page.email_form.error.text() == "This address is already on your account."


def test_closing_the_prompt_leaves_the_row_waiting_for_the_person(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    prompter = ScriptedPrompter(None)  # the person closes the password dialog
    page = open_page(keeper, fake, pending_store(tmp_path), prompter)
    type_and_enter(qtbot, page.email_form.edit, EMAIL)
    pending = pending_row(qtbot, page, PENDING_EMAIL)
    qtbot.waitUntil(lambda: text_of(pending, "statusLabel").startswith("Waiting for you"))
    asked = len(prompter.asks)
    fake.validate(next(iter(fake.sessions)))
    prompter.password_answer = fake.password
    qtbot.mouseClick(button(pending, "checkNowButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row(page, f"contact:email:{EMAIL}") is not None)
    assert len(prompter.asks) == asked + 1


def test_a_resumed_row_never_prompts_by_itself(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    store = pending_store(tmp_path)
    first = open_page(keeper, fake, store, ScriptedPrompter(None))
    type_and_enter(qtbot, first.email_form.edit, EMAIL)
    pending = pending_row(qtbot, first, PENDING_EMAIL)
    qtbot.waitUntil(lambda: text_of(pending, "statusLabel").startswith("Waiting for you"))
    keeper.close(first)
    prompter = ScriptedPrompter(fake.password)
    second = open_page(keeper, fake, store, prompter)
    resumed = pending_row(qtbot, second, PENDING_EMAIL)
    qtbot.waitUntil(lambda: text_of(resumed, "statusLabel").startswith("Waiting for you"))
    assert prompter.asks == []


def test_cancel_forgets_the_row_and_its_secret(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    secrets = MemorySecretStore()
    page = open_page(keeper, fake, pending_store(tmp_path, secrets), ScriptedPrompter(fake.password))
    type_and_enter(qtbot, page.email_form.edit, EMAIL)
    pending = pending_row(qtbot, page, PENDING_EMAIL)
    qtbot.waitUntil(lambda: "1 entries" in repr(secrets))
    qtbot.mouseClick(button(pending, "cancelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "0 entries" in repr(secrets))
    assert row(page, PENDING_EMAIL) is None
    assert json.loads((tmp_path / "pending.json").read_text())["accounts"] == {}


def test_a_lost_connection_keeps_the_row_and_the_wait_resumes(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    offline = [False]

    def handle(request: httpx.Request) -> httpx.Response:
        if offline[0]:
            raise httpx.ConnectError("network is unreachable", request=request)
        return fake.handle(request)

    transport = httpx.MockTransport(handle)
    page = open_page(
        keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password), transport=transport
    )
    type_and_enter(qtbot, page.email_form.edit, EMAIL)
    pending = pending_row(qtbot, page, PENDING_EMAIL)
    qtbot.waitUntil(lambda: "We sent a link" in text_of(pending, "statusLabel"))
    offline[0] = True
    qtbot.waitUntil(lambda: "cannot be reached" in text_of(pending, "statusLabel"))
    fake.validate(next(iter(fake.sessions)))
    offline[0] = False
    qtbot.waitUntil(lambda: row(page, f"contact:email:{EMAIL}") is not None)


# --- expiry -------------------------------------------------------------------------------------------------


def test_an_expired_row_says_so_and_resend_starts_again(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    now = [1_000_000.0]
    secrets = MemorySecretStore()
    store = PendingStore(tmp_path, secrets, token_lifetime=3600, clock=lambda: now[0])
    first = open_page(keeper, fake, store, ScriptedPrompter(fake.password))
    type_and_enter(qtbot, first.email_form.edit, EMAIL)
    pending_row(qtbot, first, PENDING_EMAIL)
    qtbot.waitUntil(lambda: '"uia_session": "uia' in (tmp_path / "pending.json").read_text())
    keeper.close(first)  # the app closes; two hours go by
    now[0] += 7200
    page = open_page(keeper, fake, PendingStore(tmp_path, secrets, token_lifetime=3600, clock=lambda: now[0]),
                     ScriptedPrompter(fake.password))  # fmt: skip
    expired = pending_row(qtbot, page, PENDING_EMAIL)
    qtbot.waitUntil(lambda: "has expired" in text_of(expired, "statusLabel"))
    assert not button(expired, "checkNowButton").isVisible()
    qtbot.mouseClick(button(expired, "resendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "A new link was sent" in text_of(expired, "rowError"))
    resent = [body for _, path, body in fake.requests if path.endswith("/email/requestToken")]
    assert [body["send_attempt"] for body in resent if body] == [1, 2]
    assert resent[0]["client_secret"] == resent[1]["client_secret"]  # type: ignore[index]
    fake.validate(sorted(fake.sessions)[-1])
    qtbot.waitUntil(lambda: row(page, f"contact:email:{EMAIL}") is not None)


# --- the seed's servers -------------------------------------------------------------------------------------


def legacy_page(
    keeper: PageKeeper, server: LegacyHomeserver, tmp_path: Path, prompter: ScriptedPrompter
) -> ContactPage:
    base = "https://legacy.example"
    account = make_account(base, server.user_id, server.access_token, transport=server.transport())
    page = keeper.keep(build_page(account, prompter, pending_store(tmp_path)))
    page.show()
    page.load()
    keeper.qtbot.waitUntil(lambda: not page.runner.busy)
    return page


def test_the_seed_server_offers_the_bind_choice_and_names_the_identity_server(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path
) -> None:
    server = LegacyHomeserver()
    prompter = ScriptedPrompter(None)  # the seed's add had no UIA: nothing may be asked
    page = legacy_page(keeper, server, tmp_path, prompter)
    assert page.email_form.bind_check.isVisible()
    assert page.phone_form.bind_check.isVisible()
    page.email_form.bind_check.setChecked(True)
    type_and_enter(qtbot, page.email_form.edit, "seed@legacy.example")
    pending = pending_row(qtbot, page, "pending:email:seed@legacy.example")
    qtbot.mouseClick(button(pending, "checkNowButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "identity server could not verify" in text_of(pending, "rowError"))
    server.validate(next(iter(server.sessions)))
    qtbot.waitUntil(lambda: row(page, "contact:email:seed@legacy.example") is not None)
    assert server.bound == ["seed@legacy.example"]
    added = row(page, "contact:email:seed@legacy.example")
    assert added is not None
    assert text_of(added, "datesLabel") == ""  # the seed's servers sent no dates
    assert not button(added, "removeButton").isVisible()  # and had no way to remove an address
    assert prompter.asks == []


def test_current_servers_do_not_offer_the_bind_choice(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    assert not page.email_form.bind_check.isVisible()
    assert not page.phone_form.bind_check.isVisible()


# --- phone numbers ------------------------------------------------------------------------------------------


def add_phone(qtbot: QtBot, page: ContactPage, country: str, number: str) -> QWidget:
    page.phone_form.set_country(country)
    type_and_enter(qtbot, page.phone_form.edit, number)
    return pending_row(qtbot, page, "pending:msisdn:4915123456789")


def test_a_phone_number_with_a_wrong_then_the_right_code(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    prompter = ScriptedPrompter(fake.password)
    page = open_page(keeper, fake, pending_store(tmp_path), prompter)
    pending = add_phone(qtbot, page, "DE", "01512 3456789")
    assert "We sent a code to +49 1512 3456789" in text_of(pending, "statusLabel")
    code = child(pending, QLineEdit, "codeEdit")
    assert isinstance(code, QLineEdit)
    qtbot.waitUntil(code.isVisible)
    type_and_enter(qtbot, code, "000000")
    qtbot.waitUntil(lambda: text_of(pending, "rowError") == "The code is wrong. Check it and try again.")
    assert code.accessibleDescription() == text_of(pending, "rowError")
    code.clear()
    type_and_enter(qtbot, code, "123456")
    qtbot.waitUntil(lambda: row(page, "contact:msisdn:4915123456789") is not None)
    added = row(page, "contact:msisdn:4915123456789")
    assert added is not None
    assert text_of(added, "addressLabel") == "+49 1512 3456789"
    assert len(prompter.asks) == 1
    request = next(body for _, path, body in fake.requests if path.endswith("/msisdn/requestToken"))
    assert request is not None
    assert (request["country"], request["phone_number"]) == ("DE", "15123456789")


def test_an_expired_code_session_is_said_on_the_code_field(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    pending = add_phone(qtbot, page, "DE", "+49 1512 3456789")
    fake.sessions.clear()  # the server forgot the session
    code = child(pending, QLineEdit, "codeEdit")
    assert isinstance(code, QLineEdit)
    type_and_enter(qtbot, code, "123456")
    qtbot.waitUntil(lambda: "The confirmation has expired" in text_of(pending, "rowError"))
    assert code.accessibleDescription() == text_of(pending, "rowError")


def test_a_server_that_cannot_send_texts_says_so_in_words(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    fake.msisdn_supported = False
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    page.phone_form.set_country("DE")
    type_and_enter(qtbot, page.phone_form.edit, "01512 3456789")
    qtbot.waitUntil(page.phone_form.error.isVisible)
    assert page.phone_form.error.text() == (
        "Your server cannot send text messages, so it cannot add phone numbers."
    )


def test_a_number_without_a_country_is_refused_on_the_field(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    page.phone_form.country_combo.setCurrentIndex(0)  # "Choose…"
    type_and_enter(qtbot, page.phone_form.edit, "01512 3456789")
    assert "Choose the country" in page.phone_form.error.text()


# --- removing -----------------------------------------------------------------------------------------------


def test_remove_asks_naming_the_address_and_says_what_the_identity_server_heard(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    fake.threepids.append({"medium": "email", "address": EMAIL, "validated_at": 1, "added_at": 1})
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    shown = row(page, f"contact:email:{EMAIL}")
    assert shown is not None
    qtbot.mouseClick(button(shown, "removeButton"), Qt.MouseButton.LeftButton)
    assert text_of(shown, "confirmRemoveLabel") == f"Remove {EMAIL} from your account?"
    assert button(shown, "keepButton").hasFocus()
    qtbot.mouseClick(button(shown, "confirmRemoveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row(page, f"contact:email:{EMAIL}") is None)
    assert "The identity server could not be told" in page.message.text()
    assert fake.threepids == []


def test_a_reload_keeps_the_confirmation_the_person_is_answering(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    # The list reloads after every add and on Refresh, and can finish while someone is deciding.
    other = "bob@example.org"
    fake.threepids.append({"medium": "email", "address": EMAIL, "validated_at": 1, "added_at": 1})
    fake.threepids.append({"medium": "email", "address": other, "validated_at": 1, "added_at": 1})
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    shown = row(page, f"contact:email:{EMAIL}")
    assert shown is not None
    qtbot.mouseClick(button(shown, "removeButton"), Qt.MouseButton.LeftButton)
    assert button(shown, "confirmRemoveButton").isVisible()

    fake.threepids[:] = [
        {"medium": "email", "address": "carol@example.org", "validated_at": 1, "added_at": 1},
        {"medium": "email", "address": EMAIL, "validated_at": 1, "added_at": 1},
    ]
    page.load()
    qtbot.waitUntil(lambda: row(page, "contact:email:carol@example.org") is not None)
    qtbot.waitUntil(lambda: not page.runner.busy)
    assert row(page, f"contact:email:{EMAIL}") is shown  # the same row, still asking
    assert button(shown, "confirmRemoveButton").isVisible()
    assert button(shown, "keepButton").hasFocus()
    qtbot.waitUntil(lambda: row(page, f"contact:email:{other}") is None)  # gone from the server: gone here
    in_layout = (page.email_list.itemAt(i).widget() for i in range(page.email_list.count()))
    listed = [w.objectName() for w in in_layout if isinstance(w, AddressRow)]
    assert listed == ["contact:email:carol@example.org", f"contact:email:{EMAIL}"]  # the server's order

    qtbot.mouseClick(button(shown, "confirmRemoveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row(page, f"contact:email:{EMAIL}") is None)
    assert [t["address"] for t in fake.threepids] == ["carol@example.org"]


# --- restricted servers -------------------------------------------------------------------------------------


def test_a_server_without_3pid_changes_shows_the_list_read_only(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver
) -> None:
    fake.threepid_changes_enabled = False
    fake.threepids.append({"medium": "email", "address": EMAIL, "validated_at": 1, "added_at": 1})
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password))
    assert "does not allow changing email addresses" in page.restricted_note.text()
    assert not page.email_form.isVisible()
    assert not page.phone_form.isVisible()
    assert not page.account_page_button.isVisible()
    shown = row(page, f"contact:email:{EMAIL}")
    assert shown is not None
    assert not button(shown, "removeButton").isVisible()


@pytest.mark.parametrize(
    "case",
    [
        (["org.matrix.profile"], "https://auth.hs.example/account/?action=org.matrix.profile"),
        ([], "https://auth.hs.example/account/"),
    ],
    ids=["with the profile action", "bare page"],
)
def test_a_delegating_server_points_to_its_account_page(
    qtbot: QtBot, keeper: PageKeeper, tmp_path: Path, fake: FakeHomeserver, case: tuple[list[str], str]
) -> None:
    actions, expected = case
    fake.auth_metadata = {
        "issuer": "https://auth.hs.example/",
        "authorization_endpoint": "https://auth.hs.example/authorize",
        "token_endpoint": "https://auth.hs.example/oauth2/token",
        "account_management_uri": "https://auth.hs.example/account/",
        "account_management_actions_supported": actions,
    }
    opened = Opened()
    page = open_page(keeper, fake, pending_store(tmp_path), ScriptedPrompter(fake.password), opened=opened)
    assert "account page" in page.restricted_note.text()
    assert not page.email_form.isVisible()
    qtbot.mouseClick(page.account_page_button, Qt.MouseButton.LeftButton)
    assert opened.urls == [expected]
