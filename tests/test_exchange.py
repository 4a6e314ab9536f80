"""The exchange file: exact round trips, and clear errors for everything else."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import exchange
from app.exchange import ExchangeError
from app.report import Report
from conftest import PINGTAN_JSON, REPORTS, ZUNHUADIAN_JSON


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.json")), ids=lambda p: p.name)
def test_fixture_writes_back_byte_identical(path):
    report = exchange.read_file(path)
    assert exchange.dumps(report).encode("utf-8") == path.read_bytes()


def test_money_is_exact_decimal_and_counts_int():
    zun = exchange.read_file(ZUNHUADIAN_JSON)
    assert zun.cells[("active", "procurement", "amount")] == Decimal("4.093")
    assert zun.cells[("active", "procurement", "projects")] == 12
    assert type(zun.cells[("active", "procurement", "projects")]) is int
    ping = exchange.read_file(PINGTAN_JSON)
    assert ping.cells[("active", "fees", "amount")] == Decimal("24252.311082")


def test_blank_report_chooses_format_by_year_and_has_every_cell_empty():
    r2020 = Report.blank("某某镇人民政府", 2020)
    r2026 = Report.blank("某某镇人民政府", 2026)
    assert (r2020.version, r2026.version) == ("2019", "2021")
    assert all(v is None for v in r2026.cells.values())
    data = json.loads(exchange.dumps(r2026))
    assert data["tables"]["requests"]["other_misc"]["natural"] is None
    assert data["texts"] == {"overview": "", "problems": "", "other": ""}
    assert exchange.loads(exchange.dumps(r2026)).cells == r2026.cells


def _fixture_dict():
    return json.loads(ZUNHUADIAN_JSON.read_text(encoding="utf-8"))


def _error_for(obj) -> str:
    with pytest.raises(ExchangeError) as info:
        exchange.loads(json.dumps(obj, ensure_ascii=False))
    return str(info.value)


def test_full_width_count_is_named():
    d = _fixture_dict()
    d["tables"]["requests"]["new"]["natural"] = "１２"
    assert _error_for(d) == "“tables.requests.new.natural” 应为整数，实际为 字符串 “１２”"


def test_float_money_is_named():
    d = _fixture_dict()
    d["tables"]["active"]["procurement"]["amount"] = 4.093
    assert _error_for(d) == ("“tables.active.procurement.amount” 是金额，应写成字符串"
                             "（如 \"4.093\"，单位万元），实际为 小数 4.093")


def test_unknown_and_missing_keys_are_named():
    d = _fixture_dict()
    d["tables"]["requests"]["new"]["robots"] = 1
    assert _error_for(d).startswith("未知的键 “tables.requests.new.robots”")
    d = _fixture_dict()
    del d["tables"]["appeals"]["litigation_after"]["pending"]
    assert _error_for(d) == "缺少键 “tables.appeals.litigation_after.pending”"
    d = _fixture_dict()
    d["extra"] = 1
    assert _error_for(d).startswith("未知的键 “extra”")


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.update(schema="other/1"), "“schema” 为 字符串 “other/1”"),
    (lambda d: d.update(format="2020"), "“format” 为 字符串 “2020”，应为 “2019” 或 “2021”"),
    (lambda d: d.update(year="2020"), "“year” 应为整数年份，实际为 字符串 “2020”"),
    (lambda d: d.update(date="2020/12/31"), "“date” 应为 YYYY-MM-DD 格式的日期或 null"),
    (lambda d: d["texts"].update(overview=None), "“texts.overview” 应为文字，实际为 null"),
    (lambda d: d["tables"]["requests"]["new"].update(natural=True), "实际为 布尔值 true"),
    (lambda d: d["tables"]["requests"]["new"].update(natural=1.0), "实际为 小数 1.0"),
    (lambda d: d["tables"]["active"]["procurement"].update(amount="4.093万"), "应为万元金额的数字字符串"),
    (lambda d: d["tables"]["active"]["procurement"].update(amount="1e3"), "应为万元金额的数字字符串"),
    (lambda d: d["tables"].update(requests=[]), "“tables.requests” 应为对象，实际为 数组 […]"),
])
def test_wrong_shapes_are_explained(mutate, expected):
    d = _fixture_dict()
    mutate(d)
    assert expected in _error_for(d)


@pytest.mark.parametrize("content, expected", [
    (b"", "文件是空的"),
    (b"  \n", "文件是空的"),
    (b"\xff\xfe\x00garbage", "不是 UTF-8"),
    (b"{\"schema\": ", "不是有效的 JSON（第 1 行第 12 列有误）"),
    (b"[1, 2, 3]", "最外层应为 JSON 对象"),
    (b"{\"a\": NaN}", "NaN"),
    (b"[" * 100000 + b"]" * 100000, "JSON"),
])
def test_bad_files(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ExchangeError) as info:
        exchange.read_file(path)
    assert expected in str(info.value)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(ExchangeError) as info:
        exchange.read_file(path)
    assert str(info.value).startswith("文件过大（50.0 MB）")


def test_missing_file(tmp_path):
    with pytest.raises(ExchangeError, match="找不到文件"):
        exchange.read_file(tmp_path / "nope.json")
    with pytest.raises(ExchangeError, match="是一个文件夹"):
        exchange.read_file(tmp_path)


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + ZUNHUADIAN_JSON.read_bytes())
    assert exchange.read_file(path).organ == "平顶山高新技术产业开发区遵化店镇"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(path=st.lists(st.sampled_from(["tables", "requests", "new", "natural", "texts", "active",
                                      "fees", "amount", "year", "date", "format", "organ"]),
                     min_size=1, max_size=4),
       value=JSON_VALUES)
def test_any_damage_to_a_report_is_an_exchange_error_never_a_crash(path, value):
    """Replace any part of a good report by any JSON value: it loads or says why, in Chinese."""
    d = _fixture_dict()
    node = d
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return
    node[path[-1]] = value
    try:
        exchange.loads(json.dumps(d, ensure_ascii=False))
    except ExchangeError as exc:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_are_refused_in_chinese(data):
    with pytest.raises(ExchangeError) as info:
        exchange.loads_bytes(data)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


@pytest.mark.parametrize("count, organ, expected", [
    (10**12 - 1, "甲镇", None),
    (10**12, "甲镇", "“tables.requests.new.natural” 数字过大：最多 12 位，实际为 整数 1000000000000"),
    (-(10**12), "甲镇", "“tables.requests.new.natural” 数字过大：最多 12 位，实际为 整数 -1000000000000"),
    (True, "甲镇", "“tables.requests.new.natural” 应为整数，实际为 布尔值 true"),
    (5, "\\ud83d\\ude00镇", None),                    # an escaped pair: one character
    (5, "\\ud83d镇", "键 “organ” 处有无效的字符编码"),
    (10**25, "甲镇", "JSON 中有一个 26 位的数字"),                  # too long for a report's number
    (5, "甲镇123456789012345678901", None),          # a long run of digits in a text: read as it is
])
def test_the_usual_files_quick_reading_refuses_what_the_careful_one_does(count, organ, expected):
    """Counts, sizes and escapes on the quick path (a text with nothing risky) and the
    careful one (an escaped surrogate) give the same values and the same refusals."""
    data = json.loads(ZUNHUADIAN_JSON.read_text(encoding="utf-8"))
    data["tables"]["requests"]["new"]["natural"] = count
    text = json.dumps(data, ensure_ascii=False).replace('"organ": "' + data["organ"], f'"organ": "{organ}')
    if expected is None:
        report = exchange.loads(text)
        assert report.cells[("requests", "new", "natural")] == count
        assert report.organ == json.loads(f'"{organ}"')
        assert report.cells == exchange.loads(text.replace("甲镇", "\\u7532镇")).cells
    else:
        with pytest.raises(ExchangeError, match=re.escape(expected)):
            exchange.loads(text)
