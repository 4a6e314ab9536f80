"""The checks of the texts: required, length, numbers against the tables, wrong year,
repetition of last year's report, required content, doubled words, half-width marks.

Every word list, pattern and threshold is in the rule's entry of the format file; the
functions here only apply them. Each finding about a sentence quotes it and carries its
``span``, so the window can show the sentence and put the cursor on it; its ``section`` is
the text key (where the user fixes the words).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Callable, Iterable

from app.findings import Context, Finding, finding
from app.formats import CellRef, Format, Rule, TextNumber
from app.numbers import format_value
from app.report import Report
from app.text_scan import Sentence, TextScan, digits, quote, split_sentences


def scan_of(ctx: Context) -> TextScan:
    """The texts of ``ctx.report``, scanned once per validation for all text rules."""
    if "scan" not in ctx.memo:
        ctx.memo["scan"] = TextScan(ctx.report, _words(ctx.report.format))
    return ctx.memo["scan"]


@cache
def _words(fmt: Format) -> tuple[str, ...]:
    """Every word a text rule of the format selects sentences by."""
    words = [w for tn in fmt.text_numbers for w in tn.keywords]
    words += [w for rule in fmt.rules for w in rule.params.get("keywords", ())]
    return tuple(dict.fromkeys(words))


def _heading(fmt: Format, text_key: str) -> str:
    return next(s.heading for s in fmt.sections if s.text == text_key)


def _part(fmt: Format, text_key: str) -> str:
    return next(s.part for s in fmt.sections if s.text == text_key)


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
@dataclass(frozen=True)
class _Quantity:
    order: int
    spec: TextNumber
    patterns: tuple[re.Pattern, ...]
    including_after: re.Pattern | None


@dataclass(frozen=True)
class _NumberPlan:
    keywords: tuple[str, ...]
    by_keyword: dict[str, tuple[_Quantity, ...]]
    subjects: re.Pattern


@cache
def _number_plan(fmt: Format) -> _NumberPlan:
    """The format's text quantities compiled once, indexed by the words that select them."""
    by_keyword: dict[str, list[_Quantity]] = {}
    for i, tn in enumerate(fmt.text_numbers):
        q = _Quantity(i, tn, tuple(re.compile(p) for p in tn.patterns),
                      re.compile(tn.including_after) if tn.including_after else None)
        for word in tn.keywords:
            by_keyword.setdefault(word, []).append(q)
    return _NumberPlan(tuple(by_keyword), {k: tuple(v) for k, v in by_keyword.items()},
                       _subjects(fmt))


@cache
def _subjects(fmt: Format) -> re.Pattern:
    return re.compile("|".join(f"(?P<{name}>{p})" for name, p in fmt.text_subjects.items()))


def _subject_at(fmt: Format, text: str, end: int) -> str | None:
    """The last subject word (``text_subjects``) starting before ``end`` in ``text``."""
    last = None
    for m in _subjects(fmt).finditer(text, 0, end):
        last = m.lastgroup
    return last


def _table_sum(report: Report, cells: tuple[CellRef, ...]) -> int | None:
    values = [report.cells.get(c) for c in cells]
    if any(v is None for v in values):
        return None  # reported by `complete`
    return sum(values)


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
    scan = scan_of(ctx)
    for sentence, words in scan.sentences_with(_number_plan(fmt).keywords).items():
        for stated, focus, spec in stated_numbers(fmt, sentence.text, frozenset(words)):
            table = _table_sum(report, spec.cells)
            if table is None or table == stated:
                continue
            yield finding(
                rule, spec.cells,
                f"{scan.where(sentence)}{quote(sentence.text, focus)}：{spec.name}为 {stated}，"
                f"但表格中为 {table}（{_describe_cells(fmt, report, spec.cells)}），"
                f"相差{abs(stated - table)}",
                sentence.key, sentence.span)


