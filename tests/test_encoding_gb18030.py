"""The command line as on Chinese Windows, where the locale's encoding is GBK/GB18030 and
not UTF-8: what it prints is readable in that encoding, a character the console cannot show
never crashes it, and a text file saved by Notepad in the "ANSI" encoding (GBK) imports.
Files the program writes are UTF-8 whatever the locale (checked by the other tests of the
GB18030 pass, which read them as UTF-8)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cli_helpers import NIANBAO, run_nianbao
from conftest import REPORTS, ZUNHUADIAN_JSON

GB18030 = "zh_CN.GB18030"

pytestmark = pytest.mark.skipif(
    subprocess.run(["locale", "-a"], capture_output=True, encoding="ascii", errors="replace")
    .stdout.lower().find("zh_cn.gb18030") < 0,
    reason="locale zh_CN.GB18030 missing (scripts/setup.sh makes it)")


def nianbao_in_locale(*args: str, io_encoding: str | None = None, cwd=None) -> tuple[int, bytes, bytes]:
    """Run nianbao under the GB18030 locale, its arguments in GB18030 as that locale's shell
    passes them; stdout and stderr as the raw bytes printed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env["LC_ALL"] = GB18030
    if io_encoding:
        env["PYTHONIOENCODING"] = io_encoding   # e.g. gbk: a cp936 console or pipe
    program = [str(NIANBAO)] if NIANBAO.exists() else [sys.executable, "-m", "app.cli"]
    cmd = [os.fsencode(p) for p in program] + [str(a).encode("gb18030") for a in args]
    done = subprocess.run(cmd, capture_output=True, env=env, cwd=cwd, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_what_the_command_prints_is_readable_in_the_locale_encoding(tmp_path):
    report = tmp_path / "报告 （空白）.json"
    code, _, _ = nianbao_in_locale("new", "--year", "2021", "--organ", "遵化店镇", "-o", str(report))
    assert code == 0
    code, out, _ = nianbao_in_locale("validate", str(report))
    assert code == 1
    text = out.decode("gb18030")          # strict: one wrong byte would raise
    assert "错误【必填正文】五、存在的主要问题及改进情况：未填写" in text
    code, _, err = nianbao_in_locale("validate", str(tmp_path / "没有这个文件.json"))
    assert code == 2 and "没有这个文件.json" in err.decode("gb18030")


def test_a_character_a_gbk_console_cannot_show_does_not_crash(tmp_path):
    organ = "𠮷田镇人民政府"                # 𠮷 (U+20BB7) is not in GBK
    report = tmp_path / "r.json"
    code, out, err = nianbao_in_locale("new", "--year", "2021", "--organ", organ, "-o", str(report),
                                       io_encoding="gbk")
    assert code == 0, err.decode("gbk", "replace")
    assert "田镇人民政府2021年政府信息公开工作年度报告" in out.decode("gbk")
    assert json.loads(report.read_text(encoding="utf-8"))["organ"] == organ   # the file keeps it


def test_text_saved_by_notepad_in_gbk_imports_from_a_chinese_folder(tmp_path):
    folder = tmp_path / "网站 下载 （2020）"
    folder.mkdir()
    source = folder / "遵化店镇 年报.txt"
    text = (REPORTS / "2020-zunhuadian-town.txt").read_text(encoding="utf-8")
    source.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    out = folder / "导入 （遵化店镇）.json"
    done = run_nianbao("import", str(source), "-o", str(out), env={"LC_ALL": GB18030})
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == ZUNHUADIAN_JSON.read_text(encoding="utf-8")
