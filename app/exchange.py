"""The JSON exchange file of the spec: strict reading, byte-stable writing.

Reading is strict because the file travels between townships and the district: a missing
or unknown key, a float for money or a string for a count is an error that names the key,
never a guess. Writing always gives the same bytes for the same report (keys in format
order, 2-space indent, non-ASCII unescaped, one final newline).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.files import FileReadError, read_limited, write_bytes
from app.formats import VERSIONS, Format, load_format
from app.numbers import MAX_COUNT_DIGITS, money_to_str, quoted, size_problem
from app.report import TEXT_KEYS, Report, Value

SCHEMA = "nianbao.report/1"
MAX_BYTES = 5 * 1024 * 1024
HEADER_KEYS = ("schema", "format", "year", "organ", "date", "texts", "tables")


class ExchangeError(ValueError):
    """The file is not a readable report; the message (Chinese) says what and where."""


# ------------------------------------------------------------------ writing
def to_dict(report: Report) -> dict[str, Any]:
    """The report as the exchange object, keys in the order of the spec and format."""
    tables: dict[str, Any] = {}
    for table in report.format.tables.values():
        tables[table.key] = {
            row.key: {col: _cell_out(report.cells[(table.key, row.key, col)]) for col in row.columns}
            for row in table.rows
        }
    return {
        "schema": SCHEMA,
        "format": report.version,
        "year": report.year,
        "organ": report.organ,
        "date": report.date.isoformat() if report.date else None,
        "texts": {k: report.texts.get(k, "") for k in TEXT_KEYS},
        "tables": tables,
    }


def _cell_out(value: Value) -> Any:
    return money_to_str(value) if isinstance(value, Decimal) else value


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def encode(report: Report) -> bytes:
    """The file's bytes; ``ExchangeError`` when a reader would refuse them (texts of
    megabytes, a control character), so that no file is written that ``read_file`` then
    refuses."""
    data = dumps(report).encode("utf-8", "backslashreplace")
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"年报数据有 {len(data) / 1024 / 1024:.1f} MB，超过年报数据文件的上限 "
                            f"{MAX_BYTES // 1024 // 1024} MB（正文是否过长？），没有写入")
    try:
        loads_bytes(data)   # a few ms: what is written can always be read back
    except ExchangeError as exc:
        raise ExchangeError(f"{exc}：这样的数据写成文件后无法再读取，没有写入") from None
    return data


def write_file(report: Report, path: str | Path) -> None:
    """Write the exchange file with the program's one writer (``app.files``): an earlier
    file stays whole if the disk is full. Raises ``ExchangeError`` (too large) or
    ``OSError`` with a Chinese ``strerror``."""
    write_bytes(Path(path), encode(report))


# ------------------------------------------------------------------ reading
def read_file(path: str | Path) -> Report:
    """Read a report file; every problem becomes an ``ExchangeError`` in Chinese.

    The messages never name the file: whoever shows them (CLI, dialog, aggregate list)
    puts the file name in front, once."""
    try:
        data = read_limited(Path(path), MAX_BYTES, "年报数据文件（年报数据文件通常只有几十 KB）")
    except FileReadError as exc:
        raise ExchangeError(str(exc)) from None
    return loads_bytes(data)


def loads_bytes(data: bytes) -> Report:
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"数据过大（{len(data) / 1024 / 1024:.1f} MB），不是年报数据文件")
    if not data.strip():
        raise ExchangeError("文件是空的，不是年报数据文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeError("文件不是 UTF-8 编码的文本，不是年报数据文件") from None
    return loads(text)


def loads(text: str) -> Report:
    return from_dict(parse_json(text))


def parse_json(text: str) -> Any:
    """JSON as every reader of the program's files takes it: money exact (``Decimal``),
    and refused in Chinese (``ExchangeError``) what could not be read without a guess or
    a crash: the same key twice, a number of thousands of digits, a lone surrogate."""
    # The usual file (no escaped surrogate, no run of 21 digits) is read with the checks
    # that cannot fail on it left out: a per-value Python call each made reading 1,000
    # reports ~0.2 s slower. The same key twice is still refused (``_object_fast``).
    usual = _usual(text)
    try:
        return json.loads(text, parse_float=Decimal, parse_int=None if usual else _int,
                          parse_constant=_no_constant,
                          object_pairs_hook=_object_fast if usual else _object_of)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列有误），"
                            "不是年报数据文件") from None
    except RecursionError:
        raise ExchangeError("JSON 嵌套过深，不是年报数据文件") from None


def _no_constant(name: str) -> Any:
    raise ExchangeError(f"JSON 中出现了 {name}，这不是合法的数值")


def _int(digits: str) -> int:
    """Python refuses to convert more than 4,300 digits; no real number has 20."""
    if len(digits.lstrip("-")) > 20:
        raise ExchangeError(f"JSON 中有一个 {len(digits.lstrip('-'))} 位的数字，"
                            "不可能是年报中的数，不是年报数据文件")
    return int(digits)


def _usual(text: str) -> bool:
    """Nothing that ``_int`` and ``_object_of`` look for: no escaped surrogate (a pair is
    fine, a lone one is not), no lone surrogate, no run of more than 20 digits (JSON's
    digits are ASCII; in a string too, to be simple). The digits are looked for in the
    UTF-8 bytes, every digit made a 0 by one ``translate``: a regex over the text took
    ~80 µs a report (now ~13 µs)."""
    if "\\u" in text and _ESCAPED_SURROGATE.search(text):
        return False
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:   # a lone surrogate
        return False
    return b"0" * 21 not in data.translate(_DIGITS_AS_ZERO)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


def _object_fast(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``_object_of`` for a text without escaped surrogates: only the same key twice."""
    obj = dict(pairs)
    return obj if len(obj) == len(pairs) else _object_of(pairs)


