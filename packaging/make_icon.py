"""Draw the application icon (resources/icons/nianbao.png and nianbao.ico) with Qt.

Run once by a developer when the icon should change; the small result files are committed,
so building the application needs no drawing. The icon is the character 年 in white on
the red of official documents; it is drawn with WenQuanYi Micro Hei (Apache-2.0) and
stored as pixels, so no font travels with it.

    .venv/bin/python packaging/make_icon.py [/path/to/a/cjk/font.ttc]
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
RED, GOLD = QColor("#c8161d"), QColor("#f2c14e")
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int, family: str) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    m = size * 0.04
    rect = QRectF(m, m, size - 2 * m, size - 2 * m)
    path = QPainterPath()
    path.addRoundedRect(rect, size * 0.18, size * 0.18)
    p.fillPath(path, RED)
    if size >= 32:  # a thin gold frame, lost at the smallest sizes
        inner = rect.adjusted(size * 0.07, size * 0.07, -size * 0.07, -size * 0.07)
        p.setPen(QPen(GOLD, max(1.0, size * 0.025)))
        p.drawRoundedRect(inner, size * 0.12, size * 0.12)
    font = QFont(family)
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(rect.adjusted(0, -size * 0.03, 0, 0), Qt.AlignmentFlag.AlignCenter, "年")
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data)


def write_ico(images: list[QImage], path: Path) -> None:
    """An .ico whose entries are PNG images (read by Windows Vista and later)."""
    pngs = [png_bytes(i) for i in images]
    head = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(head) + 16 * len(pngs)
    entries, blobs = b"", b""
    for img, png in zip(images, pngs):
        w = img.width() if img.width() < 256 else 0
        entries += struct.pack("<BBBBHHII", w, w, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    path.write_bytes(head + entries + blobs)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts need an application
    font_id = QFontDatabase.addApplicationFont(sys.argv[1] if len(sys.argv) > 1 else FONT)
    if font_id < 0:
        print("cannot load the font to draw 年", file=sys.stderr)
        return 1
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    images = [draw(s, family) for s in SIZES]
    OUT.mkdir(parents=True, exist_ok=True)
    images[-1].save(str(OUT / "nianbao.png"))
    images[SIZES.index(64)].save(str(OUT / "nianbao-64.png"))
    write_ico(images, OUT / "nianbao.ico")
    print(f"wrote {OUT / 'nianbao.png'}, {OUT / 'nianbao.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
