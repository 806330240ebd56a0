"""Words for the banner shown when the app cannot keep sessions in a secure keyring."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mxsettings.store.secrets import StoreProblem

CONTEXT = "KeyringBanner"  # spelled out in each call too: lupdate reads only literal contexts


def banner_text(problem: StoreProblem) -> str:
    """An empty string when a secure keyring is in use."""
    reason = {
        StoreProblem.OK: "",
        StoreProblem.NO_BACKEND: QCoreApplication.translate(
            "KeyringBanner", "No system keyring was found (such as GNOME Keyring or KWallet)."
        ),
        StoreProblem.DISABLED: QCoreApplication.translate(
            "KeyringBanner", "The keyring has been turned off."
        ),
        StoreProblem.PLAINTEXT: QCoreApplication.translate(
            "KeyringBanner",
            "Only a keyring that stores passwords in a plain file is available, and the app will not use it.",
        ),
        StoreProblem.UNTRUSTED: QCoreApplication.translate(
            "KeyringBanner", "The configured keyring is not one of the system keyrings the app trusts."
        ),
        StoreProblem.LOCKED: QCoreApplication.translate("KeyringBanner", "The system keyring is locked."),
        StoreProblem.NO_COLLECTION: QCoreApplication.translate(
            "KeyringBanner", "The system keyring has no default collection to keep secrets in."
        ),
        StoreProblem.UNAVAILABLE: QCoreApplication.translate(
            "KeyringBanner", "The system keyring is not answering."
        ),
    }[problem]
    if not reason:
        return ""
    stay = QCoreApplication.translate(
        "KeyringBanner",
        "You stay signed in only until you close the app; nothing is written to disk in plain text.",
    )
    return f"{reason} {stay}"
