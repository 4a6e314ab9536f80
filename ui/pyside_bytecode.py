"""PySide6's own support code compiled once per machine, not at every start of the window.

When ``shiboken6`` is imported, PySide6 compiles the Python source of its support package
(``shibokensupport``: the signature parser, the .pyi generator and others, kept as source
inside its library) with the built-in ``compile``, at every start: ~12 ms of the window's
~130 ms on the test machine, more than nianbao's whole draft store. Python keeps compiled
files (``__pycache__``) for ordinary modules, not for these.

``compiled_once()`` is put around the import of PySide6 (``ui.main``; in the packaged
program ``packaging/rthook_pyside_bytecode.py``, as PyInstaller imports PySide6 earlier).
While it is in place, ``compile`` of a ``shibokensupport/`` source takes the code object
kept in the cache folder (``app.cache_folder``) when it was made from exactly the same
source, with the same future statements, by a Python with the same bytecode format, and
keeps it there otherwise. Nothing else changes: every other call of ``compile`` goes
through as it came, and a cache file that is missing, too large, unreadable or not such a
code object, or a cache that cannot be written, means only that the source is compiled,
as without the cache. The cache folder is the user's own, as trusted as Python's
``__pycache__`` folders.

The wrapper passes on the future statements (``from __future__ import …``) of the code
that calls it, as ``compile`` itself does: called from here, ``compile`` would inherit this
module's instead.
"""
import __future__

import builtins
import contextlib
import marshal
import sys
import types
from collections.abc import Iterator
from functools import reduce
from importlib.util import MAGIC_NUMBER
from operator import or_
from pathlib import Path

from app.cache_folder import cache_folder, read_entry, write_entry

SUPPORT_PREFIX = "shibokensupport/"
"""How PySide6 names the sources it compiles (``shibokensupport/signature/parser.py``)."""
MAX_CACHED_BYTES = 4 * 1024 * 1024
"""The largest kept file is ~60 KB; anything far larger is not ours."""
FUTURE_FLAGS = reduce(or_, (getattr(__future__, name).compiler_flag for name in __future__.all_feature_names))


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """Within the block, PySide6's support sources are compiled once per machine."""
    tag = sys.implementation.cache_tag
    if tag is None:   # this Python keeps no bytecode: neither do we
        yield
        return
    folder = cache_folder() / "pyside" / tag
    original = builtins.compile

    def compile_or_reuse(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **more):
        if not dont_inherit:   # what compile would inherit: its caller's future statements
            flags |= sys._getframe(1).f_code.co_flags & FUTURE_FLAGS
        if more or not (isinstance(source, bytes) and isinstance(filename, str) and filename.startswith(SUPPORT_PREFIX)
                        and mode == "exec" and not flags & ~FUTURE_FLAGS and optimize == -1):
            return original(source, filename, mode, flags, True, optimize, **more)   # (ast.parse: _feature_version)
        entry = folder / filename.replace("/", ".").replace("\\", ".")
        code = _read(entry, flags, source)
        if code is None:
            code = original(source, filename, mode, flags, True)
            _write(entry, flags, source, code)
        return code

    builtins.compile = compile_or_reuse
    try:
        yield
    finally:
        builtins.compile = original


def _read(entry: Path, flags: int, source: bytes) -> types.CodeType | None:
    raw = read_entry(entry, MAX_CACHED_BYTES)
    if raw is None:
        return None
    try:
        kept = marshal.loads(raw)
    except (ValueError, EOFError, TypeError):
        return None
    if (isinstance(kept, tuple) and len(kept) == 4 and kept[:3] == (MAGIC_NUMBER, flags, source)
            and isinstance(kept[3], types.CodeType)):
        return kept[3]
    return None


def _write(entry: Path, flags: int, source: bytes, code: types.CodeType) -> None:
    write_entry(entry, marshal.dumps((MAGIC_NUMBER, flags, source, code)))
