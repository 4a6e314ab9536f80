"""The texts of a report as the text rules read them: paragraphs, sentences, numbers.

The validator runs after every keystroke, and a 10,000-character overview must still be
checked within 2 ms (``bench/bench_validate.py``). So the texts are read paragraph by
paragraph, and what a rule finds in a paragraph depends on the paragraph's words alone:
the rules keep it between validations (``functools.lru_cache`` keyed by the paragraph), and
a keystroke makes them read again only the paragraph it changed.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from app.report import Report

SENTENCE_ENDS = "。！？!?；;"  # and the end of a line
QUOTE_LIMIT = 60  # longer sentences are quoted around the words that matter


class Paragraph(NamedTuple):
    """A non-empty line of ``report.texts[key]``, the ``number``-th (from 1), at ``start``.
    (Tuples: a report's texts make hundreds of these per validation.)"""
    key: str
    number: int
    start: int
    text: str


class Sentence(NamedTuple):
    """One sentence of ``report.texts[key]``: ``start``/``end`` index that text (the closing
    mark included, surrounding white space not); ``paragraph`` counts from 1."""
    key: str
    start: int
    end: int
    text: str
    paragraph: int

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.key, self.start, self.end)


def paragraphs(report: Report) -> list[Paragraph]:
    """The non-empty lines of every text of the report's format, in order."""
    out = []
    for key, _ in report.format.text_sections():
        start, number = 0, 0
        for line in report.texts.get(key, "").split("\n"):
            if line.strip():
                number += 1
                out.append(Paragraph(key, number, start, line))
            start += len(line) + 1
    return out


def sentence(paragraph: Paragraph, span: tuple[int, int]) -> Sentence:
    """The sentence at ``span`` (offsets in the paragraph) as a sentence of the text."""
    s, e = span
    return Sentence(paragraph.key, paragraph.start + s, paragraph.start + e,
                    paragraph.text[s:e], paragraph.number)


@lru_cache(maxsize=4096)
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every non-empty sentence of ``text``: white space trimmed, the end
    mark kept (a line break ends a sentence too, but is not part of it)."""
    out, pos, size = [], 0, len(text)
    for piece in _ends_to_newlines(text).split("\n"):
        stop = pos + len(piece)
        core = piece.strip()
        if core:
            start = stop - len(piece.lstrip())
            out.append((start, stop + 1 if stop < size and text[stop] != "\n" else start + len(core)))
        pos = stop + 1
    return tuple(out)


def sentence_around(text: str, offset: int) -> tuple[int, int]:
    """The span of the sentence of ``text`` holding ``offset``."""
    spans = split_sentences(text)
    i = bisect.bisect_right(spans, (offset, len(text) + 1)) - 1
    return spans[max(i, 0)]


def _ends_to_newlines(text: str) -> str:
    """Every sentence end made a line break (same length; ``str.replace`` runs in C, where
    ``str.translate`` with a table looks up each character in Python: 20× slower here)."""
    for mark in SENTENCE_ENDS:
        text = text.replace(mark, "\n")
    return text


def where(sentence: Sentence, part: str) -> str:
    """``第一部分第2段``."""
    return f"{part}第{sentence.paragraph}段"


def quote(text: str, focus: int = 0) -> str:
    """``“text”``, cut to about ``QUOTE_LIMIT`` characters around index ``focus``."""
    text = text.strip()
    if len(text) <= QUOTE_LIMIT:
        return f"“{text}”"
    start = max(0, min(focus - QUOTE_LIMIT // 3, len(text) - QUOTE_LIMIT))
    piece = text[start:start + QUOTE_LIMIT]
    return "“" + ("…" if start else "") + piece + ("…" if start + QUOTE_LIMIT < len(text) else "") + "”"


# ------------------------------------------------------------------ numbers in Chinese
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"([零〇一二两三四五六七八九十百千]+)(?=\s*[件起宗份个条])")
_NOT_BEFORE_NUMBER = set("零〇一二两三四五六七八九十百千万第")


def digits(text: str) -> str:
    """``收到申请三件`` → ``收到申请3件``: small numbers are often written in Chinese."""
    def convert(m: re.Match) -> str:
        if m.start() and text[m.start() - 1] in _NOT_BEFORE_NUMBER:
            return m.group(1)
        value = _cn_int(m.group(1))
        return m.group(1) if value is None else str(value)
    return _CN_NUMBER.sub(convert, text)


def _cn_int(word: str) -> int | None:
    """一 … 九千九百九十九; None for what is not a well-formed number (e.g. 一一)."""
    total, digit = 0, None
    for ch in word:
        if ch in _CN_DIGITS:
            if digit not in (None, 0) and _CN_DIGITS[ch] != 0:
                return None
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)
