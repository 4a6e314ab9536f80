"""The checks of the texts: required, length, numbers against the tables, wrong year,
repetition of last year's report, required content, doubled words, half-width marks.

Every word list, pattern and threshold is in the rule's entry of the format file; the
functions here only apply them. Each finding about a sentence quotes it, says where it is
(``第一部分第2段``) and carries its ``span``, so the window can show the sentence and put
the cursor on it; its ``section`` is the text key (where the user fixes the words).

The texts are read paragraph by paragraph (``app.text_scan``): what a rule finds in a
paragraph (``_numbers_in``, ``_claims_in``, …) depends on the paragraph alone and is kept
between validations, so that after a keystroke only the changed paragraph is read again.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from app.findings import Context, Finding, finding
from app.formats import CellRef, Format, Rule, TextNumber
from app.numbers import format_value, sum_filled
from app.report import Report, Value
from app.text_scan import Paragraph, digits, paragraphs, quote, sentence, sentence_around, split_sentences, where

Span = tuple[int, int]
CACHED_PARAGRAPHS = 1024  # per rule: far more than a report has; old versions drop out


def paragraphs_of(ctx: Context) -> list[Paragraph]:
    """The report's paragraphs, split once per validation for all text rules."""
    if "paragraphs" not in ctx.memo:
        ctx.memo["paragraphs"] = paragraphs(ctx.report)
    return ctx.memo["paragraphs"]


def _heading(fmt: Format, text_key: str) -> str:
    return next(s.heading for s in fmt.sections if s.text == text_key)


def _part(fmt: Format, text_key: str) -> str:
    return next(s.part for s in fmt.sections if s.text == text_key)


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


# ------------------------------------------------------------------ presence and length
def check_required(rule: Rule, ctx: Context) -> Iterable[Finding]:
    for key in rule.params["texts"]:
        if not ctx.report.texts.get(key, "").strip():
            yield finding(rule, (), f"{_heading(ctx.report.format, key)}：未填写", key)


def char_count(text: str) -> int:
    """Characters as the 一千字 guide counts them: everything but white space."""
    return len("".join(text.split()))


def check_length(rule: Rule, ctx: Context) -> Iterable[Finding]:
    key, limit = rule.params["text"], rule.params["max_chars"]
    n = char_count(ctx.report.texts.get(key, ""))
    if n > limit:
        yield finding(rule, (), f"{_heading(ctx.report.format, key)}：共 {n} 字，"
                      f"超过“原则上不超过{limit}字”的要求 {n - limit} 字", key)


def check_substance(rule: Rule, ctx: Context) -> Iterable[Finding]:
    key = rule.params["text"]
    text = ctx.report.texts.get(key, "").strip()
    if not text:
        return  # reported by text.required
    sentences = [s for s in re.split(r"[。！？!?；;\n]+", text) if s.strip(" 　，,")]
    if len(sentences) < rule.params["min_sentences"]:
        yield finding(rule, (), f"{_heading(ctx.report.format, key)}：只写了“{text[:20]}”，"
                      "过于简略；请具体说明存在的问题和改进措施（不得敷衍、年年雷同）", key)


def check_mentions(rule: Rule, ctx: Context) -> Iterable[Finding]:
    text = ctx.report.texts.get(rule.params["text"], "")
    if not any(word in text for word in rule.params["any_of"]):
        yield finding(rule, (), rule.params["message"], rule.params["text"])


# ------------------------------------------------------------------ numbers against the tables
class _Quantity(NamedTuple):
    order: int
    spec: TextNumber

    @property
    def patterns(self) -> tuple[re.Pattern, ...]:
        """Compiled at their first use (``_compiled`` keeps them): a report's texts name a
        few of the format's 20–24 quantities, and compiling them all took ~5 ms a process."""
        return _compiled(self.spec.patterns)

    @property
    def including_after(self) -> re.Pattern | None:
        return _compiled((self.spec.including_after,))[0] if self.spec.including_after else None


@dataclass(frozen=True)
class _NumberPlan:
    keywords: re.Pattern
    by_keyword: dict[str, tuple[_Quantity, ...]]


