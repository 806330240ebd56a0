"""Every user-visible string goes through Qt's translation, and the German catalogue is complete.

The escape test builds a pseudo-translation from the current sources (``pyside6-lupdate`` over the Qt layer,
every translation set to ``⟦source⟧``, ``pyside6-lrelease``), walks every page and dialog (``tour.py``) with
it installed, and fails on any visible text, title, placeholder, tool tip or accessible name that is not
marked, user data (user IDs, addresses, server URLs) and dates aside. A string built with an f-string or
taken from a library in English shows up here with the page and widget it is on.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxcvbn.feedback
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from mxsettings.ui import i18n
from mxsettings.ui.password_feedback import KNOWN, translate_feedback
from tests.ui.inspection import run_tour, untranslated_part, visible_texts
from tests.ui.tour import Stop, user_data

ROOT = Path(__file__).resolve().parents[2]
GERMAN = ROOT / "resources" / "translations" / "mxsettings_de.ts"
TOOLS = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"%(?:\d|n)")
MNEMONIC = re.compile(r"&([^&\s])")


def i18n_sources() -> list[str]:
    """What `make translations-update` gives lupdate: the Qt layer and the composition root."""
    return [
        str(ROOT / "mxsettings" / "app.py"),
        *sorted(str(p) for p in (ROOT / "mxsettings" / "ui").rglob("*.py")),
    ]


def lupdate(ts: Path) -> Path:
    subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), "-locations", "none", *i18n_sources(), "-ts", str(ts)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return ts


def lrelease(ts: Path, qm: Path) -> Path:
    subprocess.run(
        [str(TOOLS / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
    )
    return qm


def messages(ts: Path) -> Iterator[tuple[str, ET.Element]]:
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314 (our own files)
        name = context.findtext("name", "")
        for message in context.iter("message"):
            yield name, message


@pytest.fixture(scope="module")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo")
    ts = lupdate(folder / "mxsettings_xx.ts")
    tree = ET.parse(ts)  # noqa: S314 (lupdate's output, made just now)
    for message in tree.getroot().iter("message"):
        source = message.findtext("source", "")
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        for form in forms or [translation]:
            form.text = f"⟦{source}⟧"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return lrelease(ts, folder / "mxsettings_xx.qm")


def test_every_visible_text_goes_through_translation(
    qtbot: QtBot, qloop: object, qapp: QApplication, pseudo_qm: Path
) -> None:
    translator = QTranslator()
    assert translator.load(str(pseudo_qm))
    qapp.installTranslator(translator)
    stops: list[str] = []
    escapes: list[str] = []
    data = user_data()

    def visit(stop: Stop) -> None:
        stops.append(stop.name)
        texts = list(visible_texts(stop.widget))
        assert texts, stop.name
        for where, text in texts:
            left = untranslated_part(text, data)
            if left:
                escapes.append(f"{stop.name}: {where}: {text!r} (not translated: {left!r})")

    try:
        run_tour(qtbot, qloop, visit)  # type: ignore[arg-type]
    finally:
        qapp.removeTranslator(translator)
    assert len(stops) >= 15
    assert not escapes, "\n".join(escapes)


def test_the_check_notices_an_escape() -> None:
    data = ["@alice:example.org"]
    assert untranslated_part("⟦Signed out of @alice:example.org.⟧", data) == ""
    assert untranslated_part("⟦Strength: ⟦Weak⟧. ⟦Avoid sequences.⟧⟧", data) == ""
    assert untranslated_part("✔ ⟦a digit⟧\n• 8", data) == ""
    assert untranslated_part("⟦Code:⟧ <b>@alice:example.org</b>", data) == ""
    assert untranslated_part("⟦Strength: Weak⟧. Avoid sequences.", data) == "Avoid sequences"
    assert untranslated_part("Choose…", data) == "Choose"


# --- The German catalogue ---------------------------------------------------------------------------------


def test_german_has_every_current_string_translated(tmp_path: Path) -> None:
    fresh = {(ctx, m.findtext("source", "")) for ctx, m in messages(lupdate(tmp_path / "fresh.ts"))}
    german = {(ctx, m.findtext("source", "")): m for ctx, m in messages(GERMAN)}
    missing = sorted(fresh - german.keys())
    unfinished = sorted(key for key in fresh & german.keys() if _unfinished(german[key].find("translation")))
    assert not missing, "not in mxsettings_de.ts (run `make translations-update`):\n" + "\n".join(
        map(str, missing)
    )
    assert not unfinished, "unfinished in mxsettings_de.ts:\n" + "\n".join(map(str, unfinished))
    assert len(fresh) >= 350


def _unfinished(translation: ET.Element | None) -> bool:
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return True
    forms = translation.findall("numerusform")
    return any(not (f.text or "").strip() for f in forms) if forms else not (translation.text or "").strip()


def test_german_keeps_placeholders_and_shortcuts() -> None:
    problems = []
    for ctx, message in messages(GERMAN):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            continue
        source = message.findtext("source", "")
        texts = [f.text or "" for f in translation.findall("numerusform")] or [translation.text or ""]
        for text in texts:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{ctx}: placeholders differ: {source!r} -> {text!r}")
            if bool(MNEMONIC.search(source)) != bool(MNEMONIC.search(text)):
                problems.append(f"{ctx}: keyboard shortcut (&) lost or added: {source!r} -> {text!r}")
            if "Sie" not in text and re.search(r"\b(du|dein\w*|dich|dir)\b", text):
                problems.append(f"{ctx}: informal address, the app says 'Sie': {text!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def german(tmp_path: Path, qapp: QApplication) -> Iterator[i18n.Translators]:
    lrelease(GERMAN, tmp_path / "mxsettings_de.qm")
    installed = i18n.install_translators(qapp, QLocale("de_DE"), directory=tmp_path)
    try:
        yield installed
    finally:
        i18n.remove_translators(qapp, installed)
        QLocale.setDefault(QLocale.c())


def test_the_app_speaks_german_with_qt(german: i18n.Translators) -> None:
    assert german.app is not None
    assert german.qt is not None  # Qt's own strings (the line edit's context menu) in German too
    assert QApplication.translate("MainWindow", "Close account") == "Konto schließen"
    assert QApplication.translate("QLineEdit", "&Undo") != "&Undo"


def test_no_two_controls_share_a_shortcut_in_german(
    qtbot: QtBot, qloop: object, german: i18n.Translators
) -> None:
    clashes: list[str] = []

    def visit(stop: Stop) -> None:
        seen: dict[str, str] = {}
        for widget in [stop.widget, *stop.widget.findChildren(QWidget)]:
            if not (widget.isVisible() and isinstance(widget, QAbstractButton | QLabel)):
                continue
            if isinstance(widget, QLabel) and widget.buddy() is None:
                continue  # a label's & is a shortcut only with a buddy
            match = MNEMONIC.search(widget.text())
            if match is None:
                continue
            key = match.group(1).casefold()
            if key in seen:
                clashes.append(f"{stop.name}: Alt+{key} on {seen[key]!r} and {widget.text()!r}")
            seen[key] = widget.text()

    run_tour(qtbot, qloop, visit)  # type: ignore[arg-type]
    assert not clashes, "\n".join(clashes)


def test_the_language_follows_the_environment_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.LANG_ENV, "de")
    assert i18n.chosen_locale().language() is QLocale.Language.German
    monkeypatch.setenv(i18n.LANG_ENV, "")
    assert i18n.chosen_locale() == QLocale.system()


# --- zxcvbn's advice ---------------------------------------------------------------------------------------


def test_every_zxcvbn_sentence_is_known_and_translatable() -> None:
    """A zxcvbn upgrade with new advice fails here: add the sentences to password_feedback.py."""
    tree = ast.parse(Path(zxcvbn.feedback.__file__).read_text())
    sentences = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
        if isinstance(node.args[0], ast.Constant)
    }
    assert len(sentences) >= 25
    assert sentences == KNOWN
    assert translate_feedback("Something zxcvbn never said.") == ""
