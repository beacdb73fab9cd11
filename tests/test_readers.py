"""Readers: every input format, its .gz twin, directories, stdin and bad input."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from eventwire.model import Article, ArticleError
from eventwire.readers import normalise_date, read_file, read_paths, read_stream

FIXTURES = Path(__file__).parent / "fixtures"

TEXT = ("Ministers from Ghana and Togo met in Lome on Friday to discuss a joint "
        "patrol on their border, officials said.\n\nThe talks will continue next week.\n")


def _jsonl(*records: object) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n"
                    for r in records)


def _read(path: Path, **kwargs) -> list:
    return list(read_file(path, **kwargs))


def test_txt_file_is_one_article_named_after_the_file(tmp_path):
    path = tmp_path / "ghana-togo.txt"
    path.write_text(TEXT, encoding="utf-8")
    [article] = _read(path)
    assert isinstance(article, Article)
    assert article.id == "ghana-togo"
    assert article.text == TEXT
    assert article.title is None and article.published is None


def test_html_page_gives_main_text_and_metadata():
    [article] = _read(FIXTURES / "page.html")
    assert isinstance(article, Article)
    assert article.id == "page"
    assert article.title == "Norway and Finland sign Arctic rail deal"
    assert article.published == "2024-02-20"
    assert article.url == "https://nordic.example.org/2024/02/20/arctic-rail"
    assert "Rovaniemi" in article.text and "Sámi communities" in article.text
    # Navigation, cookie banner and footer are boilerplate, not article text.
    for junk in ("Accept all", "Politics", "All rights reserved", "Privacy policy"):
        assert junk not in article.text


def test_html_page_without_an_article_is_no_text(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><head><title>Example News</title></head><body>"
                    "<nav><a href='/'>Home</a> <a href='/w'>World</a> <a href='/s'>Sport</a></nav>"
                    "<div>We use cookies to improve your experience. Accept all</div>"
                    "<footer>Copyright 2024 Example News</footer></body></html>", encoding="utf-8")
    [error] = _read(path)
    assert isinstance(error, ArticleError) and error.code == "no_text"


def test_html_without_a_date_does_not_guess_one_from_the_copyright_line(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in TEXT.split("\n") if line)
    path = tmp_path / "undated.html"
    path.write_text(f"<html><body><article>{body}</article>"
                    "<footer>© 2023 Example News</footer></body></html>", encoding="utf-8")
    [article] = _read(path)
    assert isinstance(article, Article)
    assert article.published is None


def test_jsonl_records_missing_ids_bad_lines_and_wrong_types(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(_jsonl(
        {"id": "a1", "text": "First story.", "title": "One", "published": "2024-03-01",
         "url": "https://example.org/1", "source": "Example"},
        {"text": "No id here."},
        b'{"id": "broken", "text": "unterminated',
        {"id": 42, "text": "Numeric id.", "title": 7, "published": "yesterday", "url": ["x"]},
        {"id": "t", "text": 12},
        ["not", "an", "object"],
        {"id": "last", "text": "Still read after the bad lines."},
    ) + b"\n\n")
    items = _read(path)
    assert [type(i).__name__ for i in items] == [
        "Article", "Article", "ArticleError", "Article", "ArticleError", "ArticleError", "Article"]
    first, no_id, broken, numeric, wrong_text, not_object, last = items
    assert (first.id, first.title, first.published, first.url, first.source) == (
        "a1", "One", "2024-03-01", "https://example.org/1", "Example")
    assert no_id.id == "feed-2"  # file stem and line number
    assert broken.code == "bad_json" and broken.id == "broken"  # id recovered from the raw line
    assert "feed.jsonl:3" in broken.message
    assert numeric.id == "42" and numeric.title is None and numeric.published is None
    assert numeric.url is None
    assert wrong_text.code == "bad_json" and wrong_text.id == "t"
    assert not_object.code == "bad_json" and not_object.id == "feed-6"
    assert last.id == "last" and last.text == "Still read after the bad lines."


def test_line_separator_inside_a_json_string_does_not_split_the_record(tmp_path):
    path = tmp_path / "ls.jsonl"
    record = {"id": "ls", "text": "Envoys met in Doha.\u2028They agreed\u2029to meet again."}
    path.write_bytes(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
                     + _jsonl({"id": "next", "text": "Second."}))
    items = _read(path)
    assert [i.id for i in items] == ["ls", "next"]
    assert items[0].text == record["text"]


def test_lone_surrogate_escape_becomes_replacement_character(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"id": "s", "text": "Talks in Baku \\ud800 ended."}\n')
    [article] = _read(path)
    assert article.text == "Talks in Baku \ufffd ended."
    article.text.encode("utf-8")  # must not raise


@pytest.mark.parametrize("name", ["story.txt", "story.html", "story.jsonl"])
def test_gzip_twin_reads_like_the_plain_file(tmp_path, name):
    contents = {
        "story.txt": TEXT.encode("utf-8"),
        "story.html": (FIXTURES / "page.html").read_bytes(),
        "story.jsonl": _jsonl({"id": "g1", "text": "One."}, {"id": "g2", "text": "Two."}),
    }[name]
    plain = tmp_path / name
    plain.write_bytes(contents)
    zipped = tmp_path / "gz" / (name + ".gz")
    zipped.parent.mkdir()
    zipped.write_bytes(gzip.compress(contents))
    from_plain, from_gzip = _read(plain), _read(zipped)
    assert from_gzip and all(isinstance(i, Article) for i in from_gzip)
    assert [(i.id, i.text, i.title, i.published) for i in from_gzip] == \
        [(i.id, i.text, i.title, i.published) for i in from_plain]


def test_corrupt_gzip_is_an_unreadable_error(tmp_path):
    good = tmp_path / "ok.txt.gz"
    good.write_bytes(gzip.compress(os.urandom(50_000)))
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(good.read_bytes()[:20_000])
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_bytes(b"this was never gzip")
    for path in (cut, fake):
        [error] = _read(path)
        assert isinstance(error, ArticleError) and error.code == "unreadable"


def test_directory_tree_is_read_in_sorted_order_skipping_hidden_and_unknown(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Two.")
    (tmp_path / "b" / "1.txt.gz").write_bytes(gzip.compress(b"One."))
    (tmp_path / "a" / "z.jsonl").write_bytes(_jsonl({"id": "z1", "text": "Z."}))
    (tmp_path / "top.txt").write_text("Top.")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    (tmp_path / ".cache" / "x.txt").write_text("Cached.")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = list(read_paths([str(tmp_path)]))
    assert [i.id for i in items] == ["top", "z1", "1", "2"]


def test_paths_keep_command_line_order(tmp_path):
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text(name)
    items = list(read_paths([str(tmp_path / "y.txt"), str(tmp_path / "x.txt")]))
    assert [i.id for i in items] == ["y", "x"]


def test_stdin_text_is_one_article():
    items = list(read_paths(["-"], stdin=io.BytesIO(TEXT.encode("utf-8"))))
    assert [(i.id, i.text) for i in items] == [("stdin", TEXT)]


def test_stdin_jsonl_is_one_article_per_line():
    data = b"  " + _jsonl({"id": "s1", "text": "One."}, b"{oops", {"text": "Three."})
    items = list(read_stream(io.BytesIO(data)))
    assert [i.id for i in items] == ["s1", "stdin-2", "stdin-3"]
    assert isinstance(items[1], ArticleError) and items[1].code == "bad_json"


def test_stdin_html_is_extracted():
    items = list(read_stream(io.BytesIO((FIXTURES / "page.html").read_bytes())))
    assert len(items) == 1 and items[0].title == "Norway and Finland sign Arctic rail deal"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_single_byte_file_is_decoded(tmp_path, encoding):
    text = "The envoy met Jos\u00e9 Mu\u00f1oz in Bogot\u00e1 and Montr\u00e9al; talks were na\u00efve."
    if encoding == "cp1252":
        text += " He called it \u201cfair\u201d \u2013 for now."
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    [article] = _read(path)
    assert article.text == text


def test_short_cp1252_text_is_not_misdetected(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("Caf\u00e9 talks".encode("cp1252"))
    assert _read(path)[0].text == "Caf\u00e9 talks"


def test_declared_html_charset_is_used(tmp_path):
    # iso-8859-2 bytes for Polish letters decode to different letters in cp1252,
    # so only the declared charset gives the right text.
    page = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-2'>"
            "<title>Talks in \u0141\u00f3d\u017a</title></head><body><article>"
            "<p>Officials from Poland and Lithuania met in \u0141\u00f3d\u017a on Tuesday and agreed "
            "to expand a gas pipeline, the Polish ministry said after the talks.</p>"
            "<p>A second round is planned in Vilnius next month.</p></article></body></html>")
    path = tmp_path / "lodz.html"
    path.write_bytes(page.encode("iso-8859-2"))
    [article] = _read(path)
    assert "met in \u0141\u00f3d\u017a on Tuesday" in article.text


def test_html_labelled_latin1_decodes_curly_quotes_as_browsers_do(tmp_path):
    page = ("<html><head><meta charset='iso-8859-1'></head><body><article>"
            "<p>The minister said the plan was \u201cready\u201d and that talks in Vienna would "
            "resume on Monday with both delegations present.</p></article></body></html>")
    path = tmp_path / "quotes.html"
    path.write_bytes(page.encode("cp1252"))
    [article] = _read(path)
    assert "\u201cready\u201d" in article.text


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"%PDF-1.7\n" + b"x" * 100,
                                  b"\x89PNG\r\n\x1a\n" + b"y" * 100, b"Hello\x00world" * 20])
def test_binary_file_is_reported_as_binary(tmp_path, data):
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    [error] = _read(path)
    assert isinstance(error, ArticleError) and error.code == "binary" and error.id == "blob"


class _CountingReader(io.BufferedReader):
    """Records the largest chunk any single read handed back."""

    largest = 0

    def readline(self, size=-1):  # type: ignore[override]
        line = super().readline(size)
        type(self).largest = max(type(self).largest, len(line))
        return line


def test_oversized_jsonl_line_is_too_large_and_never_held_whole():
    huge = b'{"id": "huge", "text": "' + b"a" * 3_000_000 + b'"}'
    data = _jsonl(huge, {"id": "after", "text": "Small one."})
    handle = _CountingReader(io.BytesIO(data))
    items = list(read_stream(handle, max_bytes=1000))
    assert [(i.id, getattr(i, "code", None)) for i in items] == [("huge", "too_large"), ("after", None)]
    assert _CountingReader.largest <= 1 << 20  # read in bounded chunks, not 3 MB at once


def test_oversized_text_file_is_too_large(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * 1000)
    [error] = _read(path, max_bytes=1000)
    assert isinstance(error, ArticleError) and error.code == "too_large"


def test_vanished_file_and_directory_as_file_are_errors_not_crashes(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text("Here for a moment.")
    path.unlink()
    [error] = _read(path)
    assert isinstance(error, ArticleError) and error.code == "unreadable" and error.id == "gone"
    [error] = _read(tmp_path)
    assert isinstance(error, ArticleError) and error.code == "unreadable"


def test_run_continues_after_an_unreadable_file(tmp_path):
    (tmp_path / "a.txt").write_text("First.")
    items = list(read_paths([str(tmp_path / "a.txt"), str(tmp_path / "missing.txt"),
                             str(tmp_path / "a.txt")]))
    assert [type(i).__name__ for i in items] == ["Article", "ArticleError", "Article"]


def test_file_without_known_extension_is_sniffed(tmp_path):
    (tmp_path / "feed").write_bytes(_jsonl({"id": "n1", "text": "One."}))
    (tmp_path / "page").write_bytes((FIXTURES / "page.html").read_bytes())
    assert [i.id for i in _read(tmp_path / "feed")] == ["n1"]
    assert _read(tmp_path / "page")[0].title == "Norway and Finland sign Arctic rail deal"


@pytest.mark.parametrize("value, expected", [
    ("2024-03-14", "2024-03-14"),
    ("2024-03-14T23:59:00+05:00", "2024-03-14"),
    (" 2019-01-10 ", "2019-01-10"),
    ("2024-02-30", None),
    ("2024-13-01", None),
    ("14/03/2024", None),
    ("", None),
    (20240314, None),
    (None, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected
