"""Fuzzing the readers: mutated report files (web page, .mht, text, Word, JSON, PDF) and the
promises checked on each one, shared by ``test_fuzz_inputs.py`` (bounded, in the suite) and
``bench/fuzz_inputs.py`` (the long run).

Each case is a real report file with a few mutations: bytes flipped, deleted, repeated or
cut, and tokens that broke readers before (a 5,000-digit number, a lone surrogate, spans
of 9999, ``gridSpan="abc"``, a control character) inserted; for JSON and Word also inside
their structure (a value replaced; the text part of the .docx changed and zipped again).
The bad file is aggregated between two good reports, as the district office would, and:

- reading it raises nothing but the project's own ``ImportFailure`` (a Chinese message);
- it takes less than 10 s (a hang is interrupted by an alarm where the system has one);
- the good reports are summed exactly (and the bad one too when it was readable and of
  the same year and format);
- what was read can be written as the exchange JSON (or is refused in Chinese) and the
  spreadsheet of the aggregate is written.
"""
from __future__ import annotations

import contextlib
import email.message
import io
import json
import re
import signal
import time
import traceback
import zipfile
import zlib
from decimal import Decimal
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

import hostile_files as hf
from app import exchange
from app.aggregate.summing import AggregateError, aggregate_entries, read_entries
from app.aggregate.xlsx import write_xlsx
from app.importer import ImportFailure, import_file

LIMIT_S = 10
KINDS = ("html", "mht", "txt", "docx", "json", "pdf")
SUFFIX = {"html": ".html", "mht": ".mht", "txt": ".txt", "docx": ".docx", "json": ".json",
          "pdf": ".pdf"}

COMMON = [b"9" * 5000, b"\x00", b"\x01", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\t", b"\n" * 3,
          "１２".encode(), "\u3000".encode(), b"-1", b"0.1234567", "万元".encode(), "元".encode(),
          "一、总体情况".encode(), "（三）".encode(), b"12345678901234567890123456789.5"]
TOKENS = {
    "html": COMMON + [b'<td rowspan="9999" colspan="9999">', b'<td colspan="abc">', b"<table>",
                      b"</table>", b"<tr>", b"</td>", b"<br>", b"&#0;", b"&#xD800;", b"<script>",
                      b'<meta charset="utf-16">', b"<!--", b"<![CDATA["],
    "txt": COMMON + [b"\t" * 40, "行政许可\t1\t2".encode(), b"\xfe\xff"],
    "docx": COMMON + [b'<w:gridSpan w:val="abc"/>', b'<w:gridSpan w:val="9999999"/>',
                      b'<w:gridAfter w:val="3"/>', b'<w:vMerge/>', b"<w:tc>", b"</w:tr>", b"&#0;",
                      b"<w:tbl>", b"</w:tbl>", b"<w:p>"],
    "json": COMMON + [b'"\\ud800"', b"null", b"[]", b"{}", b"1e999", b"NaN", b'"year": 2020, ',
                      b'"organ": "x", ', b"[" * 2000, b'"' + "字".encode() * 200 + b'"'],
    "pdf": COMMON + [b"/FlateDecode", b"/LZWDecode", b"stream\n", b"endstream", b"9999999999 0 R",
                     b"<<", b">>", b"obj", b"/Length 99999999", b"%%EOF", b"xref"],
}
TOKENS["mht"] = TOKENS["html"] + [b"Content-Transfer-Encoding: base64\n", b"=\n", b"=FF",
                                  b'charset="nonexistent"', b"--boundary--"]

JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=30),
    st.sampled_from(["4.093", "1e5", "-1", "１２", "9" * 40, "0.00000000001", " 1", "\ud800",
                     "12345678901234567890123456789.5", "2020-02-30", "\x01"]),
    st.lists(st.integers(0, 9), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


# ------------------------------------------------------------------ seeds
@cache
def seed(kind: str) -> bytes:
    """A good report file of each kind (made once per process)."""
    if kind == "html":
        return hf.PINGTAN_HTML.read_bytes()
    if kind == "mht":
        return mht_of(hf.PINGTAN_HTML.read_bytes(), "utf-8", "quoted-printable")
    if kind == "txt":
        return hf.ZUNHUADIAN_TXT.read_bytes()
    if kind == "docx":
        return hf.good_docx(hf.ZUNHUADIAN_JSON)
    if kind == "json":
        return hf.ZUNHUADIAN_JSON.read_bytes()
    import datetime as dt

    from app.pdf import render_pdf
    when = dt.datetime(2021, 1, 20, tzinfo=dt.UTC)
    return render_pdf(exchange.read_file(hf.ZUNHUADIAN_JSON), created=when)


def mht_of(html: bytes, charset: str, encoding: str) -> bytes:
    """A single-file saved page (MIME) holding ``html``."""
    message = email.message.EmailMessage()
    message["Subject"] = "年报"
    message.set_content("封面", subtype="plain")
    message.add_alternative(html, maintype="text", subtype="html", cte=encoding,
                            params={"charset": charset})
    message.set_boundary("----=_NextPart_nianbao")   # email picks one at random otherwise
    return message.as_bytes()


# ------------------------------------------------------------------ mutations
@st.composite
def byte_mutations(draw, data: bytes, tokens: list[bytes]) -> bytes:
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "insert", "delete", "cut", "repeat"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip":
            data = data[:pos] + bytes([draw(st.integers(0, 255))]) + data[pos + 1:]
        elif op == "insert":
            token = draw(st.one_of(st.sampled_from(tokens), st.binary(max_size=32)))
            data = data[:pos] + token + data[pos:]
        elif op == "delete":
            data = data[:pos] + data[pos + draw(st.integers(1, 4096)):]
        elif op == "cut":
            data = data[:pos]
        else:
            chunk = data[pos:pos + draw(st.integers(1, 512))]
            data = data[:pos] + chunk * draw(st.integers(2, 40)) + data[pos:]
    return data


@st.composite
def json_value_mutation(draw, data: bytes) -> bytes:
    """Replace values anywhere in the report with values of other types and sizes."""
    obj = json.loads(data)
    paths = list(_paths(obj, ()))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths))
        target = obj
        for key in path[:-1]:     # an earlier replacement may have cut the path short
            target = target.get(key) if isinstance(target, dict) else None
        if isinstance(target, dict) and path[-1] in target:
            target[path[-1]] = draw(JSON_VALUES)
    return json.dumps(obj, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


CELL_TEXTS = st.one_of(st.sampled_from(["", "9" * 5000, "abc", "１２", "1,234", "-3", "4.0930万元",
                                         "75394432.52元", "0.1234567", "（一）", "合计", "\u3000"]),
                       st.text(max_size=20))
WORD_TOKENS = [b'<w:tcPr><w:gridSpan w:val="abc"/></w:tcPr>', b'<w:tcPr><w:gridSpan w:val="9999999"/></w:tcPr>',
               b'<w:trPr><w:gridAfter w:val="3"/></w:trPr>', b'<w:trPr><w:gridBefore w:val="2"/></w:trPr>',
               b'<w:tcPr><w:vMerge/></w:tcPr>', b'<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>',
               b"<w:tc><w:p/></w:tc>", b"<w:tr><w:tc><w:p/></w:tc></w:tr>", b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"]


@st.composite
def word_xml_mutation(draw, xml: bytes) -> bytes:
    """Well-formed changes of a Word file's text part: a cell's text replaced, a cell
    dropped (a row with one cell fewer, as Word writes with gridAfter), merge settings and
    rows inserted after an opening tag."""
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["text", "drop", "insert"]))
        if op == "text":
            spans = [m.span(1) for m in re.finditer(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)]
            if spans:
                a, b = draw(st.sampled_from(spans))
                text = draw(CELL_TEXTS).encode("utf-8", "surrogatepass")
                xml = xml[:a] + text.replace(b"&", b"&amp;").replace(b"<", b"&lt;") + xml[b:]
        elif op == "drop":
            cells = [m.span() for m in re.finditer(rb"<w:tc>.*?</w:tc>", xml, re.S)]
            if cells:
                a, b = draw(st.sampled_from(cells))
                xml = xml[:a] + xml[b:]
        else:
            opens = [m.end() for m in re.finditer(rb"<w:(?:tc|tr|tbl)>", xml)]
            if opens:
                at = draw(st.sampled_from(opens))
                xml = xml[:at] + draw(st.sampled_from(WORD_TOKENS)) + xml[at:]
    return xml


