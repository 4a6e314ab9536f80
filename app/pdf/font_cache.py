"""What parsing a TrueType font finds, kept on disk so that it is parsed once per machine.

reportlab parses a font's tables (character map, widths, glyph offsets) in Python each
time a process loads it: 0.1–0.5 s for a CJK font, most of a command-line export. The
parsed tables are plain numbers, strings and lists, so they are kept with ``marshal``
(nothing in the file is ever run) in the user's cache folder, one file per font keyed
by its path, subfont, size, modification time and the reportlab version: a changed or
replaced font file, or another reportlab, is simply parsed again. A cache that cannot be
read or written is ignored.

Loading must cost next to nothing, since a report looks up a few hundred of a font's
20,000–50,000 characters: the big tables are stored as machine arrays (read with one
copy, no Python object per entry) and looked up by binary search (``SortedTable``);
the font file is mapped into memory, and subsetting slices the glyphs it needs out of
the glyph table without copying the whole table (``MappedFace``).
"""
from __future__ import annotations

import hashlib
import marshal
from array import array
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from app.cache_folder import cache_folder

if TYPE_CHECKING:
    import mmap


def _log(message: str, *args: object) -> None:
    """An unusable cache is only logged (at INFO: shown when logging is set up), and it
    is rare: ``logging`` is imported then, not by every export (~2 ms)."""
    import logging

    logging.getLogger(__name__).info(message, *args)


FORMAT = 4
"""Bumped when what is stored changes."""
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_TABLES = ("charToGlyph", "charWidths")
"""Character → glyph and character → width: sorted keys and their values, as arrays
(widths are whole numbers for a font of 1,000 units per em, fractions for others)."""
"""``hmetrics`` (glyph → advance and left side bearing) is kept flattened as fractions:
reportlab keeps some advances scaled and takes ``int()`` of them when subsetting.
``glyphPos`` (glyph → offset in the glyph table) as whole numbers. Every array is kept
with its type code and item size."""
_SKIPPED = ("_ttf_data", "_pdfScale", "glyphToChar")
"""The file's bytes (read again), a lambda (rebuilt) and a table used only while parsing."""


class SortedTable(Mapping):
    """A read-only int → number mapping over two arrays (keys sorted): what reportlab
    asks of a face's ``charToGlyph`` and ``charWidths`` (``in``, ``[]``, ``get``)."""
    __slots__ = ("_keys", "_values")

    def __init__(self, keys: array, values: array) -> None:
        self._keys, self._values = keys, values

    def get(self, key, default=None):
        i = bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            return self._values[i]
        return default

    def __getitem__(self, key):
        i = bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            return self._values[i]
        raise KeyError(key)

    def __contains__(self, key) -> bool:
        i = bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Pairs(Sequence):
    """``hmetrics`` read from a flat array: item ``i`` is (advance, left side bearing)."""
    __slots__ = ("_flat",)

    def __init__(self, flat: array) -> None:
        self._flat = flat

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        return self._flat[2 * i], self._flat[2 * i + 1]

    def __len__(self) -> int:
        return len(self._flat) // 2


