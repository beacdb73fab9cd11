"""Stories: same event together, two events of the same kind apart."""

from __future__ import annotations

from pathlib import Path

from eventwire import store
from eventwire.ingest import ingest
from eventwire.stories import cluster, date_terms, similarity, word_terms

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
    a = {"w": {"x": 1.0}}
    c = {"w": {"y": 1.0}}
    b = {"w": {"x": 0.7071, "y": 0.7071}}
    labels = cluster([a, b, c], threshold=0.5)
    assert labels[0] != labels[2]


def test_word_terms_skip_stop_words_and_keep_numbers() -> None:
    terms = word_terms("The ferry sank with 41 passengers near the islands of Samar.")
    assert "w:the" not in terms and "w:ferry" in terms and "num:41" in terms
    assert "w:passenger" in terms and "w:island" in terms


def _stories(db: Path) -> dict[str, str]:
    con = store.connect(db, read_only=True)
    story = dict(con.execute("SELECT id, story FROM articles").fetchall())
    con.close()
    return story


def test_same_kind_of_event_on_other_dates_is_another_story(tmp_path: Path, nlp) -> None:
    # Two water summits in the same city: same words and place, other dates and people.
    db = tmp_path / "s.duckdb"
    ingest([str(CORPUS / "summits.jsonl")], db)
    story = _stories(db)
    assert story["summit-2022-a"] == story["summit-2022-b"]
    assert story["summit-2024-a"] == story["summit-2024-b"]
    assert story["summit-2022-a"] != story["summit-2024-a"]


def test_follow_up_with_the_same_anchors_joins_later(tmp_path: Path, nlp) -> None:
    lines = (CORPUS / "summits.jsonl").read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    second.write_text(lines[3] + "\n")
    db = tmp_path / "inc.duckdb"
    ingest([str(first)], db)
    before = _stories(db)
    summary = ingest([str(second)], db)
    story = _stories(db)
    assert summary.stories_new == 0
    assert all(story[k] == v for k, v in before.items())  # ids are stable
    assert story["summit-2024-b"] == story["summit-2024-a"] != story["summit-2022-a"]


def test_a_family_one_side_lacks_is_neutral() -> None:
    # b has no dates: the shared words alone decide.
    a = {"w": {"w:quake": 1.0}, "ym": {"ym:2022-03": 1.0}}
    b = {"w": {"w:quake": 1.0}}
    assert similarity(a, b) == 1.0


def test_conflicting_anchors_pull_apart() -> None:
    # Same words, different months, different victims: the mean falls to 2/4.
    a = {"w": {"w:quake": 1.0}, "ym": {"ym:2022-03": 1.0}, "per": {"per:ortega": 1.0}}
    b = {"w": {"w:quake": 1.0}, "ym": {"ym:2024-10": 1.0}, "per": {"per:tanaka": 1.0}}
    c = {"w": {"w:quake": 1.0}, "ym": {"ym:2022-03": 1.0}, "per": {"per:ortega": 1.0}}
    assert similarity(a, b) == 0.5
    assert similarity(a, c) == 1.0


def test_date_terms_keep_what_the_value_resolves() -> None:
    assert date_terms("2022-03-14") == ["ym:2022-03", "md:03-14"]
    assert date_terms("XXXX-03-14") == ["md:03-14"]  # "March 14" with no year still anchors the day
    assert date_terms("2022-03") == ["ym:2022-03"]
    assert date_terms("2022") == [] and date_terms("PAST_REF") == [] and date_terms("XXXX-WXX-6") == []
