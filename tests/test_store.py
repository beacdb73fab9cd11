"""The corpus database: schema, refusal of foreign files, rows from analyses."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from eventwire import store


def test_new_database_has_every_table(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "c.duckdb")
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert {"articles", "entities", "mentions", "quotes", "events", "times", "places",
            "event_records", "event_summary"} <= tables


@pytest.mark.parametrize("content", [b"this is a plain text file, not a database\n" * 20,
                                     bytes(range(256)) * 64])
def test_non_duckdb_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_bytes(content)
    with pytest.raises(store.StoreError, match="not a DuckDB database"):
        store.connect(path)
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.duckdb.wal").exists()


def test_duckdb_file_of_another_program_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (n INTEGER)")
    con.close()
    before = path.read_bytes()
    with pytest.raises(store.StoreError, match="another program"):
        store.connect(path)
    assert path.read_bytes() == before


def test_analysis_rows_keep_unknown_fields_in_extra() -> None:
    record = {
        "id": "a1", "text": "Kenya's president visited Kampala.",
        "entities": [{"id": "E1", "name": "Kampala", "type": "GPE", "actor": None, "country": "UGA",
                      "salience": 0.4,
                      "mentions": [{"start": 26, "end": 33, "text": "Kampala", "kind": "name"}]}],
        "times": [{"start": 0, "end": 5, "text": "Kenya", "type": "DATE", "value": None, "anchor": "x"}],
    }
    rows = store.analysis_rows(record)
    assert rows["entities"][0]["mentions"] == 1
    assert json.loads(rows["entities"][0]["extra"]) == {"salience": 0.4}
    assert rows["mentions"][0]["start"] == 26 and rows["mentions"][0]["extra"] is None
    assert json.loads(rows["times"][0]["extra"]) == {"anchor": "x"}


def test_insert_rows_casts_json_payload(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "c.duckdb")
    store.insert_rows(con, "places", [{"article_id": "a", "place_no": 0, "start": 1, "end": 4,
                                       "text": "Oslo", "name": "Oslo", "kind": "city", "country": "NOR",
                                       "lat": 59.91, "lon": 10.75, "geonames_id": 3143244, "extra": None}])
    assert con.execute("SELECT name, lat, geonames_id FROM places").fetchall() == [("Oslo", 59.91, 3143244)]
    con.close()


def test_normalised_text_hash_ignores_case_and_spacing() -> None:
    assert store.text_hash("Rain fell  in\nLima.") == store.text_hash("rain fell in lima.")
    assert store.text_hash("Rain fell in Lima.") != store.text_hash("Rain fell in Quito.")


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "corpus.duckdb"
    lite = sqlite3.connect(path)
    lite.execute("CREATE TABLE articles (id TEXT)")
    lite.commit()
    lite.close()
    before = _sha(path)
    for read_only in (False, True):
        with pytest.raises(store.StoreError, match="not a DuckDB database"):
            store.connect(path, read_only=read_only)
    assert _sha(path) == before


@pytest.mark.parametrize("offset", [4096 + 16, 8192 + 16, 12288 + 64])
def test_damaged_duckdb_file_is_refused_and_untouched(tmp_path: Path, offset: int) -> None:
    path = tmp_path / "c.duckdb"
    store.connect(path).close()
    data = bytearray(path.read_bytes())
    data[offset:offset + 32] = bytes(range(7, 39))
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(store.StoreError, match="damaged|cannot be opened"):
        store.connect(path)
    with pytest.raises(store.StoreError):
        store.open_readonly(path, timeout=0.5)
    assert _sha(path) == before
    assert not (tmp_path / "c.duckdb.wal").exists()


def test_reader_waits_for_a_writer_then_gives_up_clearly(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    path = tmp_path / "busy.duckdb"
    store.connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(path)!r})\n"
                               "print('locked', flush=True)\n"
                               "time.sleep(float(sys.argv[1]))\n", "0.8"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(store.StoreError, match="in use by another process"):
            store.open_readonly(path, timeout=0.2)
        assert time.monotonic() - started < 2
        # with a longer timeout the reader gets in once the writer lets go
        with store.reading(path, timeout=20) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        holder.wait(timeout=20)


def test_old_database_gains_search_tables_on_write(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    con.execute("DROP TABLE search_postings")
    con.execute("DROP TABLE search_docs")
    con.close()
    con = store.connect(path)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert {"search_docs", "search_postings"} <= tables


def test_insert_rows_falls_back_for_mistyped_values(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "c.duckdb")
    row = {"article_id": "a", "place_no": 0, "start": "7", "end": 11, "text": "Oslo", "name": "Oslo",
           "kind": "city", "country": "NOR", "lat": 59, "lon": 10.75, "geonames_id": None, "extra": None}
    store.insert_rows(con, "places", [row])  # a stage wrote a string offset: still stored, cast
    assert con.execute('SELECT start, lat FROM places').fetchall() == [(7, 59.0)]
    con.close()


def test_new_file_appears_only_with_its_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    (tmp_path / "new.duckdb.creating-999999").write_bytes(b"left by a killed run")
    store.connect(path).close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith("999999")) == ["new.duckdb"]
    with store.reading(path) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_empty_duckdb_file_is_filled_for_writing_and_refused_for_reading(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()  # what a run killed mid-creation used to leave
    with pytest.raises(store.StoreError, match="holds no eventwire corpus"):
        store.open_readonly(path, timeout=0.5)
    store.connect(path).close()
    with store.reading(path) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
