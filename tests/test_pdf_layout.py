"""The PDF as a 公文 (GB/T 9704) measured from the file: characters with their positions.

On both fixtures, an overview whose first paragraph has 600 characters, and a
3,000-character overview of many paragraphs: page 1 has body text; every full page has
22 lines on a pitch of 225 mm / 22; a full line of plain Chinese has 28 characters and
ends at 184.0 mm; no closing punctuation starts a line and no opening one ends it; no
page is less than half used unless it is the last; headings are kept with two lines.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest

from app import exchange
from app.pdf import export_pdf
from app.pdf.linebreak import CANNOT_END, CANNOT_START
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from pdf_layout import BLOCK_LEFT, BLOCK_RIGHT, BLOCK_TOP, MM, PITCH, read_pages

CREATED = dt.datetime(2021, 1, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
COMMON = ("政府信息公开工作年度报告本机关坚持以人民为中心的发展思想全面贯彻落实条例要求"
          "进一步加强组织领导完善制度建设主动拓展公开内容突出重点推动依申请公开规范办理"
          "强化监督保障提升群众满意度深化政务公开标准化规范化建设")
EXTRAS = ["《中华人民共和国政府信息公开条例》", "“放管服”", "（试行）", "2021年", "12.5%",
          "“互联网+政务服务”", "……", "——"]


def chinese(rng: random.Random, length: int) -> str:
    """A paragraph of about ``length`` characters: sentences of ideographs with commas,
    full stops and the quotes, brackets and figures that real reports have."""
    out = ""
    while len(out) < length:
        clause = "".join(rng.choice(COMMON) for _ in range(rng.randint(6, 40)))
        if rng.random() < 0.35:
            cut = rng.randint(1, len(clause) - 1)
            clause = clause[:cut] + rng.choice(EXTRAS) + clause[cut:]
        out += clause + ("。" if rng.random() < 0.4 else "，")
    return out[:length - 1] + "。"


def with_overview(paragraphs: list[int], seed: int):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    rng = random.Random(seed)
    report.texts["overview"] = "\n".join(chinese(rng, n) for n in paragraphs)
    report.date = dt.date(2021, 1, 20)
    return report


def long_first_paragraph():
    return with_overview([600, 120, 80], 1)


def many_paragraphs():
    rng = random.Random(7)
    sizes = [rng.randint(60, 400) for _ in range(14)]
    scale = 3000 / sum(sizes)
    return with_overview([max(20, round(n * scale)) for n in sizes], 2)


REPORTS = {
    "zunhuadian": lambda: exchange.read_file(ZUNHUADIAN_JSON),
    "pingtan": lambda: exchange.read_file(PINGTAN_JSON),
    "first-paragraph-600": long_first_paragraph,
    "overview-3000": many_paragraphs,
}


@pytest.fixture(scope="module", params=list(REPORTS))
def printed(request, tmp_path_factory):
    report = REPORTS[request.param]()
    path = tmp_path_factory.mktemp("layout") / f"{request.param}.pdf"
    export_pdf(report, path, created=CREATED)
    return report, read_pages(path)


def grid_offset(size: float) -> float:
    """Block top to the baseline of a line of ``size`` on the first grid line."""
    return (PITCH - size) / 2 + 0.88 * size


def test_page_one_has_body_text(printed):
    _, pages = printed
    body = [ln for ln in pages[0].body() if ln.size < 17]
    assert len(body) >= 5, [ln.text for ln in pages[0].lines]


def slot(line) -> float:
    """Which grid line (0 … 21) ``line`` sits on, from its baseline and size."""
    return (BLOCK_TOP - line.baseline - grid_offset(line.size)) / PITCH


def test_text_lines_sit_on_the_grid_and_full_pages_hold_22(printed):
    _, pages = printed
    assert 28.9 <= PITCH <= 29.0
    for page in pages:
        slots = [slot(line) for line in page.body()]
        for line, at in zip(page.body(), slots):
            assert abs(at - round(at)) < 0.01, (page.number, line.text, at)
            assert 0 <= round(at) < 22
        if page.has_table or page is pages[-1]:
            continue
        body = page.body()
        if page.number > 1:
            assert len(body) == 22, (page.number, [ln.text for ln in body])
        steps = [round(b - a) for a, b in zip(slots, slots[1:])]
        assert set(steps) <= {1, 2}, steps              # 2: the blank line under the title
        assert round(slots[0]) == 0 and round(slots[-1]) == 21, f"page {page.number} not full"
        pitches = [a.baseline - b.baseline for a, b in zip(body, body[1:]) if a.size == b.size]
        assert all(28.9 <= p <= 29.0 or 57.8 <= p <= 58.0 for p in pitches), pitches


def _continued(pages):
    """(line, next line) pairs of the text grid in reading order, across pages."""
    lines = [ln for p in pages for ln in p.body() if ln.size < 17]
    return zip(lines, lines[1:])


def pushed(after) -> bool:
    """The next line begins with a cluster that the line-break rules keep whole (a
    character and the closing mark after it, an opening mark and its character, a
    figure, a dash or an ellipsis): a line may then hold one character less."""
    text = after.text
    return (text[0] in CANNOT_END or text[1:2] in tuple(CANNOT_START) or text[0].isascii()
            or text[:2] in ("——", "……"))


def test_lines_are_justified_and_full_lines_hold_28_characters(printed):
    _, pages = printed
    full = 0
    for line, after in _continued(pages):
        if abs(after.x0 - BLOCK_LEFT) > 0.5:       # the next line starts a paragraph
            continue
        assert abs(line.x1 / MM - 184.0) <= 0.5, (line.text, line.x1 / MM)
        plain = all(abs(c.x1 - c.x0 - c.size) < 0.01 for c in line.chars)   # full-width only
        if plain and abs(line.x0 - BLOCK_LEFT) < 0.5:
            assert len(line.text) == 28 or (len(line.text) >= 25 and pushed(after)), \
                (line.text, after.text)
            full += len(line.text) == 28
    assert full >= 1


def test_no_closing_punctuation_starts_a_line_and_no_opening_one_ends_it(printed):
    _, pages = printed
    for page in pages:
        for line in page.lines:
            assert line.text[0] not in CANNOT_START, (page.number, line.text)
            assert line.text[-1] not in CANNOT_END, (page.number, line.text)


def test_no_page_is_less_than_half_used_unless_it_is_the_last(printed):
    _, pages = printed
    half = (BLOCK_TOP - 35 * MM) / 2
    for page in pages[:-1]:
        assert BLOCK_TOP - page.lowest >= half, (page.number, (BLOCK_TOP - page.lowest) / MM)


def test_headings_are_kept_with_two_lines_and_never_end_a_page(printed):
    """A heading has two lines of text, or its table's first rows, below it on its page."""
    report, pages = printed
    headings = {s.heading for s in report.format.sections}
    for page in pages:
        for line in page.body():
            if line.text in headings:
                assert page.lowest <= line.baseline - 1.5 * PITCH, (page.number, line.text)


def test_signature_one_blank_line_below_the_text(printed):
    report, pages = printed
    body = pages[-1].body()
    organ = next(i for i, ln in enumerate(body) if ln.text == report.organ)
    assert organ > 0, "the signature is alone on its page"
    assert body[organ - 1].baseline - body[organ].baseline == pytest.approx(2 * PITCH, abs=0.05)
    if report.date:
        date = body[organ + 1]
        assert date.baseline == pytest.approx(body[organ].baseline - PITCH, abs=0.05)
        assert date.x1 <= BLOCK_RIGHT + 0.5


def test_long_organ_title_breaks_between_words(tmp_path):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    report.organ = "某某省某某市某某经济技术开发区管理委员会某某街道办事处"
    path = tmp_path / "t.pdf"
    export_pdf(report, path, created=CREATED)
    title = [ln.text for ln in read_pages(path)[0].lines if ln.size > 20]
    assert title == ["某某省某某市某某经济技术开发区", "管理委员会某某街道办事处",
                     "2020年政府信息公开工作年度报告"]
