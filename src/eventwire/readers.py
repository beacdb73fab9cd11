"""Readers: files, directories and standard input to a stream of articles.

Each reader is a generator, so a corpus of any size streams through in
constant memory.  A file that cannot be read becomes an
:class:`~eventwire.model.ArticleError` in the stream, never an exception: the
other articles of the run must still be analysed.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zlib
from datetime import date
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from .decode import InputError, decode_bytes, declared_charset
from .model import Article, ArticleError

#: Largest article (in bytes of input) that is read at all; larger ones are
#: reported as ``too_large`` without loading them into memory.
MAX_ARTICLE_BYTES = 5_000_000

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

Item = Union[Article, ArticleError]

_ID_PREFIX = re.compile(rb'"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WORDS = re.compile(r"[^\W\d_]+")
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
#: A saved page must have a line of at least this many words to be an article.
MIN_PROSE_WORDS = 6


def read_paths(paths: Iterable[str], stdin: Optional[BinaryIO] = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """Articles from every path in order; ``-`` (or no path) is standard input."""
    paths = list(paths) or ["-"]
    for path in paths:
        if path == "-":
            import sys

            yield from read_stream(stdin or sys.stdin.buffer, max_bytes=max_bytes)
        elif os.path.isdir(path):
            for file in walk_articles(Path(path)):
                yield from read_file(file, max_bytes=max_bytes)
        else:
            yield from read_file(Path(path), max_bytes=max_bytes)


def walk_articles(root: Path) -> Iterator[Path]:
    """Article files under ``root`` in a stable (sorted) order; hidden files skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if _format_of(Path(name)) is not None or name.lower().endswith((".warc", ".warc.gz")):
                yield Path(dirpath) / name


def _format_of(path: Path) -> Optional[str]:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return None


def article_id_for(path: Path) -> str:
    """A file's article id: its name without extensions (``a.html.gz`` -> ``a``)."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem or name


def _open(path: Path) -> BinaryIO:
    raw = open(path, "rb")
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """Articles in one file, by its extension (sniffed when it has none we know)."""
    if str(path).lower().endswith((".warc", ".warc.gz")):  # web crawls: see warc.py
        from .warc import read_warc_file

        yield from read_warc_file(path, max_bytes)
        return
    fmt = _format_of(path)
    try:
        with _open(path) as handle:
            if fmt is None:
                fmt = _sniff(handle)
            if fmt == "jsonl":
                yield from read_jsonl(handle, stem=article_id_for(path), origin=str(path),
                                      max_bytes=max_bytes)
                return
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:  # zlib: corrupt deflate data
        yield ArticleError(article_id_for(path), "unreadable", f"{path}: {exc}")
        return
    yield _document(data, fmt, article_id_for(path), str(path), max_bytes)


def _sniff(handle: BinaryIO) -> str:
    head = handle.peek(512)[:512] if hasattr(handle, "peek") else b""
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped[:1] == b"<" and re.search(rb"<(html|body|head|p|div|!doctype)", stripped, re.I):
        return "html"
    return "text"


def read_stream(handle: BinaryIO, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """Standard input: JSON Lines if it starts with ``{``, else one article."""
    buffered = handle if hasattr(handle, "peek") else io.BufferedReader(handle)  # type: ignore[arg-type]
    fmt = _sniff(buffered)  # type: ignore[arg-type]
    if fmt == "jsonl":
        yield from read_jsonl(buffered, stem="stdin", origin="<stdin>", max_bytes=max_bytes)
    else:
        yield _document(buffered.read(max_bytes + 1), fmt, "stdin", "<stdin>", max_bytes)


def _document(data: bytes, fmt: str, article_id: str, origin: str, max_bytes: int) -> Item:
    """One whole-file article (text or HTML) from its bytes."""
    if len(data) > max_bytes:
        return ArticleError(article_id, "too_large",
                            f"{origin}: larger than the {max_bytes:,}-byte limit")
    try:
        if fmt == "html":
            return read_html(data, article_id, origin)
        return Article(id=article_id, text=decode_bytes(data), origin=origin)
    except InputError as exc:
        return ArticleError(article_id, exc.code, f"{origin}: {exc.message}")


def read_html(data: bytes, article_id: str, origin: str = "") -> Item:
    """A saved web page: trafilatura's main text, title, date and URL."""
    import trafilatura

    html = decode_bytes(data, declared_charset(data))
    try:
        # No extensive date search: it takes "© 2024" in a footer for 2024-01-01,
        # and a wrong date is worse than none (it anchors "Thursday").
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False,
                                          date_extraction_params=_DATE_PARAMS)
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        return ArticleError(article_id, "no_text", f"{origin}: the page could not be parsed ({exc})")
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not _has_prose(text):
        return ArticleError(article_id, "no_text", f"{origin}: no article text found in the page")
    return Article(
        id=article_id,
        text=text,
        title=getattr(doc, "title", None) or None,
        published=normalise_date(getattr(doc, "date", None)),
        url=getattr(doc, "url", None) or None,
        source=getattr(doc, "sitename", None) or getattr(doc, "hostname", None) or None,
        origin=origin,
    )


