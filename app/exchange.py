"""The JSON exchange file of the spec: strict reading, byte-stable writing.

Reading is strict because the file travels between townships and the district: a missing
or unknown key, a float for money or a string for a count is an error that names the key,
never a guess. Writing always gives the same bytes for the same report (keys in format
order, 2-space indent, non-ASCII unescaped, one final newline).
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.files import FileReadError, read_limited, write_bytes
from app.formats import VERSIONS, Format, load_format
from app.numbers import money_to_str
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
    """The file's bytes; ``ExchangeError`` when they would be more than a reader accepts
    (texts of megabytes), so that no file is written that ``read_file`` then refuses."""
    data = dumps(report).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"年报数据有 {len(data) / 1024 / 1024:.1f} MB，超过年报数据文件的上限 "
                            f"{MAX_BYTES // 1024 // 1024} MB（正文是否过长？），没有写入")
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
    try:
        obj = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列有误），"
                            "不是年报数据文件") from None
    except RecursionError:
        raise ExchangeError("JSON 嵌套过深，不是年报数据文件") from None
    return from_dict(obj)


def _no_constant(name: str) -> Any:
    raise ExchangeError(f"JSON 中出现了 {name}，这不是合法的数值")


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
        raise ExchangeError(f"“format” 为 {_show(version)}，应为 “2019” 或 “2021”")
    fmt = load_format(version)
    year = obj["year"]
    if type(year) is not int:
        raise ExchangeError(f"“year” 应为整数年份，实际为 {_show(year)}")
    organ = obj["organ"]
    if not isinstance(organ, str):
        raise ExchangeError(f"“organ” 应为文字，实际为 {_show(organ)}")
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
                cells[(table.key, row.key, col)] = _cell_in(values[col], kind, f"{where}.{col}")
    return cells


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ExchangeError(f"“{where}” 应为对象，实际为 {_show(value)}")
    return value


def _cell_in(value: Any, kind: str, where: str) -> Value:
    if value is None:
        return None
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
        return amount
    if type(value) is not int:
        raise ExchangeError(f"“{where}” 应为整数，实际为 {_show(value)}")
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
        shown = value if len(value) <= 30 else value[:30] + "…"
        return f"字符串 “{shown}”"
    if isinstance(value, int):
        return f"整数 {value}"
    if isinstance(value, (float, Decimal)):
        return f"小数 {value}"
    if isinstance(value, list):
        return "数组 […]"
    if isinstance(value, dict):
        return "对象 {…}"
    return repr(value)
