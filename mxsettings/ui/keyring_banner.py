"""Words for the banner shown when the app cannot keep sessions in a secure keyring."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mxsettings.store.secrets import StoreProblem

CONTEXT = "KeyringBanner"


def banner_text(problem: StoreProblem) -> str:
    """An empty string when a secure keyring is in use."""
    reason = {
        StoreProblem.OK: "",
        StoreProblem.NO_BACKEND: QCoreApplication.translate(
            CONTEXT, "No system keyring was found (such as GNOME Keyring or KWallet)."
        ),
        StoreProblem.DISABLED: QCoreApplication.translate(CONTEXT, "The keyring has been turned off."),
        StoreProblem.PLAINTEXT: QCoreApplication.translate(
            CONTEXT,
            "Only a keyring that stores passwords in a plain file is available, and the app will not use it.",
        ),
        StoreProblem.UNTRUSTED: QCoreApplication.translate(
            CONTEXT, "The configured keyring is not one of the system keyrings the app trusts."
        ),
        StoreProblem.LOCKED: QCoreApplication.translate(CONTEXT, "The system keyring is locked."),
        StoreProblem.NO_COLLECTION: QCoreApplication.translate(
            CONTEXT, "The system keyring has no default collection to keep secrets in."
        ),
        StoreProblem.UNAVAILABLE: QCoreApplication.translate(CONTEXT, "The system keyring is not answering."),
    }[problem]
    if not reason:
        return ""
    stay = QCoreApplication.translate(
        CONTEXT, "You stay signed in only until you close the app; nothing is written to disk in plain text."
    )
    return f"{reason} {stay}"
