"""Analysis results to table rows: the DuckDB store's rows, as Arrow tables.

Rows are built by :func:`eventwire.store.article_row` and
:func:`eventwire.store.analysis_rows`, the functions ``eventwire ingest``
uses, and typed by the column lists of :data:`eventwire.store.TABLES`, so a
Parquet table has exactly the columns of its DuckDB table and loads into it
unchanged.  Columns that only mean something inside one database (``seq``,
``batch``, ``duplicate_of``, ``story``, ``record_id``) are per-shard or null
here; ``eventwire ingest --from-parquet`` assigns them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Iterator, Optional

import pyarrow as pa

from .. import store

#: The tables of one analysis, partitioned by the article's publication day.
ANALYSIS_TABLES = ("articles", "entities", "mentions", "quotes", "events", "times", "places")
#: Articles that could not be analysed (not partitioned: most have no date).
ERRORS_TABLE = "errors"
OUTPUT_TABLES = ANALYSIS_TABLES + (ERRORS_TABLE,)

_ARROW_TYPES = {
    "BIGINT": pa.int64(), "INTEGER": pa.int32(), "SMALLINT": pa.int16(), "UBIGINT": pa.uint64(),
    "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "VARCHAR": pa.string(), "JSON": pa.string(),
    "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BLOB": pa.binary(),
}


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a store table, column for column."""
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in store.TABLES[table].items()])


def _day(value: Any) -> Optional[date]:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


class ShardRows:
    """The rows of one shard's results, grouped by table and publication day."""

    def __init__(self, now: datetime):
        self.now = now
        self.rows: dict[tuple[str, Optional[date]], list[dict[str, Any]]] = defaultdict(list)
        self.articles = 0
        self.events = 0
        self.errors: Counter[str] = Counter()

    def add_analysis(self, record: dict[str, Any], text_hash: str) -> None:
        """One analysed article (the contract's dict) with the hash of its input text."""
        self.articles += 1
        row = store.article_row(record, self.articles, text_hash, None, self.now)
        day = row["published"] = _day(record.get("published"))
        self.rows[("articles", day)].append(row)
        for table, rows in store.analysis_rows(record).items():
            if rows:
                self.rows[(table, day)].extend(rows)
        self.events += len(record.get("events") or ())

    def add_error(self, article_id: str, code: str, message: Optional[str]) -> None:
        self.errors[code] += 1
        self.rows[(ERRORS_TABLE, None)].append(
            {"id": article_id, "code": code, "message": message, "ingested_at": self.now})

    def tables(self) -> Iterator[tuple[str, Optional[date], pa.Table]]:
        """``(table, day, arrow_table)`` for every non-empty group."""
        for (table, day), rows in sorted(self.rows.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            yield table, day, pa.Table.from_pylist(rows, schema=arrow_schema(table))
