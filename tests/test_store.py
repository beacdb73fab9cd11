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
