"""Full-text search over articles and quotes, as plain DuckDB tables.

DuckDB's ``fts`` extension cannot be downloaded here, so the index is ours:
at ingest every article (title + text) and every quote becomes a document in
``search_docs`` with its length in tokens, and one ``search_postings`` row per
(term, document) with the term frequency.  A query is ranked by Okapi BM25
computed in one SQL statement; every query term must occur (AND), and a
quoted phrase must occur verbatim in the document's text (checked on the
ranked candidates only).  Tokens are NFKD-folded, accent-stripped,
case-folded runs of letters and digits, so "Kaesong", "KAESONG" and
"Kaesŏng" all meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import duckdb

K1 = 1.2
B = 0.75

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')


def fold(text: str) -> str:
    """Case- and accent-folded text; keeps its length only when no character decomposes."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """The index terms of a text, in order."""
    return _TOKEN.findall(fold(text))


def article_body(title: Optional[str], text: Optional[str]) -> str:
    """What an article document holds: its text, led by the title unless the text starts with it."""
    text = text or ""
    if not title or text.lstrip().startswith(title.strip()):
        return text
    return f"{title}\n{text}"


def document_rows(article_id: str, title: Optional[str], text: Optional[str],
                  quotes: Iterable[tuple[int, Optional[str]]]) -> tuple[list[dict], list[dict]]:
    """(search_docs rows, search_postings rows) for one article and its quotes."""
    docs: list[dict] = []
    postings: list[dict] = []
    parts = [(-1, article_body(title, text))] + [(n, q or "") for n, q in quotes]
    for number, body in parts:
        counts = Counter(tokens(body))
        if not counts:
            continue
        docs.append({"article_id": article_id, "quote_no": number, "length": sum(counts.values())})
        postings.extend({"article_id": article_id, "quote_no": number, "term": term, "tf": tf}
                        for term, tf in counts.items())
    return docs, postings


def index_record(record: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Index rows of one analysis record (the contract's JSON)."""
    quotes = [(n, q.get("text")) for n, q in enumerate(record.get("quotes") or []) if isinstance(q, dict)]
    return document_rows(record["id"], record.get("title"), record.get("text"), quotes)


