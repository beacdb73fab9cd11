"""Stories: same event together, two events of the same kind apart."""

from __future__ import annotations

from pathlib import Path

from eventwire import store
from eventwire.ingest import ingest
from eventwire.stories import cluster, word_terms

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_two_earthquakes_are_two_stories(tmp_path: Path, nlp) -> None:
    db = tmp_path / "q.duckdb"
    ingest([str(CORPUS / "quakes.jsonl")], db)
    con = store.connect(db, read_only=True)
    story = dict(con.execute("SELECT id, story FROM articles").fetchall())
    con.close()
    assert story["quake-peru-1"] == story["quake-peru-2"]
    assert story["quake-japan-1"] == story["quake-japan-2"]
    assert story["quake-peru-1"] != story["quake-japan-1"]


def test_a_later_report_joins_its_story_incrementally(tmp_path: Path, nlp) -> None:
    lines = (CORPUS / "quakes.jsonl").read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[0:1] + lines[2:3]) + "\n")
    second.write_text("\n".join(lines[1:2] + lines[3:4]) + "\n")
    db = tmp_path / "inc.duckdb"
    ingest([str(first)], db)
    summary = ingest([str(second)], db)
    assert summary.stories_new == 0
    con = store.connect(db, read_only=True)
    story = dict(con.execute("SELECT id, story FROM articles").fetchall())
    con.close()
    assert story["quake-peru-2"] == story["quake-peru-1"] != story["quake-japan-2"] == story["quake-japan-1"]


def test_average_link_does_not_chain() -> None:
    # b shares half its weight with a and half with c, but a and c share nothing:
    # average link keeps a and c apart where single link would chain them.
    a = {"x": 1.0}
    c = {"y": 1.0}
    b = {"x": 0.7071, "y": 0.7071}
    labels = cluster([a, b, c], threshold=0.5)
    assert labels[0] != labels[2]


def test_word_terms_skip_stop_words_and_keep_numbers() -> None:
    terms = word_terms("The ferry sank with 41 passengers near the islands of Samar.")
    assert "w:the" not in terms and "w:ferry" in terms and "n:41" in terms
    assert "w:passenger" in terms and "w:island" in terms
