"""The corpus database: a DuckDB file holding analysed articles.

One table per list of the contract (see ``docs/STORAGE.md`` for every column).
Rows are written a batch at a time inside one transaction, so a process killed
mid-run leaves only whole batches behind.  Columns the contract does not name
(fields a stage adds later) are kept in each table's ``extra`` JSON column, so
the store never drops what the extraction stages produce.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import duckdb

SCHEMA_VERSION = "1"

#: Column name -> DuckDB type, per table, in order.  The JSON payload of a
#: batch is cast to these types by DuckDB (``from_json``), one statement per table.
TABLES: dict[str, dict[str, str]] = {
    "articles": {
        "seq": "BIGINT",            # ingest order, 1, 2, ...
        "id": "VARCHAR",            # the article id (unique)
        "text_hash": "VARCHAR",     # sha1 of the normalised input text (unique)
        "title": "VARCHAR", "published": "DATE", "source": "VARCHAR", "url": "VARCHAR",
        "text": "VARCHAR",          # the cleaned text every offset indexes
        "words": "INTEGER",
        "batch": "BIGINT",          # the ingest batch (transaction) that stored it
        "ingested_at": "TIMESTAMP",
        "duplicate_of": "VARCHAR",  # id of the earliest near-duplicate copy, or NULL
        "story": "VARCHAR",         # story id (NULL until clustering has run)
        "extra": "JSON",            # fields outside the contract (title_span, sentences, ...)
    },
    "entities": {
        "article_id": "VARCHAR", "entity_id": "VARCHAR", "name": "VARCHAR", "type": "VARCHAR",
        "actor": "VARCHAR", "country": "VARCHAR", "mentions": "INTEGER", "extra": "JSON",
    },
    "mentions": {
        "article_id": "VARCHAR", "entity_id": "VARCHAR", "start": "INTEGER", "end": "INTEGER",
        "text": "VARCHAR", "kind": "VARCHAR", "extra": "JSON",
    },
    "quotes": {
        "article_id": "VARCHAR", "quote_no": "INTEGER", "text": "VARCHAR", "start": "INTEGER",
        "end": "INTEGER", "direct": "BOOLEAN", "speaker": "VARCHAR", "speaker_name": "VARCHAR",
        "speaker_start": "INTEGER", "speaker_end": "INTEGER", "speaker_text": "VARCHAR",
        "cue_start": "INTEGER", "cue_end": "INTEGER", "cue_text": "VARCHAR", "extra": "JSON",
    },
    "events": {
        "article_id": "VARCHAR", "event_no": "INTEGER",
        "source_entity": "VARCHAR", "source_text": "VARCHAR", "source_actor": "VARCHAR",
        "target_entity": "VARCHAR", "target_text": "VARCHAR", "target_actor": "VARCHAR",
        "cameo": "VARCHAR", "root": "VARCHAR", "quad_class": "INTEGER", "goldstein": "DOUBLE",
        "plover": "VARCHAR", "plover_mode": "VARCHAR", "factuality": "VARCHAR", "date": "VARCHAR",
        "location_name": "VARCHAR", "location_lat": "DOUBLE", "location_lon": "DOUBLE",
        "location_country": "VARCHAR", "trigger_start": "INTEGER", "trigger_end": "INTEGER",
        "trigger_text": "VARCHAR", "sentence_start": "INTEGER", "sentence_end": "INTEGER",
        "confidence": "DOUBLE",
        "record_id": "BIGINT",      # the merged event record (event_records.record_id)
        "extra": "JSON",
    },
    "times": {
        "article_id": "VARCHAR", "time_no": "INTEGER", "start": "INTEGER", "end": "INTEGER",
        "text": "VARCHAR", "type": "VARCHAR", "value": "VARCHAR", "extra": "JSON",
    },
    "places": {
        "article_id": "VARCHAR", "place_no": "INTEGER", "start": "INTEGER", "end": "INTEGER",
        "text": "VARCHAR", "name": "VARCHAR", "kind": "VARCHAR", "country": "VARCHAR",
        "lat": "DOUBLE", "lon": "DOUBLE", "geonames_id": "BIGINT", "extra": "JSON",
    },
    "errors": {
        "id": "VARCHAR", "code": "VARCHAR", "message": "VARCHAR", "ingested_at": "TIMESTAMP",
    },
    "minhash": {
        "seq": "BIGINT",            # articles.seq
        "signature": "BLOB",        # MinHash values, little-endian uint32
    },
    "minhash_bands": {
        "band": "SMALLINT", "key": "UBIGINT", "seq": "BIGINT",
    },
    "event_records": {
        "record_id": "BIGINT", "source_actor": "VARCHAR", "target_actor": "VARCHAR",
        "root": "VARCHAR", "cameo": "VARCHAR", "first_date": "DATE", "last_date": "DATE",
    },
    "story_terms": {
        "story": "VARCHAR", "term": "VARCHAR", "weight": "DOUBLE",
    },
    "term_df": {
        "term": "VARCHAR", "df": "BIGINT",  # documents (non-duplicate articles) holding the term
    },
    "stories": {
        "story": "VARCHAR", "first_seq": "BIGINT", "articles": "INTEGER", "title": "VARCHAR",
        "first_date": "DATE", "last_date": "DATE",
    },
    # Full-text index (search.py): one document per article (title + text) and per quote.
    "search_docs": {
        "article_id": "VARCHAR", "quote_no": "INTEGER",  # quote_no -1: the article itself
        "length": "INTEGER",        # tokens in the document (BM25 length normalisation)
    },
    "search_postings": {
        "term": "VARCHAR", "article_id": "VARCHAR", "quote_no": "INTEGER",
        "tf": "INTEGER",            # occurrences of the term in the document
    },
}

_INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS articles_id ON articles(id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS articles_hash ON articles(text_hash)",
    "CREATE INDEX IF NOT EXISTS bands_key ON minhash_bands(band, key)",
    "CREATE INDEX IF NOT EXISTS story_terms_term ON story_terms(term)",
    "CREATE UNIQUE INDEX IF NOT EXISTS term_df_term ON term_df(term)",
    "CREATE INDEX IF NOT EXISTS postings_term ON search_postings(term)",
]

#: Views over the tables: merged event records with their counts (near-duplicate
#: copies do not count twice) and story summaries.
_VIEWS = [
    """CREATE OR REPLACE VIEW event_summary AS
       SELECT r.record_id, r.source_actor, r.target_actor, r.root, r.cameo,
              r.first_date, r.last_date,
              count(*) FILTER (WHERE a.duplicate_of IS NULL) AS num_mentions,
              count(DISTINCT coalesce(a.source, a.id)) FILTER (WHERE a.duplicate_of IS NULL) AS num_sources,
              count(DISTINCT a.id) FILTER (WHERE a.duplicate_of IS NULL) AS num_articles,
              count(*) AS num_mentions_with_copies,
              min(a.ingested_at) AS first_seen, max(a.ingested_at) AS last_seen,
              list(struct_pack(article_id := e.article_id, sentence_start := e.sentence_start,
                               sentence_end := e.sentence_end)) AS mentions
       FROM event_records r JOIN events e USING (record_id) JOIN articles a ON a.id = e.article_id
       GROUP BY ALL""",
]


class StoreError(Exception):
    """The database file cannot be used (corrupt, not DuckDB, not ours, locked)."""


_DUCKDB_MAGIC = b"DUCK"


def check_file(path: Path) -> None:
    """Refuse a file that exists but is not a DuckDB database, before opening it.

    DuckDB writes to any file it opens for writing; checking the header first
    guarantees a foreign file is left byte-for-byte untouched.
    """
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    size = path.stat().st_size
    if size == 0:
        raise StoreError(f"{path} is an empty file, not an eventwire database; "
                         "delete it or choose another --db")
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head[8:12] != _DUCKDB_MAGIC:
        raise StoreError(f"{path} is not a DuckDB database (corrupt or another kind of file); "
                         "it was left unchanged")


_LOCK_WORDS = ("could not set lock", "conflicting lock")


def _is_lock_error(exc: BaseException) -> bool:
    return any(word in str(exc).lower() for word in _LOCK_WORDS)


def _open(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect``, retrying with backoff while another process holds the file lock.

    DuckDB lets one process write a file, and no other process open it then;
    writers here hold it a batch at a time, so a reader waits briefly instead of failing.
    """
    deadline = time.monotonic() + max(0.0, timeout)
    delay = 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if _is_lock_error(exc):
                if time.monotonic() + delay <= deadline:
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
                    continue
                raise StoreError(f"{path} is in use by another process and stayed locked for "
                                 f"{timeout:g} s ({message})") from None
            raise StoreError(f"{path} cannot be opened as a database: {message}") from None


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> bool:
    """Whether ``con`` holds an eventwire corpus of our version (False: an empty database)."""
    tables = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "eventwire_meta" not in tables:
        if tables:
            raise StoreError(f"{path} is a DuckDB database of another program "
                             f"(tables: {', '.join(sorted(tables)[:5])}); it was left unchanged")
        if read_only:
            raise StoreError(f"{path} holds no eventwire corpus")
        return False
    version = con.execute("SELECT value FROM eventwire_meta WHERE key = 'schema_version'").fetchone()
    if not version or version[0] != SCHEMA_VERSION:
        raise StoreError(f"{path} has schema version {version[0] if version else '?'}; "
                         f"this eventwire reads version {SCHEMA_VERSION}")
    return True


