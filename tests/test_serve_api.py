"""The serve JSON API over a small corpus ingested from our own fixture articles."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from eventwire.ingest import ingest
from eventwire.serve import create_app
from eventwire.serve.api import _csv_cell

FIXTURE = Path(__file__).parent / "fixtures" / "serve" / "articles.jsonl"
MAX_BODY = 20_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp) -> Path:
    db = tmp_path_factory.mktemp("serve") / "corpus.duckdb"
    summary = ingest([str(FIXTURE)], db)
    assert summary.stored == 6 and not summary.errors
    return db


@pytest.fixture(scope="module")
def client(corpus, nlp):
    with TestClient(create_app(corpus, max_body=MAX_BODY, nlp=nlp)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def analyses(client) -> dict[str, dict]:
    """Every stored article's full analysis, fetched through the API."""
    ids = [a["id"] for a in client.get("/api/articles").json()["items"]]
    return {aid: client.get(f"/api/articles/{aid}").json() for aid in ids}


def originals(analyses: dict[str, dict]) -> list[dict]:
    return [a for a in analyses.values() if not a["duplicate_of"]]


def all_events(client, **params) -> list[dict]:
    return client.get("/api/events", params={"per_page": 500, **params}).json()["items"]


# ------------------------------------------------------------------ articles

def test_articles_list_is_newest_first_and_pages(client):
    body = client.get("/api/articles").json()
    assert body["total"] == 6
    dates = [a["published"] for a in body["items"]]
    assert dates == sorted(dates, reverse=True)
    pages = [client.get("/api/articles", params={"per_page": 4, "page": p}).json()["items"] for p in (1, 2)]
    assert [a["id"] for a in pages[0] + pages[1]] == [a["id"] for a in body["items"]]


