"""``eventwire ingest``: analyse articles and store them in the corpus database.

Reading and analysis reuse :func:`eventwire.readers.read_paths` and
:func:`eventwire.parallel.run_batches`.  Around them:

* articles already stored (same id, or same normalised text) are skipped
  before analysis, so a rerun costs only reading;
* each batch of results is written in one transaction together with its
  near-duplicate marks and event records, so a kill loses at most the batch
  in flight and a rerun finishes the job without duplicates;
* stories are assigned at the end of the run to every article that has none
  yet (also those left by an interrupted run);
* the write connection is held only while a batch is stored (open, one
  transaction, close), so readers (``eventwire events``, exports, the web
  server) can open the file between batches: DuckDB lets one process at a
  time open a file for writing.
"""

from __future__ import annotations

import json
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator, Optional, Union

import duckdb

from . import search, store
from .analyze import batched
from .model import Article, ArticleError

Item = Union[Article, ArticleError]


@dataclass
class Summary:
    """What one ingest run did."""

    read: int = 0
    stored: int = 0
    skipped: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    events: int = 0
    records: int = 0
    stories_new: int = 0
    stories_total: int = 0
    articles_total: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        errors = sum(self.errors.values())
        detail = ", ".join(f"{n} {code}" for code, n in sorted(self.errors.items(), key=lambda kv: -kv[1]))
        return (f"{self.read} read, {self.stored} stored, {self.skipped} already stored, "
                f"{errors} errors{' (' + detail + ')' if detail else ''}; "
                f"{self.duplicates} near-duplicates, {self.events} events in {self.records} new records, "
                f"{self.stories_new} new stories; corpus: {self.articles_total} articles, "
                f"{self.stories_total} stories; {self.seconds:.1f} s")


class _Filter:
    """Drops articles the database (or this run) already has, before analysis.

    Looks ids and text hashes up a chunk at a time, and remembers only the
    articles in flight, so memory stays flat for any corpus size.
    """

    def __init__(self, session: Callable[[], ContextManager[duckdb.DuckDBPyConnection]],
                 summary: Summary, chunk: int):
        self.session = session
        self.summary = summary
        self.chunk = chunk
        self.pending_ids: set[str] = set()
        self.pending_hashes: set[str] = set()
        self.hash_of: dict[str, str] = {}

    def __call__(self, items: Iterable[Item]) -> Iterator[Item]:
        for chunk in batched(items, self.chunk):
            articles = [item for item in chunk if not isinstance(item, ArticleError)]
            hashes = {item.id: store.text_hash(item.text) for item in articles}
            known_ids, known_hashes = self._known([a.id for a in articles], list(hashes.values()))
            for item in chunk:
                self.summary.read += 1
                if isinstance(item, ArticleError):
                    if item.id in known_ids or item.id in self.pending_ids:
                        self.summary.skipped += 1
                        continue
                    yield item
                    continue
                digest = hashes[item.id]
                if (item.id in known_ids or digest in known_hashes or item.id in self.pending_ids
                        or digest in self.pending_hashes):
                    self.summary.skipped += 1
                    continue
                self.pending_ids.add(item.id)
                self.pending_hashes.add(digest)
                self.hash_of[item.id] = digest
                yield item

    def _known(self, ids: list[str], hashes: list[str]) -> tuple[set[str], set[str]]:
        if not ids:
            return set(), set()
        with self.session() as con:
            rows = con.execute(
                "SELECT id, text_hash FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) "
                "OR text_hash IN (SELECT unnest(?::VARCHAR[]))", [ids, hashes]).fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}

    def done(self, article_id: str) -> Optional[str]:
        """Forget a written article; returns its text hash."""
        self.pending_ids.discard(article_id)
        digest = self.hash_of.pop(article_id, None)
        if digest:
            self.pending_hashes.discard(digest)
        return digest


