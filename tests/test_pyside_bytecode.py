"""PySide6's support code is compiled once per machine (ui.pyside_bytecode, issue 17): the
window's start (``import ui.main``) compiles it the first time and reads it back later; a
damaged cache file is compiled again and replaced; an unwritable cache folder changes
nothing; what PySide6 does with that code (its messages for a wrong call) is unchanged;
other calls of ``compile`` are left as they are."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

from app import cache_folder
from conftest import ROOT
from ui import pyside_bytecode

CHILD = """\
import builtins, json, sys
compiled = []
real = builtins.compile
def counting(source, filename, *args, **kwargs):
    if str(filename).startswith("shibokensupport/"):
        compiled.append(filename)
    return real(source, filename, *args, **kwargs)
builtins.compile = counting       # under ui.main's wrapper: sees what really gets compiled
import ui.main                    # as the window starts: PySide6 imported within compiled_once
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
try:
    QtWidgets.QWidget().resize("宽")
except TypeError as exc:
    message = str(exc)
print(json.dumps({"compiled": compiled, "message": message,
                  "compile restored": builtins.compile is counting}))
"""
PLAIN = CHILD.replace("import ui.main", "import PySide6")


def start(tmp_path, code: str = CHILD, cache=None) -> dict:
    env = {**os.environ, cache_folder.ENV_VAR: str(cache or tmp_path / "cache"), "QT_QPA_PLATFORM": "offscreen",
           "NIANBAO_DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, encoding="utf-8",
                         env=env, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    return json.loads(res.stdout.splitlines()[-1])


def kept(tmp_path):
    return sorted((tmp_path / "cache" / "pyside").glob("*/shibokensupport.*"))


def test_the_second_start_compiles_none_of_it_and_pyside_behaves_the_same(tmp_path):
    first = start(tmp_path)
    assert "shibokensupport/signature/parser.py" in first["compiled"]
    assert len(kept(tmp_path)) == len(first["compiled"]) >= 10
    second = start(tmp_path)
    assert second["compiled"] == []
    without = start(tmp_path, PLAIN, cache=tmp_path / "unused")
    assert second["message"] == first["message"] == without["message"]
    assert "Supported signatures" in second["message"] and "resize(w: int, h: int" in second["message"]
    assert second["compile restored"]


def test_a_damaged_or_foreign_cache_file_is_compiled_again_and_replaced(tmp_path):
    first = start(tmp_path)
    files = {f.name: f for f in kept(tmp_path)}
    parser, layout, loader = (files[f"shibokensupport.signature.{m}.py"] for m in ("parser", "layout", "loader"))
    parser.write_bytes(parser.read_bytes()[:1000])              # cut short
    layout.write_bytes(b"\x00garbage" * 100)                    # not marshal data
    import marshal
    magic, flags, source, code = marshal.loads(loader.read_bytes())
    loader.write_bytes(marshal.dumps((magic, flags, source + b"\n# changed", code)))   # another source
    mapping = files["shibokensupport.signature.mapping.py"]
    mapping.unlink()
    os.mkfifo(mapping)                                          # would block a read for ever
    again = start(tmp_path)
    assert sorted(again["compiled"]) == sorted(f"shibokensupport/signature/{m}.py"
                                               for m in ("layout", "loader", "mapping", "parser"))
    assert again["message"] == first["message"]
    assert start(tmp_path)["compiled"] == []                     # replaced by good files


def test_an_unwritable_cache_folder_changes_nothing(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    first = start(tmp_path, cache=blocker)
    second = start(tmp_path, cache=blocker)
    assert first["compiled"] == second["compiled"] != []
    assert second["message"] == start(tmp_path, PLAIN, cache=blocker)["message"]


def test_other_compiles_within_it_are_left_as_they_were(tmp_path, monkeypatch):
    """``compile`` inherits its caller's future statements (this module's ``from __future__
    import annotations``) with or without the wrapper, and kept code is reused only for
    the same future statements (PySide6's loader has this one too)."""
    monkeypatch.setenv(cache_folder.ENV_VAR, str(tmp_path / "cache"))
    ns: dict = {}

    def define(source, filename, **kwargs) -> dict:
        exec(compile(source, filename, "exec", **kwargs), ns)
        return ns.pop("f").__annotations__

    plain = define("def f(a: int): pass", "<mine>")
    with pyside_bytecode.compiled_once():
        assert define("def f(a: int): pass", "<mine>") == plain == {"a": "int"}
        assert compile("1 + 1", "<mine>", "eval").co_filename == "<mine>"
        assert ast.dump(ast.parse("x: int = 1", feature_version=(3, 8))) == ast.dump(ast.parse("x: int = 1"))
        assert not list((tmp_path / "cache").rglob("*.py"))              # not PySide6's: not kept
        assert define(b"def f(a: int): pass", "shibokensupport/x.py") == {"a": "int"}
        assert define(b"def f(a: int): pass", "shibokensupport/y.py", dont_inherit=True) == {"a": int}
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*.py")) == ["shibokensupport.x.py", "shibokensupport.y.py"]
    with pyside_bytecode.compiled_once():   # read back, and only for the same future statements
        assert define(b"def f(a: int): pass", "shibokensupport/x.py") == {"a": "int"}
        assert define(b"def f(a: int): pass", "shibokensupport/y.py") == {"a": "int"}
        assert define(b"def f(a: int): pass", "shibokensupport/y.py", dont_inherit=True) == {"a": int}
    assert compile is pyside_bytecode.builtins.compile
