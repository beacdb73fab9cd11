"""``eventwire ingest --from-parquet DIR``: the tables of ``eventwire run`` into the corpus database.

``eventwire run`` analyses a corpus in parallel and writes per-shard Parquet
files with the store's own columns; this is the second, sequential pass that
makes them a corpus: each finished shard (per the run's manifest) is loaded
in one transaction, skipping articles the database already has (same id or
same input-text hash, as ``ingest`` does), and then runs the steps ingest
runs after storing a batch: near-duplicate marks
(:func:`eventwire.dedup.mark_duplicates`), merged event records
(:func:`eventwire.records.merge_events`), and at the end the full-text index
(:func:`eventwire.search.backfill`) and stories
(:func:`eventwire.stories.assign_stories`).  Loading is idempotent: a
rerun, or loading a rerun's output, adds only what is new.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

import duckdb
import pyarrow as pa

from . import store
from .engine.output import OutputDir
from .engine.rows import ANALYSIS_TABLES, ERRORS_TABLE, arrow_schema
from .ingest import Summary

_CHILDREN = tuple(t for t in ANALYSIS_TABLES if t != "articles")


class ParquetError(Exception):
    """The directory holds no output of ``eventwire run``."""


def _read(out: OutputDir, files: list[str], table: str) -> pa.Table:
    """One table of a shard (all its days), with the store's schema."""
    import pyarrow.parquet as pq

    parts = [pq.read_table(out.path(f), filesystem=out.fs, schema=arrow_schema(table))
             for f in files if f.split("/", 1)[0] == table]
    return pa.concat_tables(parts) if parts else arrow_schema(table).empty_table()


def _columns(table: str) -> str:
    return ", ".join(f'"{name}"' for name in store.TABLES[table])


def load_parquet(con: duckdb.DuckDBPyConnection, directory: str,
                 on_shard: Optional[Callable[[Summary], None]] = None) -> Summary:
    """Load every finished shard under ``directory`` into the open corpus ``con``."""
    from . import search
    from .dedup import mark_duplicates
    from .records import merge_events
    from .stories import assign_stories

    started = time.perf_counter()
    out = OutputDir(directory)
    entries = out.entries()
    if not entries:
        raise ParquetError(f"{directory} holds no finished shards of 'eventwire run' "
                           "(no _manifest/*.json)")
    summary = Summary()
    for shard_id in sorted(entries):
        files = entries[shard_id].get("files", [])
        _load_shard(con, out, files, summary, mark_duplicates, merge_events)
        if on_shard:
            on_shard(summary)
    search.backfill(con)
    summary.stories_new = assign_stories(con)
    summary.articles_total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    summary.stories_total = con.execute("SELECT count(DISTINCT story) FROM articles").fetchone()[0]
    con.execute("CHECKPOINT")
    summary.seconds = time.perf_counter() - started
    return summary


def _load_shard(con: duckdb.DuckDBPyConnection, out: OutputDir, files: list[str], summary: Summary,
                mark_duplicates, merge_events) -> None:
    """One shard in one transaction: new articles, their rows, errors, duplicates, records."""
    articles = _read(out, files, "articles")
    errors = _read(out, files, ERRORS_TABLE)
    summary.read += articles.num_rows + errors.num_rows
    con.register("pq_articles", articles)
    con.register("pq_errors", errors)
    children = {table: _read(out, files, table) for table in _CHILDREN}
    for table, arrow in children.items():
        con.register(f"pq_{table}", arrow)
    con.execute("BEGIN TRANSACTION")
    try:
        seq, batch = con.execute(
            "SELECT coalesce(max(seq), 0), coalesce(max(batch), 0) + 1 FROM articles").fetchone()
        # The first copy of each id and of each text, among those the database lacks.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE pq_new AS
            SELECT id, seq AS src_seq, ? + row_number() OVER (ORDER BY seq) AS new_seq FROM (
                SELECT p.id, p.seq FROM pq_articles p
                WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = p.id)
                  AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.text_hash = p.text_hash)
                QUALIFY row_number() OVER (PARTITION BY p.id ORDER BY p.seq) = 1
                    AND row_number() OVER (PARTITION BY p.text_hash ORDER BY p.seq) = 1)""", [seq])
        values = {name: f'p."{name}"' for name in store.TABLES["articles"]}
        values.update(seq="n.new_seq", batch=str(int(batch)), duplicate_of="NULL", story="NULL")
        con.execute(f"""INSERT INTO articles ({_columns('articles')})
                        SELECT {', '.join(values.values())} FROM pq_articles p
                        JOIN pq_new n ON n.id = p.id AND n.src_seq = p.seq""")
        for table in _CHILDREN:
            cols = _columns(table).replace('"record_id"', "NULL") if table == "events" else _columns(table)
            con.execute(f"""INSERT INTO {table} ({_columns(table)})
                            SELECT DISTINCT {cols} FROM pq_{table}
                            WHERE article_id IN (SELECT id FROM pq_new)""")
        new = con.execute("""SELECT a.seq, a.id, a.published, a.text FROM articles a
                             JOIN pq_new n ON n.id = a.id ORDER BY a.seq""").fetchall()
        ids = [row[1] for row in new]
        stored_errors = con.execute(
            """SELECT DISTINCT ON (id) id, code FROM pq_errors e
               WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e.id)""").fetchall()
        if stored_errors or ids:
            con.execute("DELETE FROM errors WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                        [[e[0] for e in stored_errors] + ids])
        con.execute(f"""INSERT INTO errors ({_columns('errors')})
                        SELECT DISTINCT ON (id) {_columns('errors')} FROM pq_errors e
                        WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e.id)""")
        duplicates = mark_duplicates(con, new)
        records = merge_events(con, ids)
        events = con.execute("SELECT count(*) FROM events WHERE article_id IN (SELECT id FROM pq_new)"
                             ).fetchone()[0]
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        for name in ("pq_articles", "pq_errors") + tuple(f"pq_{t}" for t in _CHILDREN):
            con.unregister(name)
    summary.stored += len(ids)
    summary.skipped += articles.num_rows - len(ids)
    for _, code in stored_errors:
        summary.errors[code] = summary.errors.get(code, 0) + 1
    summary.duplicates += duplicates
    summary.events += events
    summary.records += records
