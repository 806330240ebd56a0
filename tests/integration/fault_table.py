"""What a person sees when a network fault hits an account flow: the table behind the fault tests and
``docs/reliability.md``.

``python -m tests.integration.fault_table > docs/reliability.md`` writes the document; a unit test checks
that the committed document matches this table, and the fault tests check that the app says exactly this.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass

from tests.harness.fault_proxy import REACHES_SERVER, Fault

DELAY = 0.5  # seconds added by the DELAY fault: slow, but well inside the tests' 2 s read timeout


class Flow(enum.StrEnum):
    SIGN_IN = "sign-in"
    CHANGE_PASSWORD = "password-change"
    SEND_LINK = "add-email-send"
    ATTACH_EMAIL = "add-email-attach"
    REMOVE_EMAIL = "remove-email"


FLOWS = list(Flow)


@dataclass(frozen=True)
class FlowInfo:
    title: str
    request: str  # the request the fault hits
    action: str  # what the person does
    where: str  # where the message shows


FLOW_INFO = {
    Flow.SIGN_IN: FlowInfo(
        "Sign in", "POST /login", "presses Sign in", "under the field it is about, or under the form"
    ),
    Flow.CHANGE_PASSWORD: FlowInfo(
        "Change the password",
        "POST /account/password (every try)",
        "presses Change password",
        "under the form",
    ),
    Flow.SEND_LINK: FlowInfo(
        "Add an email: send the link",
        "POST /account/3pid/email/requestToken",
        "types the address, presses Add",
        "under the address field",
    ),
    Flow.ATTACH_EMAIL: FlowInfo(
        "Add an email: attach it",
        "POST /account/3pid/add",
        "opens the mailed link, presses “I opened the link”",
        "in the waiting row",
    ),
    Flow.REMOVE_EMAIL: FlowInfo(
        "Remove an email",
        "POST /account/3pid/delete",
        "presses Remove, then Yes, remove",
        "in the address's row",
    ),
}

FAULT_INFO = {
    Fault.DELAY: f"every answer {DELAY} s late",
    Fault.DROP: "connection closed after the request, no answer",
    Fault.RESET: "half the answer, then a TCP reset (the server did act)",
    Fault.TRUNCATE: "the body cut short, clean close (the server did act)",
    Fault.BAD_GATEWAY: "a gateway's 502 page (HTML)",
    Fault.UNAVAILABLE: "503 with Retry-After, no body",
    Fault.HTML: "200 with an HTML page (captive portal)",
    Fault.STALL: "no answer at all, past the 2 s timeout",
}

_UNREACHABLE = "The app cannot reach {host}. Check your internet connection, or try again later."
_SIGN_IN_UNREACHABLE = "The app cannot reach {host}. Check the server address and your internet connection."
_TIMEOUT = "{host} did not answer in time. Try again later."
_SERVER_FAULT = "The server ran into a problem of its own (HTTP status {status}). Try again later."
_GARBLED = "The server answered something the app does not understand."
_NOT_A_HOMESERVER = "The server at this address does not answer like a Matrix homeserver."
_OFFLINE = "The server cannot be reached right now. Nothing is lost: the app keeps trying."

_SUCCESS = {
    Flow.SIGN_IN: "(signed in)",
    Flow.CHANGE_PASSWORD: "Your password has been changed. Your other sessions stay signed in. "
    "This app is still signed in.",
    Flow.SEND_LINK: "(link sent)",
    Flow.ATTACH_EMAIL: "{address} was added to your account.",
    Flow.REMOVE_EMAIL: "{address} was removed from your account. The identity server could not be told: if "
    "you had made it discoverable there, people may still find you by it.",
}


def _row(flow: Flow) -> dict[Fault, str]:
    if flow is Flow.ATTACH_EMAIL:
        # The waiting row keeps trying by itself through anything that passes (a lost connection, a
        # gateway's error); only an answer it cannot read stops it until the person presses the button.
        return {
            Fault.DELAY: _SUCCESS[flow],
            **dict.fromkeys(
                (Fault.DROP, Fault.RESET, Fault.TRUNCATE, Fault.BAD_GATEWAY, Fault.UNAVAILABLE, Fault.STALL),
                _OFFLINE,
            ),
            Fault.HTML: _GARBLED,
        }
    unreachable = _SIGN_IN_UNREACHABLE if flow is Flow.SIGN_IN else _UNREACHABLE
    return {
        Fault.DELAY: _SUCCESS[flow],
        Fault.DROP: unreachable,
        Fault.RESET: unreachable,
        Fault.TRUNCATE: unreachable,
        Fault.BAD_GATEWAY: _SERVER_FAULT.replace("{status}", "502"),
        Fault.UNAVAILABLE: _SERVER_FAULT.replace("{status}", "503"),
        # Signing in, a page instead of JSON means the address is not (or not only) a homeserver.
        Fault.HTML: _NOT_A_HOMESERVER if flow is Flow.SIGN_IN else _GARBLED,
        Fault.STALL: _TIMEOUT,
    }


EXPECTED: dict[tuple[Flow, Fault], str] = {
    (flow, fault): message for flow in FLOWS for fault, message in _row(flow).items()
}


def expected_message(flow: Flow, fault: Fault, host: str, address: str = "") -> str:
    return EXPECTED[flow, fault].replace("{host}", host).replace("{address}", address)


@dataclass(frozen=True)
class Scenario:
    """A fault that hits the account between requests (``test_fault_scenarios_synapse.py``)."""

    test: str  # the test function that holds the app to it
    what: str
    outcome: str


SCENARIO_MODULE = "tests/integration/test_fault_scenarios_synapse.py"

SCENARIOS = [
    Scenario(
        "test_a_server_restart_while_the_link_is_awaited_loses_nothing",
        "Synapse stops while an added address waits for its link, and starts again",
        f"the row says “{_OFFLINE}”, stays stored, and finishes by itself once the link is opened; one "
        "mail, one password prompt",
    ),
    Scenario(
        "test_a_uia_session_forgotten_while_the_password_prompt_is_open",
        "Synapse forgets the UIA session (its 48-hour expiry) while the password prompt is open",
        "the app starts a fresh session and answers it with the password just typed; the address is added "
        "with one prompt",
    ),
    Scenario(
        "test_a_kept_password_change_session_that_expired_is_replaced_without_a_word",
        "the session kept after a wrong current password is forgotten before the next try",
        "the next try changes the password, with no prompt and no error",
    ),
    Scenario(
        "test_a_token_revoked_between_two_actions_returns_to_sign_in",
        "the access token is revoked elsewhere, then the person changes the password, adds or removes an "
        "address",
        "the sign-in page with “{user} was signed out by the server; sign in again to manage it.”, the "
        "token gone from the keyring; after signing in the action works, and an address asked for before "
        "still waits with its one mail",
    ),
    Scenario(
        "test_a_password_change_and_an_added_address_at_once",
        "a slow password change and an added address at the same time",
        "both finish; the address's prompt takes the new password",
    ),
    Scenario(
        "test_a_double_click_changes_the_password_once",
        "Change password and Add pressed twice (double click, then Return) while the first press runs",
        "one change, one mail, one prompt",
    ),
    Scenario(
        "test_two_addresses_removed_at_once_while_the_list_reloads",
        "two removals at once; the first reloads the list while the second stalls past the timeout",
        "the first address is gone; the second row says the server did not answer in time and its Yes, "
        "remove works again",
    ),
]


def render() -> str:
    """``docs/reliability.md``."""
    lines = [
        "# Reliability: what each account flow does when the network misbehaves",
        "",
        "Generated from `tests/integration/fault_table.py` (`python -m tests.integration.fault_table >",
        "docs/reliability.md`); `make test` runs every cell against the real Synapse through the fault proxy",
        "(`tests/harness/fault_proxy.py`) and fails when the app says anything else.",
        "",
        "Every cell also checks that afterwards nothing is busy, what was typed is still there, a pending",
        "email confirmation is still shown and stored, and that the same button, once the fault is gone,",
        "finishes the job (without a second mail or a second password prompt). `{host}` is the server's host",
        "and port.",
        "",
        "## Faults",
        "",
        "| fault | what the proxy does | reaches the server |",
        "|---|---|---|",
    ]
    for fault in Fault:
        reaches = "yes" if fault in REACHES_SERVER else "no"
        lines.append(f"| `{fault}` | {FAULT_INFO[fault]} | {reaches} |")
    lines += ["", "## Flows", ""]
    for flow in FLOWS:
        info = FLOW_INFO[flow]
        lines += [
            f"### {info.title}",
            "",
            f"The fault hits `{info.request}` when the person {info.action}; the message shows {info.where}.",
            "",
            "| fault | what the person sees | then |",
            "|---|---|---|",
        ]
        for fault in Fault:
            then = "done" if fault is Fault.DELAY else "retried: done"
            lines.append(f"| `{fault}` | {EXPECTED[flow, fault]} | {then} |")
        lines.append("")
    lines += [
        "## Between requests",
        "",
        "Faults that hit the account between two requests. Each is a test in",
        f"`{SCENARIO_MODULE}`, against a Synapse of its own and driven through the",
        "app; each also checks that nothing is left busy and that no error was logged.",
        "",
        "| what happens | what the person is left with | test |",
        "|---|---|---|",
    ]
    lines += [f"| {s.what} | {s.outcome} | `{s.test}` |" for s in SCENARIOS]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
