"""Render resources/app.svg to the icon files each platform needs (PNG sizes, .ico, .icns).

    python scripts/make_icons.py

Run again after changing the SVG; the outputs are committed so that builds need no image tools.
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
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ROOT / "resources" / "app.svg"))
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        render(renderer, size).save(str(out / f"app-{size}.png"))
    # Qt's ico and icns writers take the largest image; 256 is the biggest .ico frame Windows uses
    render(renderer, 256).save(str(out / "app.ico"))
    render(renderer, 512).save(str(out / "app.icns"))
    print(f"wrote {len(SIZES)} PNGs, app.ico and app.icns to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
