"""Finding, loading and checking the CJK fonts the PDF embeds.

A report that is emailed must carry its fonts: only TrueType outlines are used (reportlab
cannot embed CFF-based OpenType such as most Noto CJK files) and reportlab always embeds
them as subsets. Each *face* of ``style.toml`` (宋体, 仿宋, 黑体, 楷体, 小标宋) is looked
for in this order: the user's setting, the Windows fonts folders, ``resources/fonts/``,
fontconfig: a Windows machine's own 宋体/仿宋 are what official documents look like, a
build may ship free look-alikes for machines without them. reportlab draws a character the font lacks as a blank without any error, so
every string is checked against the fonts' character maps before it is laid out: a
missing character is taken from another installed face, and one that no face has is
reported by name and place.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.paths import resource_path
from app.pdf.errors import FontError
from app.pdf.style import Style

USER_ENV_PREFIX = "NIANBAO_FONT_"
"""``NIANBAO_FONT_SONG=/path/font.ttf`` (or ``…ttc#1``) sets the file of face ``song``."""

INSTALL_HINT = (
    "请安装中文 TrueType 字体后再导出：Debian/Ubuntu 运行 "
    "“sudo apt-get install fonts-arphic-uming fonts-wqy-microhei”；"
    "Windows 自带的宋体（simsun.ttc）、黑体（simhei.ttf）、仿宋（simfang.ttf）即可使用；"
    "也可以把 .ttf/.ttc 字体文件放进程序的 resources/fonts 文件夹。"
    "注意：思源/Noto CJK 等 .otf 字体无法嵌入 PDF。"
)


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0

    @classmethod
    def parse(cls, text: str) -> FontFile:
        """``font.ttc#2`` → the collection's third subfont; a bare path → subfont 0."""
        m = re.fullmatch(r"(.+)#(\d+)", text)
        return cls(Path(m.group(1)), int(m.group(2))) if m else cls(Path(text))


@dataclass
class LoadedFace:
    face: str
    label: str
    font: TTFont
    file: FontFile
    heavy: bool

    @property
    def name(self) -> str:
        return self.font.fontName

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.font.face.charToGlyph

    def describe(self) -> str:
        """``宋体（uming.ttc）``: the face and the file that stands for it."""
        return f"{self.label}（{self.file.path.name}）"


# ------------------------------------------------------------------ discovery
@cache
def _fontconfig_entries() -> tuple[tuple[str, int, tuple[str, ...], str], ...]:
    """(file, index, families, format) of every font fontconfig knows (one call per run;
    none on Windows, where ``subprocess`` is then never imported)."""
    exe = shutil.which("fc-list")
    if not exe:
        return ()
    import subprocess

    try:
        out = subprocess.run(
            [exe, "--format", "%{file}\t%{index}\t%{family}\t%{fontformat}\n"],
            # fontconfig prints UTF-8 whatever the locale (a C locale would fail on 宋体)
            capture_output=True, encoding="utf-8", errors="replace", timeout=20, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    entries = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[1].isdigit():
            families = tuple(f.strip() for f in parts[2].split(","))
            entries.append((parts[0], int(parts[1]), families, parts[3]))
    return tuple(entries)


def _windows_font_dirs() -> list[Path]:
    """The system's and the user's font folders on Windows; none elsewhere."""
    if sys.platform != "win32":
        return []
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _in_dirs(files: list[str], dirs: list[Path]) -> Iterator[FontFile]:
    for spec in files:
        ff = FontFile.parse(spec)
        for d in dirs:
            if (d / ff.path).is_file():
                yield FontFile(d / ff.path, ff.index)


def candidates(face: str, spec: Mapping, user: Mapping[str, str]) -> Iterator[FontFile]:
    """Files that may hold ``face``, best first: the user's setting, the Windows fonts
    folders (SimSun, FangSong… are the official look), the fonts shipped in
    ``resources/fonts/``, fontconfig."""
    chosen = user.get(face) or os.environ.get(USER_ENV_PREFIX + face.upper())
    if chosen:
        yield FontFile.parse(chosen)
    yield from _in_dirs(spec.get("files", []), _windows_font_dirs())
    yield from _in_dirs(spec.get("files", []), [resource_path("fonts")])
    for family in spec.get("families", []):
        for path, index, families, fmt in _fontconfig_entries():
            if family in families and fmt == "TrueType":
                yield FontFile(Path(path), index)


_LOADED: dict[FontFile, TTFont] = {}
_LOADING = threading.Lock()
"""The window parses fonts in a background thread at start while a preview or export may
run in another: one parse per file, and no two fonts registered under one name."""


def load_font(ff: FontFile) -> TTFont:
    """Parse and register a TrueType font once per run. Parsing a CJK font's tables costs
    0.1–0.5 s; what the parse finds is kept in the user's cache folder (``font_cache``),
    so later runs only read the file."""
    with _LOADING:
        font = _LOADED.get(ff)
        if font is None:
            name = "NB-" + re.sub(r"[^A-Za-z0-9]", "", ff.path.stem)[:24] + f"-{ff.index}"
            name = f"{name}-{len(_LOADED)}"
            font = _new_font(name, ff)
            pdfmetrics.registerFont(font)
            _LOADED[ff] = font
        return font


def _new_font(name: str, ff: FontFile) -> TTFont:
    from app.pdf import font_cache

    face = font_cache.load(ff.path, ff.index)
    if face is None:
        font = TTFont(name, str(ff.path), subfontIndex=ff.index)
        font_cache.store(ff.path, ff.index, font.face)
        return font
    return font_cache.font_of(name, face)


def _has_cjk(font: TTFont) -> bool:
    return all(ord(ch) in font.face.charToGlyph for ch in "政府信息公开年报")


def find_face(face: str, spec: Mapping, user: Mapping[str, str]) -> LoadedFace | None:
    """The first candidate of ``face`` that is a readable TrueType font with Chinese."""
    for ff in candidates(face, spec, user):
        try:
            font = load_font(ff)
        except (TTFError, OSError, ValueError, IndexError, KeyError) as exc:
            if face in user:
                raise FontError(f"设置的{spec.get('label', face)}字体文件“{ff.path}”无法使用"
                                f"（{_reason(exc)}）。请改选 TrueType 字体（.ttf/.ttc）。") from None
            continue
        if _has_cjk(font):
            return LoadedFace(face, spec.get("label", face), font, ff, bool(spec.get("heavy")))
        if face in user:
            raise FontError(f"设置的{spec.get('label', face)}字体文件“{ff.path}”没有中文字形，"
                            "请改选中文字体。")
    return None


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "postscript outlines" in text.lower():
        return "这是 CFF/OpenType 字体，不能嵌入 PDF"
    if isinstance(exc, OSError):
        return "文件不存在或无法读取"
    return "不是可用的 TrueType 字体"


# ------------------------------------------------------------------ the set in use
@dataclass
class FontSet:
    """The faces of the style, loaded when first needed (each costs 0.05–0.15 s), which
    face each role uses, and the characters that no face could print."""
    style: Style
    user: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    """The roles asked for so far: the document's (``stand_ins`` speaks of these only)."""
    _found: dict[str, LoadedFace | None] = field(default_factory=dict)

    def get(self, face: str) -> LoadedFace | None:
        if face not in self._found:
            self._found[face] = find_face(face, self.style.faces[face], self.user)
        return self._found[face]

    def for_role(self, role: str) -> LoadedFace:
        self.used.add(role)
        for face in self.style.role(role)["faces"] + self.style.fallback_order:
            found = self.get(face)
            if found:
                return found
        raise FontError("找不到可以嵌入 PDF 的中文字体。" + INSTALL_HINT)

    def _fallbacks(self, primary: LoadedFace) -> Iterator[LoadedFace]:
        for face in dict.fromkeys(self.style.fallback_order + list(self.style.faces)):
            found = self.get(face)
            if found and found.font is not primary.font:
                yield found

    def runs(self, text: str, role: str, where: str) -> list[tuple[str, LoadedFace]]:
        """``text`` as runs of one face each, the role's face first. When that face lacks
        a character, the whole text is set in the first face that has them all (a line
        mixing faces looks patched); only when no face has them all is the face chosen
        per character; characters no face has are recorded (``raise_if_missing``)."""
        primary = self.for_role(role)
        if all(ch.isspace() or primary.covers(ch) for ch in text):
            return [(text, primary)] if text else []
        for face in self._fallbacks(primary):
            if all(ch.isspace() or face.covers(ch) for ch in text):
                return [(text, face)]
        out: list[tuple[str, LoadedFace]] = []
        for pos, ch in enumerate(text, 1):
            face = self.face_for(ch, primary, where, pos)
            if out and out[-1][1] is face:
                out[-1] = (out[-1][0] + ch, face)
            else:
                out.append((ch, face))
        return out

    def stand_ins(self) -> list[str]:
        """One sentence for each intended face (a used role's first face: 小标宋, 黑体,
        仿宋, 楷体) that is not installed: which face stands in for which roles, and how
        to install the real one."""
        replaced: dict[str, list[str]] = {}
        for role in sorted(self.used, key=list(self.style.data["roles"]).index):
            spec = self.style.role(role)
            face = self.for_role(role)
            if face.face != spec["faces"][0]:
                replaced.setdefault(spec["faces"][0], []).append(role)
        notes = []
        for face_key, used_by in replaced.items():
            spec = self.style.faces[face_key]
            stand = {self.for_role(r).describe() for r in used_by}
            what = "、".join(dict.fromkeys(self.style.role(r)["label"] for r in used_by))
            notes.append(f"本机没有{spec['label']}字体，{what}暂用{'、'.join(sorted(stand))}代替。"
                         f"{spec.get('install', '')}")
        return notes

    def face_for(self, ch: str, primary: LoadedFace, where: str, pos: int) -> LoadedFace:
        if ch.isspace() or primary.covers(ch):
            return primary
        for face in self._fallbacks(primary):
            if face.covers(ch):
                return face
        self.missing.append(f"“{ch}”（U+{ord(ch):04X}，{where}第 {pos} 个字）")
        return primary

    def check_plain(self, text: str, role: str, where: str) -> str:
        """For strings drawn without markup (numbers, page numbers, the watermark): record
        any character the role's face lacks, and return the face's font name."""
        primary = self.for_role(role)
        for pos, ch in enumerate(text, 1):
            if not (ch.isspace() or primary.covers(ch)):
                self.missing.append(f"“{ch}”（U+{ord(ch):04X}，{where}第 {pos} 个字）")
        return primary.name

    def raise_if_missing(self) -> None:
        if not self.missing:
            return
        unique = list(dict.fromkeys(self.missing))
        shown = "；".join(unique[:8])
        more = f"等共 {len(unique)} 处" if len(unique) > 8 else ""
        raise FontError(f"有字无法打印：{shown}{more}。本机已安装的字体都没有这些字，"
                        "导出的 PDF 会缺字，因此没有导出。请改用常用字写法，"
                        "或安装含有这些字的 TrueType 字体后再导出。")


def discover(style: Style, user: Mapping[str, str] | None = None) -> FontSet:
    """The style's fonts; fails at once with install advice when no face is usable."""
    fonts = FontSet(style, dict(user or {}))
    fonts.for_role("body")
    return fonts