@lru_cache(maxsize=4096)
def stated_numbers(fmt: Format, sentence: str, words: frozenset[str]) -> tuple[tuple[int, int, TextNumber], ...]:
    """(number, where it is, the quantity it counts) for each quantity ``sentence`` states;
    ``words`` are the format's keywords it holds. Depends on the sentence alone, so it is
    kept between validations: typing changes one sentence, the others are looked up."""
    text = digits(sentence)
    if not _DIGIT.search(text):
        return ()  # words without a number (完善受理工作流程)
    plan = _number_plan(fmt)
    found = {}
    for q in _candidates(plan, words):
        for pattern in q.patterns:
            for m in pattern.finditer(text):
                if q.spec.subject and _subject_at(fmt, text, m.end()) != q.spec.subject:
                    continue
                spec = q.spec
                if q.including_after and q.including_after.match(text, m.end()):
                    spec = q.spec.including
                found.setdefault((q.order, m.start(1)), (int(m.group(1)), m.start(1), spec))
    return tuple(found.values())


_DIGIT = re.compile(r"\d")


def _candidates(plan: _NumberPlan, words: frozenset[str]) -> list[_Quantity]:
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
    scan = scan_of(ctx)
    for sentence in scan.sentences_with(p["keywords"]):
        for pattern in _compiled(tuple(p["patterns"])):
            m = pattern.search(sentence.text)
            if m and _subject_at(fmt, sentence.text, m.end()) == p["subject"]:
                yield finding(rule, (cell,),
                              f"{scan.where(sentence)}{quote(sentence.text, m.start())}：说“{m.group()}”，"
                              f"但表格中为 {format_value(value)}（{fmt.describe_cell(cell)}）",
                              sentence.key, sentence.span)
                break


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


# ------------------------------------------------------------------ wrong year
_YEAR_MARK = re.compile("年")


