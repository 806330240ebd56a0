"""zxcvbn's advice about a new password, in the user's language.

zxcvbn writes its warnings and suggestions in English (through ``gettext``, without a German catalogue of its
own). They are a fixed set of sentences, so the app carries them here for lupdate and shows a known sentence
translated; a sentence it does not know (a newer zxcvbn) is left out rather than shown in English, and a test
compares this table with the installed zxcvbn's own list.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mxsettings.ui.error_text import QT_TRANSLATE_NOOP

CONTEXT = "PasswordFeedback"

KNOWN: frozenset[str] = frozenset(
    (
        QT_TRANSLATE_NOOP("PasswordFeedback", "Add another word or two. Uncommon words are better."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Capitalization doesn't help very much."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Reversed words aren't much harder to guess."),
        QT_TRANSLATE_NOOP(
            "PasswordFeedback", "Predictable substitutions like '@' instead of 'a' don't help very much."
        ),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Use a few words, avoid common phrases."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "No need for symbols, digits, or uppercase letters."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Straight rows of keys are easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Short keyboard patterns are easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "This is a top-10 common password."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "This is similar to a commonly used password."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "A word by itself is easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "All-uppercase is almost as easy to guess as all-lowercase."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Use a longer keyboard pattern with more turns."),
        QT_TRANSLATE_NOOP("PasswordFeedback", 'Repeats like "aaa" are easy to guess.'),
        QT_TRANSLATE_NOOP(
            "PasswordFeedback", 'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
        ),
        QT_TRANSLATE_NOOP("PasswordFeedback", "This is a top-100 common password."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "This is a very common password."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Names and surnames by themselves are easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Common names and surnames are easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Avoid repeated words and characters."),
        QT_TRANSLATE_NOOP("PasswordFeedback", 'Sequences like "abc" or "6543" are easy to guess.'),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Avoid sequences."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Recent years are easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Dates are often easy to guess."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Avoid recent years."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Avoid years that are associated with you."),
        QT_TRANSLATE_NOOP("PasswordFeedback", "Avoid dates and years that are associated with you."),
    )
)


def translate_feedback(text: str) -> str:
    """The translated sentence, or "" for one the app does not know."""
    return QCoreApplication.translate(CONTEXT, text) if text in KNOWN else ""
