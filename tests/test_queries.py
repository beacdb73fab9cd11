"""Corpus queries and full-text search on a store built from hand-made analyses (no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_records import build
from eventwire import queries, search, store
from eventwire.cli import app


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("q") / "q.duckdb")


@pytest.fixture()
def con(db: Path):
    with store.reading(db) as connection:
        yield connection


def test_events_merge_outlets_and_skip_reprints(con) -> None:
    rows = queries.events(con, actor="CHN", target="PRK", root="04")
    assert len(rows) == 1
    row = rows[0]
    # two outlets a day apart are one record; the reprint of wire-a adds nothing
    assert (row["num_mentions"], row["num_sources"], row["num_articles"]) == (2, 2, 2)
    assert (row["first_date"], row["last_date"]) == ("2019-01-08", "2019-01-09")
    assert row["sentence"].startswith("Chinese President Xi Jinping held talks")


def test_event_filters_narrow(con) -> None:
    assert {r["cameo"] for r in queries.events(con, actor="USA")} == {"163", "042"}
    assert [r["cameo"] for r in queries.events(con, actor="USA", factuality="future")] == ["042"]
    assert [r["cameo"] for r in queries.events(con, plover="sanction")] == ["163"]
    assert [r["cameo"] for r in queries.events(con, code="04", since="2019-02-01")] == ["042"]
    assert queries.events(con, since="2019-01-09", until="2019-01-09")[0]["record_id"] is not None
    assert queries.events(con, until="2019-01-07") == []
    assert len(queries.events(con, limit=2)) == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"root": "42"}, "root"), ({"code": "999"}, "CAMEO event code"), ({"plover": "HUG"}, "PLOVER"),
    ({"actor": "PR"}, "actor code"), ({"since": "2019-02-30"}, "--since"), ({"factuality": "maybe"}, "factuality"),
    ({"since": "2019-03-01", "until": "2019-01-01"}, "after"),
])
def test_bad_filters_raise_query_error(con, kwargs, message) -> None:
    with pytest.raises(queries.QueryError, match=message):
        queries.events(con, **kwargs)


def test_actors_count_source_and_target_without_copies(con) -> None:
    rows = {r["actor"]: r for r in queries.actors(con)}
    assert (rows["CHNGOV"]["as_source"], rows["CHNGOV"]["as_target"]) == (2, 0)
    assert (rows["PRKGOV"]["as_source"], rows["PRKGOV"]["as_target"]) == (0, 3)
    assert rows["CHNGOV"]["name"] == "Xi Jinping"
    assert queries.actors(con, limit=1)[0]["actor"] == "PRKGOV"


def test_stories_group_outlets_and_copies(con) -> None:
    rows = queries.stories(con)
    top = rows[0]
    assert (top["articles"], top["copies"]) == (2, 1)
    assert set(top["top_actors"]) == {"CHNGOV", "PRKGOV"}
    assert top["event_records"] == 1


def test_quotes_by_speaker(con) -> None:
    rows = queries.quotes(con, speaker="moon jae")
    assert [r["text"] for r in rows] == ["We are ready to restart Kaesong the moment the door opens"]
    assert queries.quotes(con, speaker="100%_") == []


def test_search_ranks_and_snippets(con) -> None:
    hits = search.search(con, "Kaesong")
    assert {(h["article_id"], h["kind"]) for h in hits} >= {("seoul-kaesong", "quote"), ("seoul-kaesong", "article"),
                                                            ("wire-a", "article")}
    # the short quote and the Seoul story mention it twice in few words: ranked above the long meeting report
    assert hits[0]["article_id"] == "seoul-kaesong"
    assert all("[Kaesong]" in h["snippet"] for h in hits)
    assert search.search(con, "kaesong", scope="quotes")[0]["speaker"] == "Moon Jae-in"
    # every word must match; accents and case are folded
    assert search.search(con, "KAESŎNG armoured") == []
    assert [h["article_id"] for h in search.search(con, "armoured train")] == ["wire-b"]
    # a quoted phrase must occur as written
    assert [h["article_id"] for h in search.search(con, '"restart Kaesong"', scope="quotes")] == ["seoul-kaesong"]
    assert search.search(con, '"Kaesong restart"') == []
    with pytest.raises(ValueError):
        search.search(con, "  ... ")


def test_tokens_fold_accents_and_case() -> None:
    assert search.tokens("Kaesŏng's Jae-in, PYONGYANG!") == ["kaesong", "s", "jae", "in", "pyongyang"]


def test_cli_json_lines_and_errors(db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["events", "--db", str(db), "--actor", "CHN", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1 and lines[0]["num_sources"] == 2
    table = runner.invoke(app, ["actors", "--db", str(db)])
    assert table.exit_code == 0 and "PRKGOV" in table.stdout
    found = runner.invoke(app, ["search", "Kaesong", "--db", str(db), "--json", "-n", "1"])
    assert json.loads(found.stdout)["article_id"] == "seoul-kaesong"
    quotes = runner.invoke(app, ["quotes", "--db", str(db), "--speaker", "Moon Jae-in", "--json"])
    assert json.loads(quotes.stdout)["speaker"] == "Moon Jae-in"
    stories = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert len(stories.stdout.splitlines()) == 3
    bad = runner.invoke(app, ["events", "--db", str(db), "--code", "9x9"])
    assert bad.exit_code == 2 and "not a CAMEO event code" in bad.output and "Traceback" not in bad.output
    bad_date = runner.invoke(app, ["events", "--db", str(db), "--since", "yesterday"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output


def test_cli_refuses_missing_and_foreign_db(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "no such database" in missing.output
    text = tmp_path / "notes.duckdb"
    text.write_text("shopping list\n" * 50)
    before = text.read_bytes()
    foreign = runner.invoke(app, ["search", "milk", "--db", str(text)])
    assert foreign.exit_code == 2 and "not a DuckDB database" in foreign.output
    assert text.read_bytes() == before


def test_records_merge_across_batches(tmp_path: Path) -> None:
    from corpus_records import records
    from eventwire.ingest import ingest_records

    db = tmp_path / "one.duckdb"
    ingest_records(records(), db, batch_size=1)  # every article in its own transaction
    with store.reading(db) as con:
        row = queries.events(con, actor="CHN")[0]
    assert (row["first_date"], row["last_date"], row["num_sources"]) == ("2019-01-08", "2019-01-09", 2)
