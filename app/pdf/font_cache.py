"""What parsing a TrueType font finds, kept on disk so that it is parsed once per machine.

reportlab parses a font's tables (character map, widths, glyph offsets) in Python each
time a process loads it: 0.1–0.5 s for a CJK font, most of a command-line export. The
parsed tables are plain numbers, strings and lists, so they are kept with ``marshal``
(nothing in the file is ever run) in the user's cache folder, one file per font keyed
by its path, subfont, size, modification time and the reportlab version: a changed or
replaced font file, or another reportlab, is simply parsed again. The font file itself
is mapped into memory (subsetting reads the glyphs a report uses). A cache that cannot be read
or written is ignored.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
from pathlib import Path

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

log = logging.getLogger(__name__)

FORMAT = 2
"""Bumped when what is stored changes."""
ENV_VAR = "NIANBAO_CACHE_DIR"
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_DICTS = ("charToGlyph", "charWidths")
"""Kept as two flat lists: marshal reads flat lists of numbers ten times faster."""
_SKIPPED = ("_ttf_data", "_pdfScale", "glyphToChar")
"""The file's bytes (read again), a lambda (rebuilt) and a table used only while parsing."""


def cache_dir() -> Path:
    """``NIANBAO_CACHE_DIR``, else the platform's per-user cache folder."""
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given) / "fonts"
    import platformdirs
    return Path(platformdirs.user_cache_dir("nianbao", appauthor=False)) / "fonts"


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
        log.info("font cache %s unusable: %s", entry, exc)
        return None
    face = TTFontFace.__new__(TTFontFace)
    for key in _DICTS:
        keys, values = state[key]
        state[key] = dict(zip(keys, values))
    flat = state["hmetrics"]
    state["hmetrics"] = list(zip(flat[::2], flat[1::2]))
    state["glyphToChar"] = {}
    face.__dict__.update(state)
    for key in _NAMES:
        if isinstance(state.get(key), bytes):
            face.__dict__[key] = TTFNameBytes(state[key])
    per_em = state["unitsPerEm"]
    face._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x, m=1000 / per_em: x * m)
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
    state = {k: (bytes(v) if isinstance(v, TTFNameBytes) else v) for k, v in face.__dict__.items()
             if k not in _SKIPPED}
    for key in _DICTS:
        state[key] = (list(state[key]), list(state[key].values()))
    state["hmetrics"] = [n for pair in state["hmetrics"] for n in pair]
    try:
        data = marshal.dumps(state)
        entry.parent.mkdir(parents=True, exist_ok=True)
        from app.files import write_bytes
        write_bytes(entry, data, durable=False)      # derived data: no fsync needed
    except (OSError, ValueError) as exc:
        log.info("font cache %s not written: %s", entry, exc)


def font_of(name: str, face: TTFontFace) -> TTFont:
    """A ``TTFont`` around an already parsed face (what ``TTFont.__init__`` does after
    parsing; reportlab is pinned below its next major version for this)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config as config

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in config.unShapedFontGlob)
    return font
