"""Which language the app speaks, and where its compiled translations are.

The app follows the system language (``QLocale.system()``); ``MXSETTINGS_LANG`` (``de``, ``de_AT``, ``en``...)
overrides it, for screenshots, tests and anyone who wants another language than their desktop's.

Translations are written as ``resources/translations/mxsettings_<lang>.ts`` and compiled by
``pyside6-lrelease`` at build time (``make venv``, ``make package``) into ``mxsettings/translations/``, which
is not committed; the app finds them beside its own modules, in a source checkout and in the PyInstaller
bundle alike (``make package-check`` runs the bundle's self-check, which loads them). Qt's own strings (the
text-field context menu, standard dialogs) come from Qt's ``qtbase`` catalogue, shipped with PySide6.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANG_ENV = "MXSETTINGS_LANG"
CATALOGUE = "mxsettings"


# This module is loaded before the first window paints: no dataclasses, no importlib.resources (together
# about 8 ms of start-up).


class Translators:
    """What was installed; keeps the translators alive (Qt holds only pointers to them)."""

    def __init__(self, locale: QLocale) -> None:
        self.locale = locale
        self.app: QTranslator | None = None
        self.qt: QTranslator | None = None
        self.files: list[str] = []


def translations_dir() -> Path | None:
    """The folder of the compiled ``.qm`` files, or None when there is none."""
    folder = Path(__file__).resolve().parent.parent / "translations"
    return folder if folder.is_dir() else None


def compiled_languages(directory: Path | None = None) -> list[str]:
    """The languages with a compiled catalogue, e.g. ``["de"]``."""
    folder = directory or translations_dir()
    if folder is None:
        return []
    prefix = CATALOGUE + "_"
    return sorted(p.stem.removeprefix(prefix) for p in folder.glob(prefix + "*.qm"))


def chosen_locale() -> QLocale:
    """``MXSETTINGS_LANG`` when set (and not empty), otherwise the system's locale."""
    wanted = os.environ.get(LANG_ENV, "").strip()
    return QLocale(wanted) if wanted else QLocale.system()


def install_translators(
    app: QCoreApplication, locale: QLocale | None = None, *, directory: Path | None = None
) -> Translators:
    """Install the app's and Qt's translations for ``locale`` (default: ``chosen_locale()``).

    ``QLocale.setDefault`` makes number and date formatting follow the same choice. A language without a
    catalogue leaves the English source strings, which is the right fallback.
    """
    locale = locale or chosen_locale()
    QLocale.setDefault(locale)
    installed = Translators(locale)
    folder = directory or translations_dir()
    if folder is not None:
        ours = QTranslator(app)
        # Tries mxsettings_de_AT.qm, then mxsettings_de.qm, for each of the locale's UI languages in turn.
        if ours.load(locale, CATALOGUE, "_", str(folder), ".qm"):
            app.installTranslator(ours)
            installed.app = ours
            installed.files.append(ours.filePath())
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), ".qm"):
        app.installTranslator(qt)
        installed.qt = qt
        installed.files.append(qt.filePath())
    return installed


def remove_translators(app: QCoreApplication, installed: Translators) -> None:
    for translator in (installed.app, installed.qt):
        if translator is not None:
            app.removeTranslator(translator)
