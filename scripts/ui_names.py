"""Write docs/ui-names.md: every control (input, button, check box, list, tab bar) of every page and dialog by
objectName, with the name and description a screen reader announces. Tests, automation and screen-reader
users find a control by these; tests/ui/test_accessibility.py fails when a control is missing here.

    .venv/bin/python scripts/ui_names.py docs/ui-names.md      # or: make ui-names
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MXSETTINGS_LANG"] = "en"  # the names as written in the code
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from tests.ui.tour import Stop, focusable, tour

HEADER = """# UI names

Every control of every page and dialog, by `objectName`, with what a screen reader announces: its accessible
name and, where there is one, its description. Tests and automation find controls by these names; the
accessible names are what people using a screen reader hear. Written by `make ui-names`
(`scripts/ui_names.py`) from a walk through the app against the fake homeserver (`tests/ui/tour.py`), so the
examples show its data (`@alice:example.org`); a test fails when a control is missing here.

Names with a colon belong to one row of a list and carry its address: `contact:<medium>:<address>` and
`pending:<medium>:<address>` are the rows of the Contact info tab; the buttons inside a row have the same
name in every row (`removeButton`, `resendButton`...). `qt_tabwidget_tabbar` is Qt's own name for the tab bar.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/ui-names.md")
    app = QApplication.instance() or QApplication(sys.argv)
    seen: set[str] = set()
    rows: list[str] = []

    def visit(stop: Stop) -> None:
        new = []
        for widget in focusable(stop.widget):
            if widget.objectName() and widget.objectName() not in seen:
                seen.add(widget.objectName())
                new.append(widget)
        if not new:
            return
        rows.append(f"\n## {stop.title or stop.name}\n")
        rows.append("| objectName | type | accessible name | description |")
        rows.append("|---|---|---|---|")
        for widget in new:
            interface = QAccessible.queryAccessibleInterface(widget)
            # The name set in the code; Qt's own otherwise (a button's text). A combo box reports its
            # current item as its name on Linux and takes its label from the accessible relation.
            name = widget.accessibleName() or (interface.text(QAccessible.Text.Name) if interface else "")
            description = interface.text(QAccessible.Text.Description) if interface is not None else ""
            kind = type(widget).__name__
            rows.append(f"| `{widget.objectName()}` | {kind} | {_cell(name)} | {_cell(description)} |")

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(tour(visit))
    out.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{out}: {len(seen)} controls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
