"""Property-based and fuzz tests of the readers (hypothesis; profiles in hypothesis_profiles.py).

Invariants for any input bytes: reading never raises; every item is an
Article or an ArticleError; every string that reaches the output line encodes
as UTF-8 (no lone surrogates); every non-blank JSON line gives exactly one
item; a directory gives one item per article file, also when a file vanishes
between listing and reading; a huge single-line input is refused with
``too_large`` without being held in memory.  The regression tests at the end
pin the bugs these tests found.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from eventwire.analyze import analyze_stream
from eventwire.decode import InputError, decode_bytes, declared_charset
from eventwire.model import Article, ArticleError
from eventwire.readers import read_file, read_html, read_paths, read_stream

from hypothesis_profiles import examples

SURROGATE = re.compile("[\ud800-\udfff]")
ERROR_CODES = {"unreadable", "too_large", "bad_json", "binary", "no_text", "empty", "not_english"}
SUFFIXES = [".txt", ".html", ".jsonl", ".txt.gz", ".jsonl.gz", ".html.gz", ".gz", "", ".htm", ".json"]
NEWS = ("Officials in Accra said on Tuesday that the ministers of Ghana and Togo would meet "
        "next week to discuss a joint border patrol, and the talks were expected to last two days.")


def check_item(item: object) -> None:
    """An item the analysis and the output writer can take without crashing."""
    assert isinstance(item, (Article, ArticleError)), item
    strings = [v for v in vars(item).values() if isinstance(v, str)]
    assert isinstance(item.id, str) and item.id
    for value in strings:
        assert not SURROGATE.search(value), (item.id, value[:80])
        value.encode("utf-8")
    if isinstance(item, ArticleError):
        assert item.code in ERROR_CODES, item.code
        item.to_json().encode("utf-8")
    else:
        assert isinstance(item.text, str)
        assert item.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", item.published)


def read_bytes_as(tmp: Path, data: bytes, suffix: str, max_bytes: int = 5_000_000) -> list:
    path = tmp / f"fuzz{suffix}"
    path.write_bytes(data)
    return list(read_file(path, max_bytes=max_bytes))


# --------------------------------------------------------------------------- garbage bytes

@settings(max_examples=examples(40))
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_under_any_suffix_read_without_raising(tmp_path, data, suffix):
    items = read_bytes_as(tmp_path, data, suffix)
    if suffix in (".txt", ".html", ".htm", ".txt.gz", ".html.gz"):
        assert len(items) == 1  # one file, one article or one error
    elif suffix in (".jsonl", ".json"):
        assert len(items) == sum(1 for line in data.split(b"\n") if line.strip())
    for item in items:
        check_item(item)


@settings(max_examples=examples(40))
@given(payload=st.binary(min_size=1, max_size=4096), cut=st.floats(0, 1),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=4),
       suffix=st.sampled_from([".txt.gz", ".jsonl.gz", ".html.gz", ".gz"]))
def test_truncated_and_corrupted_gzip_is_an_error_not_a_crash(tmp_path, payload, cut, flips, suffix):
    blob = bytearray(gzip.compress(payload))
    for where, mask in flips:
        blob[int(where * (len(blob) - 1))] ^= mask
    blob = bytes(blob[:max(1, int(cut * len(blob)))]) if cut < 1 else bytes(blob)
    for item in read_bytes_as(tmp_path, blob, suffix):
        check_item(item)


@settings(max_examples=examples(30))
@given(data=st.binary(max_size=4096) | st.text(max_size=2000).map(lambda t: t.encode("utf-8")),
       declared=st.sampled_from([None, "utf-8", "cp1252", "utf-16", "utf-7", "shift_jis", "koi8-r",
                                 "idna", "punycode", "gb18030", "iso2022_jp"]))
def test_decode_bytes_returns_text_or_an_input_error(data, declared):
    try:
        text = decode_bytes(data, declared)
    except InputError as exc:
        assert exc.code == "binary"
        return
    assert not SURROGATE.search(text)


# --------------------------------------------------------------------------- JSON Lines

_ids = st.one_of(st.text(min_size=1, max_size=12), st.integers(), st.none(), st.floats(allow_nan=False),
                 st.booleans(), st.lists(st.integers(), max_size=2), st.just(""))
_texts = st.one_of(st.text(max_size=200), st.just(NEWS), st.integers(), st.none(), st.lists(st.text(max_size=5)),
                   st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
_meta = st.one_of(st.none(), st.text(max_size=20), st.integers(), st.just("2019-01-10"),
                  st.just("2024-02-30T10:00:00Z"), st.lists(st.none(), max_size=1))
_record = st.fixed_dictionaries(
    {}, optional={"id": _ids, "text": _texts, "title": _meta, "published": _meta, "url": _meta,
                  "source": _meta, "extra": st.recursive(st.none() | st.integers(), st.lists, max_leaves=5)})
_SURROGATE_ESCAPES = [b'"\\ud800"', b'"\\udfff tail"', b'"a\\udbff"', b'"\\ud83d\\ude00"']


def _line(kind: str, record: dict, noise: bytes, escape: bytes) -> bytes:
    good = json.dumps(record).encode()
    if kind == "record":
        return good
    if kind == "surrogates":
        fields = b",".join(b'"%s":%s' % (name, escape) for name in (b"id", b"title", b"url", b"source"))
        return b'{' + fields + b',"text":' + escape + b'}'
    if kind == "truncated":
        return good[:max(1, len(good) // 2)]
    if kind == "garbage":
        return noise.replace(b"\n", b" ")
    if kind == "deep":
        return b'{"id":"deep","text":' + b"[" * 50_000 + b"}"
    if kind == "crlf":
        return good + b"\r"
    if kind == "array":
        return json.dumps([record]).encode()
    if kind == "blank":
        return b"  \t"
    return good.replace(b"}", b",}")  # "trailing comma"


_lines = st.lists(st.tuples(
    st.sampled_from(["record", "record", "surrogates", "truncated", "garbage", "deep", "crlf", "array",
                     "blank", "comma"]),
    _record, st.binary(max_size=60), st.sampled_from(_SURROGATE_ESCAPES)), min_size=1, max_size=12)


@settings(max_examples=examples(40))
@given(lines=_lines, gz=st.booleans())
def test_every_non_blank_json_line_gives_exactly_one_item(tmp_path, lines, gz):
    raw = [_line(*spec) for spec in lines]
    data = b"\n".join(raw) + b"\n"
    items = read_bytes_as(tmp_path, gzip.compress(data) if gz else data, ".jsonl.gz" if gz else ".jsonl")
    expected = [line for line in raw if line.strip()]
    assert len(items) == len(expected)
    for item, line in zip(items, expected):
        check_item(item)
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            assert isinstance(item, ArticleError) and item.code == "bad_json"
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            assert isinstance(item, ArticleError) and item.code == "bad_json"
            continue
        assert isinstance(item, Article)
        raw_id = record.get("id")
        if isinstance(raw_id, str) and raw_id and not SURROGATE.search(raw_id):
            assert item.id == raw_id


@settings(max_examples=examples(20))
@given(lines=_lines, limit=st.integers(40, 400))
def test_lines_over_the_byte_limit_are_too_large_and_the_stream_goes_on(lines, limit):
    raw = [_line(*spec) for spec in lines]
    items = list(read_stream(io.BytesIO(b"{}\n" + b"\n".join(raw) + b"\n"), max_bytes=limit))
    assert len(items) == 1 + sum(1 for line in raw if line.strip())
    for item, line in zip(items[1:], [line for line in raw if line.strip()]):
        check_item(item)
        if len(line) > limit:  # the limit counts the line without its newline
            assert isinstance(item, ArticleError) and item.code == "too_large"
        else:
            assert getattr(item, "code", None) != "too_large"


# --------------------------------------------------------------------------- HTML

_tags = st.sampled_from(["div", "p", "span", "b", "i", "table", "tr", "td", "ul", "li", "article",
                         "section", "script", "style", "a", "h1", "svg", "math", "iframe", "noscript",
                         "template", "textarea", "title", "xmp", "plaintext"])
_html_piece = st.one_of(
    _tags.map(lambda t: f"<{t}>"), _tags.map(lambda t: f"</{t}>"), _tags.map(lambda t: f"<{t}"),
    st.sampled_from(["<", ">", "<!--", "-->", "<![CDATA[", "]]>", "&", "&amp;", "&#x1F600;", "&#0;",
                     "&#xD800;", "&nbsp", "&lol;", "<?xml version='1.0'?>", "<!DOCTYPE html>",
                     '<meta charset="utf-16">', '<meta charset="unicode_escape">', "\x00", "\ufeff"]),
    st.just(NEWS), st.text(max_size=20))


@settings(max_examples=examples(30))
@given(pieces=st.lists(_html_piece, max_size=60), depth=st.integers(0, 3000), tag=_tags)
def test_malformed_and_deeply_nested_html_never_raises(pieces, depth, tag):
    body = "".join(pieces)
    page = f"<html><body>{('<' + tag + '>') * depth}{body}</body></html>"
    try:
        item = read_html(page.encode("utf-8", "surrogatepass"), "page", "page.html")
    except InputError as exc:  # binary bytes in a page: the one error read_html raises (callers catch it)
        assert exc.code == "binary"
        return
    check_item(item)


def test_html_bombs_are_bounded(tmp_path):
    """Huge nesting, an entity-expansion DTD and an entity storm: an answer, in bounded memory."""
    para = f"<p>{NEWS}</p>".encode()
    lol = b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10 if i else b"lol")
                   for i in range(10))
    bombs = {
        "nest": b"<html><body>" + b"<div>" * 100_000 + para + b"</div>" * 100_000 + b"</body></html>",
        "unclosed": b"<html><body>" + b"<b><i>" * 100_000 + para,
        "billion": b'<?xml version="1.0"?><!DOCTYPE html [' + lol + b"]><html><body><p>&l9;</p>" + para
                   + b"</body></html>",
        "entities": b"<html><body><p>" + b"&amp;&#x1F600;&lt;" * 50_000 + b"</p>" + para + b"</body></html>",
    }
    for name, data in bombs.items():
        tracemalloc.start()
        item = read_html(data, name)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        check_item(item)
        assert peak < 200 * len(data) + 50_000_000, (name, peak)
        if isinstance(item, Article):
            assert "lollollollollollollollollollollollol" * 100 not in item.text  # no expansion


# --------------------------------------------------------------------------- directories

_FILES = {
    "good.txt": NEWS.encode(),
    "empty.txt": b"",
    "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "notgzip.txt.gz": b"this is not gzip",
    "truncated.txt.gz": gzip.compress(NEWS.encode())[:20],
    "page.html": f"<html><head><title>Talks</title></head><body><article><p>{NEWS}</p></article></body></html>".encode(),
    "menu.html": b"<html><body><ul><li>Home</li><li>World</li></ul></body></html>",
    "french.txt": ("Les ministres du Ghana et du Togo se sont r\u00e9unis mardi pour discuter d'une "
                   "patrouille commune \u00e0 la fronti\u00e8re, et les discussions dureront deux jours.").encode(),
    "ignored.csv": b"a,b\n1,2\n",
    ".hidden.txt": NEWS.encode(),
}


@settings(max_examples=examples(6))
@given(names=st.lists(st.sampled_from(sorted(_FILES)), min_size=1, max_size=6, unique=True),
       lines=st.lists(st.sampled_from([json.dumps({"id": "j1", "text": NEWS}), "{broken", "[1, 2]",
                                       json.dumps({"text": 7}), json.dumps({"id": "j2", "text": ""})]),
                      max_size=4),
       vanish=st.integers(0, 8))
def test_directory_gives_one_item_per_article_even_when_a_file_vanishes(tmp_path_factory, nlp, names, lines,
                                                                       vanish):
    """read_paths + analyze_stream over a directory: every article appears once, in order.

    The file at position ``vanish`` is deleted after the directory was listed
    and the first item read; it must come out as one ``unreadable`` error.
    """
    root = tmp_path_factory.mktemp("corpus")
    for name in names:
        (root / name).write_bytes(_FILES[name])
    (root / "sub").mkdir()
    (root / "sub" / "feed.jsonl").write_text("\n".join(lines) + "\n")
    articles = sorted(n for n in names if n not in ("ignored.csv", ".hidden.txt"))
    expected = [n.split(".")[0] for n in articles] + [
        json.loads(line).get("id", f"feed-{i}") if line.startswith('{"') else f"feed-{i}"
        for i, line in enumerate(lines, 1)]
    victim = articles[vanish] if 0 < vanish < len(articles) else None

    def reading():
        for index, item in enumerate(read_paths([str(root)])):
            yield item
            if index == 0 and victim:
                os.remove(root / victim)

    results = list(analyze_stream(reading(), batch_size=3, nlp=nlp))
    assert [r.id for r in results] == expected
    for result in results:
        result.to_json().encode("utf-8")
        if isinstance(result, ArticleError):
            assert result.code in ERROR_CODES, result
    if victim:
        [gone] = [r for r in results if r.id == victim.split(".")[0]]
        assert isinstance(gone, ArticleError) and gone.code == "unreadable"


def test_file_replaced_by_a_directory_or_a_subdirectory_removed_mid_walk(tmp_path):
    (tmp_path / "a.txt").write_text(NEWS)
    (tmp_path / "b.txt").write_text(NEWS)
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "c.txt").write_text(NEWS)
    stream = read_paths([str(tmp_path)])
    first = next(stream)
    os.remove(tmp_path / "b.txt")
    (tmp_path / "b.txt").mkdir()
    (tmp_path / "z" / "c.txt").unlink()
    (tmp_path / "z").rmdir()
    rest = list(stream)
    assert first.id == "a" and [(r.id, getattr(r, "code", None)) for r in rest] == [("b", "unreadable")]


# --------------------------------------------------------------------------- memory

def _write_single_line(path: Path, size: int, prefix: bytes = b"", suffix: bytes = b"") -> None:
    chunk = b"word " * 200_000  # 1 MB, no newline
    with open(path, "wb") as handle:
        handle.write(prefix)
        for _ in range(size // len(chunk)):
            handle.write(chunk)
        handle.write(suffix)


@pytest.mark.parametrize("name, prefix, suffix", [
    ("huge.txt", b"", b""),
    ("huge.html", b"<html><body><p>", b"</p></body></html>"),
    ("huge.jsonl", b'{"id": "huge", "text": "', b'"}\n{"id": "after", "text": "Small."}\n'),
    ("huge", b'{"id": "huge", "text": "', b'"}\n'),  # sniffed as JSON Lines
])
def test_fifty_megabyte_single_line_is_refused_without_loading_it(tmp_path, name, prefix, suffix):
    path = tmp_path / name
    _write_single_line(path, 50_000_000, prefix, suffix)
    tracemalloc.start()
    items = list(read_file(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert items[0].id == "huge" and isinstance(items[0], ArticleError) and items[0].code == "too_large"
    assert [i.id for i in items[1:]] == (["after"] if "after" in suffix.decode() else [])
    assert peak < 16_000_000, peak  # the 5 MB limit plus a chunk, never 50 MB


def test_fifty_megabyte_gzip_bomb_and_stdin_are_refused_in_bounded_memory(tmp_path):
    bomb = gzip.compress(b"x" * 50_000_000, compresslevel=1)
    (tmp_path / "bomb.txt.gz").write_bytes(bomb)
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(b'{"id": "b", "text": "' + b"x" * 50_000_000,
                                                           compresslevel=1))
    stdin = io.BytesIO(b"y" * 50_000_000)  # allocated before measuring
    tracemalloc.start()
    items = list(read_paths([str(tmp_path / "bomb.txt.gz"), str(tmp_path / "bomb.jsonl.gz")]))
    items += list(read_stream(stdin))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [(i.id, i.code) for i in items] == [("bomb", "too_large"), ("b", "too_large"), ("stdin", "too_large")]
    assert peak < 16_000_000, peak


# --------------------------------------------------------------------------- regressions

def test_regression_corrupt_deflate_data_is_unreadable_not_a_zlib_crash(tmp_path):
    """Bug 1: a .gz whose compressed body is damaged raised zlib.error and ended the run."""
    blob = bytearray(gzip.compress(("The talks went on. " * 2000).encode()))
    for i in range(20, 60):
        blob[i] ^= 0x55
    for suffix in (".txt.gz", ".jsonl.gz"):
        with pytest.raises(zlib.error):
            gzip.decompress(bytes(blob))
        [item] = read_bytes_as(tmp_path, bytes(blob), suffix)
        assert isinstance(item, ArticleError) and item.code == "unreadable"


def test_regression_deeply_nested_json_line_is_bad_json_not_a_recursion_crash():
    """Bug 2: '{"text": [[[[...' raised RecursionError from json.loads and ended the run."""
    data = b'{"id": "deep", "text": ' + b"[" * 200_000 + b"\n" + json.dumps({"id": "next", "text": NEWS}).encode()
    items = list(read_stream(io.BytesIO(data)))
    assert [(i.id, getattr(i, "code", None)) for i in items] == [("deep", "bad_json"), ("next", None)]


def test_regression_lone_surrogates_in_id_url_and_source_are_replaced():
    """Bug 3: a lone surrogate escape in "id", "url" or "source" reached the output line,
    which then could not be written as UTF-8 (UnicodeEncodeError ended the run)."""
    line = b'{"id": "a\\ud800", "text": "Hello.", "url": "http://x/\\udfff", "source": "\\udbffWire"}\n'
    [item] = list(read_stream(io.BytesIO(line)))
    assert (item.id, item.url, item.source) == ("a\ufffd", "http://x/\ufffd", "\ufffdWire")
    [item] = list(read_stream(io.BytesIO(b'{"id": "b\xed\xa0\x80", "text": "Hi."}\n')))  # UTF-8-encoded surrogate
    assert item.id == "b\ufffd"


def test_regression_id_of_an_unparsable_line_has_its_escapes_decoded():
    """Bug 4: the id rescued from a bad or over-long line kept its JSON escapes
    ('a\\"b\\u00e9' instead of 'a"b\u00e9'), so it did not match the id of the same record read whole."""
    long_line = b'{"id": "a\\"b\\u00e9", "text": "' + b"x" * 3000 + b'"}\n'
    broken = b'{"id": "c\\u00e9\\ud800", "text": \n'
    items = list(read_stream(io.BytesIO(long_line + broken), max_bytes=1000))
    assert [(i.id, i.code) for i in items] == [('a"b\u00e9', "too_large"), ("c\u00e9\ufffd", "bad_json")]


def test_regression_python_escape_codecs_are_not_taken_as_a_page_charset():
    """Bug 5: <meta charset="unicode_escape"> was honoured: backslashes in the page became
    escapes and "\\ud800" a lone surrogate.  No browser knows these codecs."""
    page = b'<html><head><meta charset="unicode_escape"></head><body><p>C:\\new \\ud800 \xff</p></body></html>'
    assert declared_charset(page) is None
    assert declared_charset(b'<meta charset="raw_unicode_escape">') is None
    assert declared_charset(b'<meta charset="windows-1252">') == "cp1252"


def test_cli_run_over_hostile_inputs_writes_one_line_per_article(tmp_path, nlp):
    """End to end (in-process CLI): the inputs that used to end a run (bugs 1-3) now each give
    one error line, and the articles around them are still analysed."""
    from typer.testing import CliRunner

    from eventwire.cli import app

    blob = bytearray(gzip.compress((NEWS + " ").encode() * 200))
    for i in range(20, 60):
        blob[i] ^= 0x55
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(NEWS)
    (tmp_path / "in" / "b.txt.gz").write_bytes(bytes(blob))
    (tmp_path / "in" / "c.jsonl").write_bytes(
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"\n"
        + b'{"id": "s\\ud800", "text": "' + NEWS.encode() + b'", "url": "\\udfff"}\n'
        + b'{"id": "big\\u00e9", "text": "' + b"x" * 6_000_000 + b'"}\n'
        + json.dumps({"id": "last", "text": NEWS}).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "in"), "-o", str(out), "--no-progress"])
    assert result.exit_code == 1, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], (r.get("error") or {}).get("code")) for r in lines] == [
        ("a", None), ("b", "unreadable"), ("deep", "bad_json"), ("s\ufffd", None), ("big\u00e9", "too_large"),
        ("last", None)]
    assert lines[3]["url"] == "\ufffd"