class _Window:
    """A table of the mapped font file, sliced without copying the rest of it."""
    __slots__ = ("_data", "_start", "_length")

    def __init__(self, data, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _ = part.indices(self._length)
        return self._data[self._start + start:self._start + stop]

    def __len__(self) -> int:
        return self._length


class MappedFace(TTFontFace):
    """A face read from the cache over the mapped font file. Subsetting asks for the
    whole glyph table (tens of MB in a CJK collection) to slice a few hundred glyphs out
    of it: it gets a window on the file instead of a copy."""

    # reportlab's private attributes of a parsed face, set by ``_face`` (pinned below 6)
    _ttf_data: bytes | mmap.mmap
    _pdfScale: Callable[[float], float]

    def get_table(self, tag):
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return _Window(self._ttf_data, pos, length)
        return super().get_table(tag)


def _array(stored: tuple[str, int, bytes]) -> array:
    """An array kept as (type code, item size, bytes); ``ValueError`` if this Python's
    arrays of that type have another item size."""
    code, size, data = stored
    out = array(code)
    if out.itemsize != size:
        raise ValueError(f"array {code!r} of {out.itemsize} bytes, stored {size}")
    out.frombytes(data)
    return out


def _stored(code: str, values) -> tuple[str, int, bytes]:
    out = array(code, values)
    return code, out.itemsize, out.tobytes()


def cache_dir() -> Path:
    """The fonts' folder in nianbao's cache folder (``app.cache_folder``)."""
    return cache_folder() / "fonts"


def _entry(path: Path, index: int) -> Path | None:
    try:
        st = path.stat()
    except OSError:
        return None
    key = f"{FORMAT}|{REPORTLAB_VERSION}|{path.resolve()}|{index}|{st.st_size}|{st.st_mtime_ns}"
    return cache_dir() / (hashlib.sha1(key.encode("utf-8")).hexdigest() + ".marshal")


def load(path: Path, index: int) -> TTFontFace | None:
    """The parsed face of ``path`` (subfont ``index``) from the cache, or None."""
    entry = _entry(path, index)
    if entry is None or not entry.is_file():
        return None
    try:
        state = marshal.loads(entry.read_bytes())
        data = _mapped(path)
    except (OSError, EOFError, ValueError, TypeError) as exc:
        _log("font cache %s unusable: %s", entry, exc)
        return None
    try:
        for key in _TABLES:
            keys, values = state[key]
            state[key] = SortedTable(_array(keys), _array(values))
        state["hmetrics"] = Pairs(_array(state["hmetrics"]))
        state["glyphPos"] = _array(state["glyphPos"])
    except (KeyError, TypeError, ValueError) as exc:
        _log("font cache %s unusable: %s", entry, exc)
        return None
    face = MappedFace.__new__(MappedFace)
    state["glyphToChar"] = {}
    face.__dict__.update(state)
    for key in _NAMES:
        if isinstance(state.get(key), bytes):
            face.__dict__[key] = TTFNameBytes(state[key])
    per_em = state["unitsPerEm"]
    factor = 1000 / per_em
    face._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x: x * factor)
    face._ttf_data = data
    return face


def _mapped(path: Path):
    """The font file's bytes, mapped rather than read: subsetting touches only the glyphs
    a report uses, a few hundred KB of a 21 MB collection."""
    import mmap

    with open(path, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def store(path: Path, index: int, face: TTFontFace) -> None:
    """Keep what parsing ``face`` found (everything but the file's bytes and a lambda)."""
    entry = _entry(path, index)
    if entry is None:
        return
    state: dict[str, Any] = {k: (bytes(v) if isinstance(v, TTFNameBytes) else v) for k, v in face.__dict__.items()
             if k not in _SKIPPED}
    try:
        for key in _TABLES:
            items = sorted(state[key].items())
            values = [v for _, v in items]
            code = "l" if all(isinstance(v, int) for v in values) else "d"
            state[key] = (_stored("L", [k for k, _ in items]), _stored(code, values))
        state["hmetrics"] = _stored("d", [n for pair in state["hmetrics"] for n in pair])
        state["glyphPos"] = _stored("L", state["glyphPos"])
    except (OverflowError, TypeError) as exc:       # a value the arrays cannot hold
        _log("font cache %s not written: %s", entry, exc)
        return
    try:
        data = marshal.dumps(state)
        entry.parent.mkdir(parents=True, exist_ok=True)
        from app.files import write_bytes
        write_bytes(entry, data, durable=False)      # derived data: no fsync needed
    except (OSError, ValueError) as exc:
        _log("font cache %s not written: %s", entry, exc)


class CachedFont(TTFont):
    """A ``TTFont`` whose face may come from the cache. reportlab's optional C accelerator
    (the ``rl_accel`` package, installed by ``reportlab[accel]``) measures a string with a
    face's ``charWidths`` only if it is a dict, and fails on a ``SortedTable``: the width
    is summed here as reportlab's own Python code does."""

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        width, default = self.face.charWidths.get, self.face.defaultWidth
        return 0.001 * size * sum(width(ord(ch), default) for ch in text)


def font_of(name: str, face: TTFontFace) -> TTFont:
    """A ``TTFont`` around an already parsed face (what ``TTFont.__init__`` does after
    parsing; reportlab is pinned below its next major version for this)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config as config

    font = CachedFont.__new__(CachedFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = config.ttfAsciiReadable  # type: ignore[attr-defined]  # private, set by __init__
    font.shapable = not any(fnmatch(name, glob) for glob in config.unShapedFontGlob or ())
    return font
