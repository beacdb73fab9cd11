"""Ingest: idempotent, incremental, per-batch transactions, duplicates, exports.

In-process runs share the session's model; one subprocess is started to be
killed, since only a real SIGKILL shows what survives a crash.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from eventwire import store
from eventwire.cli import app
from eventwire.ingest import ingest

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def counts(db: Path) -> dict[str, int]:
    con = store.connect(db, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "entities", "mentions", "events", "places", "minhash")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, nlp) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "c.duckdb"
    ingest([str(CORPUS / "wire.jsonl")], db, batch_size=2)
    return db


def test_reingest_changes_nothing(corpus_db: Path, tmp_path: Path) -> None:
    before = counts(corpus_db)
    summary = ingest([str(CORPUS / "wire.jsonl")], corpus_db)
    assert summary.stored == 0 and summary.skipped == 3
    assert counts(corpus_db) == before
    # the same text under another id, with other spacing and case, is the same article
    record = json.loads((CORPUS / "wire.jsonl").read_text().splitlines()[2])
    record["id"] = "renamed"
    record["text"] = "  " + record["text"].upper().replace(" ", "   ")
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps(record) + "\n")
    assert ingest([str(again)], corpus_db).skipped == 1
    assert counts(corpus_db) == before


def test_near_duplicate_points_at_earliest_published_copy(corpus_db: Path) -> None:
    con = store.connect(corpus_db, read_only=True)
    rows = dict(con.execute("SELECT id, duplicate_of FROM articles").fetchall())
    stories = dict(con.execute("SELECT id, story FROM articles").fetchall())
    con.close()
    # wire-b was ingested first, but wire-a was published a day earlier
    assert rows == {"wire-b": "wire-a", "wire-a": None, "unrelated": None}
    assert stories["wire-b"] == stories["wire-a"] != stories["unrelated"]


def test_incremental_add_keeps_existing_stories(tmp_path: Path) -> None:
    db = tmp_path / "inc.duckdb"
    ingest([str(CORPUS / "wire.jsonl")], db)
    con = store.connect(db, read_only=True)
    first = dict(con.execute("SELECT id, story FROM articles").fetchall())
    con.close()
    summary = ingest([str(CORPUS / "quakes.jsonl"), str(CORPUS / "wire.jsonl")], db)
    assert summary.stored == 4 and summary.skipped == 3
    con = store.connect(db, read_only=True)
    after = dict(con.execute("SELECT id, story FROM articles").fetchall())
    con.close()
    assert len(after) == 7
    assert {k: after[k] for k in first} == first
    assert len({after[k] for k in after if k.startswith("quake")} & set(first.values())) == 0


def test_export_formats(corpus_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "a.jsonl"
    result = runner.invoke(app, ["export", "articles", "--db", str(corpus_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert {line["id"] for line in lines} == {"wire-a", "wire-b", "unrelated"}
    assert all({"id", "duplicate_of", "story"} <= set(line) for line in lines)
    assert all(line["story"] for line in lines)

    out_csv = tmp_path / "m.csv"
    assert runner.invoke(app, ["export", "mentions", "--db", str(corpus_db), "-o", str(out_csv)]).exit_code == 0
    rows = list(csv.DictReader(out_csv.open()))
    assert rows and {"article_id", "entity_id", "start", "end", "text"} <= set(rows[0])
    con = duckdb.connect(str(corpus_db), read_only=True)
    for row in rows[:20]:
        text = con.execute("SELECT text FROM articles WHERE id = ?", [row["article_id"]]).fetchone()[0]
        assert text[int(row["start"]):int(row["end"])] == row["text"]
    con.close()

    out_pq = tmp_path / "events.out"
    result = runner.invoke(app, ["export", "events", "--db", str(corpus_db), "-o", str(out_pq),
                                 "--format", "parquet"])
    assert result.exit_code == 0, result.output
    columns = [c[0] for c in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out_pq}')").fetchall()]
    assert {"article_id", "record_id", "cameo", "source_actor"} <= set(columns)

    bad = runner.invoke(app, ["export", "nonsense", "--db", str(corpus_db), "-o", str(out)])
    assert bad.exit_code == 2


def test_cli_refuses_corrupt_db_without_touching_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.duckdb"
    content = b"\x00\x01garbage that is not a database" * 100
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["ingest", str(CORPUS / "wire.jsonl"), "--db", str(path)])
    assert result.exit_code == 2
    assert "not a DuckDB database" in result.output
    assert path.read_bytes() == content


def _killable_corpus(path: Path, count: int) -> None:
    towns = ["Arlon", "Bastogne", "Ciney", "Dinant", "Eupen", "Fleurus", "Gembloux", "Huy",
             "Ieper", "Jodoigne", "Knokke", "Lier", "Mons", "Namur", "Ostend", "Perwez"]
    with path.open("w") as handle:
        for i in range(count):
            town = towns[i % len(towns)]
            text = (f"Council number {i} in {town} voted {i + 3} to {i % 5} on Tuesday to rebuild "
                    f"bridge {i * 7} over the canal, the mayor of {town} said. Work on the {i}th "
                    f"project is due to start in spring and cost {i * 13 + 40} thousand euros.")
            handle.write(json.dumps({"id": f"k{i}", "text": text, "published": "2024-03-05"}) + "\n")


def _stored(db: Path) -> int:
    """Articles a concurrent reader sees now (0 before the database exists)."""
    if not db.exists():
        return 0
    with store.reading(db, timeout=20) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def _start_ingest(source: Path, db: Path, batch: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "eventwire.cli", "ingest", str(source), "--db", str(db),
                             "--batch-size", str(batch), "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def test_sigkill_mid_run_then_rerun_stores_every_article_once(tmp_path: Path, nlp) -> None:
    source, db = tmp_path / "many.jsonl", tmp_path / "k.duckdb"
    count = 240  # enough batches that a busy machine still catches ingest mid-run
    _killable_corpus(source, count)
    proc = _start_ingest(source, db, 4)
    deadline = time.time() + 120
    seen: list[int] = []
    try:
        # a reader loop runs while the subprocess ingests (ingest holds the file a batch at a
        # time; the reader waits out a batch); kill once the reader saw batches arrive
        while time.time() < deadline and proc.poll() is None:
            seen.append(_stored(db))  # raises StoreError if a read fails
            if len({n for n in seen if n}) >= 2:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "ingest finished before it could be killed; enlarge the corpus"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert seen == sorted(seen), "a reader saw the corpus shrink"
    partial = counts(db)["articles"]
    assert 0 < partial < count and partial >= seen[-1]
    summary = ingest([str(source)], db, batch_size=16)
    assert summary.skipped == partial and summary.stored == count - partial
    con = store.connect(db, read_only=True)
    total, distinct, no_story = con.execute(
        "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE story IS NULL) FROM articles").fetchone()
    orphan_mentions = con.execute(
        "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    dup_mentions = con.execute(
        "SELECT count(*) - count(DISTINCT (article_id, entity_id, start)) FROM mentions").fetchone()[0]
    dup_docs = con.execute(
        "SELECT count(*) - count(DISTINCT (article_id, quote_no)) FROM search_docs").fetchone()[0]
    con.close()
    assert total == distinct == count
    assert no_story == 0 and orphan_mentions == 0 and dup_mentions == 0 and dup_docs == 0
