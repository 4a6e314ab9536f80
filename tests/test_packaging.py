"""The packaged program: build it with packaging/build.sh and use it as a clerk would.

Slow (a PyInstaller build, ~20–40 s) but CI runs it: a build that starts but cannot find
its format files, fonts or Qt plugins is only caught by running the frozen program. The
program is run from an empty folder, with fontconfig pointed at an empty configuration,
so it must use what is inside the bundle. The build goes to a folder whose name holds
Chinese characters, spaces and full-width brackets, as a clerk's folders do.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent
ZUNHUADIAN = ROOT / "tests" / "fixtures" / "reports" / "2020-zunhuadian-town.json"
# 152 MB measured: printing (Ctrl+P) brings Qt's print support and CUPS with its TLS libraries (~8 MB)
LIMIT_MB = 160

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="build.sh is for Linux"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "年报 程序（Linux 版）"
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh"), str(out / "dist"), str(out / "work")],
        capture_output=True, encoding="utf-8", errors="replace", timeout=900,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    folder = out / "dist" / "nianbao"
    assert (folder / "nianbao").is_file()
    return folder


@pytest.fixture
def frozen_env(tmp_path) -> dict[str, str]:
    """No source tree, no system fonts, no user data: only what the bundle carries."""
    conf = tmp_path / "fonts.conf"
    conf.write_text("<?xml version='1.0'?><fontconfig></fontconfig>\n", encoding="utf-8")
    keep = {k: v for k, v in os.environ.items()
            if k in ("PATH", "LANG", "LC_ALL", "TMPDIR", "DISPLAY")}
    return {**keep, "HOME": str(tmp_path), "FONTCONFIG_FILE": str(conf),
            "NIANBAO_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}


def run(bundle: Path, env: dict, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(bundle / "nianbao"), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=120)


def test_bundle_is_small_enough_and_complete(bundle):
    # PyInstaller links some Qt libraries into _internal/ with symlinks: count files once
    size = sum(f.lstat().st_size for f in bundle.rglob("*")
               if f.is_file() and not f.is_symlink())
    assert size <= LIMIT_MB * 1024 * 1024, f"{size / 2**20:.0f} MB"
    internal = bundle / "_internal"
    assert (internal / "resources" / "formats" / "2019.toml").is_file()
    assert (internal / "resources" / "formats" / "2021.toml").is_file()
    assert (internal / "resources" / "icons" / "nianbao.png").is_file()
    assert list(internal.glob("_rl_accel*")), "reportlab's accelerator (hidden import) missing"
    assert os.access(bundle / "install-desktop-entry.sh", os.X_OK)
    assert (bundle / "nianbao").read_bytes().startswith(b"#!/bin/sh")   # the start script
    assert os.access(bundle / "nianbao.bin", os.X_OK)
    fonts = internal / "resources" / "fonts"
    shipped = {p.name for p in fonts.glob("*.tt?")}
    assert shipped, "no font shipped"
    assert len(list((fonts / "LICENSES").glob("*.txt"))) == len(shipped)
    qm = {p.name for p in internal.rglob("*.qm")}
    assert "qtbase_zh_CN.qm" in qm and not any("_de" in n for n in qm)


def test_frozen_program_exports_the_zunhuadian_pdf(bundle, frozen_env, tmp_path):
    out = tmp_path / "年报.pdf"
    result = run(bundle, frozen_env, "export", str(ZUNHUADIAN), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已导出正式版" in result.stdout
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          encoding="utf-8", check=True).stdout
    squeezed = "".join(text.split())
    assert "平顶山高新技术产业开发区遵化店镇" in squeezed
    assert "2020年政府信息公开工作年度报告" in squeezed
    assert "政府集中采购124.0930" in squeezed          # 采购项目数量 12, 采购总金额 4.093 万元
    assert "三、收到和处理政府信息公开申请情况" in squeezed
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, encoding="utf-8",
                           check=True).stdout
    assert "yes yes" in " ".join(fonts.split()), fonts  # embedded, subset


def test_frozen_program_exports_word(bundle, frozen_env, tmp_path):
    out = tmp_path / "年报.docx"
    result = run(bundle, frozen_env, "export", str(ZUNHUADIAN), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    document = docx.Document(str(out))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"政府集中采购", "12", "4.0930", "申请人情况"} <= cells


def test_frozen_program_reports_bad_input_in_chinese(bundle, frozen_env, tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    result = run(bundle, frozen_env, "export", str(bad), "-o", str(tmp_path / "x.pdf"),
                 cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.stderr + result.stdout)


def test_frozen_window_starts_offscreen(bundle, frozen_env, tmp_path):
    env = {**frozen_env, "NIANBAO_SMOKE_QUIT": "1"}
    result = run(bundle, env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nianbao-smoke: started" in result.stdout
    assert "windows: []" not in result.stdout, result.stdout
    assert "Qt's Cancel button: 取消" in result.stdout  # Qt's own zh_CN translation is bundled
    assert "could not load the Qt platform plugin" not in result.stderr


def test_frozen_window_compiles_pysides_support_code_once(bundle, frozen_env, tmp_path):
    """ui.pyside_bytecode, through packaging/rthook_pyside_bytecode.py (PyInstaller's own hook
    imports PySide6 before ui.main could): the first start keeps PySide6's compiled support
    code in the cache folder, a later one reads it back (a file that did not match would be
    written again, as a new file)."""
    env = {**frozen_env, "NIANBAO_SMOKE_QUIT": "1"}
    first = run(bundle, env, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    kept = sorted((tmp_path / ".cache" / "nianbao" / "pyside").glob("*/shibokensupport.*"))
    assert len(kept) >= 10
    files = {p.name: p.stat().st_ino for p in kept}
    second = run(bundle, env, cwd=tmp_path)
    assert "nianbao-smoke: started" in second.stdout, second.stdout + second.stderr
    assert {p.name: p.stat().st_ino for p in kept} == files


def test_frozen_window_opens_the_demo_report(bundle, frozen_env, tmp_path):
    """As a clerk would: the report is in the draft list; opening it names it in the title."""
    added = run(bundle, frozen_env, "drafts", "add", str(ZUNHUADIAN), cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    env = {**frozen_env, "NIANBAO_SMOKE_QUIT": "1", "NIANBAO_SMOKE_OPEN_FIRST": "1"}
    result = run(bundle, env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "平顶山高新技术产业开发区遵化店镇2020年政府信息公开工作年度报告" in result.stdout, result.stdout


def test_start_script_explains_in_chinese_why_an_old_or_foreign_system_cannot_run_it(
        bundle, frozen_env, tmp_path):
    """统信 UOS V20 / 麒麟 V10 (glibc 2.28–2.31) or an ARM machine: a Chinese sentence saying
    why, exit 2, and the program itself never started (no Qt or loader error)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    machine = os.uname().machine
    for name, text in (("getconf", "glibc 2.28"), ("uname", machine)):
        (fake / name).write_text(f"#!/bin/sh\necho '{text}'\n", encoding="utf-8")
        (fake / name).chmod(0o755)
    env = {**frozen_env, "PATH": f"{fake}:{frozen_env['PATH']}"}
    env.pop("DISPLAY", None)
    old = run(bundle, env, "--version", cwd=tmp_path)
    assert old.returncode == 2 and old.stdout == ""
    need = old.stderr.split("需要 glibc ")[1].split()[0]
    assert "无法在这个系统上运行" in old.stderr and "本机的 glibc 是 2.28" in old.stderr
    have = subprocess.run(["getconf", "GNU_LIBC_VERSION"], capture_output=True,
                          encoding="utf-8", check=True).stdout.split()[1]
    assert tuple(map(int, need.split("."))) <= tuple(map(int, have.split(".")))  # builds here, runs here

    (fake / "uname").write_text("#!/bin/sh\necho aarch64\n", encoding="utf-8")
    arm = run(bundle, env, "--version", cwd=tmp_path)
    assert arm.returncode == 2 and "本机的处理器是 aarch64" in arm.stderr

    (fake / "getconf").write_text(f"#!/bin/sh\necho 'glibc {have}'\n", encoding="utf-8")
    (fake / "uname").write_text(f"#!/bin/sh\necho {machine}\n", encoding="utf-8")
    fine = run(bundle, env, "--version", cwd=tmp_path)
    assert fine.returncode == 0 and fine.stdout.startswith("nianbao "), fine.stderr