def _has_prose(text: str) -> bool:
    """Whether extracted page text has a line of prose once furniture is gone.

    On a page with no article, trafilatura falls back to menu items and
    cookie notices ("Home", "World", "We use cookies"); none of that is news.
    """
    from .clean import drop_furniture

    lines, _ = drop_furniture([line.strip() for line in text.split("\n") if line.strip()])
    return any(len(_WORDS.findall(line)) >= MIN_PROSE_WORDS for line in lines)


def normalise_date(value: object) -> Optional[str]:
    """``YYYY-MM-DD`` from a date-like string (a timestamp keeps its day), else None."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:  # 2024-02-30, month 13
        return None


def _bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[bytes, bool]]:
    """Lines split on ``\\n`` only, each at most ``max_bytes``.

    A longer line yields its first bytes and ``True`` and the rest is skipped
    without being held in memory.
    """
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            head = line[:4096]
            while True:
                chunk = handle.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield head, True
        else:
            yield line, False


def read_jsonl(handle: BinaryIO, stem: str, origin: str,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """One article per JSON line (``id``, ``text`` and optional metadata)."""
    lineno = 0
    for raw, too_long in _bounded_lines(handle, max_bytes):
        lineno += 1
        fallback_id = f"{stem}-{lineno}"
        where = f"{origin}:{lineno}"
        if too_long:
            article_id = _raw_id(raw, fallback_id)
            yield ArticleError(article_id, "too_large",
                               f"{where}: line longer than the {max_bytes:,}-byte limit")
            continue
        if not raw.strip():
            continue
        yield parse_json_record(raw, fallback_id, where)


def parse_json_record(raw: bytes, fallback_id: str, where: str) -> Item:
    """One JSON Lines record to an article, or a ``bad_json`` error."""
    try:
        record = json.loads(raw.decode("utf-8", errors="surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: [[[[... bombs
        article_id = _raw_id(raw[:4096], fallback_id)
        return ArticleError(article_id, "bad_json", f"{where}: not valid JSON ({exc})")
    if not isinstance(record, dict):
        return ArticleError(fallback_id, "bad_json", f"{where}: expected a JSON object")
    raw_id = record.get("id")
    article_id = _scrub_surrogates(str(raw_id)) if isinstance(raw_id, (str, int)) and str(raw_id) else fallback_id
    text = record.get("text")
    if not isinstance(text, str):
        return ArticleError(article_id, "bad_json", f"{where}: field 'text' must be a string")
    text = _scrub_surrogates(text)
    meta = {key: record.get(key) for key in ("title", "url", "source")}
    return Article(
        id=article_id,
        text=text,
        title=_scrub_surrogates(meta["title"]) if isinstance(meta["title"], str) else None,
        published=normalise_date(record.get("published")),
        url=_scrub_surrogates(meta["url"]) if isinstance(meta["url"], str) else None,
        source=_scrub_surrogates(meta["source"]) if isinstance(meta["source"], str) else None,
        origin=where,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub_surrogates(text: str) -> str:
    """Lone surrogates (legal in JSON escapes, illegal in UTF-8) become U+FFFD.

    Every string that reaches the output line needs this (id, url, source as
    well as text): one lone surrogate makes the line unwritable as UTF-8.
    """
    return _SURROGATE.sub("\ufffd", text)


def _raw_id(raw: bytes, fallback_id: str) -> str:
    """The ``id`` of a line that cannot be parsed whole, with its JSON escapes decoded."""
    match = _ID_PREFIX.search(raw)
    if not match:
        return fallback_id
    try:
        value = json.loads(b'"' + match.group(1) + b'"')
    except ValueError:
        value = match.group(1).decode("utf-8", "replace")
    return _scrub_surrogates(value) or fallback_id
