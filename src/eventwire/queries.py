"""Queries over the corpus database: plain functions that return rows (dicts).

The CLI (``cli_queries.py``) and the web server print what these return.
Every filter is a bound SQL parameter; values are checked first, and a bad
one raises :class:`QueryError` with a message fit for a user.  Event
queries read merged event records (``records.py``): an action reported by
ten outlets is one row with ``num_mentions`` 10, and near-duplicate copies
of an article are not counted.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Optional

import duckdb

from .lexicons import read_tsv

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
FACTUALITY = ("asserted", "negated", "future", "hypothetical")

_ACTOR = re.compile(r"^[A-Z]{3}(?:[A-Z]{3})*$")

#: Mentions outside near-duplicate copies (the copies are few: an anti-join beats a join).
_NOT_A_COPY = "e.article_id NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)"


class QueryError(ValueError):
    """A filter value that cannot be right (unknown code, bad date)."""


@lru_cache(maxsize=1)
def cameo_codes() -> dict[str, str]:
    """CAMEO code -> name, from the events lexicon."""
    return {code: name for code, name, _quad, _gold in read_tsv("cameo_codes.tsv", 4)}


def check_actor(value: Optional[str], option: str = "--actor") -> Optional[str]:
    """An actor code prefix (``PRK``, ``PRKGOV``, ``IGOUNO``), upper-cased."""
    if value is None:
        return None
    code = value.strip().upper()
    if not _ACTOR.match(code):
        raise QueryError(f"{option} {value!r} is not a CAMEO actor code (three letters per part, "
                         "e.g. PRK, USAGOV, IGOUNO)")
    return code


def check_root(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    code = value.strip()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if code not in cameo_codes() or len(code) != 2:
        raise QueryError(f"--root {value!r} is not a CAMEO root code (01 to 20)")
    return code


def check_code(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    code = value.strip()
    if code not in cameo_codes():
        raise QueryError(f"--code {value!r} is not a CAMEO event code (e.g. 042, 1711); "
                         "see src/eventwire/data/cameo_codes.tsv")
    return code


def check_plover(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    kind = value.strip().upper()
    if kind not in PLOVER_TYPES:
        raise QueryError(f"--plover {value!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    return kind


def check_factuality(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    kind = value.strip().lower()
    if kind not in FACTUALITY:
        raise QueryError(f"--factuality {value!r} is not one of {', '.join(FACTUALITY)}")
    return kind


def check_day(value: Optional[str], option: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"{option} {value!r} is not a date in the form YYYY-MM-DD") from None


def _limit(limit: int) -> int:
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    return limit


# ------------------------------------------------------------------ events

def events(con: duckdb.DuckDBPyConnection, actor: Optional[str] = None, target: Optional[str] = None,
           root: Optional[str] = None, code: Optional[str] = None, plover: Optional[str] = None,
           since: Optional[str] = None, until: Optional[str] = None, factuality: Optional[str] = None,
           limit: int = 50) -> list[dict[str, Any]]:
    """Event records with at least one mention matching every filter, newest first.

    ``actor``/``target`` match the start of the source/target actor code
    (``PRK`` matches ``PRKGOV``); ``code`` the start of the CAMEO code (``04``
    is like ``root``, ``042`` matches ``0421``); ``since``/``until`` the
    record's date span (inclusive).  Counts are over matching mentions in
    articles that are not near-duplicate copies.
    """
    actor, target = check_actor(actor), check_actor(target, "--target")
    root, code = check_root(root), check_code(code)
    plover, factuality = check_plover(plover), check_factuality(factuality)
    first, last = check_day(since, "--since"), check_day(until, "--until")
    if first and last and first > last:
        raise QueryError(f"--since {since} is after --until {until}")
    where = [_NOT_A_COPY]
    params: list[Any] = []
    for clause, value in (("starts_with(e.source_actor, ?)", actor), ("starts_with(e.target_actor, ?)", target),
                          ("e.root = ?", root), ("starts_with(e.cameo, ?)", code),
                          ("e.plover = ?", plover), ("e.factuality = ?", factuality)):
        if value is not None:
            where.append(clause)
            params.append(value)
    spans, span_params = ["TRUE"], []
    for clause, value in (("r.last_date >= ?", first), ("r.first_date <= ?", last)):
        if value is not None:
            spans.append(clause)
            span_params.append(value)
    filters, span = " AND ".join(where), " AND ".join(spans)
    # a filter on actors or a full code matches few records: skip the first pass
    selective = bool(actor or target or (code and len(code) >= 3))
    page = _page(con, filters, params, span, span_params, _limit(limit), selective)
    if not page:
        return []
    # the aggregates of the page's records only
    sql = f"""
        WITH hits AS (
            SELECT e.record_id, e.article_id, e.event_no, e.sentence_start, e.sentence_end,
                   e.cameo, e.plover, e.factuality, e.source_text, e.target_text, e.trigger_text,
                   e.location_name, a.source, a.seq
            FROM events e JOIN articles a ON a.id = e.article_id
            WHERE e.record_id IN (SELECT unnest(?::BIGINT[])) AND {filters}),
        grouped AS (
            SELECT record_id, count(*) AS num_mentions, count(DISTINCT coalesce(source, article_id)) AS num_sources,
                   count(DISTINCT article_id) AS num_articles,
                   arg_min(struct_pack(article_id, sentence_start, sentence_end, cameo, plover, factuality,
                                       source_text, target_text, trigger_text, location_name),
                           (seq, event_no)) AS first
            FROM hits GROUP BY record_id)
        SELECT g.record_id, CAST(r.first_date AS VARCHAR), CAST(r.last_date AS VARCHAR),
               r.source_actor, r.target_actor, g.first.cameo, r.root, g.first.plover, g.first.factuality,
               g.num_mentions, g.num_sources, g.num_articles,
               g.first.source_text, g.first.target_text, g.first.trigger_text, g.first.location_name,
               g.first.article_id, g.first.sentence_start, g.first.sentence_end
        FROM grouped g JOIN event_records r ON r.record_id = g.record_id
        ORDER BY r.first_date DESC NULLS LAST, g.record_id"""
    rows = con.execute(sql, [page] + params).fetchall()
    keys = ("record_id", "first_date", "last_date", "source_actor", "target_actor", "cameo", "root",
            "plover", "factuality", "num_mentions", "num_sources", "num_articles", "source_text",
            "target_text", "trigger", "location", "article_id", "sentence_start", "sentence_end")
    result = [dict(zip(keys, row)) for row in rows]
    _attach_sentences(con, result)
    return result


#: How many of the newest records the first, cheap pass looks at, per row wanted.
_FIRST_PASS = 20


def _page(con: duckdb.DuckDBPyConnection, filters: str, params: list, span: str, span_params: list,
          limit: int, selective: bool = False) -> list[int]:
    """Ids of the newest ``limit`` records with a mention passing ``filters`` (dates: ``span``).

    Common filters match among the newest records: unless the filter is
    ``selective``, look at the newest ``limit * _FIRST_PASS`` records first,
    and scan every mention only when that window was too small.
    """
    if not selective:
        cap = limit * _FIRST_PASS
        ids = [row[0] for row in con.execute(
            f"""SELECT record_id FROM event_records r WHERE {span}
                ORDER BY first_date DESC NULLS LAST, record_id LIMIT ?""", span_params + [cap]).fetchall()]
        found = [row[0] for row in con.execute(
            f"""SELECT r.record_id FROM event_records r
                WHERE r.record_id IN (SELECT unnest(?::BIGINT[]))
                  AND r.record_id IN (SELECT e.record_id FROM events e
                                      WHERE e.record_id IN (SELECT unnest(?::BIGINT[])) AND {filters})
                ORDER BY r.first_date DESC NULLS LAST, r.record_id LIMIT ?""",
            [ids, ids] + params + [limit]).fetchall()] if ids else []
        if len(found) >= limit or len(ids) < cap:
            return found
    return [row[0] for row in con.execute(
        f"""SELECT r.record_id FROM event_records r
            WHERE {span} AND r.record_id IN (SELECT e.record_id FROM events e WHERE {filters})
            ORDER BY r.first_date DESC NULLS LAST, r.record_id LIMIT ?""",
        span_params + params + [limit]).fetchall()]


def _attach_sentences(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Add each row's example sentence (sliced from its article's text in SQL)."""
    wanted = [r for r in rows if r["article_id"] and r["sentence_start"] is not None and r["sentence_end"] is not None]
    if not wanted:
        for row in rows:
            row["sentence"] = None
        return
    found = dict(((aid, s), text) for aid, s, text in con.execute(
        """SELECT q.aid, q.s, substr(a.text, q.s + 1, q.e - q.s)
           FROM (SELECT unnest(?::VARCHAR[]) AS aid, unnest(?::INTEGER[]) AS s, unnest(?::INTEGER[]) AS e) q
           JOIN articles a ON a.id = q.aid""",
        [[r["article_id"] for r in wanted], [r["sentence_start"] for r in wanted],
         [r["sentence_end"] for r in wanted]]).fetchall())
    for row in rows:
        row["sentence"] = found.get((row["article_id"], row["sentence_start"]))


