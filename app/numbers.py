"""Counts and money: parsing what people type or paste, and printing money.

Counts are ``int``. Money is an exact ``Decimal`` in 万元 with at most 6 decimals
(0.000001 万元 = 1 分), never a float. Input from people and from published reports uses
full-width digits, thousands separators and sometimes 元 instead of 万元; all of that is
understood here, once, for the wizard and the importer alike.

Sizes are limited before any conversion: Python refuses to turn more than 4,300 digits
into an ``int`` (a ValueError no caller expects), and ``Decimal`` arithmetic rounds
silently beyond 28 significant digits (and printing then fails). A count has at most 12
digits, money at most 12 digits before the point (a trillion 万元) and, when read from a
file, 10 after it: 22 digits, so that even the sum of a million reports stays exact.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

MONEY_DECIMALS = 6
PRINT_DECIMALS = 4
TEN_THOUSAND = Decimal(10000)
MAX_COUNT_DIGITS = 12
MAX_MONEY_DIGITS = 12
"""Digits of money before the decimal point, in 万元."""
MAX_READ_DECIMALS = 10
"""Decimals of money a file may carry (more than ``MONEY_DECIMALS`` is the type rule's
error, shown to the user; more than this is refused when reading)."""


class NumberError(ValueError):
    """Text that is not a valid number; the message is Chinese and shown to the user."""


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), thousands separators and spaces removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = text.replace("−", "-").replace("－", "-")
    return re.sub(r"(?<=\d)[,，'’ ](?=\d{3}\b)", "", text).replace(" ", "")


def quoted(text: str, limit: int = 30) -> str:
    """Text as a message quotes it: whole when short, else its start and its length."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字）"


def parse_count(text: str, *, signed: bool = False) -> int:
    """A whole number as typed: ``"１２"``, ``"1,234"``, ``"-3"`` (only when ``signed``)."""
    t = normalise(text)
    if t.endswith(("件", "个", "条", "项")):
        t = t[:-1]
    if not re.fullmatch(r"[+-]?\d+", t):
        if re.fullmatch(r"[+-]?\d+\.\d*", t):
            raise NumberError(f"“{quoted(text)}”不是整数：数量只能填整数")
        raise NumberError(f"“{quoted(text)}”不是数字：请填写整数")
    if len(t.lstrip("+-").lstrip("0")) > MAX_COUNT_DIGITS:
        raise NumberError(f"“{quoted(text)}”位数太多：数量最多 {MAX_COUNT_DIGITS} 位")
    value = int(t)
    if value < 0 and not signed:
        raise NumberError(f"“{quoted(text)}”是负数：数量不能小于 0")
    return value


def parse_money(text: str) -> tuple[Decimal, bool]:
    """Money as typed, in 万元. Returns (amount in 万元, whether it was given in 元).

    ``"4.093"`` and ``"4.093万元"`` are 万元; ``"75394432.52元"`` is converted exactly.
    """
    t = normalise(text)
    in_yuan = False
    if t.endswith("万元"):
        t = t[:-2]
    elif t.endswith("元"):
        t, in_yuan = t[:-1], True
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", t):
        if re.fullmatch(r"-\d+(\.\d+)?", t):
            raise NumberError(f"“{quoted(text)}”是负数：金额不能小于 0")
        raise NumberError(f"“{quoted(text)}”不是金额：请填写数字，单位万元（如 4.0930）")
    whole, _, fraction = t.partition(".")
    extra = 4 if in_yuan else 0      # 元 has four more digits before the point than 万元
    if len(whole.lstrip("0")) > MAX_MONEY_DIGITS + extra:
        raise NumberError(f"“{quoted(text)}”位数太多：金额最多 {MAX_MONEY_DIGITS} 位整数（万元）")
    if len(fraction.rstrip("0")) > MONEY_DECIMALS:
        unit = "元" if in_yuan else "万元"
        raise NumberError(f"“{quoted(text)}”的小数位太多：金额精确到分（{unit}）即可，"
                          f"万元最多保留 {MONEY_DECIMALS} 位小数")
    try:
        value = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - the regex already ensures a number
        raise NumberError(f"“{quoted(text)}”不是金额") from exc
    if in_yuan:
        value = value / TEN_THOUSAND
    if decimals(value) > MONEY_DECIMALS:
        unit = "元" if in_yuan else "万元"
        raise NumberError(f"“{quoted(text)}”的小数位太多：金额精确到分（{unit}）即可，"
                          f"万元最多保留 {MONEY_DECIMALS} 位小数")
    return canonical_money(value), in_yuan


def sum_filled(values: Iterable[int | Decimal | None]) -> int | Decimal | None:
    """The sum of ``values``, or None when any is not filled in (never a partial sum)."""
    total: int | Decimal = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def size_problem(value: int | Decimal) -> str | None:
    """Why a value read from a file is too large for exact arithmetic, or None (exact:
    no ``Decimal`` operation, which would round)."""
    if isinstance(value, Decimal):
        _, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):
            return "不是有限的数"
        significant = "".join(map(str, digits)).lstrip("0")
        if len(significant) + exponent > MAX_MONEY_DIGITS:
            return f"金额过大：整数部分最多 {MAX_MONEY_DIGITS} 位（万元）"
        trailing_zeros = len(significant) - len(significant.rstrip("0"))
        if significant and -(exponent + trailing_zeros) > MAX_READ_DECIMALS:
            return f"小数位太多：最多 {MAX_READ_DECIMALS} 位"
        return None
    if abs(value) >= 10 ** MAX_COUNT_DIGITS:
        return f"数字过大：最多 {MAX_COUNT_DIGITS} 位"
    return None


def decimals(value: Decimal) -> int:
    """Number of decimals a value really has (``4.0930`` has 3)."""
    exp = value.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def canonical_money(value: Decimal) -> Decimal:
    """The same amount without trailing zeros and never in exponent form."""
    n = value.normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n


def money_to_str(value: Decimal) -> str:
    """The exchange file's form: plain digits as given, never an exponent (``"4.093"``)."""
    return format(value, "f")


def format_money(value: Decimal) -> str:
    """The printed form: at least 4 decimals, padded with zeros, never rounded."""
    places = max(PRINT_DECIMALS, decimals(value))
    return format(value.quantize(Decimal(1).scaleb(-places)), "f")


def format_value(value: int | Decimal | None) -> str:
    """A cell as shown and printed: empty when not filled in, money with ≥ 4 decimals."""
    if value is None:
        return ""
    return format_money(value) if isinstance(value, Decimal) else str(value)


def parse_value(kind: str, text: str) -> tuple[int | Decimal | None, bool]:
    """Text typed or read for a cell of ``kind`` (count, signed_count, money).

    Returns (value, whether money was given in 元 and converted); blank text is ``None``.
    Raises ``NumberError`` with a Chinese message. The grid and the importer share this."""
    if not text.strip():
        return None, False
    if kind == "money":
        return parse_money(text)
    return parse_count(text, signed=(kind == "signed_count")), False
