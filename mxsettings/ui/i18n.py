"""Which language the app speaks, and where its compiled translations are.

The app follows the system language (``QLocale.system()``); ``MXSETTINGS_LANG`` (``de``, ``de_AT``, ``en``...)
overrides it, for screenshots, tests and anyone who wants another language than their desktop's.

Translations are written as ``resources/translations/mxsettings_<lang>.ts`` and compiled by
``pyside6-lrelease`` at build time (``make venv``, ``make package``) into ``mxsettings/translations/``, which
is not committed; the app finds them with ``importlib.resources``, in a source checkout and in the PyInstaller
bundle alike. Qt's own strings (the text-field context menu, standard dialogs) come from Qt's ``qtbase``
catalogue, shipped with PySide6.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANG_ENV = "MXSETTINGS_LANG"
CATALOGUE = "mxsettings"


@dataclass
class Translators:
    """What was installed; keeps the translators alive (Qt holds only pointers to them)."""

    locale: QLocale
    app: QTranslator | None = None
    qt: QTranslator | None = None
    files: list[str] = field(default_factory=list)


def translations_dir() -> Path | None:
    """The folder of the compiled ``.qm`` files, or None when the package is not on a file system."""
    folder = resources.files("mxsettings").joinpath("translations")
    return folder if isinstance(folder, Path) and folder.is_dir() else None


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
