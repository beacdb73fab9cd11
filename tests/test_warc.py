"""WARC input: crawled news pages become articles with the crawl's URL and date."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.cli import app
from eventwire.model import Article, ArticleError
from eventwire.readers import read_file, read_paths
from eventwire.warc import read_warc

PORT_PAGE = """<html><head><title>Port strike ends in Mombasa</title></head><body>
<nav><a href="/">Home</a> <a href="/africa">Africa</a></nav>
<article><h1>Port strike ends in Mombasa</h1>
<p>Dock workers in Mombasa returned to work on Tuesday after the Kenyan government agreed
to review their pay, ending a strike that had stranded dozens of ships.</p>
<p>The transport minister said the review would be finished within a month, and union
leaders promised to keep the port running while it goes on.</p></article>
<footer>Copyright Example Wire</footer></body></html>"""

DATED_PAGE = """<html><head><title>Chile and Peru reopen border crossing</title>
<meta property="article:published_time" content="2023-05-02T08:00:00Z"></head><body>
<article><h1>Chile and Peru reopen border crossing</h1>
<p>Chile and Peru reopened the Chacalluta crossing on Tuesday after a week of talks between
their interior ministers about migrants stranded on the frontier.</p>
<p>Officials in Santiago said buses would carry people north under a joint plan.</p></article>
</body></html>"""

PORT_URL = "https://wire.example.com/africa/mombasa-port-strike"
DATED_URL = "https://wire.example.com/americas/chile-peru-border"


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str = "text/html; charset=utf-8",
              status: str = "200 OK", date: str = "Wed, 08 Mar 2023 10:15:00 GMT") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type), ("Date", date)],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                  http_headers=http))


def write_crawl(path: Path, gzipped: bool) -> None:
    """A small crawl: two news pages plus records that are not articles."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warc_record(
            PORT_URL, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
            warc_content_type="application/http; msgtype=request"))
        _response(writer, PORT_URL, PORT_PAGE.encode())
        _response(writer, "https://wire.example.com/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        _response(writer, "https://wire.example.com/gone", b"<html>Not found</html>", status="404 Not Found")
        _response(writer, DATED_URL, DATED_PAGE.encode(), date="Fri, 12 May 2023 23:59:00 GMT")


def test_html_responses_become_articles_with_crawl_url_and_date(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_crawl(path, gzipped=False)
    items = list(read_file(path))
    assert [type(item) for item in items] == [Article, Article]  # request, image and 404 skipped
    port, dated = items
    assert port.url == PORT_URL and dated.url == DATED_URL
    assert "Mombasa returned to work" in port.text and "Home" not in port.text
    assert port.title == "Port strike ends in Mombasa"
    # No date in the page: the HTTP Date header's day; a page's own date wins over the fetch day.
    assert port.published == "2023-03-08"
    assert dated.published == "2023-05-02"
    assert port.id != dated.id and len(port.id) == 36  # the WARC-Record-ID's UUID


def test_gzipped_warc_reads_the_same_and_ids_are_stable(tmp_path: Path) -> None:
    plain, packed = tmp_path / "a.warc", tmp_path / "b.warc.gz"
    write_crawl(plain, gzipped=False)
    write_crawl(packed, gzipped=True)
    first, again = list(read_file(packed)), list(read_file(packed))
    assert [a.id for a in first] == [a.id for a in again]
    assert [(a.url, a.published, a.text) for a in first] == \
           [(a.url, a.published, a.text) for a in read_file(plain)]


def test_directories_include_warc_files(tmp_path: Path) -> None:
    write_crawl(tmp_path / "crawl.warc.gz", gzipped=True)
    (tmp_path / "note.txt").write_text("Kenya and Uganda agreed on a new rail link on Monday.\n")
    urls = [item.url for item in read_paths([str(tmp_path)])]
    assert urls == [PORT_URL, DATED_URL, None]


def test_damaged_archive_keeps_earlier_pages_and_reports_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    write_crawl(path, gzipped=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])  # the last record is cut short
    items = list(read_file(path))
    assert isinstance(items[0], Article) and items[0].url == PORT_URL
    assert isinstance(items[-1], ArticleError) and items[-1].code == "unreadable"


def test_oversized_page_is_too_large() -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    _response(writer, PORT_URL, PORT_PAGE.encode())
    buffer.seek(0)
    [item] = list(read_warc(buffer, "mem.warc", max_bytes=100))
    assert isinstance(item, ArticleError) and item.code == "too_large"


def test_analyze_and_ingest_accept_warc(tmp_path: Path, nlp) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_crawl(path, gzipped=True)
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in records] == [PORT_URL, DATED_URL]
    port = records[0]
    assert port["published"] == "2023-03-08"
    assert any(p["name"] == "Mombasa" for p in port["places"])
    for place in port["places"]:
        assert port["text"][place["start"]:place["end"]] == place["text"]

    db = tmp_path / "crawl.duckdb"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT url, CAST(published AS VARCHAR) FROM articles ORDER BY seq").fetchall()
    con.close()
    assert rows == [(PORT_URL, "2023-03-08"), (DATED_URL, "2023-05-02")]
