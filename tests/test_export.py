"""GDELT 2.0 and PLOVER exports of merged event records, on a store of hand-made analyses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_records import build
from eventwire.cli import app
from eventwire.export import GDELT_COLUMNS


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("x") / "x.duckdb")


def _gdelt(db: Path, tmp_path: Path, *extra: str) -> list[list[str]]:
    out = tmp_path / "events.tsv"
    result = CliRunner().invoke(app, ["export", "events", "--db", str(db), "-o", str(out), "--format", "gdelt",
                                      *extra])
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]


def test_gdelt_columns_follow_the_codebook() -> None:
    assert len(GDELT_COLUMNS) == 61 and len(set(GDELT_COLUMNS)) == 61
    assert GDELT_COLUMNS[:5] == ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[5] == "Actor1Code" and GDELT_COLUMNS[15] == "Actor2Code"
    assert GDELT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                                    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert GDELT_COLUMNS[35] == "Actor1Geo_Type" and GDELT_COLUMNS[51] == "ActionGeo_Type"
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_rows_hold_our_values(db: Path, tmp_path: Path) -> None:
    rows = _gdelt(db, tmp_path)
    assert all(len(row) == 61 for row in rows)
    by_code = {row[26]: dict(zip(GDELT_COLUMNS, row)) for row in rows}
    assert set(by_code) == {"040", "010", "163", "042"}  # the reprint adds no record
    meet = by_code["040"]
    assert (meet["Day"], meet["MonthYear"], meet["Year"]) == ("20190108", "201901", "2019")
    assert meet["FractionDate"] == f"{2019 + (1 * 30 + 8) / 365:.4f}"
    assert (meet["Actor1Code"], meet["Actor1Name"], meet["Actor1CountryCode"], meet["Actor1Type1Code"]) == \
        ("CHNGOV", "XI JINPING", "CHN", "GOV")
    assert (meet["Actor2Code"], meet["Actor2CountryCode"]) == ("PRKGOV", "PRK")
    assert (meet["EventCode"], meet["EventBaseCode"], meet["EventRootCode"], meet["QuadClass"]) == \
        ("040", "040", "04", "1")
    assert (meet["NumMentions"], meet["NumSources"], meet["NumArticles"], meet["AvgTone"]) == ("2", "2", "2", "0")
    assert meet["IsRootEvent"] == "1"  # in the lead paragraph
    # geography: GDELT's FIPS country codes; the action at the event's place with its GeoNames id
    assert (meet["Actor1Geo_Type"], meet["Actor1Geo_CountryCode"], meet["Actor2Geo_CountryCode"]) == ("1", "CH", "KN")
    assert (meet["ActionGeo_Type"], meet["ActionGeo_FullName"], meet["ActionGeo_CountryCode"]) == \
        ("4", "Beijing, China", "CH")
    assert meet["ActionGeo_ADM1Code"].startswith("CH") and meet["ActionGeo_FeatureID"] == "1816670"
    assert abs(float(meet["ActionGeo_Lat"]) - 39.9075) < 1e-6
    assert len(meet["DATEADDED"]) == 14 and meet["SOURCEURL"] == "https://wirea.example/wire-a"
    sanction = by_code["163"]
    assert (sanction["Actor2Code"], sanction["Actor2Type1Code"], sanction["GoldsteinScale"]) == ("PRKBUS", "BUS", "-8.0")
    assert sanction["ActionGeo_Type"] == "0" and sanction["ActionGeo_Lat"] == ""
    statement = by_code["010"]
    assert statement["Actor2Code"] == "" and statement["SOURCEURL"] == "eventwire:seoul-kaesong"


def test_gdelt_header_only_when_asked(db: Path, tmp_path: Path) -> None:
    rows = _gdelt(db, tmp_path, "--header")
    assert tuple(rows[0]) == GDELT_COLUMNS and len(rows) == 5


def test_plover_records(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.plover.jsonl"
    result = CliRunner().invoke(app, ["export", "events", "--db", str(db), "-o", str(out), "--format", "plover"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4
    meet = next(r for r in records if r["cameo"] == "040")
    assert (meet["event_type"], meet["mode"], meet["context"]) == ("CONSULT", None, [])
    assert meet["source"] == {"name": "Xi Jinping", "actor": "CHNGOV", "country": "CHN", "types": ["GOV"]}
    assert meet["target"]["actor"] == "PRKGOV"
    assert (meet["date"], meet["date_end"]) == ("2019-01-08", "2019-01-09")
    assert meet["location"]["name"] == "Beijing" and meet["location"]["geonames_id"] == 1816670
    assert meet["text"].startswith("Chinese President Xi Jinping held talks")
    assert sorted(meet["ids"]["article_ids"]) == ["wire-a", "wire-b"] and meet["num_sources"] == 2
    visit = next(r for r in records if r["cameo"] == "042")
    assert (visit["event_type"], visit["factuality"]) == ("CONSULT", "future")
    assert next(r for r in records if r["cameo"] == "010")["event_type"] is None


def test_event_formats_need_events(db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "articles", "--db", str(db), "-o", str(tmp_path / "a.tsv"),
                                      "--format", "gdelt"])
    assert result.exit_code == 2 and "export events" in result.output
