"""The exported PDF as the district office receives it: embedded fonts, text that copies in
table order, the data inside, metadata, draft watermark, page numbers."""
from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

import pytest

from app import exchange
from app.pdf import NotNianbaoPdf, PdfError, default_filename, export_pdf, read_embedded_report, render_pdf
from app.pdf.fonts import discover
from app.pdf.style import load_style
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from factories import consistent_report
from pdf_helpers import check_tables_in_order, gb2312_song, pdffonts, pdfinfo, pdftotext, printed, squash

CREATED = dt.datetime(2021, 1, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def zunhuadian(tmp_path_factory):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    path = tmp_path_factory.mktemp("pdf") / default_filename(report)
    export_pdf(report, path, created=CREATED)
    return report, path


@pytest.fixture(scope="module", params=["2019", "2021"])
def big(request, tmp_path_factory):
    """Large numbers (up to 10 digits, money up to 12 digits with 0–6 decimals) in every
    cell of the format, and all rules satisfied, so the final export is allowed."""
    report = consistent_report(request.param, random.Random(4), big=True)
    report.date = dt.date(2025, 1, 20)
    path = tmp_path_factory.mktemp("pdf") / f"big-{request.param}.pdf"
    export_pdf(report, path, created=CREATED)
    return report, path


def test_zunhuadian_fonts_all_embedded_subsets(zunhuadian):
    fonts = pdffonts(zunhuadian[1])
    assert fonts, "no fonts listed"
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", font["line"]
        assert "Helvetica" not in font["name"]


def test_zunhuadian_text_has_every_label_and_number_in_table_order(zunhuadian):
    report, path = zunhuadian
    text = pdftotext(path)
    check_tables_in_order(text, report)
    flat = squash(text)
    assert squash(report.title) in flat
    assert "4.0930" in flat                      # 4.093 万元, padded to 4 decimals
    assert "采购总金额（单位：万元）" in flat       # label unchanged, unit on its own line


def test_zunhuadian_texts_copy_exactly(zunhuadian):
    report, path = zunhuadian
    flat = re.sub(r"—\d+—", "", squash(pdftotext(path)))      # without the page numbers
    for key in ("overview", "problems", "other"):
        for para in report.texts[key].splitlines():
            assert squash(para) in flat


def test_zunhuadian_round_trip_gives_the_exported_bytes(zunhuadian):
    report, path = zunhuadian
    data = read_embedded_report(path)
    assert data == ZUNHUADIAN_JSON.read_bytes()
    assert data == exchange.dumps(report).encode("utf-8")


def test_metadata_title_author_subject_date(zunhuadian):
    report, path = zunhuadian
    info = pdfinfo(path)
    assert info["Title"] == report.title
    assert info["Author"] == report.organ
    assert "政府信息公开工作年度报告" in info["Subject"]
    assert "2021" in info["CreationDate"] and "Jan 15" in info["CreationDate"]
    assert info["Page size"].startswith("595.276 x 841.89")        # A4


def test_page_numbers_on_every_page(zunhuadian):
    path = zunhuadian[1]
    pages = int(pdfinfo(path)["Pages"])
    assert pages >= 3
    for page in range(1, pages + 1):
        assert f"— {page} —" in pdftotext(path, page)


def test_big_numbers_every_label_and_number_in_order(big):
    report, path = big
    check_tables_in_order(pdftotext(path), report)


def test_big_numbers_money_printed_with_at_least_four_decimals(big):
    report, path = big
    flat = squash(pdftotext(path))
    for value in report.cells.values():
        if isinstance(value, Decimal):
            text = printed(value)
            assert len(text.split(".")[1]) >= 4 and Decimal(text) == value
            assert text in flat


def test_big_numbers_fonts_embedded_and_round_trip(big):
    report, path = big
    assert all(f["emb"] == "yes" for f in pdffonts(path))
    assert exchange.loads_bytes(read_embedded_report(path)).cells == report.cells


def test_big_numbers_signature_with_chinese_date(big):
    report, path = big
    flat = squash(pdftotext(path))
    assert flat.rstrip("—0123456789").endswith("测试镇人民政府2025年1月20日")


def test_requests_table_repeats_its_header_on_every_page_it_reaches(tmp_path):
    report = exchange.read_file(PINGTAN_JSON)
    path = tmp_path / "p.pdf"
    export_pdf(report, path, created=CREATED)
    pages = int(pdfinfo(path)["Pages"])
    table_rows = [squash(r.label) for r in report.format.tables["requests"].rows]
    reached = [p for p in range(1, pages + 1)
               if any(label in squash(pdftotext(path, p)) for label in table_rows[2:])]
    assert len(reached) == 2, "this report's table is expected to break across pages"
    for p in reached:
        page = squash(pdftotext(path, p))
        assert "申请人情况" in page and "法人或其他组织" in page and "商业企业" in page
        assert "本列数据的勾稽关系" in page


def test_same_report_same_creation_date_same_bytes():
    report = exchange.read_file(ZUNHUADIAN_JSON)
    assert render_pdf(report, created=CREATED) == render_pdf(report, created=CREATED)


def test_draft_has_watermark_on_every_page(tmp_path):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    report.cells[("requests", "new", "total")] = None       # not filled in: an error
    path = tmp_path / "draft.pdf"
    export_pdf(report, path, draft=True)
    pages = int(pdfinfo(path)["Pages"])
    for page in range(1, pages + 1):
        assert squash(pdftotext(path, page)).startswith("草稿")      # under the text
    assert "草稿" in pdfinfo(path)["Subject"]


def test_final_export_has_no_watermark(zunhuadian):
    assert "草稿" not in pdftotext(zunhuadian[1])


def test_character_missing_from_the_main_font_comes_from_another(tmp_path):
    setting = gb2312_song()
    if setting is None:
        pytest.skip("AR PL SungtiL GB (fonts-arphic-gbsn00lp) not installed")
    report = exchange.read_file(ZUNHUADIAN_JSON)
    report.organ = "堃乡人民政府"          # 堃 is outside GB2312
    path = tmp_path / "x.pdf"
    export_pdf(report, path, fonts=setting)
    fonts = discover(load_style(), setting)
    body = fonts.for_role("body")
    other = next(f for f in fonts._fallbacks(body) if f.covers("堃"))
    assert any(other.font.face.name.decode() in f["name"] for f in pdffonts(path))
    assert "堃乡人民政府" in squash(pdftotext(path))
    assert all(f["emb"] == "yes" for f in pdffonts(path))


def test_character_no_font_has_is_named_with_its_place(tmp_path):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    rare = "\U0010FFFD"                    # a private-use code point no font draws
    report.texts["problems"] = "第一段。\n存在的问题" + rare + "较多。"
    with pytest.raises(PdfError) as exc:
        export_pdf(report, tmp_path / "x.pdf")
    msg = str(exc.value)
    assert rare in msg and "U+10FFFD" in msg
    assert "五、存在的主要问题及改进情况 第 2 段" in msg and "第 6 个字" in msg
    assert not (tmp_path / "x.pdf").exists()


def test_default_filename():
    report = exchange.read_file(ZUNHUADIAN_JSON)
    assert default_filename(report) == "平顶山高新技术产业开发区遵化店镇2020年政府信息公开工作年度报告.pdf"
    report.organ = 'A/B:C*?"<>|镇'
    assert not re.search(r'[\\/:*?"<>|]', default_filename(report))


def test_pdf_not_made_by_nianbao_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    other = tmp_path / "other.pdf"
    c = canvas.Canvas(str(other))
    c.drawString(100, 700, "hello")
    c.save()
    with pytest.raises(NotNianbaoPdf) as exc:
        read_embedded_report(other)
    assert "不是由 nianbao 导出的 PDF" in str(exc.value)


def test_not_a_pdf_and_missing_file(tmp_path):
    text = tmp_path / "r.pdf"
    text.write_text("not a pdf", encoding="utf-8")
    with pytest.raises(NotNianbaoPdf, match="不是 PDF 文件"):
        read_embedded_report(text)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    with pytest.raises(NotNianbaoPdf):
        read_embedded_report(broken)
    with pytest.raises(PdfError, match="找不到文件"):
        read_embedded_report(tmp_path / "none.pdf")


def test_unwritable_target_gives_a_message(tmp_path):
    report = exchange.read_file(ZUNHUADIAN_JSON)
    with pytest.raises(PdfError, match="文件夹不存在"):
        export_pdf(report, tmp_path / "no" / "such" / "x.pdf")


@pytest.mark.parametrize("source", [ZUNHUADIAN_JSON, PINGTAN_JSON])
def test_no_line_starts_with_closing_punctuation(source, tmp_path):
    """Chinese typesetting keeps ，。、；：！？ and closing quotes at the end of a line."""
    path = tmp_path / "x.pdf"
    export_pdf(exchange.read_file(source), path)
    bad = [line for line in pdftotext(path).splitlines() if line and line[0] in "，。、；：！？）》”’"]
    assert not bad


def test_big_numbers_each_printed_on_one_line(big):
    """Up to 10 digits, a number is never broken over two lines of its cell."""
    report, path = big
    raw = pdftotext(path)
    for ref, value in report.cells.items():
        text = printed(value)
        if len(text.replace(".", "").lstrip("-")) <= 10:
            assert text in raw, f"{ref} {text} broken or missing"


def test_signature_never_alone_on_the_last_page(big):
    report, path = big
    pages = int(pdfinfo(path)["Pages"])
    last = squash(pdftotext(path, pages))
    assert report.organ in last
    body = last.replace(report.organ, "").replace("2025年1月20日", "")
    assert len(re.sub(r"—\d+—", "", body)) > 10


def test_very_long_organ_still_lays_out(tmp_path):
    """A title and signature taller than a page once made the layout loop forever."""
    report = exchange.read_file(ZUNHUADIAN_JSON)
    report.organ = "某" * 600
    report.date = dt.date(2021, 1, 15)
    path = tmp_path / "x.pdf"
    export_pdf(report, path)
    flat = re.sub(r"—\d+—", "", squash(pdftotext(path)))
    assert flat.count("某" * 600) == 2 and "2021年1月15日" in flat     # title and signature


def test_text_copies_without_stray_spaces(tmp_path):
    """The 平潭 report has 〇 (not in the GB2312 font): its paragraph is set in a fuller
    face as a whole, and copying gives back the text with no space added anywhere."""
    report = exchange.read_file(PINGTAN_JSON)
    path = tmp_path / "p.pdf"
    export_pdf(report, path, fonts=gb2312_song())
    lines = [line for line in pdftotext(path).replace("\f", "\n").splitlines()
             if not re.fullmatch(r"— \d+ —", line)]
    joined = "".join(lines)
    for key in ("overview", "problems", "other"):
        for para in report.texts[key].splitlines():
            assert para.strip() in joined
