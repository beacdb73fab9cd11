"""``eventwire export``: tables of the corpus database to JSON Lines, CSV or Parquet.

DuckDB writes the files itself (``COPY ... TO``), streaming, so exports of any
size run in flat memory.  Each kind is one SQL query over the store.  The
merged event records can also be written as the GDELT 2.0 event table
(``--format gdelt``) or as PLOVER JSON records (``--format plover``); the
column mapping lives in :mod:`eventwire.gdelt`.
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
FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover")  # the last two: event records only

_SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
                  ".parquet": "parquet", ".pq": "parquet"}


def format_for(output: Path, requested: Optional[str]) -> str:
    """The requested format, else the one the file name suggests, else JSON Lines."""
    if requested:
        return requested
    return _SUFFIX_FORMAT.get(output.suffix.lower(), "jsonl")


def export(con: duckdb.DuckDBPyConnection, kind: str, output: Path, fmt: str, header: bool = False) -> int:
    """Write ``kind`` to ``output`` in ``fmt``; returns the number of rows.

    ``gdelt`` and ``plover`` write merged event records and need ``kind`` events;
    ``header`` adds the GDELT column names as a first line (GDELT's own files have none).
    """
    if fmt in EVENT_FORMATS:
        if kind != "events":
            raise ValueError(f"--format {fmt} exports event records: use 'eventwire export events'")
        return export_records(con, output, fmt, header)
    query = QUERIES[kind]
    options = {"jsonl": "FORMAT JSON", "csv": "FORMAT CSV, HEADER", "parquet": "FORMAT PARQUET"}[fmt]
    target = str(output).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{target}' ({options})")
    return con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]


# ------------------------------------------------------------------ GDELT and PLOVER event records
#
# Both export the merged event records (one row per real-world action, near-duplicate
# copies not counted), not the per-article mentions: what GDELT calls an event.

#: The 61 columns of the GDELT 2.0 event table, in the codebook's order.
GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{field}" for n in (1, 2) for field in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{prefix}Geo_{field}" for prefix in ("Actor1", "Actor2", "Action") for field in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)

#: One row per merged event record with at least one mention outside near-duplicate
#: copies; the describing fields come from its earliest such mention (and, for the
#: place, its earliest mention that has one).
RECORDS_SQL = """
WITH arts AS (
    SELECT id, seq, url, source, ingested_at, duplicate_of, text, title,
           CASE WHEN title IS NOT NULL AND starts_with(text, title) THEN length(title) ELSE 0 END AS off
    FROM articles),
lead AS (
    SELECT id, seq, url, source, ingested_at, duplicate_of,
           CASE WHEN strpos(substr(text, off + 1 + w), chr(10) || chr(10)) = 0 THEN length(text)
                ELSE off + w + strpos(substr(text, off + 1 + w), chr(10) || chr(10)) - 1 END AS lead_end
    FROM (SELECT *, length(substr(text, off + 1)) - length(ltrim(substr(text, off + 1), ' ' || chr(9) || chr(10) || chr(13))) AS w FROM arts)),
m AS (
    SELECT e.*, l.seq, l.url, l.source AS outlet, l.ingested_at, l.lead_end
    FROM events e JOIN lead l ON l.id = e.article_id
    WHERE l.duplicate_of IS NULL AND e.record_id IS NOT NULL),
g AS (
    SELECT record_id, count(*) AS num_mentions, count(DISTINCT coalesce(outlet, article_id)) AS num_sources,
           count(DISTINCT article_id) AS num_articles, min(ingested_at) AS added,
           bool_or(sentence_start < lead_end) AS is_root,
           list(DISTINCT article_id) AS article_ids,
           arg_min(struct_pack(article_id, event_no, source_entity, source_text, target_entity, target_text,
                               cameo, quad_class, goldstein, plover, plover_mode, factuality, date,
                               trigger_text, sentence_start, sentence_end, confidence, url),
                   (seq, event_no)) AS f,
           arg_min(struct_pack(article_id, location_name, location_lat, location_lon, location_country),
                   (seq, event_no)) FILTER (WHERE location_name IS NOT NULL) AS loc
    FROM m GROUP BY record_id)
SELECT r.record_id, r.first_date, r.last_date, r.source_actor, r.target_actor, r.root,
       g.num_mentions, g.num_sources, g.num_articles, g.added, g.is_root, g.article_ids,
       g.f.cameo, g.f.quad_class, g.f.goldstein, g.f.plover, g.f.plover_mode, g.f.factuality,
       g.f.article_id, g.f.url, g.f.trigger_text,
       coalesce(s.name, g.f.source_text) AS source_name, coalesce(t.name, g.f.target_text) AS target_name,
       g.f.source_text, g.f.target_text,
       g.loc.location_name, g.loc.location_lat, g.loc.location_lon, g.loc.location_country,
       (SELECT first(p.kind ORDER BY p.place_no) FROM places p
         WHERE p.article_id = g.loc.article_id AND p.name = g.loc.location_name) AS location_kind,
       (SELECT first(p.geonames_id ORDER BY p.place_no) FROM places p
         WHERE p.article_id = g.loc.article_id AND p.name = g.loc.location_name) AS location_geonames_id,
       substr(a.text, g.f.sentence_start + 1, g.f.sentence_end - g.f.sentence_start) AS sentence
FROM g JOIN event_records r ON r.record_id = g.record_id
JOIN articles a ON a.id = g.f.article_id
LEFT JOIN entities s ON s.article_id = g.f.article_id AND s.entity_id = g.f.source_entity
LEFT JOIN entities t ON t.article_id = g.f.article_id AND t.entity_id = g.f.target_entity
ORDER BY r.record_id
"""

EVENT_FORMATS = ("gdelt", "plover")


def records(con: duckdb.DuckDBPyConnection, batch: int = 5000):
    """Merged event records as dicts (streamed in batches of ``batch``)."""
    cursor = con.execute(RECORDS_SQL)
    names = [d[0] for d in cursor.description]
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return
        for row in rows:
            yield dict(zip(names, row))


def export_records(con: duckdb.DuckDBPyConnection, output: Path, fmt: str, header: bool = False) -> int:
    """Write the event records as GDELT 2.0 TSV or PLOVER JSON Lines; returns the row count."""
    import json

    from .gdelt import gdelt_row, plover_record

    count = 0
    with open(output, "w", encoding="utf-8", newline="\n") as sink:
        if fmt == "gdelt":
            if header:
                sink.write("\t".join(GDELT_COLUMNS) + "\n")
            for record in records(con):
                sink.write("\t".join(_tsv(v) for v in gdelt_row(record)) + "\n")
                count += 1
        elif fmt == "plover":
            for record in records(con):
                sink.write(json.dumps(plover_record(record), ensure_ascii=False, default=str) + "\n")
                count += 1
        else:
            raise ValueError(f"{fmt!r} is not an event-record format ({', '.join(EVENT_FORMATS)})")
    return count


def _tsv(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")
