"""``eventwire export``: tables of the corpus database to JSON Lines, CSV or Parquet.

DuckDB writes the files itself (``COPY ... TO``), streaming, so exports of any
size run in flat memory.  Each kind is one SQL query over the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import duckdb

#: What each kind exports, one row per record.
QUERIES: dict[str, str] = {
    "articles": """
        SELECT a.id, a.duplicate_of, a.story, a.title, CAST(a.published AS VARCHAR) AS published,
               a.source, a.url, a.words,
               (SELECT count(*) FROM entities x WHERE x.article_id = a.id) AS entities,
               (SELECT count(*) FROM quotes x WHERE x.article_id = a.id) AS quotes,
               (SELECT count(*) FROM events x WHERE x.article_id = a.id) AS events,
               a.seq, CAST(a.ingested_at AS VARCHAR) AS ingested_at, a.text
        FROM articles a ORDER BY a.seq""",
    "events": """
        SELECT e.article_id, e.event_no, e.record_id, a.story, a.duplicate_of,
               e.source_entity, e.source_text, e.source_actor,
               e.target_entity, e.target_text, e.target_actor,
               e.cameo, e.root, e.quad_class, e.goldstein, e.plover, e.plover_mode, e.factuality,
               e.date, e.location_name, e.location_lat, e.location_lon, e.location_country,
               e.trigger_start, e.trigger_end, e.trigger_text, e.sentence_start, e.sentence_end,
               e.confidence
        FROM events e JOIN articles a ON a.id = e.article_id ORDER BY a.seq, e.event_no""",
    "quotes": """
        SELECT q.article_id, q.quote_no, a.story, q.text, q.start, q."end", q.direct, q.speaker,
               q.speaker_name, q.speaker_start, q.speaker_end, q.speaker_text,
               q.cue_start, q.cue_end, q.cue_text
        FROM quotes q JOIN articles a ON a.id = q.article_id ORDER BY a.seq, q.quote_no""",
    "mentions": """
        SELECT m.article_id, m.entity_id, e.name AS entity_name, e.type AS entity_type, e.actor,
               e.country, m.start, m."end", m.text, m.kind
        FROM mentions m JOIN articles a ON a.id = m.article_id
        LEFT JOIN entities e ON e.article_id = m.article_id AND e.entity_id = m.entity_id
        ORDER BY a.seq, m.entity_id, m.start""",
}

KINDS = tuple(QUERIES)
FORMATS = ("jsonl", "csv", "parquet")

_SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
                  ".parquet": "parquet", ".pq": "parquet"}


def format_for(output: Path, requested: Optional[str]) -> str:
    """The requested format, else the one the file name suggests, else JSON Lines."""
    if requested:
        return requested
    return _SUFFIX_FORMAT.get(output.suffix.lower(), "jsonl")


def export(con: duckdb.DuckDBPyConnection, kind: str, output: Path, fmt: str) -> int:
    """Write ``kind`` to ``output`` in ``fmt``; returns the number of rows."""
    query = QUERIES[kind]
    options = {"jsonl": "FORMAT JSON", "csv": "FORMAT CSV, HEADER", "parquet": "FORMAT PARQUET"}[fmt]
    target = str(output).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{target}' ({options})")
    return con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
