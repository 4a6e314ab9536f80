"""File names the program proposes (``{单位}{年度}年政府信息公开工作年度报告.pdf`` and the
like), made from what the user typed, so they must be valid on Windows as well as Linux.

Windows refuses ``\\ / : * ? " < > |`` and control characters, a name ending in a dot or a
space, and the device names (``CON``, ``NUL``, ``COM1`` …, also with an extension:
``CON.pdf``). A name is also kept short: Linux allows 255 bytes (85 Chinese characters in
UTF-8), and Windows programs — Explorer, Word, WPS, file dialogs — fail on a whole path
longer than 260 characters, of which ``C:\\Users\\…\\Documents\\`` already takes 30–40.
"""
from __future__ import annotations

import re
import sys

MAX_NAME_UNITS = 80   # UTF-16 code units, as Windows counts; ≤ 240 bytes in UTF-8
MAX_NAME_BYTES = 255  # Linux, in the file-system encoding (GB18030 takes 4 bytes for some)
ELLIPSIS = "…"

# A forbidden character becomes its full-width twin: “某区/某镇” stays readable as “某区／某镇”.
_FULL_WIDTH = str.maketrans({'\\': "＼", "/": "／", ":": "：", "*": "＊", "?": "？",
                             '"': "＂", "<": "＜", ">": "＞", "|": "｜"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_RESERVED = ({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
             | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789¹²³"})


def safe_filename(stem: str, suffix: str, fallback: str = "年度报告") -> str:
    """``stem + suffix`` made valid on Windows and Linux and at most ``MAX_NAME_UNITS``
    long; an over-long stem loses its middle (``头…尾``), keeping the year and the kind of
    report at its end. ``suffix`` is the extension with its dot (``".pdf"``)."""
    name = _CONTROL.sub(" ", stem).translate(_FULL_WIDTH)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        name = fallback
    name = _shorten(name, MAX_NAME_UNITS - _units(suffix), MAX_NAME_BYTES - _bytes(suffix))
    base, dot, rest = name.partition(".")
    if base.rstrip(" ").upper() in _RESERVED:
        name = f"{base}_{dot}{rest}"
    return name + suffix


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _bytes(text: str) -> int:
    """Bytes on a Linux file system: the file-system encoding, e.g. GB18030 under a zh_CN
    locale, where a character outside GBK takes 4 bytes."""
    encoding = sys.getfilesystemencoding()
    return max(len(text.encode(encoding, "replace")), len(text.encode("utf-8", "surrogatepass")))


def _fits(text: str, units: int, size: int) -> bool:
    return _units(text) <= units and _bytes(text) <= size


def _shorten(name: str, room: int, size: int) -> str:
    if _fits(name, room, size):
        return name
    half = len(name) // 2
    head, tail = name[:half][:room], name[half:][-room:]
    while not _fits(head + ELLIPSIS + tail, room, size):
        if _units(head) > _units(tail):
            head = head[:-1]
        else:
            tail = tail[1:]
    return head.rstrip(" .") + ELLIPSIS + tail.lstrip(" ")
