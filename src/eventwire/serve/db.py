"""Read-only access to the corpus database for the web server.

The server opens the DuckDB file with ``read_only=True`` (DuckDB itself then
refuses every write) and gives each request its own cursor, because one
DuckDB connection must not be used by two threads at once while cursors of
one connection may.  Every statement takes its values as parameters.

While the server holds the file open read-only no process can write it
(DuckDB's file lock), so the data cannot change under the server: results of
corpus-wide aggregates (totals, timelines, networks) are kept in a small LRU
cache bounded by the number of rows it holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import duckdb

from .. import store


class Database:
    """One read-only DuckDB connection shared by the request threads."""

    #: Rows the aggregate cache may hold in all (each entry counts its rows, at least 1).
    CACHE_ROWS = 100_000

    def __init__(self, path: Path):
        self.path = Path(path)
        self._con = store.connect(self.path, read_only=True)
        self._cache: OrderedDict[tuple, list[dict[str, Any]]] = OrderedDict()
        self._cached_rows = 0
        self._lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def rows(self, sql: str, params: Optional[Sequence[Any]] = None, cache: bool = False) -> list[dict[str, Any]]:
        """The result as a list of dicts (column name -> value); ``cache`` for corpus-wide aggregates."""
        key = (sql, tuple(params or ()))
        if cache:
            with self._lock:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    return [dict(row) for row in hit]  # callers may edit their rows
        with self.cursor() as cur:
            result = cur.execute(sql, list(params or []))
            names = [d[0] for d in result.description]
            rows = [dict(zip(names, row)) for row in result.fetchall()]
        if cache and len(rows) <= self.CACHE_ROWS // 10:
            with self._lock:
                if key not in self._cache:
                    self._cache[key] = [dict(row) for row in rows]
                    self._cached_rows += max(1, len(rows))
                while self._cached_rows > self.CACHE_ROWS and self._cache:
                    _, dropped = self._cache.popitem(last=False)
                    self._cached_rows -= max(1, len(dropped))
        return rows

    def value(self, sql: str, params: Optional[Sequence[Any]] = None, cache: bool = False) -> Any:
        found = self.rows(sql, params, cache=cache)
        return next(iter(found[0].values())) if found else None

    def close(self) -> None:
        self._con.close()
