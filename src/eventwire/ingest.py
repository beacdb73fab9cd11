"""``eventwire ingest``: analyse articles and store them in the corpus database.

Reading and analysis reuse :func:`eventwire.readers.read_paths` and
:func:`eventwire.parallel.run_batches`.  Around them:

* articles already stored (same id, or same normalised text) are skipped
  before analysis, so a rerun costs only reading;
* each batch of results is written in one transaction together with its
  near-duplicate marks and event records, so a kill loses at most the batch
  in flight and a rerun finishes the job without duplicates;
* stories are assigned at the end of the run to every article that has none
  yet (also those left by an interrupted run).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

import duckdb

from . import store
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

    def __init__(self, con: duckdb.DuckDBPyConnection, summary: Summary, chunk: int):
        self.con = con
        self.summary = summary
        self.chunk = chunk
        self.pending_ids: set[str] = set()
        self.pending_hashes: set[str] = set()
        self.hash_of: dict[str, str] = {}

    def __call__(self, items: Iterable[Item]) -> Iterator[Item]:
        for chunk in batched(items, self.chunk):
            articles = [item for item in chunk if isinstance(item, Article)]
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
        rows = self.con.execute(
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
                                   ("articles", "entities", "mentions", "quotes", "events", "times", "places")}
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
           con: Optional[duckdb.DuckDBPyConnection] = None) -> Summary:
    """Analyse and store the articles under ``paths``; see the module docstring."""
    from .parallel import run_batches
    from .readers import read_paths
    from .stories import assign_stories

    started = time.perf_counter()
    summary = Summary()
    own = con is None
    con = con or store.connect(db)
    try:
        flt = _Filter(con, summary, batch_size)
        batch_no = con.execute("SELECT coalesce(max(batch), 0) FROM articles").fetchone()[0]
        buffer: list = []
        for output in run_batches(flt(read_paths(paths)), published, workers, batch_size):
            buffer.append(output)
            if len(buffer) >= batch_size:
                batch_no += 1
                write_batch(con, buffer, flt, summary, batch_no)
                if on_article:
                    on_article(summary)
                buffer = []
        if buffer:
            batch_no += 1
            write_batch(con, buffer, flt, summary, batch_no)
            if on_article:
                on_article(summary)
        summary.stories_new = assign_stories(con)
        summary.articles_total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        summary.stories_total = con.execute("SELECT count(DISTINCT story) FROM articles").fetchone()[0]
        con.execute("CHECKPOINT")
    finally:
        if own:
            con.close()
    summary.seconds = time.perf_counter() - started
    return summary