# ------------------------------------------------------------------ actors

def actors(con: duckdb.DuckDBPyConnection, limit: int = 20, role: str = "any") -> list[dict[str, Any]]:
    """The most active actor codes: event mentions as source and as target.

    Counts cover articles that are not near-duplicate copies.  ``role``
    orders by ``any`` (source + target), ``source`` or ``target``.
    """
    order = {"any": "s + t", "source": "s", "target": "t"}.get(role)
    if order is None:
        raise QueryError(f"--role {role!r} is not one of any, source, target")
    sql = f"""
        WITH live AS (SELECT e.source_actor, e.target_actor FROM events e WHERE {_NOT_A_COPY}),
        src AS (SELECT source_actor AS actor, count(*) AS n FROM live WHERE source_actor IS NOT NULL GROUP BY 1),
        tgt AS (SELECT target_actor AS actor, count(*) AS n FROM live WHERE target_actor IS NOT NULL GROUP BY 1)
        SELECT coalesce(src.actor, tgt.actor) AS actor, coalesce(src.n, 0) AS s, coalesce(tgt.n, 0) AS t
        FROM src FULL JOIN tgt ON src.actor = tgt.actor
        ORDER BY {order} DESC, actor LIMIT ?"""
    rows = con.execute(sql, [_limit(limit)]).fetchall()
    names = _actor_names(con, [r[0] for r in rows])
    return [{"actor": a, "name": names.get(a), "as_source": int(s), "as_target": int(t), "total": int(s + t)}
            for a, s, t in rows]