def _paths(obj, prefix):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))


@st.composite
def mutated(draw, kind: str) -> bytes:
    data = seed(kind)
    if kind == "json" and draw(st.booleans()):
        return draw(json_value_mutation(data))
    if kind == "docx" and draw(st.booleans()):      # inside the text part, zipped again
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        xml = draw(st.one_of(byte_mutations(xml, TOKENS["docx"]), word_xml_mutation(xml)))
        return hf.rezip(data, lambda n, d: xml if n == "word/document.xml" else d)
    if kind == "mht" and draw(st.booleans()):        # the page inside, in another encoding
        html = draw(byte_mutations(seed("html"), TOKENS["html"]))
        charset = draw(st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1"]))
        try:
            html.decode("utf-8").encode(charset)
        except (UnicodeError, LookupError):
            charset = "utf-8"
        return mht_of(html, charset, draw(st.sampled_from(["base64", "quoted-printable", "8bit"])))
    if kind == "pdf" and draw(st.booleans()):        # the attached data, in a small PDF
        attached = draw(json_value_mutation(seed("json")))
        return hf._pdf_with_attachment(b"/Filter /FlateDecode", zlib.compress(attached))
    return draw(byte_mutations(data, TOKENS[kind]))


# ------------------------------------------------------------------ the promises
class Hang(Exception):
    """A case ran longer than ``LIMIT_S``."""


@contextlib.contextmanager
def within(seconds: float):
    """Interrupt the block after ``seconds`` (POSIX main thread; elsewhere only timed)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(*_):
        raise Hang(f"more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


CJK = re.compile(r"[\u4e00-\u9fff]")


def good_files(folder: Path) -> tuple[Path, Path]:
    a, b = folder / "a.json", folder / "b.json"
    a.write_bytes(hf.ZUNHUADIAN_JSON.read_bytes())
    b.write_text(hf.renamed_copy(hf.ZUNHUADIAN_JSON, "某某乡人民政府"), encoding="utf-8")
    return a, b


def check(kind: str, data: bytes, folder: Path) -> str:
    """Aggregate ``data`` (a file of ``kind``) between two good reports and check every
    promise; returns "read" or "refused"; raises AssertionError when one is broken."""
    a, b = good_files(folder)
    bad = folder / f"bad{SUFFIX[kind]}"
    bad.write_bytes(data)
    bugs: list[str] = []

    def reader(path: Path):
        try:
            return import_file(path)
        except ImportFailure:
            raise
        except Exception:
            bugs.append(traceback.format_exc())
            raise

    started = time.monotonic()
    with within(LIMIT_S):
        entries = read_entries([a, bad, b], reader)
    elapsed = time.monotonic() - started
    assert not bugs, f"{kind}: not the project's own error:\n{bugs[0]}"
    assert elapsed < LIMIT_S, f"{kind}: {elapsed:.1f} s"
    entry = entries[1]
    assert (entry.report is None) != (entry.failure is None)
    if entry.failure is not None:
        assert CJK.search(entry.failure) and "Traceback" not in entry.failure, entry.failure
    _check_sum(entries, folder)
    return "read" if entry.report is not None else "refused"


def _check_sum(entries, folder: Path) -> None:
    good = [entries[0].report, entries[2].report]
    bad = entries[1].report
    try:
        agg = aggregate_entries(entries)
    except AggregateError as exc:   # the bad file read as a report of another year/format
        assert bad is not None and (bad.year, bad.version) != (good[0].year, good[0].version), exc
        return
    summed = good + ([bad] if bad is not None else [])
    for ref, value in agg.total.cells.items():
        values = [r.cells.get(ref) for r in summed if r.cells.get(ref) is not None]
        expected = sum(values, Decimal(0) if isinstance(value, Decimal) else 0) if values else None
        assert value == expected, (ref, value, expected)
    if bad is not None:
        try:
            exchange.encode(bad)
        except exchange.ExchangeError as exc:
            assert CJK.search(str(exc)), exc
        write_xlsx(agg, folder / "sum.xlsx")