def _object_of(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing what a reader could not tell apart: the same key twice
    (which one counts?) and text with an invalid character (a lone ``\\ud800``)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ExchangeError(f"键 “{_printable(key)}” 出现了两次，不知道该用哪一个：请删去多余的一个")
        for text in (key, value):
            if isinstance(text, str) and not _encodable(text):
                raise ExchangeError(f"键 “{_printable(key)}” 处有无效的字符编码（单独的 UTF-16 "
                                    "代理项，如 \\ud800），不是合法的文字")
        obj[key] = value
    return obj


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable_all(text: str) -> str:
    """Text as it can be shown: a lone surrogate or control character as ``\\ud800``."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL_IN_NAME.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _printable(text: str) -> str:
    return quoted(_printable_all(text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")


def _no_control(value: str, key: str, pattern: re.Pattern = _CONTROL) -> str:
    """Control characters cannot be printed (nor written to Word or a spreadsheet), and a
    lone surrogate cannot even be saved."""
    m = pattern.search(value)
    if m:
        raise ExchangeError(f"“{key}” 中有控制字符（\\x{ord(m.group()):02x}，第 {m.start() + 1} 个字），"
                            "不是正常的文字")
    if not _encodable(value):
        raise ExchangeError(f"“{key}” 中有无效的字符编码（单独的 UTF-16 代理项），不是合法的文字")
    return value


def check_texts(report: Report) -> None:
    """The checks reading applies to the organ and the texts, for what is about to be
    written (the store refuses to save what it could not load again)."""
    _no_control(report.organ, "organ", _CONTROL_IN_NAME)
    for key, text in report.texts.items():
        _no_control(text, f"texts.{key}")


def from_dict(obj: Any) -> Report:
    if not isinstance(obj, dict):
        raise ExchangeError("文件内容不是一份年报：最外层应为 JSON 对象 {…}")
    if "schema" not in obj:
        raise ExchangeError("缺少键 “schema”：这不是 nianbao 年报数据文件")
    if obj["schema"] != SCHEMA:
        raise ExchangeError(f"“schema” 为 {_show(obj['schema'])}，应为 “{SCHEMA}”："
                            "不是本程序能读的年报数据文件")
    _check_keys(obj, HEADER_KEYS, "")
    version = obj["format"]
    if version not in VERSIONS:
        raise ExchangeError(f"“format” 为 {_show(version)}，应为 "
                            + " 或 ".join(f"“{v}”" for v in VERSIONS))
    fmt = load_format(version)
    year = obj["year"]
    if type(year) is not int:
        raise ExchangeError(f"“year” 应为整数年份，实际为 {_show(year)}")
    organ = obj["organ"]
    if not isinstance(organ, str):
        raise ExchangeError(f"“organ” 应为文字，实际为 {_show(organ)}")
    _no_control(organ, "organ", _CONTROL_IN_NAME)
    return Report(format=fmt, year=year, organ=organ, date=_date(obj["date"]),
                  texts=_texts(obj["texts"]), cells=_cells(fmt, obj["tables"]))


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: Any) -> dt.date:
    raise ExchangeError(f"“date” 应为 YYYY-MM-DD 格式的日期或 null，实际为 {_show(value)}")


def _texts(obj: Any) -> dict[str, str]:
    if not isinstance(obj, dict):
        raise ExchangeError(f"“texts” 应为对象，实际为 {_show(obj)}")
    _check_keys(obj, TEXT_KEYS, "texts.")
    for key in TEXT_KEYS:
        if not isinstance(obj[key], str):
            raise ExchangeError(f"“texts.{key}” 应为文字，实际为 {_show(obj[key])}")
        _no_control(obj[key], f"texts.{key}")
    return {key: obj[key] for key in TEXT_KEYS}


def _cells(fmt: Format, obj: Any) -> dict:
    if not isinstance(obj, dict):
        raise ExchangeError(f"“tables” 应为对象，实际为 {_show(obj)}")
    _check_keys(obj, tuple(fmt.tables), "tables.")
    cells: dict = {}
    for table in fmt.tables.values():
        rows = _object(obj[table.key], f"tables.{table.key}")
        _check_keys(rows, tuple(r.key for r in table.rows), f"tables.{table.key}.")
        for row in table.rows:
            where = f"tables.{table.key}.{row.key}"
            values = _object(rows[row.key], where)
            _check_keys(values, row.columns, where + ".")
            for col in row.columns:
                kind = table.columns[col].kind
                cells[(table.key, row.key, col)] = _cell_in(values[col], kind, where, col)
    return cells


_COUNT_LIMIT = 10 ** MAX_COUNT_DIGITS
"""A count below this in size passes ``size_problem``."""


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ExchangeError(f"“{where}” 应为对象，实际为 {_show(value)}")
    return value


def _cell_in(value: Any, kind: str, row_where: str, col: str) -> Value:
    """The cell ``{row_where}.{col}``: its name is made only for a message (a district's
    1,000 reports have 200,000 cells)."""
    if type(value) is int and kind != "money" and -_COUNT_LIMIT < value < _COUNT_LIMIT:
        return value          # the usual count: nothing ``_sized`` could refuse
    if value is None:
        return None
    where = f"{row_where}.{col}"
    if kind == "money":
        if not isinstance(value, str):
            raise ExchangeError(f"“{where}” 是金额，应写成字符串（如 \"4.093\"，单位万元），"
                                f"实际为 {_show(value)}")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or value.strip() != value or "e" in value.lower():
            raise ExchangeError(f"“{where}” 应为万元金额的数字字符串（如 \"4.093\"），实际为 {_show(value)}")
        return _sized(amount, where, value)
    if type(value) is not int:
        raise ExchangeError(f"“{where}” 应为整数，实际为 {_show(value)}")
    return _sized(value, where, value)


def _sized(value: int | Decimal, where: str, given: Any) -> Value:
    problem = size_problem(value)
    if problem:
        raise ExchangeError(f"“{where}” {problem}，实际为 {_show(given)}")
    return value


def _check_keys(obj: dict, expected: tuple[str, ...], prefix: str) -> None:
    for key in obj:
        if key not in expected:
            raise ExchangeError(f"未知的键 “{prefix}{key}”：本程序不认识它"
                                f"（可用的键：{'、'.join(expected)}）")
    for key in expected:
        if key not in obj:
            raise ExchangeError(f"缺少键 “{prefix}{key}”")


def _show(value: Any) -> str:
    """A value and its JSON type, as a user would want it described."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, str):
        return f"字符串 “{quoted(_printable_all(value))}”"
    if isinstance(value, int):
        return f"整数 {quoted(str(value))}"
    if isinstance(value, (float, Decimal)):
        return f"小数 {quoted(str(value))}"
    if isinstance(value, list):
        return "数组 […]"
    if isinstance(value, dict):
        return "对象 {…}"
    return repr(value)