def _valid_day(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def write_batch(con: duckdb.DuckDBPyConnection, outputs: list, flt: _Filter, summary: Summary,
                batch_no: int) -> None:
    """Store one batch of analysis outputs in one transaction."""
    from .dedup import mark_duplicates
    from .records import merge_events

    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    con.execute("BEGIN TRANSACTION")
    try:
        seq = con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
        tables: dict[str, list] = {name: [] for name in
                                   ("articles", "entities", "mentions", "quotes", "events", "times", "places",
                                    "search_docs", "search_postings")}
        errors, new = [], []
        for output in outputs:
            if output.error:
                message = json.loads(output.line).get("error", {}).get("message")
                errors.append({"id": output.id, "code": output.error, "message": message,
                               "ingested_at": now})
                flt.done(output.id)
                continue
            record = json.loads(output.line)
            digest = flt.done(output.id) or store.text_hash(record.get("text") or "")
            seq += 1
            row = store.article_row(record, seq, digest, batch_no, now)
            row["published"] = _valid_day(record.get("published"))
            tables["articles"].append(row)
            for name, rows in store.analysis_rows(record).items():
                tables[name].extend(rows)
            docs, postings = search.index_record(record)
            tables["search_docs"].extend(docs or [{"article_id": record["id"], "quote_no": -1, "length": 0}])
            tables["search_postings"].extend(postings)
            new.append((seq, record["id"], row["published"], record.get("text") or ""))
        if errors:
            con.execute("DELETE FROM errors WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                        [[e["id"] for e in errors]])
            store.insert_rows(con, "errors", errors)
        for name, rows in tables.items():
            store.insert_rows(con, name, rows)
        if new:
            con.execute("DELETE FROM errors WHERE id IN (SELECT unnest(?::VARCHAR[]))", [[n[1] for n in new]])
        duplicates = mark_duplicates(con, new)
        records = merge_events(con, [n[1] for n in new])
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    summary.stored += len(new)
    for e in errors:
        summary.errors[e["code"]] = summary.errors.get(e["code"], 0) + 1
    summary.duplicates += duplicates
    summary.events += len(tables["events"])
    summary.records += records


def ingest(paths: list[str], db: Path, published: Optional[str] = None, workers: int = 1,
           batch_size: int = 32, on_article: Optional[Callable[[Summary], None]] = None,
           con: Optional[duckdb.DuckDBPyConnection] = None, lock_timeout: float = 60.0) -> Summary:
    """Analyse and store the articles under ``paths``; see the module docstring.

    Without ``con`` the database is opened per batch (waiting up to
    ``lock_timeout`` seconds for readers to let go); with ``con`` that
    connection is used throughout and stays open.
    """
    from .parallel import run_batches
    from .readers import read_paths

    return _store(read_paths(paths), lambda items: run_batches(items, published, workers, batch_size),
                  Path(db), batch_size, on_article, con, lock_timeout)


def ingest_records(records: Iterable[dict], db: Path, batch_size: int = 32,
                   on_article: Optional[Callable[[Summary], None]] = None,
                   con: Optional[duckdb.DuckDBPyConnection] = None, lock_timeout: float = 60.0) -> Summary:
    """Store analyses made elsewhere (contract JSON objects, e.g. read back from Parquet or JSONL).

    Same guarantees as :func:`ingest` (idempotent, per-batch transactions);
    the text hash is taken from each record's cleaned ``text``.  A record
    with an ``error`` object is kept in the ``errors`` table.
    """
    from .parallel import Output

    def items() -> Iterator[Item]:
        for record in records:
            error = record.get("error")
            if isinstance(error, dict):
                yield ArticleError(str(record.get("id")), str(error.get("code") or "error"),
                                   str(error.get("message") or ""))
            else:
                yield _Analysed(str(record["id"]), record.get("text") or "", record)

    def outputs(stream: Iterable[Item]) -> Iterator[Output]:
        for item in stream:
            if isinstance(item, ArticleError):
                yield Output(item.id, item.to_json(), item.code)
            else:
                yield Output(item.id, json.dumps(item.record, ensure_ascii=False), None)

    return _store(items(), outputs, Path(db), batch_size, on_article, con, lock_timeout)


@dataclass
class _Analysed:
    """An analysis record standing in for an Article in the filter (id and text)."""

    id: str
    text: str
    record: dict


def _store(items: Iterable[Item], analyse: Callable[[Iterable[Item]], Iterable], db: Path, batch_size: int,
           on_article: Optional[Callable[[Summary], None]], con: Optional[duckdb.DuckDBPyConnection],
           lock_timeout: float) -> Summary:
    """Filter known articles, analyse the rest, store per batch, assign stories."""
    from .stories import assign_stories

    started = time.perf_counter()
    summary = Summary()

    def session() -> ContextManager[duckdb.DuckDBPyConnection]:
        return nullcontext(con) if con is not None else store.writing(db, lock_timeout)

    if con is None:
        # validate (a foreign file is refused unchanged), create or upgrade the schema
        with store.writing(db, lock_timeout, validate=True) as first:
            search.backfill(first)
            batch_no = first.execute("SELECT coalesce(max(batch), 0) FROM articles").fetchone()[0]
    else:
        store.upgrade_schema(con)
        search.backfill(con)
        batch_no = con.execute("SELECT coalesce(max(batch), 0) FROM articles").fetchone()[0]
    def lookup() -> ContextManager[duckdb.DuckDBPyConnection]:
        return nullcontext(con) if con is not None else store.reading(db, lock_timeout)

    # known articles are looked up a few batches at a time, read-only (cheaper to open)
    flt = _Filter(lookup, summary, max(batch_size * 4, 128))

    def flush(buffer: list) -> None:
        nonlocal batch_no
        batch_no += 1
        with session() as writer:
            write_batch(writer, buffer, flt, summary, batch_no)
        if on_article:
            on_article(summary)

    buffer: list = []
    for output in analyse(flt(items)):
        buffer.append(output)
        if len(buffer) >= batch_size:
            flush(buffer)
            buffer = []
    if buffer:
        flush(buffer)
    with session() as writer:
        summary.stories_new = assign_stories(writer)
        summary.articles_total = writer.execute("SELECT count(*) FROM articles").fetchone()[0]
        summary.stories_total = writer.execute("SELECT count(DISTINCT story) FROM articles").fetchone()[0]
        writer.execute("CHECKPOINT")
    summary.seconds = time.perf_counter() - started
    return summary
