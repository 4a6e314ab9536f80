"""Where Chinese lines may break (GB/T 15834 and common 公文 practice), free of reportlab.

- Closing punctuation (，。、；：！？）》”’…) never starts a line and opening punctuation
  (《（“‘〔【) never ends one: each is glued to its neighbour in a *cluster*, and lines
  break only between clusters; a line that would break badly gives its last cluster to
  the next line and is justified (its gaps widen a little).
- A number or a Latin word (``2020``, ``12.5%``, ``GB/T``) is one cluster, so a figure
  is never cut; a cluster wider than a whole line is cut by characters (a long web
  address).
- The title breaks between words: after the organ's administrative units (…开发区 /
  管理委员会…), or before the year and 政府信息公开…, never inside a word.

Every function takes the width of a string as a callable, so the same rules serve any
font and are tested without one. Filling is one pass over the text: linear in its length.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

CANNOT_START = "，。、；：！？）》」』】〕〉”’…％·,.;:!?)]}%"
CANNOT_END = "《（“‘〔【「『〈([{"
_UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/%\-_@+#&=~]*|——|……")

Width = Callable[[str], float]


def clusters(text: str) -> list[str]:
    """``text`` cut into the pieces that a line break may fall between."""
    pieces: list[str] = []
    glue_next = False
    pos = 0
    while pos < len(text):
        m = _UNBREAKABLE.match(text, pos)
        if m:
            piece = m.group(0)
            # a Latin word swallows trailing full stops and commas: they must not start a line
            if piece[0].isalnum():
                stripped = piece.rstrip(".,:")
                piece = stripped or piece
        else:
            piece = text[pos]
        pos += len(piece)
        if pieces and (glue_next or piece[0] in CANNOT_START):
            pieces[-1] += piece
        else:
            pieces.append(piece)
        glue_next = piece[-1] in CANNOT_END
    return pieces


def fill(pieces: Iterable[str], width_of: Width, first: float, rest: float,
         gap: float = 0.0) -> list[str]:
    """Lines (as strings) holding the clusters greedily: the first line ``first`` wide,
    the others ``rest``. ``gap`` is the spacing after each character (negative to tighten
    so that 28 characters fill a line), counted between characters only."""
    lines: list[str] = []
    line, used, room = "", 0.0, first
    for piece in pieces:
        advance = width_of(piece) + gap * len(piece)
        if line and used + advance - gap > room + 1e-6:
            lines.append(line)
            line, used, room = "", 0.0, rest
        if not line and advance - gap > room + 1e-6 and len(piece) > 1:
            # wider than a whole line (a long web address): cut it by characters
            parts = _cut(piece, width_of, room, rest, gap)
            lines += parts[:-1]
            room = rest if len(parts) > 1 else room
            piece = parts[-1]
            advance = width_of(piece) + gap * len(piece)
        line += piece
        used += advance
    if line:
        lines.append(line)
    return lines


def _cut(piece: str, width_of: Width, room: float, rest: float, gap: float) -> list[str]:
    out, line = [], ""
    for ch in piece:
        if line and width_of(line + ch) + gap * len(line) > room + 1e-6:
            out.append(line)
            line, room = "", rest
        line += ch
    out.append(line)
    return out


# ------------------------------------------------------------------ the title
_UNIT = re.compile(
    r"管理委员会|委员会|管委会|人民政府|办公室|办公厅|街道办事处|开发区|自治区|自治州|自治县|"
    r"新区|街道|示范区|试验区|园区|省|市|州|盟|县|旗|区|镇|乡|局|厅|署|中心")


def title_breaks(title: str, organ: str) -> tuple[set[int], set[int]]:
    """Where the title may break: (good, fair). Good: after the organ (before the year)
    and before 政府信息公开; fair: after an administrative unit inside the organ."""
    good = set()
    if organ and title.startswith(organ):
        good.add(len(organ))
    at = title.find("政府信息公开")
    if at > 0:
        good.add(at)
    fair = {m.end() for m in _UNIT.finditer(organ) if 0 < m.end() < len(organ)} - good
    return good, fair


def title_lines(title: str, organ: str, width_of: Width, width: float) -> list[str]:
    """The title in as few lines as fit ``width``, broken only between words, preferring
    the good breaks and lines of even length; by characters only when no word break fits
    (an organ name longer than a line with no unit in it)."""
    if width_of(title) <= width:
        return [title]
    good, fair = title_breaks(title, organ)
    points = sorted(good | fair)
    best: tuple | None = None
    for cut in _break_sets(points, len(title)):
        lines = [title[a:b] for a, b in zip((0, *cut), (*cut, len(title)))]
        widths = [width_of(line) for line in lines]
        if max(widths) > width:
            continue
        cost = (len(lines), sum(p in fair for p in cut), max(widths) - min(widths))
        if best is None or cost < best[0]:
            best = (cost, lines)
    if best is not None:
        return best[1]
    return fill(clusters(title), width_of, width, width)


def _break_sets(points: list[int], end: int, most: int = 4) -> Iterable[tuple[int, ...]]:
    """Every choice of up to ``most`` break points (titles have a handful of points)."""
    from itertools import combinations

    points = [p for p in points if 0 < p < end][:12]
    for n in range(1, min(most, len(points)) + 1):
        yield from combinations(points, n)
