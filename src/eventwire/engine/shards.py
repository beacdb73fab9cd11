"""Input shards: which files a run reads, and the articles in each.

A shard is one input file (JSON Lines, WARC, Parquet, or a single text or
HTML page, gzipped or not).  It is the unit of scheduling, of output files
and of resumption, so a corpus should come as many files of a few thousand
articles rather than one huge file.  Local paths are read with the same
readers as ``eventwire analyze``; URIs (``s3://``, ``gs://``, ``hdfs://``,
``file://``) go through a pyarrow filesystem.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Iterator, Optional, Union

from ..model import Article, ArticleError
from ..readers import (HTML_SUFFIXES, JSONL_SUFFIXES, MAX_ARTICLE_BYTES, TEXT_SUFFIXES,
                       parse_json_record, read_file, read_jsonl)
from ..warc import is_warc, read_warc

Item = Union[Article, ArticleError]

#: Columns of a Parquet input shard that become article fields (only ``text`` is required).
PARQUET_COLUMNS = ("id", "text", "title", "published", "url", "source")

_GLOB = re.compile(r"[*?\[]")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Shard:
    """One input file and the stable name its output files carry."""

    id: str
    uri: str
    format: str
    size: int = 0
    mtime_ns: int = 0

    @property
    def remote(self) -> bool:
        return "://" in self.uri


def file_format(name: str) -> Optional[str]:
    """``jsonl``, ``warc``, ``parquet``, ``text`` or ``html`` from a file name; None for others."""
    lower = name.lower()
    if is_warc(lower):
        return "warc"
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith(".gz"):
        lower = lower[:-3]
    suffix = os.path.splitext(lower)[1]
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    return None


def shard_id(uri: str) -> str:
    """A readable, collision-safe name: the file's stem plus a hash of its full location."""
    stem = uri.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
    stem = _UNSAFE.sub("_", stem)[:40] or "shard"
    return f"{stem}-{hashlib.sha1(uri.encode('utf-8')).hexdigest()[:10]}"


def _shard(uri: str, size: int, mtime_ns: int) -> Optional[Shard]:
    fmt = file_format(uri.rsplit("/", 1)[-1])
    return Shard(shard_id(uri), uri, fmt, size, mtime_ns) if fmt else None


def _local(pattern: str) -> list[Shard]:
    pattern = os.path.expanduser(pattern)
    if os.path.isdir(pattern):
        files = [os.path.join(root, name) for root, dirs, names in os.walk(pattern)
                 for name in names if not name.startswith(".")]
    elif _GLOB.search(pattern):
        files = glob.glob(pattern, recursive=True)
    else:
        files = [pattern] if os.path.isfile(pattern) else []
    shards = []
    for file in sorted(files):
        if not os.path.isfile(file):
            continue
        stat = os.stat(file)
        shard = _shard(os.path.abspath(file), stat.st_size, stat.st_mtime_ns)
        if shard:
            shards.append(shard)
    return shards


def _remote(pattern: str) -> list[Shard]:
    import pyarrow.fs as pafs

    match = _GLOB.search(pattern)
    base = pattern[: match.start()].rsplit("/", 1)[0] if match else pattern
    fs, base_path = pafs.FileSystem.from_uri(base)
    scheme = pattern.split("://", 1)[0]
    wanted = base_path + pattern[len(base):] if match else None
    info = fs.get_file_info(base_path)
    if info.type == pafs.FileType.File:
        infos = [info]
    else:
        infos = fs.get_file_info(pafs.FileSelector(base_path, recursive=True, allow_not_found=True))
    shards = []
    for item in sorted(infos, key=lambda i: i.path):
        if item.type != pafs.FileType.File or (wanted and not fnmatch(item.path, wanted)):
            continue
        uri = f"{scheme}://{item.path}" if scheme != "file" else f"file://{item.path}"
        shard = _shard(uri, item.size or 0, item.mtime_ns or 0)
        if shard:
            shards.append(shard)
    return shards


def list_shards(patterns: list[str]) -> list[Shard]:
    """Every input file matched by ``patterns`` (globs, directories, files or URIs), once each."""
    seen: dict[str, Shard] = {}
    for pattern in patterns:
        for shard in (_remote(pattern) if "://" in pattern else _local(pattern)):
            seen.setdefault(shard.uri, shard)
    return list(seen.values())


def read_shard(shard: Shard, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The articles of one shard, in file order; a file that cannot be read is one error."""
    stem = shard.id.rsplit("-", 1)[0]
    try:
        if shard.format == "parquet":
            yield from _read_parquet(shard, stem)
        elif not shard.remote:
            yield from read_file(Path(shard.uri), max_bytes=max_bytes)
        else:
            yield from _read_remote(shard, stem, max_bytes)
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) on bad files
        yield ArticleError(stem, "unreadable", f"{shard.uri}: {exc}")


def _read_remote(shard: Shard, stem: str, max_bytes: int) -> Iterator[Item]:
    import pyarrow.fs as pafs

    fs, path = pafs.FileSystem.from_uri(shard.uri)
    if shard.format == "warc":  # warcio undoes per-record gzip itself
        with fs.open_input_stream(path, compression=None) as stream:
            yield from read_warc(io.BufferedReader(stream), shard.uri, max_bytes)
    elif shard.format == "jsonl":
        with fs.open_input_stream(path, compression="detect") as stream:
            yield from read_jsonl(io.BufferedReader(stream), stem, shard.uri, max_bytes)
    else:
        yield ArticleError(stem, "unreadable",
                           f"{shard.uri}: single {shard.format} pages are read from local paths only; "
                           "pack remote pages into JSON Lines, WARC or Parquet shards")


def _read_parquet(shard: Shard, stem: str) -> Iterator[Item]:
    """Rows of a Parquet shard, validated like JSON Lines records (same errors, same fields)."""
    import pyarrow.parquet as pq

    if shard.remote:
        import pyarrow.fs as pafs

        fs, path = pafs.FileSystem.from_uri(shard.uri)
        source = fs.open_input_file(path)
    else:
        source = shard.uri
    parquet = pq.ParquetFile(source)
    columns = [c for c in PARQUET_COLUMNS if c in parquet.schema_arrow.names]
    number = 0
    for batch in parquet.iter_batches(batch_size=256, columns=columns):
        for row in batch.to_pylist():
            number += 1
            raw = json.dumps(row, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
            yield parse_json_record(raw, f"{stem}-{number}", f"{shard.uri}:{number}")
