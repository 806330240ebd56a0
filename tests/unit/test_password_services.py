"""The Qt-free parts of the Password tab and of closing the account: rules, strength, confirmation, the
account page URL, and that importing them stays cheap (no Qt, no zxcvbn until a password is judged)."""

from __future__ import annotations

import pytest

from mxsettings.api.models import AuthMetadata
from mxsettings.services.account_management import ACCOUNT_DEACTIVATE, PROFILE, account_page_url
from mxsettings.services.deactivation import confirmation_matches
from mxsettings.services.password import check_rules, user_inputs_for
from mxsettings.services.strength import estimate_strength
from tests.fresh_python import run_fresh


def test_services_load_neither_qt_nor_the_strength_estimator() -> None:
    code = (
        "import sys\n"
        "import mxsettings.services.password, mxsettings.services.deactivation\n"
        "import mxsettings.services.account_management, mxsettings.services.uia_contacts\n"
        "heavy = ('PySide6', 'shiboken6', 'zxcvbn')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    assert run_fresh(code) == ""


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", (False, False, False, False, False)),
        ("abcdefgh", (True, True, False, False, False)),
        ("Abcdefg1", (True, True, True, True, False)),
        ("Ab1!", (False, True, True, True, True)),
        ("Äpfel und Birnen 7", (True, True, True, True, True)),  # a space counts as a symbol, as for Synapse
    ],
)
def test_rules(password: str, expected: tuple[bool, ...]) -> None:
    rules = check_rules(password)
    found = (rules.long_enough, rules.has_lowercase, rules.has_uppercase, rules.has_digit, rules.has_symbol)
    assert found == expected
    assert rules.all_met == all(expected)


def test_strength_ranks_guessable_passwords_low_and_survives_long_ones() -> None:
    weak = estimate_strength("password1")
    strong = estimate_strength("correct horse battery staple orbit")
    own_name = estimate_strength("alicesmith", user_inputs_for("@alicesmith:example.org"))
    assert weak is not None
    assert strong is not None
    assert own_name is not None
    assert weak.score <= 1
    assert weak.warning
    assert strong.score == 4
    assert own_name.score <= 1
    long = estimate_strength("x" * 600)  # zxcvbn itself refuses more than 72 characters
    assert long is not None


def test_user_inputs_are_the_parts_of_the_user_id() -> None:
    assert user_inputs_for("@alice_smith:chat.example.org:8448") == (
        "alice",
        "alice_smith",
        "chat",
        "chat.example.org",
        "example",
        "org",
        "smith",
    )


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("@alice:example.org", True),
        ("  @Alice:Example.org\n", True),
        ("alice:example.org", False),
        ("@alice", False),
        ("", False),
    ],
)
def test_confirmation(typed: str, ok: bool) -> None:
    assert confirmation_matches(typed, "@alice:example.org") is ok


def metadata(uri: str | None, *actions: str) -> AuthMetadata:
    return AuthMetadata(
        issuer="https://auth.example/",
        authorization_endpoint="https://auth.example/authorize",
        token_endpoint="https://auth.example/token",
        registration_endpoint=None,
        revocation_endpoint=None,
        account_management_uri=uri,
        account_management_actions=actions,
    )


def test_account_page_url_uses_only_advertised_actions() -> None:
    assert account_page_url(None) is None
    assert account_page_url(metadata(None, ACCOUNT_DEACTIVATE), ACCOUNT_DEACTIVATE) is None
    page = metadata("https://auth.example/account", PROFILE)
    assert account_page_url(page) == "https://auth.example/account"
    assert account_page_url(page, ACCOUNT_DEACTIVATE) == "https://auth.example/account"
    assert account_page_url(page, PROFILE) == "https://auth.example/account?action=org.matrix.profile"
    with_query = metadata("https://auth.example/account?lang=de", ACCOUNT_DEACTIVATE)
    assert (
        account_page_url(with_query, ACCOUNT_DEACTIVATE)
        == "https://auth.example/account?lang=de&action=org.matrix.account_deactivate"
    )
