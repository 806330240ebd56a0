"""Tab order from the layout, for pages whose rows come and go.

Qt appends a widget to the focus chain when it is created, so a row added to a list after the form below it
is reached by Tab only after that form (and after everything else on the page). ``follow_layout`` puts the
chain back in the order the layouts show the widgets: boxes in their order, grids row by row, group boxes
and scroll areas from the inside.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLayout, QScrollArea, QWidget


def layout_order(root: QWidget) -> list[QWidget]:
    """The widgets that take focus by Tab under ``root``, in the order its layouts place them."""
    found: list[QWidget] = []
    _widget(root, found)
    return [w for w in found if w is not root]


def follow_layout(root: QWidget) -> None:
    widgets = layout_order(root)
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def _widget(widget: QWidget, found: list[QWidget]) -> None:
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
        found.append(widget)
    if isinstance(widget, QScrollArea):
        inner = widget.widget()
        if inner is not None:
            _widget(inner, found)
        return
    layout = widget.layout()
    if layout is not None:
        _layout(layout, found)


def _layout(layout: QLayout, found: list[QWidget]) -> None:
    indices = list(range(layout.count()))
    if isinstance(layout, QGridLayout):
        # Grid items are stored in insertion order; read them row by row, left to right.
        grid = layout
        indices.sort(key=lambda i: _grid_cell(grid, i))
    for i in indices:
        item = layout.itemAt(i)
        if item is None:
            continue
        child = item.widget()
        if child is not None:
            _widget(child, found)
        elif (inner := item.layout()) is not None:
            _layout(inner, found)


def _grid_cell(grid: QGridLayout, index: int) -> tuple[int, int]:
    position: Any = grid.getItemPosition(index)  # (row, column, rows, columns), typed as object by PySide6
    return int(position[0]), int(position[1])
