"""Finding fonts: the user's choice first, TrueType only, the right subfont of a
collection, and a clear message when there is nothing to embed."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import exchange
from app.pdf import FontError, export_pdf
from app.pdf import fonts as fontmod
from app.pdf.fonts import FontFile, FontSet, candidates, discover
from app.pdf.style import load_style
from conftest import ZUNHUADIAN_JSON
from pdf_helpers import gb2312_song, pdffonts


def test_font_file_with_subfont_index():
    assert FontFile.parse("/x/simsun.ttc#1") == FontFile(Path("/x/simsun.ttc"), 1)
    assert FontFile.parse(r"C:\Windows\Fonts\simhei.ttf") == FontFile(Path(r"C:\Windows\Fonts\simhei.ttf"), 0)


def test_user_setting_comes_first(monkeypatch):
    spec = load_style().faces["hei"]
    monkeypatch.setenv("NIANBAO_FONT_HEI", "/fonts/mine.ttf#2")
    first = next(candidates("hei", spec, {}))
    assert first == FontFile(Path("/fonts/mine.ttf"), 2)
    first = next(candidates("hei", spec, {"hei": "/other.ttf"}))
    assert first == FontFile(Path("/other.ttf"), 0)


def test_fontconfig_cff_fonts_are_skipped(monkeypatch):
    spec = {"families": ["Noto Serif CJK SC", "Good Song"]}
    entries = (("/f/NotoSerifCJK.ttc", 0, ("Noto Serif CJK SC",), "CFF"),
               ("/f/good.ttc", 3, ("Good Song", "好宋"), "TrueType"))
    monkeypatch.setattr(fontmod, "_fontconfig_entries", lambda: entries)
    monkeypatch.setattr(fontmod, "_windows_font_dirs", lambda: [])
    assert list(candidates("song", spec, {})) == [FontFile(Path("/f/good.ttc"), 3)]


def test_no_usable_font_says_what_to_install(monkeypatch):
    monkeypatch.setattr(fontmod, "candidates", lambda face, spec, user: iter(()))
    with pytest.raises(FontError) as exc:
        discover(load_style())
    msg = str(exc.value)
    assert "找不到可以嵌入 PDF 的中文字体" in msg
    assert "fonts-arphic-uming" in msg and "simsun.ttc" in msg


def test_user_font_that_is_not_truetype_is_named(tmp_path):
    bad = tmp_path / "fake.ttf"
    bad.write_bytes(b"this is not a font")
    fonts = FontSet(load_style(), {"hei": str(bad)})
    with pytest.raises(FontError) as exc:
        fonts.for_role("heading")
    assert "fake.ttf" in str(exc.value) and "TrueType" in str(exc.value)


def test_user_font_is_embedded(tmp_path):
    """Choosing the 楷体 file for 黑体 headings puts that font in the PDF."""
    kai = discover(load_style()).get("kai")
    if kai is None:
        pytest.skip("no 楷体-like font on this machine")
    report = exchange.read_file(ZUNHUADIAN_JSON)
    path = tmp_path / "x.pdf"
    export_pdf(report, path, fonts={"hei": f"{kai.file.path}#{kai.file.index}"})
    names = " ".join(f["name"] for f in pdffonts(path))
    assert kai.font.face.name.decode() in names


@pytest.fixture
def gb_fonts():
    setting = gb2312_song()
    if setting is None:
        pytest.skip("AR PL SungtiL GB (fonts-arphic-gbsn00lp) not installed")
    fonts = discover(load_style(), setting)
    assert not fonts.for_role("body").covers("堃")
    return fonts


def test_a_text_with_a_character_the_face_lacks_is_set_in_one_face_that_has_them_all(gb_fonts):
    fonts = gb_fonts
    [(text, face)] = fonts.runs("王堃同志", "body", "测试")
    assert text == "王堃同志" and face is not fonts.for_role("body") and face.covers("堃")
    assert not fonts.missing


def test_faces_mix_per_character_only_when_no_face_has_all(monkeypatch, gb_fonts):
    fonts = gb_fonts
    body = fonts.for_role("body")
    other = next(fonts._fallbacks(body))
    monkeypatch.setattr(type(other), "covers",      # only ``other`` has 堃, and only 堃
                        lambda self, ch: ch == "堃" if self is other
                        else ch != "堃" and ord(ch) in self.font.face.charToGlyph)
    assert fonts.runs("王堃同志", "body", "测试") == [("王", body), ("堃", other), ("同志", body)]
    assert not fonts.missing



def test_search_order_user_windows_shipped_fontconfig(monkeypatch, tmp_path):
    shipped, windows = tmp_path / "resources", tmp_path / "Windows" / "Fonts"
    for folder in (shipped / "fonts", windows):
        folder.mkdir(parents=True)
    (shipped / "fonts" / "gbsn00lp.ttf").write_bytes(b"x")
    (windows / "simsun.ttc").write_bytes(b"x")
    monkeypatch.setattr(fontmod, "resource_path", lambda *parts: shipped.joinpath(*parts))
    monkeypatch.setattr(fontmod, "_windows_font_dirs", lambda: [windows])
    monkeypatch.setattr(fontmod, "_fontconfig_entries",
                        lambda: (("/usr/share/fonts/uming.ttc", 0, ("AR PL UMing CN",), "TrueType"),))
    found = list(candidates("song", load_style().faces["song"], {"song": "/my/font.ttf"}))
    assert found == [FontFile(Path("/my/font.ttf")),
                     FontFile(windows / "simsun.ttc", 0),
                     FontFile(shipped / "fonts" / "gbsn00lp.ttf"),
                     FontFile(Path("/usr/share/fonts/uming.ttc"), 0)]


def fake_machine(monkeypatch, tmp_path, platform: str) -> tuple[Path, Path]:
    """A machine of ``platform`` whose %WINDIR%\\Fonts has the usual Chinese fonts and
    whose build ships free fonts for every face (no fontconfig)."""
    windir, shipped = tmp_path / "WINDOWS", tmp_path / "resources" / "fonts"
    for folder in (windir / "Fonts", shipped):
        folder.mkdir(parents=True)
    for name in ("simsun.ttc", "simhei.ttf", "simfang.ttf", "simkai.ttf"):
        (windir / "Fonts" / name).write_bytes(b"x")
    for name in ("gbsn00lp.ttf", "wqy-microhei.ttc", "ukai.ttc", "FZFSK.TTF"):
        (shipped / name).write_bytes(b"x")
    monkeypatch.setattr(fontmod, "sys", SimpleNamespace(platform=platform))
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    for face in ("SONG", "HEI", "FANGSONG", "KAI"):
        monkeypatch.delenv(fontmod.USER_ENV_PREFIX + face, raising=False)
    monkeypatch.setattr(fontmod, "resource_path", lambda *parts: shipped.parent.joinpath(*parts))
    monkeypatch.setattr(fontmod, "_fontconfig_entries", lambda: ())
    return windir / "Fonts", shipped


@pytest.mark.parametrize("face, system, bundled", [
    ("song", "simsun.ttc", "gbsn00lp.ttf"), ("hei", "simhei.ttf", "wqy-microhei.ttc"),
    ("fangsong", "simfang.ttf", "FZFSK.TTF"), ("kai", "simkai.ttf", "ukai.ttc")])
def test_on_windows_the_system_fonts_come_before_the_bundled_ones(monkeypatch, tmp_path,
                                                                  face, system, bundled):
    fonts, shipped = fake_machine(monkeypatch, tmp_path, "win32")
    spec = load_style().faces[face]
    found = [ff.path for ff in candidates(face, spec, {})]
    assert found == [fonts / system, shipped / bundled]
    mine = tmp_path / "mine.ttf"
    assert next(candidates(face, spec, {face: str(mine)})).path == mine    # the user's first


def test_elsewhere_no_windows_folder_is_searched(monkeypatch, tmp_path):
    _, shipped = fake_machine(monkeypatch, tmp_path, "linux")
    found = [ff.path for ff in candidates("song", load_style().faces["song"], {})]
    assert found == [shipped / "gbsn00lp.ttf"]


def test_fc_list_output_is_read_as_utf8_whatever_the_locale(monkeypatch, tmp_path):
    """fontconfig prints UTF-8; a file name in another encoding must not stop the search."""
    script = tmp_path / "fc-list"
    script.write_bytes(b"#!/bin/sh\n"
                       b"printf '/f/\\313\\316.ttf\\t0\\tGBK Name\\tTrueType\\n'\n"
                       + "printf '/f/song.ttc\\t1\\tSimSun,宋体\\tTrueType\\n'\n".encode())
    script.chmod(0o755)
    monkeypatch.setattr(fontmod.shutil, "which", lambda name: str(script))
    monkeypatch.setenv("LC_ALL", "C")
    fontmod._fontconfig_entries.cache_clear()
    try:
        entries = fontmod._fontconfig_entries()
    finally:
        fontmod._fontconfig_entries.cache_clear()
    assert entries[1] == ("/f/song.ttc", 1, ("SimSun", "宋体"), "TrueType")
    assert entries[0][0] == "/f/\ufffd\ufffd.ttf" and entries[0][2] == ("GBK Name",)


def test_user_font_without_chinese_is_refused():
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("DejaVu Sans not installed")
    fonts = FontSet(load_style(), {"song": str(dejavu)})
    with pytest.raises(FontError, match="没有中文字形"):
        fonts.for_role("body")


def test_preload_parses_the_fonts_once_for_later_exports():
    from app.pdf import preload_fonts

    preload_fonts()
    loaded = dict(fontmod._LOADED)
    assert loaded
    discover(load_style()).for_role("heading")
    assert loaded == fontmod._LOADED            # nothing parsed again


def test_parsed_fonts_are_cached_on_disk_and_give_the_same_pdf(tmp_path, monkeypatch):
    """A later run reads the parse from the cache (keyed by the file's size and mtime)
    and the PDF is byte for byte the one a fresh parse gives; a changed font file is
    parsed again."""
    import datetime as dt

    from app import cache_folder
    from app.pdf import font_cache, render_pdf

    monkeypatch.setenv(cache_folder.ENV_VAR, str(tmp_path / "cache"))
    report = exchange.read_file(ZUNHUADIAN_JSON)
    created = dt.datetime(2021, 1, 15, tzinfo=dt.UTC)
    monkeypatch.setattr(fontmod, "_LOADED", {})
    fresh = render_pdf(report, created=created)                 # parses and fills the cache
    entries = sorted((tmp_path / "cache" / "fonts").iterdir())
    assert entries
    parsed = []
    monkeypatch.setattr(fontmod, "_LOADED", {})
    monkeypatch.setattr(fontmod, "TTFont", lambda *a, **k: parsed.append(a) or pytest.fail("parsed"))
    assert render_pdf(report, created=created) == fresh          # from the cache only
    assert not parsed
    body = discover(load_style()).for_role("body").file
    copy = tmp_path / "copy.ttf"
    copy.write_bytes(body.path.read_bytes())
    assert font_cache.load(copy, body.index) is None               # another file: not cached
    font_cache.store(copy, body.index, fontmod._LOADED[body].face)
    assert font_cache.load(copy, body.index) is not None
    os.utime(copy, ns=(0, 0))
    assert font_cache.load(copy, body.index) is None               # changed: parsed again


def test_a_damaged_font_cache_entry_is_parsed_again_and_logged(tmp_path, monkeypatch, caplog):
    """A cache file that cannot be read is not used (the font is parsed again), and
    the reason is logged for whoever sets up logging."""
    import logging

    from app import cache_folder
    from app.pdf import font_cache

    monkeypatch.setenv(cache_folder.ENV_VAR, str(tmp_path / "cache"))
    body = discover(load_style()).for_role("body").file
    font_cache.store(body.path, body.index, fontmod.load_font(body).face)
    assert font_cache.load(body.path, body.index) is not None
    entry = font_cache._entry(body.path, body.index)
    entry.write_bytes(b"\x00not marshal")
    with caplog.at_level(logging.INFO, logger="app.pdf.font_cache"):
        assert font_cache.load(body.path, body.index) is None
    assert "unusable" in caplog.text and str(entry) in caplog.text


def test_a_cached_font_measures_as_a_parsed_one_under_reportlabs_accelerator(tmp_path, monkeypatch):
    """reportlab[accel] (a dependency: its C code writes the pages' numbers) measures a
    string only with a dict of widths and failed on the cache's table (TypeError at every
    export): a font read from the cache measures exactly as the freshly parsed one."""
    from reportlab.lib import rl_accel

    from app import cache_folder
    from app.pdf import font_cache

    assert not hasattr(rl_accel.instanceStringWidthTTF, "__code__")   # the C function
    monkeypatch.setenv(cache_folder.ENV_VAR, str(tmp_path / "cache"))
    body = discover(load_style()).for_role("body").file
    parsed = fontmod.TTFont("parsed", str(body.path), subfontIndex=body.index)
    font_cache.store(body.path, body.index, parsed.face)
    cached = font_cache.font_of("cached", font_cache.load(body.path, body.index))
    text = "政府信息公开 2021 年度报告（１２３）"
    assert cached.stringWidth(text, 16) == parsed.stringWidth(text, 16) > 0


def test_font_cache_lives_in_the_platforms_cache_folder(monkeypatch, tmp_path):
    """Found without importing platformdirs, but where platformdirs puts a user's cache
    (also with XDG_CACHE_HOME set, as on some Linux desktops)."""
    import platformdirs

    from app import cache_folder
    from app.pdf import font_cache

    monkeypatch.delenv(cache_folder.ENV_VAR, raising=False)
    for xdg in (None, str(tmp_path / "xdg")):
        if xdg:
            monkeypatch.setenv("XDG_CACHE_HOME", xdg)
        else:
            monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        expected = Path(platformdirs.user_cache_dir("nianbao", appauthor=False)) / "fonts"
        assert font_cache.cache_dir() == expected
