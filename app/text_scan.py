"""The texts of a report, read once for all text rules.

Every text rule needs the same few things: the sentences holding some words, where a
sentence is (section, paragraph, span) and numbers written in Chinese (三件) as digits.
``TextScan`` works them out once per validation, and only as far as a rule asks: the
validator runs after every keystroke, and a 10,000-character overview must still be checked
within 2 ms (``bench/bench_validate.py``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Iterable

from app.report import Report

SENTENCE_ENDS = "。！？!?；;\n"
QUOTE_LIMIT = 60  # longer sentences are quoted around the words that matter


@dataclass(frozen=True)
class Sentence:
    """One sentence of ``report.texts[key]``: ``start``/``end`` index that text (the closing
    mark included, surrounding white space not)."""
    key: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.key, self.start, self.end)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty sentence of ``text`` (as ``_trimmed`` cuts them)."""
    out, pos, size = [], 0, len(text)
    for piece in _ends_to_newlines(text).split("\n"):
        stop = pos + len(piece)
        core = piece.strip()
        if core:
            start = stop - len(piece.lstrip())
            out.append((start, stop + 1 if stop < size and text[stop] != "\n" else start + len(core)))
        pos = stop + 1
    return out


def _ends_to_newlines(text: str) -> str:
    """Every sentence end made a line break (same length; ``str.replace`` runs in C, where
    ``str.translate`` with a table looks up each character in Python: 20× slower here)."""
    for mark in SENTENCE_ENDS[:-1]:
        text = text.replace(mark, "\n")
    return text


def _trimmed(text: str, start: int, stop: int) -> tuple[int, int]:
    """The sentence text[start:stop] (``stop`` is its end mark or the end of the text):
    white space trimmed, the end mark kept unless it is a line break."""
    piece = text[start:stop]
    core = piece.strip()
    if not core:
        return (start, start)
    s = start + piece.index(core[0])
    e = s + len(core)
    if stop < len(text) and text[stop] != "\n":
        e = stop + 1
    return (s, e)


class TextScan:
    """The report's texts joined into one string (a line break between two texts), and the
    sentences holding any of ``words`` (every word the format's text rules look for), found
    in one pass over all texts for all rules."""

    def __init__(self, report: Report, words: tuple[str, ...] = ()) -> None:
        self.sections = {s.text: s for s in report.format.text_sections()}
        self.texts = {key: report.texts.get(key, "") for key in self.sections}
        self.joined = "\n".join(self.texts.values())
        self.words = words
        self._keys = list(self.texts)
        self._bases = []
        base = 0
        for text in self.texts.values():
            self._bases.append(base)
            base += len(text) + 1
        self._sentences: dict[int, Sentence] = {}
        self._paragraphs: dict[str, list[int]] = {}

    @cached_property
    def _sentence_starts(self) -> list[int]:
        """Where each piece between two sentence ends starts in ``joined``."""
        starts, pos = [], 0
        for piece in _ends_to_newlines(self.joined).split("\n"):
            starts.append(pos)
            pos += len(piece) + 1
        return starts

    @cached_property
    def _words_by_sentence(self) -> dict[int, set[str]]:
        """Sentence index → which of ``words`` it holds (sentences in text order)."""
        out: dict[int, set[str]] = {}
        if self.words:
            starts = self._sentence_starts
            for m in _alternation(self.words).finditer(self.joined):
                out.setdefault(bisect.bisect_right(starts, m.start()) - 1, set()).add(m.group())
        return out

    def sentences_with(self, words: Iterable[str]) -> dict[Sentence, set[str]]:
        """Each sentence holding any of ``words`` (a part of ``self.words``), with those it holds."""
        wanted = set(words)
        out = {}
        for i, found in self._words_by_sentence.items():
            if found & wanted:
                out[self._sentence(i)] = found & wanted
        return out

    def sentence_at(self, pos: int) -> Sentence:
        """The sentence holding position ``pos`` of ``joined``."""
        return self._sentence(bisect.bisect_right(self._sentence_starts, pos) - 1)

    def _sentence(self, i: int) -> Sentence:
        if i not in self._sentences:
            starts = self._sentence_starts
            stop = starts[i + 1] - 1 if i + 1 < len(starts) else len(self.joined)
            key, offset = self.locate(starts[i])
            text = self.texts[key]
            s, e = _trimmed(text, offset, min(offset + stop - starts[i], len(text)))
            self._sentences[i] = Sentence(key, s, e, text[s:e])
        return self._sentences[i]

    def locate(self, pos: int) -> tuple[str, int]:
        """(text key, offset in that text) of position ``pos`` of ``joined``."""
        t = bisect.bisect_right(self._bases, pos) - 1
        return self._keys[t], pos - self._bases[t]

    def where(self, sentence: Sentence) -> str:
        """``第一部分第2段``: the section and the paragraph (non-empty lines counted from 1)."""
        paragraph = bisect.bisect_right(self._paragraph_starts(sentence.key), sentence.start)
        return f"{self.sections[sentence.key].part}第{paragraph}段"

    def _paragraph_starts(self, key: str) -> list[int]:
        if key not in self._paragraphs:
            starts, pos = [], 0
            for line in self.texts[key].split("\n"):
                if line.strip():
                    starts.append(pos)
                pos += len(line) + 1
            self._paragraphs[key] = starts
        return self._paragraphs[key]


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


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
