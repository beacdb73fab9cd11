"""WARC and WARC.gz web crawls as a stream of articles.

News crawls (Common Crawl's CC-NEWS, Heritrix, ``wget --warc-file``) store
each fetched page as a ``response`` record: HTTP headers plus the HTML.
Every HTML response with a 2xx status becomes one article, its text found by
the same extraction as a saved page (:func:`eventwire.readers.read_html`), so
a crawl and a folder of saved pages give the same analysis.

Metadata the crawl knows better than the page:

* ``url`` is the record's ``WARC-Target-URI`` (the page's own canonical URL
  may be missing or point elsewhere);
* ``published`` is the page's declared publication date when it has one,
  else the day of the HTTP ``Date`` header (when the server sent the page),
  else the day of ``WARC-Date`` (when the crawler stored it).  A page's own
  date is preferred because a crawl may fetch an article days after it
  appeared, and the date anchors "Thursday" and "last week".
* ``id`` is the record's ``WARC-Record-ID`` (a UUID, stable across re-reads),
  so ingesting the same crawl twice stores each page once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Union

from .model import Article, ArticleError

#: File names that hold a WARC (compared case-insensitively).
WARC_SUFFIXES = (".warc", ".warc.gz")
#: Media types of pages that can hold an article.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

Item = Union[Article, ArticleError]


def is_warc(path: Union[str, Path]) -> bool:
    """Whether a file name is a WARC by its extension."""
    return str(path).lower().endswith(WARC_SUFFIXES)


def warc_stem(path: Union[str, Path]) -> str:
    """A WARC file's name without ``.warc``/``.warc.gz`` (for error ids)."""
    name = Path(str(path)).name
    for suffix in (".warc.gz", ".warc"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return name


def read_warc_file(path: Path, max_bytes: int) -> Iterator[Item]:
    """Articles of one WARC file on disk (plain or gzipped; warcio detects which)."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield ArticleError(warc_stem(path), "unreadable", f"{path}: {exc}")
        return
    with handle:
        yield from read_warc(handle, str(path), max_bytes)


def read_warc(handle: BinaryIO, origin: str, max_bytes: int) -> Iterator[Item]:
    """Articles of a WARC stream, in record order.

    A damaged archive yields the articles before the damage and then one
    ``unreadable`` error; it never raises.
    """
    from warcio.archiveiterator import ArchiveIterator

    from .readers import read_html

    number = 0
    try:
        for record in ArchiveIterator(handle):
            number += 1
            media = _media_type(record)
            if media is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or None
            article_id = _record_id(record) or f"{warc_stem(origin)}-{number}"
            where = f"{origin}:{uri or number}"
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield ArticleError(article_id, "too_large",
                                   f"{where}: larger than the {max_bytes:,}-byte limit")
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than Content-Length
                yield ArticleError(article_id, "unreadable", f"{where}: the record is cut short")
                continue
            item = read_html(body, article_id, where)
            if isinstance(item, Article):
                item = replace(item, url=uri or item.url,
                               published=item.published or _record_day(record))
            yield item
    except Exception as exc:  # warcio raises ArchiveLoadFailed, zlib and OSError on damage
        yield ArticleError(f"{warc_stem(origin)}-{number + 1}", "unreadable",
                           f"{origin}: the archive is damaged after record {number} ({exc})")


def _media_type(record) -> Optional[str]:
    """The HTML media type of a usable record, or None to skip it."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        value = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        value = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    media = value.split(";", 1)[0].strip().lower()
    return media if media in HTML_TYPES else None


def _record_id(record) -> Optional[str]:
    value = (record.rec_headers.get_header("WARC-Record-ID") or "").strip().strip("<>")
    return value[len("urn:uuid:"):] if value.lower().startswith("urn:uuid:") else (value or None)


def _record_day(record) -> Optional[str]:
    """The HTTP ``Date`` day of a response, else the ``WARC-Date`` day."""
    http = getattr(record, "http_headers", None)
    header = http.get_header("Date") if http is not None else None
    if header:
        try:
            moment = parsedate_to_datetime(header)
            if moment.tzinfo is not None:
                moment = moment.astimezone(timezone.utc)
            return moment.date().isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    from .readers import normalise_date

    return normalise_date(record.rec_headers.get_header("WARC-Date"))