def test_article_has_the_full_analysis_with_valid_offsets(analyses):
    record = analyses["nairobi-talks"]
    assert record["title"].startswith("Ruto and Hassan")
    assert record["entities"] and record["events"] and record["quotes"]
    text = record["text"]
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    for event in record["events"]:
        trigger = event["trigger"]
        assert text[trigger["start"]:trigger["end"]] == trigger["text"]
    for quote in record["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]


def test_duplicates_link_both_ways(analyses):
    copies = {a["id"]: a["duplicate_of"] for a in analyses.values() if a["duplicate_of"]}
    assert copies == {"nairobi-talks-copy": "nairobi-talks"}
    assert analyses["nairobi-talks"]["duplicates"] == ["nairobi-talks-copy"]


def test_unknown_article_is_404(client):
    assert client.get("/api/articles/no-such-article").status_code == 404


# ------------------------------------------------------------------ events and filters

def test_events_match_the_stored_analyses(client, analyses):
    expected = sum(len(a["events"]) for a in originals(analyses))
    body = client.get("/api/events", params={"per_page": 500}).json()
    assert body["total"] == expected == len(body["items"])
    with_copies = client.get("/api/events", params={"duplicates": "true"}).json()["total"]
    assert with_copies == sum(len(a["events"]) for a in analyses.values())


@pytest.mark.parametrize("field", ["plover", "factuality", "root"])
def test_enumerated_filters_count_like_the_analyses(client, analyses, field):
    values = {e[field] for a in originals(analyses) for e in a["events"] if e[field]}
    assert values
    for value in values:
        expected = sum(1 for a in originals(analyses) for e in a["events"] if e[field] == value)
        items = all_events(client, **{field: value})
        assert len(items) == expected and all(item[field] == value for item in items)


def test_actor_target_code_and_quad_filters(client, analyses):
    events = [e for a in originals(analyses) for e in a["events"]]
    source_actor = next(e["source"]["actor"] for e in events if e["source"] and e["source"]["actor"])
    prefix = source_actor[:3]
    items = all_events(client, actor=prefix)
    assert len(items) == sum(1 for e in events if ((e["source"] or {}).get("actor") or "").startswith(prefix))
    assert all(i["source"]["actor"].startswith(prefix) for i in items)
    target = next(e["target"]["actor"] for e in events if e["target"] and e["target"]["actor"])
    assert all(i["target"]["actor"] == target or i["target"]["actor"].startswith(target)
               for i in all_events(client, target=target.lower()))  # case is ignored
    code = events[0]["cameo"]
    assert {i["cameo"] for i in all_events(client, code=code[:2])} >= {code}
    for quad in (1, 4):
        items = all_events(client, quad=quad)
        assert len(items) == sum(1 for e in events if e["quad_class"] == quad)


def test_date_place_story_and_article_filters(client, analyses):
    items = all_events(client, date_from="2024-03-14", date_to="2024-03-15")
    assert items and all("2024-03-14" <= i["day"] <= "2024-03-15" for i in items)
    located = [e["location"] for a in originals(analyses) for e in a["events"] if e["location"]]
    assert located
    name, country = located[0]["name"], located[0]["country"]
    found = all_events(client, place=name.upper())  # case is ignored
    assert len(found) == sum(1 for loc in located if loc["name"].lower() == name.lower())
    by_country = all_events(client, place=country)
    assert by_country and all(i["location"]["country"] == country for i in by_country)
    story = analyses["berlin-aid"]["story"]
    members = {a["id"] for a in originals(analyses) if a["story"] == story and a["events"]}
    assert {i["article_id"] for i in all_events(client, story=story)} == members
    assert len(all_events(client, article="manila-sea")) == len(analyses["manila-sea"]["events"])


def test_events_paginate_without_overlap(client):
    everything = [(i["article_id"], i["event_no"]) for i in all_events(client)]
    paged = []
    page = 1
    while True:
        body = client.get("/api/events", params={"per_page": 7, "page": page}).json()
        if not body["items"]:
            break
        paged += [(i["article_id"], i["event_no"]) for i in body["items"]]
        page += 1
    assert paged == everything and len(set(paged)) == len(paged)


def test_events_csv_download(client):
    plover = next(e["plover"] for e in all_events(client) if e["plover"])
    response = client.get("/api/events", params={"format": "csv", "plover": plover})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == client.get("/api/events", params={"plover": plover}).json()["total"] > 0
    assert {r["plover"] for r in rows} == {plover}


def test_csv_cells_cannot_become_formulas():
    assert _csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert _csv_cell("Nairobi") == "Nairobi" and _csv_cell(3) == 3


@pytest.mark.parametrize("params", [
    {"plover": "HUG"}, {"factuality": "maybe"}, {"quad": "7"}, {"root": "99"}, {"code": "4a"},
    {"actor": "KEN'; DROP TABLE events; --"}, {"target": "K"}, {"date_from": "2024-02-30"},
    {"date_from": "2024-03-15", "date_to": "2024-03-01"}, {"story": "no-such-story"},
    {"page": "0"}, {"per_page": "100000"}, {"format": "xml"}, {"duplicates": "perhaps"},
    {"place": "x" * 101},
])
def test_bad_filter_values_are_422(client, params):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_sql_in_free_text_is_only_text(client):
    injected = "' OR 1=1; DROP TABLE articles; --"
    assert client.get("/api/events", params={"place": injected}).json()["total"] == 0
    assert client.get("/api/quotes", params={"speaker": injected}).json()["total"] == 0
    assert client.get("/api/search", params={"q": injected}).json()["total"] == 0
    for wildcard in ("%", "_", "%%_"):  # LIKE wildcards are matched literally
        assert client.get("/api/search", params={"q": wildcard}).json()["total"] == 0
        assert client.get("/api/articles", params={"q": wildcard}).json()["total"] == 0
    assert client.get("/api/articles").json()["total"] == 6


def test_timeline_network_and_locations_agree_with_events(client):
    events = all_events(client)
    timeline = client.get("/api/events/timeline").json()
    assert sum(row["n"] for row in timeline) == sum(1 for e in events if e["day"])
    network = client.get("/api/events/network").json()
    pairs = sum(1 for e in events if e["source"] and e["target"] and e["source"]["actor"]
                and e["target"]["actor"] and e["source"]["actor"] != e["target"]["actor"])
    assert sum(edge["n"] for edge in network["edges"]) == pairs
    places = client.get("/api/events/locations").json()
    assert sum(p["n"] for p in places) == sum(1 for e in events if e["location"] and e["location"]["lat"] is not None)


# ------------------------------------------------------------------ quotes, actors, stories, search

def test_quotes_by_speaker_and_words(client, analyses):
    everything = client.get("/api/quotes", params={"per_page": 500}).json()
    assert everything["total"] == sum(len(a["quotes"]) for a in analyses.values())
    named = [(a["id"], q) for a in analyses.values() for q in a["quotes"] if q["speaker_name"]]
    surname = named[0][1]["speaker_name"].split()[-1]
    by_speaker = client.get("/api/quotes", params={"speaker": surname.lower()}).json()["items"]
    assert by_speaker and all(surname.lower() in q["speaker"].lower() for q in by_speaker)
    article_id, quote = named[-1]
    words = " ".join(quote["text"].split()[:3])
    found = client.get("/api/quotes", params={"q": words.upper()}).json()["items"]
    assert (article_id, quote["text"]) in {(q["article_id"], q["text"]) for q in found}
    assert all(words.lower() in q["text"].lower() for q in found)
    speakers = client.get("/api/speakers").json()
    assert speakers[0]["quotes"] >= speakers[-1]["quotes"]


def test_actors_summarise_both_sides(client):
    body = client.get("/api/actors", params={"per_page": 500}).json()
    events = all_events(client)
    for row in body["items"][:5]:
        as_source = sum(1 for e in events if (e["source"] or {}).get("actor") == row["actor"])
        as_target = sum(1 for e in events if (e["target"] or {}).get("actor") == row["actor"])
        assert (row["as_source"], row["as_target"]) == (as_source, as_target)
        assert row["events"] == row["cooperation"] + row["conflict"] + sum(
            1 for e in events if e["quad_class"] is None and row["actor"] in
            ((e["source"] or {}).get("actor"), (e["target"] or {}).get("actor")))
    assert client.get("/api/actors", params={"prefix": "NGA"}).json()["items"][0]["actor"].startswith("NGA")
    assert client.get("/api/actors", params={"prefix": "NG1"}).status_code == 422


def test_stories_and_search(client, analyses):
    stories = client.get("/api/stories").json()
    assert stories["total"] == len({a["story"] for a in analyses.values()})
    assert sum(s["articles"] for s in stories["items"]) == len(originals(analyses))  # copies not counted
    found = client.get("/api/search", params={"q": "TEAR gas"}).json()
    assert [a["id"] for a in found["items"]] == ["lagos-protest"]
    assert "tear gas" in found["items"][0]["snippet"].lower()
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert client.get("/api/search", params={"q": "   "}).status_code == 422


# ------------------------------------------------------------------ analyze

def test_analyze_json_form_file_and_plain_text(client):
    text = ("Kenyan President William Ruto met Ugandan President Yoweri Museveni in Kampala on Monday. "
            "\"We agreed on the pipeline,\" Ruto said.")
    as_json = client.post("/api/analyze", json={"text": text, "published": "2024-05-06"})
    assert as_json.status_code == 200
    record = as_json.json()
    names = {e["name"] for e in record["entities"]}
    assert any("Ruto" in n for n in names) and record["published"] == "2024-05-06"
    assert record["quotes"] and record["events"]
    as_form = client.post("/api/analyze", data={"text": text})
    as_file = client.post("/api/analyze", files={"file": ("story.txt", text.encode(), "text/plain")})
    as_plain = client.post("/api/analyze", content=text.encode(), headers={"content-type": "text/plain"})
    for response in (as_form, as_file, as_plain):
        assert response.status_code == 200
        assert {e["name"] for e in response.json()["entities"]} == names
    page = b"<html><head><title>Talks</title></head><body><article><p>" + text.encode() * 3 + b"</p></article></body></html>"
    as_html = client.post("/api/analyze", files={"file": ("page.html", page, "text/html")})
    assert as_html.status_code == 200 and "Ruto" in as_html.json()["text"]
    assert client.get("/api/articles").json()["total"] == 6  # nothing stored


def test_analyze_rejects_oversized_and_bad_bodies(client):
    big = "Officials met in Nairobi. " * (MAX_BODY // 20)
    assert client.post("/api/analyze", json={"text": big}).status_code == 413
    chunks = (b"word " * 1000 for _ in range(10))  # streamed without a Content-Length
    streamed = client.post("/api/analyze", content=chunks, headers={"content-type": "text/plain"})
    assert streamed.status_code == 413
    assert client.post("/api/analyze", json={"text": "   "}).status_code == 422
    assert client.post("/api/analyze", json={"words": "no text field"}).status_code == 422
    assert client.post("/api/analyze", json={"text": "A visit.", "published": "yesterday"}).status_code == 422
    assert client.post("/api/analyze", content=b"\x00\x01\x02binary" * 10,
                       headers={"content-type": "text/plain"}).status_code == 422
    assert client.post("/api/analyze", content=b"{", headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/api/analyze", content=b"x", headers={"content-type": "image/png"}).status_code == 415


# ------------------------------------------------------------------ safety

def test_server_never_writes_the_database(corpus, nlp):
    before = hashlib.sha256(corpus.read_bytes()).hexdigest()
    app = create_app(corpus, max_body=MAX_BODY, nlp=nlp)
    with TestClient(app) as client:
        for url in ("/", "/events", "/map", "/quotes", "/actors", "/stories", "/articles/lagos-protest",
                    "/api/events?format=csv", "/api/search?q=police"):
            assert client.get(url).status_code == 200
        assert client.post("/api/analyze", json={"text": "Police arrested two men in Accra on Friday."}
                           ).status_code == 200
        with app.state.db.cursor() as cur, pytest.raises(duckdb.Error):
            cur.execute("DELETE FROM articles")
    assert hashlib.sha256(corpus.read_bytes()).hexdigest() == before


def test_pages_escape_hostile_text_and_send_a_strict_csp(client):
    response = client.get("/articles/hostile-page")
    assert response.status_code == 200
    html = response.text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "onerror=alert" in html  # still shown, as text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for url in ("/", "/events", "/quotes", "/stories", "/events?place=%3Cscript%3Ealert(1)%3C/script%3E"):
        assert "<script>alert" not in client.get(url).text


def test_no_endpoint_reads_files_by_path(client):
    for url in ("/static/..%2f..%2fpyproject.toml", "/static/../../pyproject.toml", "/static/%2e%2e/app.py",
                "/articles/..%2f..%2f..%2fetc%2fpasswd", "/api/articles/../../etc/passwd"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "root:" not in response.text and "[project]" not in response.text
    assert client.get("/static/style.css").status_code == 200


def test_html_errors_for_pages_json_errors_for_the_api(client):
    page = client.get("/events", params={"plover": "HUG"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/nope").status_code == 404


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/quotes", "/api/actors",
                 "/api/stories", "/api/search", "/api/analyze"):
        assert path in paths
    assert "/api/events" in client.get("/api").text
