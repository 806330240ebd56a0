"""What the translation and accessibility tests read from a widget tree: its visible text, its controls'
accessible names, and its tab order. Also runs the tour (``tests/ui/tour.py``) inside a pytest-qt test."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterator

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.tour import Visit, focusable, tour

TOUR_TIMEOUT_MS = 60_000


def run_tour(qtbot: QtBot, loop: asyncio.AbstractEventLoop, visit: Visit) -> None:
    """The tour as a task on the test's qasync loop; qtbot's wait keeps Qt (and so the task) running."""
    task = loop.create_task(tour(visit))
    qtbot.waitUntil(task.done, timeout=TOUR_TIMEOUT_MS)
    task.result()


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget is top or (widget.isVisibleTo(top) and widget.isVisible())


def visible_texts(top: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text a person sees or a screen reader says in ``top`` now."""
    if top.windowTitle():
        yield f"{top.objectName()} window title", top.windowTitle()
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.window() is not top or not _shown(widget, top):
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel) and widget.text():
            yield f"{name} text", widget.text()
        if isinstance(widget, QAbstractButton) and widget.text():
            yield f"{name} text", widget.text()
        if isinstance(widget, QGroupBox) and widget.title():
            yield f"{name} title", widget.title()
        if isinstance(widget, QLineEdit) and widget.placeholderText() and not widget.text():
            yield f"{name} placeholder", widget.placeholderText()
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{name} tab {i}", widget.tabText(i)
        for what, text in (
            ("accessible name", widget.accessibleName()),
            ("accessible description", widget.accessibleDescription()),
            ("tool tip", widget.toolTip()),
        ):
            if text:
                yield f"{name} {what}", text


_MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
_TAG = re.compile(r"<[^>]+>")
_NOT_WORDS = re.compile(r"[\W\d_]+")
_URL = re.compile(r"https?://[^\s⟦⟧]+")  # a server's address or page: the server's, not the app's words


def untranslated_part(text: str, user_data: list[str]) -> str:
    """What is left of ``text`` once the translated (marked) parts, user data, markup, digits and
    punctuation are taken out: empty when nothing escaped translation."""
    text = _URL.sub(" ", html.unescape(_TAG.sub(" ", text)))
    previous = None
    while previous != text:  # innermost first: a translated sentence may hold a translated word
        previous, text = text, _MARKED.sub(" ", text)
    for data in sorted(user_data, key=len, reverse=True):
        text = text.replace(data, " ")
    return _NOT_WORDS.sub(" ", text.replace("&", "")).strip()


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces: the accessible name, else what Qt derives (a button's text, a
    line edit's buddy label)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def tab_chain(top: QWidget) -> list[QWidget]:
    """The widgets Tab visits in ``top``, in order, starting from the first in reading order."""
    reachable = focusable(top)
    if not reachable:
        return []
    allowed = set(map(id, reachable))
    start = min(reachable, key=lambda w: reading_key(w, top))
    chain, widget = [start], start.nextInFocusChain()
    while widget is not start and len(chain) <= len(reachable) + 1:
        if id(widget) in allowed and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def reading_key(widget: QWidget, top: QWidget) -> tuple[int, int]:
    rect = rect_in(widget, top)
    return rect.top(), rect.left()


def goes_back(first: QWidget, second: QWidget, top: QWidget) -> bool:
    """True when Tab from ``first`` to ``second`` jumps against the reading order: up to an earlier row, or
    left within the same row (rows overlap vertically)."""
    a, b = rect_in(first, top), rect_in(second, top)
    if b.bottom() < a.top():
        return True
    same_row = b.top() <= a.bottom() and a.top() <= b.bottom()
    rtl = top.layoutDirection() == Qt.LayoutDirection.RightToLeft
    return same_row and (b.left() > a.right() if rtl else b.right() < a.left())
