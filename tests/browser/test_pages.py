"""The web pages in a real browser: they render, filter, highlight, and keep hostile text inert."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

DOCS_IMG = Path(__file__).parents[2] / "docs" / "img"

PAGES = [("articles", "/"), ("reader", "/articles/nairobi-talks"), ("events", "/events"), ("map", "/map"),
         ("quotes", "/quotes"), ("actors", "/actors"), ("stories", "/stories"), ("analyze", "/analyze"),
         ("api", "/api")]


@pytest.mark.parametrize("name,path", PAGES, ids=[p[0] for p in PAGES])
def test_page_renders(page, artifacts, name, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert page.locator("header.top nav a").count() == 8
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def test_filter_changes_the_events_table(page, base_url, artifacts):
    page.goto("/events")
    before = page.locator("#events-table tbody tr").count()
    events = httpx.get(f"{base_url}/api/events", params={"per_page": 500}).json()["items"]
    plover = sorted({e["plover"] for e in events if e["plover"]})[0]
    expected = sum(1 for e in events if e["plover"] == plover)
    assert 0 < expected < before
    page.select_option("select[name=plover]", plover)
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(f"plover={plover}"))
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == expected
    assert all(plover in text for text in rows.locator("td:nth-child(3)").all_inner_texts())
    assert page.locator("select[name=plover]").input_value() == plover  # the form keeps the filter
    page.screenshot(path=str(artifacts / "events-filtered.png"), full_page=True)


def test_charts_and_map_draw_the_data(page, base_url):
    page.goto("/events")
    timeline = httpx.get(f"{base_url}/api/events/timeline").json()
    days = {row["day"] for row in timeline}
    assert page.locator("#timeline a").count() == len(days)  # one bar per day (a short corpus)
    network = httpx.get(f"{base_url}/api/events/network", params={"limit": 40}).json()
    assert page.locator("#network .node").count() == len(network["nodes"])
    assert page.locator("#network line.edge").count() == len(network["edges"])
    page.locator("#network .node").first.click()
    page.wait_for_url(re.compile(r"/events\?actor="))
    page.goto("/map")
    places = httpx.get(f"{base_url}/api/events/locations").json()
    assert page.locator("#map circle").count() == len(places) > 0
    assert page.locator("#map path.land").get_attribute("d").startswith("M")


def test_highlight_shows_the_right_entity(page, base_url):
    record = httpx.get(f"{base_url}/api/articles/nairobi-talks").json()
    entity = next(e for e in record["entities"] if "William Ruto" in (e["name"] or ""))
    mention = entity["mentions"][0]
    page.goto("/articles/nairobi-talks")
    target = page.locator(f'#text .m[data-e~="{entity["id"]}"]').filter(has_text=mention["text"]).first
    target.click()
    details = page.locator("#details")
    assert entity["name"] in details.inner_text()
    if entity["actor"]:
        assert entity["actor"] in details.inner_text()
    selected = page.locator("#text .m.sel")
    assert selected.count() >= len(entity["mentions"])
    for text in selected.all_inner_texts():
        assert text in {m["text"] for m in entity["mentions"]} or text in " ".join(m["text"] for m in entity["mentions"])
    assert entity["name"] in target.get_attribute("title")
    page.screenshot(path=str(DOCS_IMG / "reader.png"))


def test_event_trigger_and_quote_details(page, base_url):
    record = httpx.get(f"{base_url}/api/articles/lagos-protest").json()
    page.goto("/articles/lagos-protest#ev0")
    event = record["events"][0]
    details = page.locator("#details").inner_text()
    assert event["cameo"] in details and event["factuality"] in details
    quote = record["quotes"][0]
    page.locator("#text .m.quote").first.click()
    details = page.locator("#details").inner_text()
    assert "quote" in details.lower() or "speech" in details.lower()
    assert quote["text"][:20] in details


def test_hostile_article_renders_as_text(page, artifacts):
    page.goto("/articles/hostile-page")
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
    body = page.locator("#text").inner_text()
    assert "<img src=x onerror=alert('img')>" in body
    assert "<a href=\"javascript:alert('link')\">click here</a>" in body
    assert page.locator("#text img, #text a, #text script").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "javascript:alert('url')" in page.locator(".byline").inner_text()  # the URL is shown, not linked
    scripts = page.locator("script").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('src') || n.getAttribute('type'))")
    assert sorted(scripts) == ["/static/reader.js", "application/json"]
    page.screenshot(path=str(artifacts / "hostile.png"), full_page=True)
    page.goto("/")
    assert "<script>alert('title')</script> Minister resigns" in page.locator("table.articles").inner_text()


def test_paste_an_article(page, artifacts):
    page.goto("/analyze")
    page.fill("textarea[name=text]",
              "Ghanaian President John Mahama met Ivorian President Alassane Ouattara in Accra on Monday.\n\n"
              "\"We will open the border,\" Mahama said. <script>alert('pasted')</script>")
    page.fill("input[name=published]", "2025-02-03")
    page.click("#analyze-form button[type=submit]")
    page.wait_for_selector("#text")
    assert "nothing was stored" in page.locator(".notice").inner_text()
    assert "<script>alert('pasted')</script>" in page.locator("#text").inner_text()
    names = page.locator("#text .m.ent").all_inner_texts()
    assert any("Mahama" in n for n in names)
    page.locator("#text .m.ent").filter(has_text="Mahama").first.click()
    assert "Mahama" in page.locator("#details").inner_text()
    page.screenshot(path=str(artifacts / "analyzed.png"), full_page=True)
