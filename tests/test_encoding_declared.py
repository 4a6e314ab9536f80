"""Every text file and every text pipe in the project names its encoding.

Without ``encoding=``, Python uses the locale's: GBK (cp936) on Chinese Windows, UTF-8 on
Linux. A report saved on one and read on the other, or a subprocess's output decoded with
the wrong table, then turns Chinese into mojibake or a crash. The GB18030 test pass (see
test.sh) catches such calls where the tests reach them; this scan catches the rest.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SCANNED = ["app", "ui", "packaging", "scripts", "tests", "bench", "docs"]
SUBPROCESS_CALLS = {"run", "Popen", "check_output", "call", "check_call"}
TEMPFILE_CALLS = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}


def _sources() -> list[Path]:
    files = []
    for folder in SCANNED:
        files += (ROOT / folder).rglob("*.py")
    files += (ROOT / "packaging").glob("*.spec")
    return sorted(files)


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _mode(call: ast.Call, position: int, default: str) -> str | None:
    """The call's literal mode string, or None when it is computed."""
    node = _keywords(call).get("mode")
    if node is None and len(call.args) > position:
        node = call.args[position]
    if node is None:
        return default
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _needs_encoding(call: ast.Call) -> bool:
    """True for a call that reads or writes text without saying in which encoding."""
    kw = _keywords(call)
    if "encoding" in kw:
        return False
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
    if isinstance(func, ast.Name) and name == "open":
        mode = _mode(call, 1, "r")
        return mode is None or "b" not in mode
    if isinstance(func, ast.Attribute) and name in ("read_text", "write_text", "TextIOWrapper"):
        return True
    if owner == "subprocess" and name in SUBPROCESS_CALLS or name in ("check_output", "Popen"):
        return any(_is_true(kw.get(k)) for k in ("text", "universal_newlines")) or "errors" in kw
    if name in TEMPFILE_CALLS:
        mode = _mode(call, 0, "w+b")
        return mode is None or "b" not in mode
    return False


def test_every_text_file_and_pipe_names_its_encoding():
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _needs_encoding(node):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:90]}")
    assert offenders == [], "add encoding= to:\n" + "\n".join(offenders)


def test_the_scan_finds_a_call_without_encoding():
    """The scan itself must see the mistakes it is there for."""
    bad = ["open(p)", "open(p, 'w')", "p.read_text()", "p.write_text(s)",
           "subprocess.run(c, text=True)", "subprocess.check_output(c, universal_newlines=True)",
           "io.TextIOWrapper(f)", "tempfile.NamedTemporaryFile('w')"]
    good = ["open(p, 'rb')", "open(p, encoding='utf-8')", "p.read_text(encoding='utf-8')",
            "subprocess.run(c, capture_output=True)", "subprocess.run(c, text=True, encoding='utf-8')",
            "tempfile.NamedTemporaryFile()", "DraftStore.open(p)", "os.open(p, 0)"]
    flagged = {src: _needs_encoding(ast.parse(src).body[0].value) for src in bad + good}
    assert flagged == {src: src in bad for src in bad + good}