def _actor_names(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """The name most often given to each actor code (by the entities that carry it)."""
    if not codes:
        return {}
    return dict(con.execute(
        """SELECT actor, arg_max(name, n) FROM (
               SELECT actor, name, count(*) AS n FROM entities
               WHERE actor IN (SELECT unnest(?::VARCHAR[])) GROUP BY actor, name)
           GROUP BY actor""", [codes]).fetchall())


# ------------------------------------------------------------------ stories

def stories(con: duckdb.DuckDBPyConnection, limit: int = 20, since: Optional[str] = None,
            until: Optional[str] = None) -> list[dict[str, Any]]:
    """Stories, largest first: articles, copies, dates, title, top actors and event types."""
    first, last = check_day(since, "--since"), check_day(until, "--until")
    where, params = [], []
    if first:
        where.append("coalesce(last_date, first_date) >= ?")
        params.append(first)
    if last:
        where.append("first_date <= ?")
        params.append(last)
    sql = f"""
        WITH s AS (
            SELECT a.story, count(*) FILTER (WHERE a.duplicate_of IS NULL) AS articles,
                   count(*) FILTER (WHERE a.duplicate_of IS NOT NULL) AS copies,
                   min(a.published) AS first_date, max(a.published) AS last_date,
                   arg_min(a.title, a.seq) AS title, min(a.seq) AS first_seq
            FROM articles a WHERE a.story IS NOT NULL GROUP BY a.story)
        SELECT story, articles, copies, CAST(first_date AS VARCHAR), CAST(last_date AS VARCHAR), title
        FROM s {('WHERE ' + ' AND '.join(where)) if where else ''}
        ORDER BY articles + copies DESC, first_seq LIMIT ?"""
    rows = con.execute(sql, params + [_limit(limit)]).fetchall()
    result = [{"story": s, "articles": n, "copies": c, "first_date": f, "last_date": l, "title": t}
              for s, n, c, f, l, t in rows]
    ids = [r["story"] for r in result]
    if not ids:
        return result
    tops: dict[str, dict[str, list]] = {i: {"actors": [], "events": []} for i in ids}
    for story, actor, n in con.execute(
            """SELECT story, actor, n FROM (
                 SELECT a.story, x.actor, count(*) AS n,
                        row_number() OVER (PARTITION BY a.story ORDER BY count(*) DESC, x.actor) AS k
                 FROM (SELECT article_id, source_actor AS actor FROM events
                       UNION ALL SELECT article_id, target_actor FROM events) x
                 JOIN articles a ON a.id = x.article_id
                 WHERE x.actor IS NOT NULL AND a.duplicate_of IS NULL AND a.story IN (SELECT unnest(?::VARCHAR[]))
                 GROUP BY a.story, x.actor) WHERE k <= 3 ORDER BY story, k""", [ids]).fetchall():
        tops[story]["actors"].append(actor)
    for story, kind, n in con.execute(
            """SELECT story, kind, n FROM (
                 SELECT a.story, coalesce(e.plover, e.cameo) AS kind, count(DISTINCT e.record_id) AS n,
                        row_number() OVER (PARTITION BY a.story ORDER BY count(DISTINCT e.record_id) DESC,
                                           coalesce(e.plover, e.cameo)) AS k
                 FROM events e JOIN articles a ON a.id = e.article_id
                 WHERE a.duplicate_of IS NULL AND a.story IN (SELECT unnest(?::VARCHAR[]))
                   AND coalesce(e.plover, e.cameo) IS NOT NULL
                 GROUP BY a.story, coalesce(e.plover, e.cameo)) WHERE k <= 3 ORDER BY story, k""",
            [ids]).fetchall():
        tops[story]["events"].append(f"{kind}×{n}")
    events_per = dict(con.execute(
        """SELECT a.story, count(DISTINCT e.record_id) FROM events e JOIN articles a ON a.id = e.article_id
           WHERE a.duplicate_of IS NULL AND a.story IN (SELECT unnest(?::VARCHAR[])) GROUP BY a.story""",
        [ids]).fetchall())
    for row in result:
        row["event_records"] = events_per.get(row["story"], 0)
        row["top_actors"] = tops[row["story"]]["actors"]
        row["top_events"] = tops[row["story"]]["events"]
    return result


# ------------------------------------------------------------------ quotes

def quotes(con: duckdb.DuckDBPyConnection, speaker: Optional[str] = None, limit: int = 50,
           include_copies: bool = False) -> list[dict[str, Any]]:
    """Quotes whose speaker's name contains ``speaker`` (case ignored), newest first."""
    where = ["TRUE"] if include_copies else ["a.duplicate_of IS NULL"]
    params: list[Any] = []
    if speaker:
        where.append("(coalesce(en.name, '') ILIKE ? ESCAPE '\\' OR coalesce(q.speaker_name, '') ILIKE ? ESCAPE '\\')")
        pattern = "%" + speaker.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    sql = f"""
        SELECT q.article_id, q.quote_no, CAST(a.published AS VARCHAR), a.title, a.source,
               coalesce(en.name, q.speaker_name) AS speaker, en.actor, q.direct, q.cue_text, q.text, a.story
        FROM quotes q JOIN articles a ON a.id = q.article_id
        LEFT JOIN entities en ON en.article_id = q.article_id AND en.entity_id = q.speaker
        WHERE {' AND '.join(where)}
        ORDER BY a.published DESC NULLS LAST, a.seq, q.quote_no LIMIT ?"""
    keys = ("article_id", "quote_no", "published", "title", "source", "speaker", "actor", "direct", "cue",
            "text", "story")
    return [dict(zip(keys, row)) for row in con.execute(sql, params + [_limit(limit)]).fetchall()]