def check_year(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """A sentence telling of its work under an earlier year than the report's."""
    report, p = ctx.report, rule.params
    before, after = _compiled((p["before"], p["after"]))
    scan = scan_of(ctx)
    joined = scan.joined
    for m in _YEAR_MARK.finditer(joined):  # a literal: found far faster than \d{4}年
        year, start = _year_before(joined, m.start())
        if year is None or year >= report.year:
            continue
        end = m.end() + 1 if joined.startswith("度", m.end()) else m.end()
        sentence = scan.sentence_at(start)
        key, offset = scan.locate(start)
        head = scan.texts[key][sentence.start:offset]
        if before.fullmatch(head) and after.match(joined, end):
            yield finding(rule, (), f"{scan.where(sentence)}{quote(sentence.text, len(head))}："
                          f"写的是 {year} 年，本报告为 {report.year} 年度",
                          sentence.key, sentence.span)


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
        share, repeated = _repeated(ctx, key, p)
        if not repeated or share <= p["above"] or share > p.get("up_to", 1.0):
            continue
        text = ctx.report.texts[key]
        examples = "".join(quote(text[s:e]) for s, e in repeated[:2])
        first = repeated[0]
        yield finding(rule, (), f"{_part(ctx.report.format, key)}有 {share:.0%} 的文字与上年报告相同"
                      f"或基本相同，如{examples}", key, (key, first[0], first[1]))


def _repeated(ctx: Context, key: str, p: dict) -> tuple[float, list[tuple[int, int]]]:
    """(share of characters, spans of the repeated sentences) of text ``key``, computed
    once per validation for the rules that share the same parameters. A sentence is
    repeated when ``same_share`` of its consecutive ``ngram``-character pieces occur
    anywhere in last year's text (a copy with a changed year or number still is)."""
    memo_key = f"repeat:{key}:{p['min_chars']}:{p['ngram']}:{p['same_share']}"
    if memo_key not in ctx.memo:
        ctx.memo[memo_key] = _repeated_share(ctx.report.texts.get(key, ""),
                                             ctx.previous.texts.get(key, ""), p)
    return ctx.memo[memo_key]


def _repeated_share(text: str, last: str, p: dict) -> tuple[float, list[tuple[int, int]]]:
    n, min_chars, need = p["ngram"], p["min_chars"], p["same_share"]
    total = same = 0
    spans = []
    for s, e in split_sentences(text):
        sentence = text[s:e]
        counted = len(_ORDINAL.sub("", sentence, count=1)) if sentence[0] in "（(" else len(sentence)
        if counted < min_chars:
            continue  # a heading such as （三）政府信息管理方面。, or a short formula
        total += len(sentence)
        if _is_repeated(sentence, last, n, need):
            same += len(sentence)
            spans.append((s, e))
    return (same / total if total else 0.0), spans


@lru_cache(maxsize=4096)
def _is_repeated(sentence: str, last: str, n: int, need: float) -> bool:
    """Whether ``need`` of the sentence's consecutive ``n``-character pieces are in last
    year's text; gives up as soon as too many are not (most sentences of a new text). Kept
    between validations, like the pieces of last year's text: typing changes one sentence."""
    in_last = _ngrams(last, n).__contains__
    starts = range(0, len(sentence) - n + 1, n)
    allowed = (1 - need) * len(starts)
    missing = 0
    for i in starts:
        if not in_last(sentence[i:i + n]):
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
    text = ctx.report.texts.get(key, "")
    if any(w in text for w in p["measure_words"]):
        return
    for s, e in split_sentences(text):
        hit = next((w for w in p["problem_words"] if w in text[s:e]), None)
        if hit:
            yield finding(rule, (), f"{_part(ctx.report.format, key)}写了存在的问题（{quote(text[s:e])}），"
                          "但没有写改进或整改措施", key, (key, s, e))
            return


# ------------------------------------------------------------------ wording
@cache
def _doubled_pattern(min_len: int, max_len: int) -> re.Pattern:
    return re.compile(rf"([\u4e00-\u9fff]{{{min_len},{max_len}}})\1")


def check_doubled(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """A word written twice in a row (资金资金), one finding per occurrence."""
    p = rule.params
    scan = scan_of(ctx)
    allowed = set(p["allowed"])
    for m in _doubled_pattern(p["min_len"], p["max_len"]).finditer(scan.joined):
        if m.group() in allowed or len(set(m.group(1))) == 1:
            continue  # allowed, or one character many times (哈哈哈哈): not a doubled word
        sentence = scan.sentence_at(m.start())
        key, offset = scan.locate(m.start())
        yield finding(rule, (), f"{scan.where(sentence)}{quote(sentence.text, offset - sentence.start)}："
                      f"“{m.group(1)}”连写了两次", sentence.key, sentence.span)


def check_halfwidth(rule: Rule, ctx: Context) -> Iterable[Finding]:
    """Half-width marks in Chinese sentences, one finding per text (the first one quoted)."""
    p = rule.params
    scan = scan_of(ctx)
    marks = "".join(p["marks"])
    pattern = _compiled((f"[{re.escape(marks)}]",))[0]
    by_text: dict[str, list[tuple[int, str]]] = {}
    for m in pattern.finditer(scan.joined):
        if _beside_chinese(scan.joined, m.start()):
            key, _ = scan.locate(m.start())
            by_text.setdefault(key, []).append((m.start(), m.group()))
    full = dict(zip(p["marks"], p["full"]))
    for key, hits in by_text.items():
        first = scan.sentence_at(hits[0][0])
        _, offset = scan.locate(hits[0][0])
        used = "".join(dict.fromkeys(mark for _, mark in hits))
        should = "".join(full[mark] for mark in used)
        yield finding(rule, (), f"{scan.where(first)}{quote(first.text, offset - first.start)}"
                      f"{'等处' if len(hits) > 1 else ''}：中文句子中用了 {len(hits)} 个半角标点 {used}，"
                      f"应为全角 {should}", key, first.span)


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