@cache
def _number_plan(fmt: Format) -> _NumberPlan:
    """The format's text quantities indexed by the words that select them (their patterns
    are compiled at first use, ``_Quantity.patterns``)."""
    by_keyword: dict[str, list[_Quantity]] = {}
    for i, tn in enumerate(fmt.text_numbers):
        q = _Quantity(i, tn)
        for word in tn.keywords:
            by_keyword.setdefault(word, []).append(q)
    return _NumberPlan(_alternation(tuple(by_keyword)), {k: tuple(v) for k, v in by_keyword.items()})


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


@cache
def _subjects(fmt: Format) -> re.Pattern:
    return re.compile("|".join(f"(?P<{name}>{p})" for name, p in fmt.text_subjects.items()))


def _subject_at(fmt: Format, text: str, end: int) -> str | None:
    """The last subject word (``text_subjects``) starting before ``end`` in ``text``."""
    last = None
    for m in _subjects(fmt).finditer(text, 0, end):
        last = m.lastgroup
    return last


def _table_sum(report: Report, cells: tuple[CellRef, ...]) -> Value:
    return sum_filled(report.cells.get(c) for c in cells)  # None: reported by `complete`


def _describe_cells(fmt: Format, report: Report, cells: tuple[CellRef, ...]) -> str:
    """``第三部分 新收行 总计列`` or, for a sum, ``第四部分 …总计(12)+…总计(0)``."""
    if len(cells) == 1:
        return fmt.describe_cell(cells[0])
    table = fmt.tables[cells[0][0]]
    parts = [f"{table.row(r).short}{table.columns[c].short}({format_value(report.cells[(t, r, c)])})"
             for t, r, c in cells]
    return f"{table.section.part} " + "+".join(parts)


