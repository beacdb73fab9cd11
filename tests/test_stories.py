"""Stories: same event together, two events of the same kind apart."""

from __future__ import annotations

from pathlib import Path

from eventwire import store
from eventwire.ingest import ingest
from eventwire.stories import (cluster, date_terms, lead_terms, merge_cut, similarity, similarity_matrix,
                               word_terms)

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
    # b has no dates: adding dates to a alone changes nothing.
    a = {"w": {"w:quake": 1.0}, "ym": {"ym:2022-03": 1.0}}
    a_undated = {"w": {"w:quake": 1.0}}
    b = {"w": {"w:quake": 1.0}}
    assert similarity(a, b) == similarity(a_undated, b)


def test_conflicting_anchors_pull_apart() -> None:
    # Same words; other months and other victims pull apart, shared ones pull together.
    a = {"w": {"w:quake": 1.0}, "ym": {"ym:2022-03": 1.0}, "per": {"per:ortega": 1.0}}
    b = {"w": {"w:quake": 1.0}, "ym": {"ym:2024-10": 1.0}, "per": {"per:tanaka": 1.0}}
    c = {"w": {"w:quake": 1.0}, "ym": {"ym:2022-03": 1.0}, "per": {"per:ortega": 1.0}}
    words_only = similarity({"w": {"w:quake": 1.0}}, {"w": {"w:quake": 1.0}})
    assert similarity(a, b) < words_only < similarity(a, c)


def test_anchors_count_only_between_articles_on_one_subject() -> None:
    # A flood and a budget vote in the same month share a date, nothing else: still apart.
    flood = {"w": {"w:flood": 0.8, "w:river": 0.6}, "ym": {"ym:2023-05": 1.0}, "mo": {"mo:05": 1.0}}
    budget = {"w": {"w:budget": 0.8, "w:vote": 0.6}, "ym": {"ym:2023-05": 1.0}, "mo": {"mo:05": 1.0}}
    undated = {"w": {"w:budget": 0.8, "w:vote": 0.6}}
    assert similarity(flood, budget) <= similarity(flood, undated) < merge_cut()


def test_similarity_matrix_agrees_with_pairwise_similarity() -> None:
    vectors = [
        {"w": {"w:flood": 0.8, "w:river": 0.6}, "yr": {"yr:2023": 1.0}, "num": {"num:12": 1.0}},
        {"w": {"w:flood": 0.6, "w:river": 0.8}, "yr": {"yr:2023": 1.0}, "num": {"num:40": 1.0}},
        {"w": {"w:budget": 1.0}, "per": {"per:alvarez": 1.0}},
    ]
    matrix = similarity_matrix(vectors)
    for i, a in enumerate(vectors):
        for j, b in enumerate(vectors):
            assert abs(matrix[i, j] - similarity(a, b)) < 1e-9


def test_date_terms_keep_what_the_value_resolves() -> None:
    assert date_terms("2022-03-14") == ["ym:2022-03", "yr:2022", "md:03-14", "mo:03"]
    assert date_terms("XXXX-03-14") == ["md:03-14", "mo:03"]  # "March 14" with no year still anchors the day
    assert date_terms("2022-03") == ["ym:2022-03", "yr:2022", "mo:03"]
    assert date_terms("2022") == ["yr:2022"]
    assert date_terms("XXXX-WXX-6") == ["wd:6"]  # "on Saturday" with no date known
    assert date_terms("PAST_REF") == [] and date_terms("") == []


def test_lead_terms_come_from_the_first_paragraphs_only() -> None:
    text = "Dam bursts above Valdora\n\nFloodwater swept through the valley town.\n\n" \
           "Officials met.\n\nLater paragraphs mention the harvest festival."
    terms = lead_terms(text)
    assert "lead:dam" in terms and "lead:floodwater" in terms
    assert "lead:harvest" not in terms


FLOODS = CORPUS / "stories_floods.jsonl"


def test_two_floods_in_other_towns_and_weeks_are_two_stories(tmp_path: Path, nlp) -> None:
    db = tmp_path / "f.duckdb"
    ingest([str(FLOODS)], db)
    story = _stories(db)
    assert story["flood-marrow-1"] == story["flood-marrow-2"]  # one flood, reworded
    assert story["flood-tarn-1"] == story["flood-tarn-2"]
    assert story["flood-marrow-1"] != story["flood-tarn-1"]


def test_flood_reports_arriving_later_join_their_own_flood(tmp_path: Path, nlp) -> None:
    lines = FLOODS.read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join([lines[0], lines[2]]) + "\n")
    second.write_text("\n".join([lines[3], lines[1]]) + "\n")
    db = tmp_path / "inc.duckdb"
    ingest([str(first)], db)
    summary = ingest([str(second)], db)
    story = _stories(db)
    assert summary.stories_new == 0
    assert story["flood-marrow-2"] == story["flood-marrow-1"] != story["flood-tarn-2"] == story["flood-tarn-1"]


THIRD_MARROW_REPORT = {
    "id": "flood-marrow-3", "source": "county-radio",
    "text": "Hospital evacuated as Marrow floods Elsdon\n\nMayor Colin Featherstone said 140 homes in Elsdon "
            "were under water on 6 June 2023 after the River Marrow rose overnight, and patients were moved "
            "out of the hospital.\n\nTwo people rescued by boat from Mill Street were treated for hypothermia."}


def test_a_story_split_early_is_mended_when_a_later_report_ties_it(tmp_path: Path, nlp, monkeypatch) -> None:
    import json

    from eventwire import stories

    lines = FLOODS.read_text().splitlines()
    db = tmp_path / "split.duckdb"
    one, two, three = (tmp_path / f"{n}.jsonl" for n in ("one", "two", "three"))
    one.write_text(lines[0] + "\n")
    two.write_text(lines[1] + "\n")
    three.write_text(json.dumps(THIRD_MARROW_REPORT) + "\n")
    ingest([str(one)], db)
    with monkeypatch.context() as patch:  # simulate an early split: the second report starts its own story
        patch.setattr(stories, "_match_stories", lambda con, clusters, *a: [None] * len(clusters))
        ingest([str(two)], db)
    split = _stories(db)
    assert split["flood-marrow-1"] != split["flood-marrow-2"]
    ingest([str(three)], db)
    story = _stories(db)
    assert story["flood-marrow-1"] == story["flood-marrow-2"] == story["flood-marrow-3"] == split["flood-marrow-1"]
    con = store.connect(db, read_only=True)
    listed = {row[0] for row in con.execute("SELECT story FROM stories").fetchall()}
    con.close()
    assert listed == {split["flood-marrow-1"]}