def connect(path: Path, read_only: bool = False, timeout: float = 0.0,
            validate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (or create) the corpus database, creating the schema when new.

    An existing file is first checked through a read-only connection (which
    never writes), so a corrupt or foreign database is refused unchanged.
    ``timeout`` bounds the wait for another process's lock (0: fail at once).
    ``validate=False`` skips that check for a file this process already checked.
    """
    path = Path(path)
    check_file(path)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such database (run 'eventwire ingest' first)")
    if not read_only and not path.exists():
        _create(path)
    elif not read_only and validate:
        probe = _open(path, True, timeout)
        try:
            _check_schema(probe, path, False)  # an empty DuckDB database may be filled
        except duckdb.Error as exc:
            raise _corrupt(path, exc) from None
        finally:
            probe.close()
    con = _open(path, read_only, timeout)
    try:
        if validate or read_only:
            ours = _check_schema(con, path, read_only)
        else:
            ours = True
        if not ours:
            create_schema(con)
        elif not read_only and validate:
            upgrade_schema(con)
    except duckdb.Error as exc:
        con.close()
        raise _corrupt(path, exc) from None
    except BaseException:
        con.close()
        raise
    return con


def _corrupt(path: Path, exc: BaseException) -> StoreError:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(f"{path} is a damaged database ({message}); it was left unchanged")


def _create(path: Path) -> None:
    """Create a new corpus file atomically: schema built under a temporary name, then renamed.

    A process killed while creating leaves no file at ``path`` (at most a
    ``.creating-PID`` file beside it), never an empty database.
    """
    temp = path.with_name(f"{path.name}.creating-{os.getpid()}")
    for leftover in (temp, Path(str(temp) + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(temp))
    except duckdb.Error as exc:
        raise StoreError(f"{path} cannot be created: {str(exc).splitlines()[0]}") from None
    try:
        create_schema(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    Path(str(temp) + ".wal").unlink(missing_ok=True)  # empty after the checkpoint
    if path.exists():  # another process created it meanwhile: keep theirs
        temp.unlink(missing_ok=True)
        return
    os.replace(temp, path)


def open_readonly(path: Path, timeout: float = 10.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection for queries, exports and the web server.

    Waits up to ``timeout`` seconds (with backoff) while an ingest holds the
    write lock for a batch; raises :class:`StoreError` with a clear message
    for a missing, foreign or corrupt file, or when the lock never frees.
    Close it soon: while it is open, an ingest cannot store its next batch.
    """
    return connect(Path(path), read_only=True, timeout=timeout)


@contextmanager
def reading(path: Path, timeout: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with reading(db) as con:`` a read-only connection, closed on exit."""
    con = open_readonly(path, timeout)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def writing(path: Path, timeout: float = 60.0, validate: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with writing(db) as con:`` a write connection held only for the block."""
    con = connect(Path(path), timeout=timeout, validate=validate)
    try:
        yield con
    finally:
        con.close()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, index and view in one transaction."""
    con.execute("BEGIN")
    con.execute("CREATE TABLE eventwire_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for table, columns in TABLES.items():
        cols = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        con.execute(f"CREATE TABLE {table} ({cols})")
    for statement in _INDEXES + _VIEWS:
        con.execute(statement)
    con.execute("INSERT INTO eventwire_meta VALUES ('schema_version', ?), ('created', CAST(now() AS VARCHAR))",
                [SCHEMA_VERSION])
    con.execute("COMMIT")


def upgrade_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Add tables and indexes introduced after a database was created (additive only)."""
    tables = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    missing = [name for name in TABLES if name not in tables]
    if not missing:
        return
    con.execute("BEGIN")
    for table in missing:
        cols = ", ".join(f'"{name}" {kind}' for name, kind in TABLES[table].items())
        con.execute(f"CREATE TABLE {table} ({cols})")
    for statement in _INDEXES:
        con.execute(statement)
    con.execute("COMMIT")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert dict rows in one statement, through an Arrow table (no per-row round trips).

    Rows a typed Arrow column refuses (a stage emitting a string where a number
    belongs) go through DuckDB's JSON reader instead, which casts or nulls them.
    """
    if not rows:
        return
    import pyarrow as pa

    columns = {name: kind for name, kind in TABLES[table].items() if kind != "BLOB"}
    names = ", ".join(f'"{name}"' for name in columns)
    try:
        batch = pa.Table.from_pylist(rows, schema=_arrow_schema(table))
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError, ValueError):
        _insert_json(con, table, rows)
        return
    _eventwire_batch = batch  # noqa: F841  (read by DuckDB's replacement scan of local names)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _eventwire_batch")


_ARROW_TYPES = {"VARCHAR": "string", "JSON": "string", "DATE": "string", "TIMESTAMP": "string",
                "INTEGER": "int32", "BIGINT": "int64", "SMALLINT": "int16", "UBIGINT": "uint64",
                "DOUBLE": "float64", "BOOLEAN": "bool_"}


def _arrow_schema(table: str):
    """The Arrow schema of a table's rows (dates and JSON as strings: DuckDB casts them)."""
    cached = _SCHEMAS.get(table)
    if cached is None:
        import pyarrow as pa

        cached = pa.schema([(name, getattr(pa, _ARROW_TYPES[kind])()) for name, kind in TABLES[table].items()
                            if kind != "BLOB"])
        _SCHEMAS[table] = cached
    return cached


_SCHEMAS: dict[str, Any] = {}


def _insert_json(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert through DuckDB's JSON reader, which casts what it can and nulls the rest."""
    columns = TABLES[table]
    structure = json.dumps([{name: ("JSON" if kind == "JSON" else kind) for name, kind in columns.items()
                             if kind != "BLOB"}])
    names = ", ".join(f'"{name}"' for name, kind in columns.items() if kind != "BLOB")
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=str)
    con.execute(f"INSERT INTO {table} ({names}) "
                f"SELECT unnest(from_json(?::JSON, '{structure}'), recursive := true)", [payload])


# ------------------------------------------------------------------ normalising

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def text_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8", "surrogatepass")).hexdigest()


# ------------------------------------------------------------------ analysis -> rows

def _split(record: dict[str, Any], known: Iterable[str]) -> Optional[str]:
    """The fields of ``record`` outside ``known``, as JSON (None when there are none)."""
    known = set(known)
    extra = {key: value for key, value in record.items() if key not in known}
    return json.dumps(extra, ensure_ascii=False, separators=(",", ":")) if extra else None


def _span(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def analysis_rows(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Rows for every child table from one analysis record (the contract's JSON)."""
    aid = record["id"]
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in
                                             ("entities", "mentions", "quotes", "events", "times", "places")}
    for entity in record.get("entities") or []:
        mentions = entity.get("mentions") or []
        rows["entities"].append({
            "article_id": aid, "entity_id": entity.get("id"), "name": entity.get("name"),
            "type": entity.get("type"), "actor": entity.get("actor"), "country": entity.get("country"),
            "mentions": len(mentions),
            "extra": _split(entity, ("id", "name", "type", "actor", "country", "mentions"))})
        for mention in mentions:
            rows["mentions"].append({
                "article_id": aid, "entity_id": entity.get("id"), "start": mention.get("start"),
                "end": mention.get("end"), "text": mention.get("text"), "kind": mention.get("kind"),
                "extra": _split(mention, ("start", "end", "text", "kind"))})
    for number, quote in enumerate(record.get("quotes") or []):
        speaker, cue = _span(quote.get("speaker_mention")), _span(quote.get("cue"))
        rows["quotes"].append({
            "article_id": aid, "quote_no": number, "text": quote.get("text"),
            "start": quote.get("start"), "end": quote.get("end"), "direct": quote.get("direct"),
            "speaker": quote.get("speaker"), "speaker_name": quote.get("speaker_name"),
            "speaker_start": speaker.get("start"), "speaker_end": speaker.get("end"),
            "speaker_text": speaker.get("text"), "cue_start": cue.get("start"),
            "cue_end": cue.get("end"), "cue_text": cue.get("text"),
            "extra": _split(quote, ("text", "start", "end", "direct", "speaker", "speaker_name",
                                    "speaker_mention", "cue"))})
    for number, event in enumerate(record.get("events") or []):
        source, target = _span(event.get("source")), _span(event.get("target"))
        location, trigger, sentence = (_span(event.get(k)) for k in ("location", "trigger", "sentence"))
        rows["events"].append({
            "article_id": aid, "event_no": number,
            "source_entity": source.get("entity"), "source_text": source.get("text"),
            "source_actor": source.get("actor"),
            "target_entity": target.get("entity"), "target_text": target.get("text"),
            "target_actor": target.get("actor"),
            "cameo": event.get("cameo"), "root": event.get("root"), "quad_class": event.get("quad_class"),
            "goldstein": event.get("goldstein"), "plover": event.get("plover"),
            "plover_mode": event.get("plover_mode"), "factuality": event.get("factuality"),
            "date": event.get("date"), "location_name": location.get("name"),
            "location_lat": location.get("lat"), "location_lon": location.get("lon"),
            "location_country": location.get("country"),
            "trigger_start": trigger.get("start"), "trigger_end": trigger.get("end"),
            "trigger_text": trigger.get("text"), "sentence_start": sentence.get("start"),
            "sentence_end": sentence.get("end"), "confidence": event.get("confidence"),
            "record_id": None,
            "extra": _split(event, ("source", "target", "cameo", "root", "quad_class", "goldstein",
                                    "plover", "plover_mode", "factuality", "date", "location",
                                    "trigger", "sentence", "confidence"))})
    for number, time in enumerate(record.get("times") or []):
        rows["times"].append({
            "article_id": aid, "time_no": number, "start": time.get("start"), "end": time.get("end"),
            "text": time.get("text"), "type": time.get("type"), "value": time.get("value"),
            "extra": _split(time, ("start", "end", "text", "type", "value"))})
    for number, place in enumerate(record.get("places") or []):
        rows["places"].append({
            "article_id": aid, "place_no": number, "start": place.get("start"), "end": place.get("end"),
            "text": place.get("text"), "name": place.get("name"), "kind": place.get("kind"),
            "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
            "geonames_id": place.get("geonames_id"),
            "extra": _split(place, ("start", "end", "text", "name", "kind", "country", "lat", "lon",
                                    "geonames_id"))})
    return rows


ARTICLE_FIELDS = ("id", "title", "published", "source", "url", "text",
                  "entities", "quotes", "events", "times", "places")


def article_row(record: dict[str, Any], seq: int, hash_: str, batch: int, now: str) -> dict[str, Any]:
    """The ``articles`` row of one analysis record."""
    return {
        "seq": seq, "id": record["id"], "text_hash": hash_, "title": record.get("title"),
        "published": record.get("published"), "source": record.get("source"), "url": record.get("url"),
        "text": record.get("text"), "words": len((record.get("text") or "").split()),
        "batch": batch, "ingested_at": now, "duplicate_of": None, "story": None,
        "extra": _split(record, ARTICLE_FIELDS),
    }