def check_numbers(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """Numbers the texts state for table quantities that differ from the table."""
    report, fmt = ctx.report, ctx.report.format
    for para in paragraphs_of(ctx):
        for span, stated, focus, spec in _numbers_in(fmt, para.text):
            table = _table_sum(report, spec.cells)
            if table is None or table == stated:
                continue
            s = sentence(para, span)
            yield finding(
                rule, spec.cells,
                f"{where(s, _part(fmt, s.key))}{quote(s.text, focus)}：{spec.name}为 {stated}，"
                f"但表格中为 {table}（{_describe_cells(fmt, report, spec.cells)}），相差{abs(stated - table)}",
                s.key, s.span)


@lru_cache(maxsize=CACHED_PARAGRAPHS)
def _numbers_in(fmt: Format, text: str) -> tuple[tuple[Span, int, int, TextNumber], ...]:
    """(sentence, number, where in the sentence, quantity) for each table quantity the
    paragraph ``text`` states. Only sentences holding a quantity's keywords are tried."""
    plan = _number_plan(fmt)
    words_by_sentence: dict[Span, set[str]] = {}
    for m in plan.keywords.finditer(text):
        words_by_sentence.setdefault(sentence_around(text, m.start()), set()).add(m.group())
    out: list[tuple[Span, int, int, TextNumber]] = []
    for span, words in words_by_sentence.items():
        out.extend((span, *stated) for stated in _stated_numbers(fmt, text[span[0]:span[1]], words))
    return tuple(out)


def _stated_numbers(fmt: Format, sentence_text: str, words: set[str]) -> Iterable[tuple[int, int, TextNumber]]:
    text = digits(sentence_text)
    if not _DIGIT.search(text):
        return ()  # words without a number (完善受理工作流程)
    plan = _number_plan(fmt)
    found: dict[tuple[int, int], tuple[int, int, TextNumber]] = {}
    for q in _candidates(plan, words):
        for pattern in q.patterns:
            for m in pattern.finditer(text):
                if q.spec.subject and _subject_at(fmt, text, m.end()) != q.spec.subject:
                    continue
                spec = q.spec
                if q.spec.including and (after := q.including_after) and after.match(text, m.end()):
                    spec = q.spec.including
                found.setdefault((q.order, m.start(1)), (int(m.group(1)), m.start(1), spec))
    return found.values()


_DIGIT = re.compile(r"\d")


def _candidates(plan: _NumberPlan, words: set[str]) -> list[_Quantity]:
    """The quantities selected by ``words``, each once, in the format file's order."""
    found = {q.order: q for word in words for q in plan.by_keyword[word]}
    return [found[i] for i in sorted(found)]


def check_claim(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """Words saying something is none or all done (均已办结) while the table says otherwise."""
    report, fmt, p = ctx.report, ctx.report.format, rule.params
    cell = tuple(p["cell"])
    value = report.cells.get(cell)
    if not value:
        return  # 0, or empty (reported by `complete`)
    for para in paragraphs_of(ctx):
        if not any(word in para.text for word in p["keywords"]):
            continue
        for span, words, focus in _claims_in(fmt, tuple(p["patterns"]), p["subject"], para.text):
            s = sentence(para, span)
            yield finding(rule, (cell,),
                          f"{where(s, _part(fmt, s.key))}{quote(s.text, focus)}：说“{words}”，"
                          f"但表格中为 {format_value(value)}（{fmt.describe_cell(cell)}）",
                          s.key, s.span)


@lru_cache(maxsize=CACHED_PARAGRAPHS)
def _claims_in(fmt: Format, patterns: tuple[str, ...], subject: str,
               text: str) -> tuple[tuple[Span, str, int], ...]:
    """(sentence, the words, where) of the first claim in each sentence of paragraph
    ``text`` whose last subject before it is ``subject``."""
    out = {}
    for pattern in _compiled(patterns):
        for m in pattern.finditer(text):
            span = sentence_around(text, m.start())
            said = text[span[0]:span[1]]
            if span not in out and _subject_at(fmt, said, m.end() - span[0]) == subject:
                out[span] = (span, m.group(), m.start() - span[0])
    return tuple(sorted(out.values()))


# ------------------------------------------------------------------ wrong year
def check_year(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """A sentence telling of its work under an earlier year than the report's."""
    report, p = ctx.report, rule.params
    for para in paragraphs_of(ctx):
        for span, year, head in _opening_years(p["before"], p["after"], para.text):
            if year < report.year:
                s = sentence(para, span)
                yield finding(rule, (), f"{where(s, _part(report.format, s.key))}{quote(s.text, head)}："
                              f"写的是 {year} 年，本报告为 {report.year} 年度", s.key, s.span)


_YEAR_MARK = re.compile("年")


@lru_cache(maxsize=CACHED_PARAGRAPHS)
def _opening_years(before: str, after: str, text: str) -> tuple[tuple[Span, int, int], ...]:
    """(sentence, year, where the year is in it) for each sentence of paragraph ``text``
    that opens with a year as the time of its work: what stands before the year matches
    ``before``, what follows 年 or 年度 matches ``after``."""
    before_re, after_re = _compiled((before, after))
    out = []
    for m in _YEAR_MARK.finditer(text):  # a literal: found far faster than \d{4}年
        year, start = _year_before(text, m.start())
        if year is None:
            continue
        end = m.end() + 1 if text.startswith("度", m.end()) else m.end()
        span = sentence_around(text, start)
        if before_re.fullmatch(text, span[0], start) and after_re.match(text, end):
            out.append((span, year, start - span[0]))
    return tuple(out)


def _year_before(text: str, i: int) -> tuple[int | None, int]:
    """The four-digit year written just before position ``i`` (a space allowed), and where
    it starts; (None, i) when there is none (or more than four digits)."""
    j = i - 1 if i and text[i - 1] == " " else i
    number = text[max(0, j - 4):j]
    if len(number) == 4 and number.isascii() and number.isdigit() and not (j > 4 and text[j - 5].isdigit()):
        return int(number), j - 4
    return None, i


# ------------------------------------------------------------------ last year's texts
def check_repeat(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """The share of a section's words in sentences last year's report already had."""
    if ctx.previous is None:
        return
    p = rule.params
    for key in p["texts"]:
        share, repeated = _repeated(ctx, ctx.previous, key, p)
        if not repeated or share <= p["above"] or share > p.get("up_to", 1.0):
            continue
        text = ctx.report.texts[key]
        examples = "".join(quote(text[s:e]) for s, e in repeated[:2])
        first = repeated[0]
        yield finding(rule, (), f"{_part(ctx.report.format, key)}有 {share:.0%} 的文字与上年报告相同"
                      f"或基本相同，如{examples}", key, (key, first[0], first[1]))


def _repeated(ctx: Context, previous: Report, key: str, p: dict) -> tuple[float, list[Span]]:
    """(share of characters, spans of the repeated sentences) of text ``key``, computed
    once per validation for the rules that share the same parameters. A sentence is
    repeated when ``same_share`` of its consecutive ``ngram``-character pieces occur
    anywhere in last year's text (a copy with a changed year or number still is); short
    ones (headings) are not counted."""
    memo_key = f"repeat:{key}:{p['min_chars']}:{p['ngram']}:{p['same_share']}"
    if memo_key not in ctx.memo:
        last = previous.texts.get(key, "")
        total = same = 0
        spans: list[Span] = []
        for para in paragraphs_of(ctx):
            if para.key == key:
                t, s, found = _repeated_in(para.text, last, p["ngram"], p["min_chars"], p["same_share"])
                total, same = total + t, same + s
                spans += [(para.start + a, para.start + b) for a, b in found]
        ctx.memo[memo_key] = ((same / total if total else 0.0), spans)
    return ctx.memo[memo_key]


@lru_cache(maxsize=CACHED_PARAGRAPHS)
def _repeated_in(text: str, last: str, n: int, min_chars: int,
                 need: float) -> tuple[int, int, tuple[Span, ...]]:
    """(characters counted, characters in repeated sentences, their spans) of paragraph
    ``text`` against last year's text ``last``."""
    in_last = _ngrams(last, n).__contains__
    total = same = 0
    spans = []
    for s, e in split_sentences(text):
        said = text[s:e]
        counted = len(_ORDINAL.sub("", said, count=1)) if said[0] in "（(" else len(said)
        if counted < min_chars:
            continue  # a heading such as （三）政府信息管理方面。, or a short formula
        total += len(said)
        if _mostly_in(said, n, need, in_last):
            same += len(said)
            spans.append((s, e))
    return total, same, tuple(spans)


def _mostly_in(said: str, n: int, need: float, in_last: Callable[[str], bool]) -> bool:
    """Whether ``need`` of the sentence's consecutive ``n``-character pieces are in last
    year's text; gives up as soon as too many are not (most sentences of a new text)."""
    starts = range(0, len(said) - n + 1, n)
    allowed = (1 - need) * len(starts)
    missing = 0
    for i in starts:
        if not in_last(said[i:i + n]):
            missing += 1
            if missing > allowed:
                return False
    return True


_ORDINAL = re.compile(r"[（(][一二三四五六七八九十\d]{1,2}[）)]")


@lru_cache(maxsize=8)
def _ngrams(text: str, n: int) -> frozenset[str]:
    """Every ``n``-character piece of last year's text. Kept between validations: last
    year's report does not change while this year's is typed."""
    return frozenset(text[i:i + n] for i in range(len(text) - n + 1))


# ------------------------------------------------------------------ required content
def check_covers(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """Topics the format says a section covers, none of whose words occur in it."""
    key = rule.params["text"]
    text = ctx.report.texts.get(key, "")
    if not text.strip():
        return  # reported by text.required
    topics = rule.params["topics"]
    missing = [t["name"] for t in topics if not any(w in text for w in t["any_of"])]
    if missing:
        every = "、".join(t["name"] for t in topics)
        yield finding(rule, (), f"{_part(ctx.report.format, key)}没有写到{'、'.join(missing)}方面的情况"
                      f"（格式要求总体情况包括{every}等方面）", key)


def check_measures(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """A section naming problems without a word of what is done about them."""
    p = rule.params
    key = p["text"]
    if any(w in ctx.report.texts.get(key, "") for w in p["measure_words"]):
        return
    for para in paragraphs_of(ctx):
        if para.key != key:
            continue
        for span in split_sentences(para.text):
            s = sentence(para, span)
            if any(w in s.text for w in p["problem_words"]):
                yield finding(rule, (), f"{_part(ctx.report.format, key)}写了存在的问题（{quote(s.text)}），"
                              "但没有写改进或整改措施", key, s.span)
                return


# ------------------------------------------------------------------ wording
def check_doubled(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """A word written twice in a row (资金资金), one finding per occurrence."""
    p = rule.params
    pattern = _compiled((rf"([\u4e00-\u9fff]{{{p['min_len']},{p['max_len']}}})\1",))[0]   # once, not per paragraph
    allowed = tuple(p["allowed"])
    for para in paragraphs_of(ctx):
        for span, offset, word in _doubled_in(pattern, allowed, para.text):
            s = sentence(para, span)
            yield finding(rule, (), f"{where(s, _part(ctx.report.format, s.key))}{quote(s.text, offset)}："
                          f"“{word}”连写了两次", s.key, s.span)


@lru_cache(maxsize=CACHED_PARAGRAPHS)
def _doubled_in(pattern: re.Pattern, allowed: tuple[str, ...], text: str) -> tuple[tuple[Span, int, str], ...]:
    out = []
    for m in pattern.finditer(text):
        if m.group() in allowed or len(set(m.group(1))) == 1:
            continue  # allowed, or one character many times (哈哈哈哈): not a doubled word
        span = sentence_around(text, m.start())
        out.append((span, m.start() - span[0], m.group(1)))
    return tuple(out)


def check_halfwidth(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """Half-width marks in Chinese sentences, one finding per text (the first one quoted)."""
    p = rule.params
    pattern = _compiled((f"[{re.escape(''.join(p['marks']))}]",))[0]   # once, not per paragraph
    by_text: dict[str, list[tuple[Paragraph, int, str]]] = {}
    for para in paragraphs_of(ctx):
        for offset, mark in _halfwidth_in(pattern, para.text):
            by_text.setdefault(para.key, []).append((para, offset, mark))
    full = dict(zip(p["marks"], p["full"], strict=True))
    for key, hits in by_text.items():
        para, offset, _ = hits[0]
        span = sentence_around(para.text, offset)
        first = sentence(para, span)
        used = "".join(dict.fromkeys(mark for _, _, mark in hits))
        yield finding(rule, (), f"{where(first, _part(ctx.report.format, key))}{quote(first.text, offset - span[0])}"
                      f"{'等处' if len(hits) > 1 else ''}：中文句子中用了 {len(hits)} 个半角标点“{used}”，"
                      f"应为全角“{''.join(full[mark] for mark in used)}”", key, first.span)


@lru_cache(maxsize=CACHED_PARAGRAPHS)
def _halfwidth_in(pattern: re.Pattern, text: str) -> tuple[tuple[int, str], ...]:
    return tuple((m.start(), m.group()) for m in pattern.finditer(text) if _beside_chinese(text, m.start()))


def _beside_chinese(text: str, i: int) -> bool:
    """A Chinese character next to position ``i`` (spaces skipped)."""
    before = text[max(0, i - 5):i].rstrip(" ")[-1:]
    after = text[i + 1:i + 6].lstrip(" ")[:1]
    return any("\u4e00" <= c <= "\u9fff" or c in "，。、；：“”" for c in before + after)


CHECKS: dict[str, Callable[[Rule, Context], Iterable[Finding]]] = {
    "text_required": check_required,
    "text_length": check_length,
    "text_substance": check_substance,
    "text_mentions": check_mentions,
    "text_numbers": check_numbers,
    "text_claim": check_claim,
    "text_year": check_year,
    "text_repeat": check_repeat,
    "text_covers": check_covers,
    "text_measures": check_measures,
    "text_doubled": check_doubled,
    "text_halfwidth": check_halfwidth,
}
