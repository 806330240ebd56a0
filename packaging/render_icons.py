"""Render the app's SVG icon into the PNG sizes desktops and installers want. Run at build time; nothing
generated is committed.

    python packaging/render_icons.py OUTDIR

writes ``OUTDIR/hicolor/<n>x<n>/apps/<app id>.png`` for the freedesktop icon theme (16 to 512 pixels) and
``OUTDIR/<app id>.png`` (256 pixels), from which PyInstaller makes the Windows .ico and the macOS .icns,
and ``OUTDIR/mxsettings.ico`` for the Inno Setup installer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mxsettings.ui.desktop import APP_ID  # noqa: E402 (after the path is set)

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int, path: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise SystemExit(f"render_icons: could not write {path}")


def main() -> int:
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")
    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / f"{APP_ID}.svg"))
    if not renderer.isValid():
        raise SystemExit("render_icons: the SVG icon does not parse")
    for size in SIZES:
        render(renderer, size, outdir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    render(renderer, 256, outdir / f"{APP_ID}.png")
    render(renderer, 256, outdir / "mxsettings.ico")  # the Windows installer's icon (Qt's ico writer)
    print(f"render_icons: {len(SIZES) + 1} PNGs and an ICO in {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