def backfill(con: duckdb.DuckDBPyConnection, chunk: int = 500) -> int:
    """Index stored articles that have no index rows yet (databases from before the index)."""
    from .store import insert_rows

    done = 0
    while True:
        ids = [r[0] for r in con.execute(
            """SELECT id FROM articles a WHERE NOT EXISTS
                 (SELECT 1 FROM search_docs d WHERE d.article_id = a.id) ORDER BY seq LIMIT ?""",
            [chunk]).fetchall()]
        if not ids:
            return done
        docs, postings = [], []
        texts = con.execute("SELECT id, title, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                            [ids]).fetchall()
        quotes: dict[str, list] = {}
        for aid, number, text in con.execute(
                "SELECT article_id, quote_no, text FROM quotes WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids]).fetchall():
            quotes.setdefault(aid, []).append((number, text))
        for aid, title, text in texts:
            d, p = document_rows(aid, title, text, quotes.get(aid, []))
            if not d:  # an empty article: a zero-length marker so it is not visited again
                d = [{"article_id": aid, "quote_no": -1, "length": 0}]
            docs.extend(d)
            postings.extend(p)
        con.execute("BEGIN TRANSACTION")
        insert_rows(con, "search_docs", docs)
        insert_rows(con, "search_postings", postings)
        con.execute("COMMIT")
        done += len(ids)


@dataclass
class Query:
    """A parsed query: every term must match; phrases must occur verbatim."""

    terms: list[str]
    phrases: list[str]


def parse(query: str) -> Query:
    phrases = [p.strip() for p in _PHRASE.findall(query) if p.strip()]
    terms = list(dict.fromkeys(tokens(query)))
    return Query(terms, phrases)


_SEARCH_SQL = """
WITH q AS (SELECT unnest(?::VARCHAR[]) AS term),
stats AS (SELECT count(*) AS n, greatest(avg(length), 1) AS avgdl FROM search_docs
          WHERE (? = 'all') OR (? = 'articles' AND quote_no = -1) OR (? = 'quotes' AND quote_no >= 0)),
df AS (SELECT p.term, count(*) AS df FROM search_postings p JOIN q ON q.term = p.term GROUP BY p.term),
scored AS (
  SELECT p.article_id, p.quote_no,
         sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
             * p.tf * (? + 1) / (p.tf + ? * (1 - ? + ? * d.length / stats.avgdl))) AS score,
         count(*) AS matched
  FROM search_postings p
  JOIN df ON df.term = p.term
  JOIN search_docs d ON d.article_id = p.article_id AND d.quote_no = p.quote_no
  CROSS JOIN stats
  WHERE (? = 'all') OR (? = 'articles' AND p.quote_no = -1) OR (? = 'quotes' AND p.quote_no >= 0)
  GROUP BY p.article_id, p.quote_no
)
SELECT s.article_id, s.quote_no, s.score, a.title, CAST(a.published AS VARCHAR) AS published,
       a.source, a.duplicate_of, a.story,
       CASE WHEN s.quote_no <> -1 THEN qu.text
            WHEN a.title IS NULL OR starts_with(ltrim(coalesce(a.text, '')), trim(a.title)) THEN a.text
            ELSE a.title || chr(10) || coalesce(a.text, '') END AS body,
       qu.speaker_name
FROM scored s
JOIN articles a ON a.id = s.article_id
LEFT JOIN quotes qu ON qu.article_id = s.article_id AND qu.quote_no = s.quote_no
WHERE s.matched = (SELECT count(*) FROM q)
ORDER BY s.score DESC, a.seq, s.quote_no
LIMIT ?
"""

SCOPES = ("all", "articles", "quotes")


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20, scope: str = "all",
           snippet_chars: int = 160) -> list[dict[str, Any]]:
    """Ranked documents matching ``query``: dicts with score, ids, title, snippet.

    ``scope`` is ``all``, ``articles`` or ``quotes``.  Raises ValueError for a
    query without any word.
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    parsed = parse(query)
    if not parsed.terms:
        raise ValueError(f"the query {query!r} holds no word to search for")
    # phrases are checked after ranking: fetch more candidates when there are some
    fetch = limit * 5 + 20 if parsed.phrases else limit
    rows = con.execute(_SEARCH_SQL, [parsed.terms, scope, scope, scope, K1, K1, B, B,
                                     scope, scope, scope, fetch]).fetchall()
    results = []
    folded_phrases = [" ".join(tokens(p)) for p in parsed.phrases]
    for aid, quote_no, score, title, published, source, dup, story, body, speaker in rows:
        body = body or ""
        if folded_phrases:
            flat = " ".join(tokens(body))
            if not all(f" {p} " in f" {flat} " for p in folded_phrases):
                continue
        results.append({
            "article_id": aid, "kind": "article" if quote_no == -1 else "quote",
            "quote_no": None if quote_no == -1 else quote_no, "score": round(float(score), 4),
            "title": title, "published": published, "source": source, "duplicate_of": dup,
            "story": story, "speaker": speaker,
            "snippet": snippet(body, parsed.terms, snippet_chars)})
        if len(results) >= limit:
            break
    return results


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """A window of ``text`` around the densest cluster of query terms, terms in [brackets]."""
    wanted = set(terms)
    hits = [(m.start(), m.end()) for m in _TOKEN.finditer(text) if fold(m.group()) in wanted]
    if not hits:
        return _squash(text[:width]) + ("…" if len(text) > width else "")
    # the window that holds the most distinct terms, then the most hits
    best, best_key = hits[0][0], (-1, -1)
    for start, _ in hits:
        inside = [h for h in hits if start <= h[0] < start + width]
        key = (len({fold(text[a:b]) for a, b in inside}), len(inside))
        if key > best_key:
            best, best_key = start, key
    begin = max(0, best - width // 4)
    space = text.rfind(" ", 0, begin)
    begin = 0 if begin == 0 or space < begin - 20 else space + 1
    end = min(len(text), begin + width)
    pieces, cursor = [], begin
    for a, b in hits:
        if a < begin or b > end:
            continue
        pieces.append(text[cursor:a])
        pieces.append(f"[{text[a:b]}]")
        cursor = b
    pieces.append(text[cursor:end])
    return ("…" if begin > 0 else "") + _squash("".join(pieces)) + ("…" if end < len(text) else "")


def _squash(text: str) -> str:
    return " ".join(text.split())
