"""The SQL behind the API and the pages: filters, lists, aggregates.

Every value reaches DuckDB as a parameter; the only text spliced into SQL is
chosen from fixed tables here (column lists, sort orders), never from a request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Optional

from .db import Database

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
FACTUALITY = ("asserted", "negated", "future", "hypothetical")
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

#: The day an event counts for: its own date when it is a whole day, else the article's.
_DAY = "coalesce(try_cast(e.date AS DATE), a.published)"


@dataclass
class EventFilter:
    """Validated event filters (see api.event_filters for what each means)."""

    actor: Optional[str] = None
    target: Optional[str] = None
    code: Optional[str] = None
    root: Optional[str] = None
    quad: Optional[int] = None
    plover: Optional[str] = None
    factuality: Optional[str] = None
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    place: Optional[str] = None
    story: Optional[str] = None
    article: Optional[str] = None
    duplicates: bool = False

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause over ``events e JOIN articles a`` and its parameters."""
        clauses, params = ["TRUE"], []
        if not self.duplicates:
            clauses.append("a.duplicate_of IS NULL")
        if self.actor:
            clauses.append("starts_with(e.source_actor, ?)")
            params.append(self.actor)
        if self.target:
            clauses.append("starts_with(e.target_actor, ?)")
            params.append(self.target)
        if self.code:
            clauses.append("starts_with(e.cameo, ?)")
            params.append(self.code)
        if self.root:
            clauses.append("e.root = ?")
            params.append(self.root)
        if self.quad:
            clauses.append("e.quad_class = ?")
            params.append(self.quad)
        if self.plover:
            clauses.append("e.plover = ?")
            params.append(self.plover)
        if self.factuality:
            clauses.append("e.factuality = ?")
            params.append(self.factuality)
        if self.date_from:
            clauses.append(f"{_DAY} >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"{_DAY} <= ?")
            params.append(self.date_to)
        if self.place:
            clauses.append("(lower(e.location_name) = lower(?) OR e.location_country = upper(?))")
            params += [self.place, self.place]
        if self.story:
            clauses.append("a.story = ?")
            params.append(self.story)
        if self.article:
            clauses.append("e.article_id = ?")
            params.append(self.article)
        return " AND ".join(clauses), params

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (for links and forms)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (None, False, ""):
                out[f.name] = "1" if value is True else str(value)
        return out


EVENT_COLUMNS = f"""e.article_id, e.event_no, {_DAY} AS day, e.date,
    e.source_entity, e.source_text, e.source_actor, e.target_entity, e.target_text, e.target_actor,
    e.cameo, e.root, e.quad_class, e.goldstein, e.plover, e.plover_mode, e.factuality,
    e.location_name, e.location_lat, e.location_lon, e.location_country,
    e.trigger_start, e.trigger_end, e.trigger_text, e.confidence, e.record_id,
    substring(a.text, e.sentence_start + 1, least(e.sentence_end - e.sentence_start, 400)) AS sentence,
    a.title, a.published, a.source AS outlet, a.story"""

#: CSV columns (flat) in order.
CSV_COLUMNS = ("article_id", "event_no", "day", "source_actor", "source_text", "target_actor", "target_text",
               "cameo", "root", "quad_class", "goldstein", "plover", "plover_mode", "factuality",
               "location_name", "location_lat", "location_lon", "location_country", "trigger_text",
               "confidence", "record_id", "sentence", "title", "published", "outlet", "story")


def _json_day(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """One events row as the nested JSON the API returns (contract-like)."""
    def actor(prefix: str) -> Optional[dict[str, Any]]:
        text, code, ent = row[f"{prefix}_text"], row[f"{prefix}_actor"], row[f"{prefix}_entity"]
        return {"entity": ent, "text": text, "actor": code} if (text or code or ent) else None

    location = None
    if row["location_name"] or row["location_lat"] is not None:
        location = {"name": row["location_name"], "lat": row["location_lat"], "lon": row["location_lon"],
                    "country": row["location_country"]}
    return {
        "article_id": row["article_id"], "event_no": row["event_no"], "day": _json_day(row["day"]),
        "date": row["date"], "source": actor("source"), "target": actor("target"),
        "cameo": row["cameo"], "root": row["root"], "quad_class": row["quad_class"],
        "goldstein": row["goldstein"], "plover": row["plover"], "plover_mode": row["plover_mode"],
        "factuality": row["factuality"], "location": location,
        "trigger": {"start": row["trigger_start"], "end": row["trigger_end"], "text": row["trigger_text"]},
        "confidence": row["confidence"], "record_id": row["record_id"], "sentence": row["sentence"],
        "article": {"title": row["title"], "published": _json_day(row["published"]),
                    "source": row["outlet"], "story": row["story"]},
    }


def events(db: Database, flt: EventFilter, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of events) newest first."""
    where, params = flt.where()
    base = f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}"
    total = db.value(f"SELECT count(*) {base}", params, cache=True)
    # Pick the page by its keys first: the sentence (a substring of the article) is cut for those rows only.
    order = "day DESC NULLS LAST, a.seq DESC, e.event_no"
    rows = db.rows(f"""WITH page AS (SELECT e.article_id, e.event_no {base} ORDER BY {_DAY} DESC NULLS LAST,
                                        a.seq DESC, e.event_no LIMIT ? OFFSET ?)
                       SELECT {EVENT_COLUMNS} FROM page p
                       JOIN events e ON e.article_id = p.article_id AND e.event_no = p.event_no
                       JOIN articles a ON a.id = e.article_id ORDER BY {order}""", params + [limit, offset])
    return total, rows


def timeline(db: Database, flt: EventFilter) -> list[dict[str, Any]]:
    """Event counts per day and quad class."""
    where, params = flt.where()
    rows = db.rows(f"""SELECT {_DAY} AS day, e.quad_class AS quad, count(*) AS n
                       FROM events e JOIN articles a ON a.id = e.article_id
                       WHERE {where} AND {_DAY} IS NOT NULL GROUP BY ALL ORDER BY day, quad""", params, cache=True)
    return [{"day": _json_day(r["day"]), "quad": r["quad"], "n": r["n"]} for r in rows]


def network(db: Database, flt: EventFilter, limit: int = 60) -> dict[str, Any]:
    """Who acts on whom: edges weighted by events, with their mean Goldstein score."""
    where, params = flt.where()
    edges = db.rows(f"""SELECT e.source_actor AS source, e.target_actor AS target, count(*) AS n,
                               avg(e.goldstein) AS goldstein,
                               count(*) FILTER (WHERE e.quad_class >= 3) AS conflict
                        FROM events e JOIN articles a ON a.id = e.article_id
                        WHERE {where} AND e.source_actor IS NOT NULL AND e.target_actor IS NOT NULL
                          AND e.source_actor <> e.target_actor
                        GROUP BY ALL ORDER BY n DESC, source, target LIMIT ?""", params + [limit], cache=True)
    weight: dict[str, int] = {}
    for edge in edges:
        for end in ("source", "target"):
            weight[edge[end]] = weight.get(edge[end], 0) + edge["n"]
    nodes = [{"id": code, "n": n} for code, n in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": edges}


def locations(db: Database, flt: EventFilter, limit: int = 500) -> list[dict[str, Any]]:
    """Event locations with coordinates and their event counts."""
    where, params = flt.where()
    return db.rows(f"""SELECT e.location_name AS name, e.location_country AS country,
                              round(avg(e.location_lat), 3) AS lat, round(avg(e.location_lon), 3) AS lon,
                              count(*) AS n
                       FROM events e JOIN articles a ON a.id = e.article_id
                       WHERE {where} AND e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL
                       GROUP BY e.location_name, e.location_country ORDER BY n DESC, name LIMIT ?""",
                   params + [limit], cache=True)


def facet_counts(db: Database) -> dict[str, Any]:
    """Corpus totals for the home page."""
    return db.rows("""SELECT (SELECT count(*) FROM articles) AS articles,
                             (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
                             (SELECT count(*) FROM events) AS events,
                             (SELECT count(*) FROM quotes) AS quotes,
                             (SELECT count(*) FROM entities) AS entities,
                             (SELECT count(DISTINCT story) FROM articles) AS stories,
                             (SELECT min(published) FROM articles) AS first,
                             (SELECT max(published) FROM articles) AS last""", cache=True)[0]


# ------------------------------------------------------------------ articles

#: One search word in the title or text ({t} is the table alias); ILIKE with escaped wildcards.
_WORD = "({t}title ILIKE ? ESCAPE '\\' OR {t}text ILIKE ? ESCAPE '\\')"


def _like(term: str) -> str:
    """``term`` as an ILIKE pattern matching it anywhere, its own % and _ taken literally."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def articles(db: Database, limit: int, offset: int, q: Optional[str] = None,
             source: Optional[str] = None, story: Optional[str] = None) -> tuple[int, list[dict[str, Any]]]:
    """A page of articles, newest first; ``q`` matches words of the title or text."""
    clauses, params = ["TRUE"], []
    for term in (q or "").split()[:8]:
        clauses.append(_WORD.replace("{t}", "a."))
        params += [_like(term)] * 2
    if source:
        clauses.append("a.source = ?")
        params.append(source)
    if story:
        clauses.append("a.story = ?")
        params.append(story)
    where = " AND ".join(clauses)
    total = db.value(f"SELECT count(*) FROM articles a WHERE {where}", params, cache=True)
    rows = db.rows(f"""SELECT a.id, a.title, a.published, a.source, a.url, a.words, a.duplicate_of, a.story
                       FROM articles a WHERE {where}
                       ORDER BY a.published DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?""",
                   params + [limit, offset])
    ids = [row["id"] for row in rows]
    counts = {r["id"]: r for r in db.rows(
        """SELECT i.id, (SELECT count(*) FROM events e WHERE e.article_id = i.id) AS events,
                  (SELECT count(*) FROM quotes x WHERE x.article_id = i.id) AS quotes
           FROM (SELECT unnest(?::VARCHAR[]) AS id) i""", [ids])} if ids else {}
    for row in rows:
        row["published"] = _json_day(row["published"])
        row["events"] = counts.get(row["id"], {}).get("events", 0)
        row["quotes"] = counts.get(row["id"], {}).get("quotes", 0)
    return total, rows


def search(db: Database, q: str, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Articles holding every word of ``q``, with a snippet around the first hit."""
    terms = q.lower().split()[:8]
    clauses = " AND ".join([_WORD.replace("{t}", "")] * len(terms)) or "FALSE"
    params = [_like(term) for term in terms for _ in (0, 1)]
    total = db.value(f"SELECT count(*) FROM articles WHERE {clauses}", params, cache=True)
    rows = db.rows(f"""WITH page AS (SELECT seq FROM articles WHERE {clauses}
                                        ORDER BY published DESC NULLS LAST, seq DESC LIMIT ? OFFSET ?)
                       SELECT id, title, published, source, text FROM articles JOIN page USING (seq)
                       ORDER BY published DESC NULLS LAST, seq DESC""", params + [limit, offset])
    out = []
    for row in rows:
        text = row.pop("text") or ""
        at = text.lower().find(terms[0]) if terms else -1
        start = max(0, at - 80)
        snippet = ("…" if start else "") + text[start:start + 240] + ("…" if start + 240 < len(text) else "")
        out.append({**row, "published": _json_day(row["published"]), "snippet": snippet})
    return total, out


def _extra(raw: Optional[str]) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _span(start: Any, end: Any, text: Any) -> Optional[dict[str, Any]]:
    return {"start": start, "end": end, "text": text} if start is not None else None


def article(db: Database, article_id: str) -> Optional[dict[str, Any]]:
    """One stored article rebuilt as the contract's JSON, plus duplicates and story."""
    found = db.rows("SELECT * FROM articles WHERE id = ?", [article_id])
    if not found:
        return None
    row = found[0]
    record: dict[str, Any] = {
        "id": row["id"], "title": row["title"], "published": _json_day(row["published"]),
        "source": row["source"], "url": row["url"], "text": row["text"] or "",
        "entities": [], "quotes": [], "events": [], "times": [], "places": []}
    record.update({k: v for k, v in _extra(row["extra"]).items() if k not in record})
    mentions: dict[str, list[dict[str, Any]]] = {}
    for m in db.rows('SELECT entity_id, start, "end", text, kind, extra FROM mentions WHERE article_id = ? '
                     'ORDER BY start', [article_id]):
        mentions.setdefault(m["entity_id"], []).append(
            {"start": m["start"], "end": m["end"], "text": m["text"], "kind": m["kind"], **_extra(m["extra"])})
    for e in db.rows("SELECT * FROM entities WHERE article_id = ?", [article_id]):
        record["entities"].append({"id": e["entity_id"], "name": e["name"], "type": e["type"],
                                   "actor": e["actor"], "country": e["country"],
                                   "mentions": mentions.get(e["entity_id"], []), **_extra(e["extra"])})
    record["entities"].sort(key=lambda ent: _entity_order(ent["id"]))
    for q in db.rows("SELECT * FROM quotes WHERE article_id = ? ORDER BY quote_no", [article_id]):
        record["quotes"].append({
            "text": q["text"], "start": q["start"], "end": q["end"], "direct": q["direct"],
            "speaker": q["speaker"], "speaker_name": q["speaker_name"],
            "speaker_mention": _span(q["speaker_start"], q["speaker_end"], q["speaker_text"]),
            "cue": _span(q["cue_start"], q["cue_end"], q["cue_text"]), **_extra(q["extra"])})
    for ev in db.rows("SELECT * FROM events WHERE article_id = ? ORDER BY event_no", [article_id]):
        item = {
            "source": ({"entity": ev["source_entity"], "text": ev["source_text"], "actor": ev["source_actor"]}
                       if (ev["source_text"] or ev["source_actor"] or ev["source_entity"]) else None),
            "target": ({"entity": ev["target_entity"], "text": ev["target_text"], "actor": ev["target_actor"]}
                       if (ev["target_text"] or ev["target_actor"] or ev["target_entity"]) else None),
            "cameo": ev["cameo"], "root": ev["root"], "quad_class": ev["quad_class"],
            "goldstein": ev["goldstein"], "plover": ev["plover"], "plover_mode": ev["plover_mode"],
            "factuality": ev["factuality"], "date": ev["date"],
            "location": ({"name": ev["location_name"], "lat": ev["location_lat"], "lon": ev["location_lon"],
                          "country": ev["location_country"]} if ev["location_name"] else None),
            "trigger": _span(ev["trigger_start"], ev["trigger_end"], ev["trigger_text"]),
            "sentence": ({"start": ev["sentence_start"], "end": ev["sentence_end"]}
                         if ev["sentence_start"] is not None else None),
            "confidence": ev["confidence"], "record_id": ev["record_id"], **_extra(ev["extra"])}
        record["events"].append(item)
    for t in db.rows('SELECT * FROM times WHERE article_id = ? ORDER BY time_no', [article_id]):
        record["times"].append({"start": t["start"], "end": t["end"], "text": t["text"], "type": t["type"],
                                "value": t["value"], **_extra(t["extra"])})
    for p in db.rows('SELECT * FROM places WHERE article_id = ? ORDER BY place_no', [article_id]):
        record["places"].append({"start": p["start"], "end": p["end"], "text": p["text"], "name": p["name"],
                                 "kind": p["kind"], "country": p["country"], "lat": p["lat"], "lon": p["lon"],
                                 "geonames_id": p["geonames_id"], **_extra(p["extra"])})
    record["duplicate_of"] = row["duplicate_of"]
    record["story"] = row["story"]
    record["duplicates"] = [r["id"] for r in db.rows(
        "SELECT id FROM articles WHERE duplicate_of = ? ORDER BY seq", [article_id])]
    return record


def _entity_order(entity_id: Any) -> tuple[int, str]:
    text = str(entity_id or "")
    digits = text.lstrip("E")
    return (int(digits), text) if digits.isdigit() else (1 << 30, text)


def article_brief(db: Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, date and source of the given articles (for duplicate and story links)."""
    if not ids:
        return {}
    rows = db.rows("SELECT id, title, published, source FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                   [ids])
    return {r["id"]: {**r, "published": _json_day(r["published"])} for r in rows}


# ------------------------------------------------------------------ quotes, actors, stories

def quotes(db: Database, limit: int, offset: int, speaker: Optional[str] = None, q: Optional[str] = None,
           article_id: Optional[str] = None) -> tuple[int, list[dict[str, Any]]]:
    """Quotes with their resolved speaker, newest first."""
    clauses, params = ["TRUE"], []
    if speaker:
        clauses.append("contains(lower(coalesce(n.name, x.speaker_name, x.speaker_text, '')), lower(?))")
        params.append(speaker)
    if q:
        clauses.append("contains(lower(x.text), lower(?))")
        params.append(q)
    if article_id:
        clauses.append("x.article_id = ?")
        params.append(article_id)
    where = " AND ".join(clauses)
    base = f"""FROM quotes x JOIN articles a ON a.id = x.article_id
               LEFT JOIN entities n ON n.article_id = x.article_id AND n.entity_id = x.speaker
               WHERE {where}"""
    total = db.value(f"SELECT count(*) {base}", params, cache=True)
    rows = db.rows(f"""SELECT x.article_id, x.quote_no, x.text, x.start, x."end", x.direct,
                              coalesce(n.name, x.speaker_name, x.speaker_text) AS speaker,
                              x.speaker AS speaker_entity, n.actor AS speaker_actor, x.cue_text AS cue,
                              a.title, a.published, a.source
                       {base} ORDER BY a.published DESC NULLS LAST, a.seq DESC, x.quote_no
                       LIMIT ? OFFSET ?""", params + [limit, offset])
    for row in rows:
        row["published"] = _json_day(row["published"])
    return total, rows


def speakers(db: Database, limit: int, speaker: Optional[str] = None,
             q: Optional[str] = None) -> list[dict[str, Any]]:
    """The most quoted speakers (by resolved name) and how often."""
    clauses, params = ["coalesce(n.name, x.speaker_name) IS NOT NULL"], []
    if speaker:
        clauses.append("contains(lower(coalesce(n.name, x.speaker_name)), lower(?))")
        params.append(speaker)
    if q:
        clauses.append("contains(lower(x.text), lower(?))")
        params.append(q)
    return db.rows(f"""SELECT coalesce(n.name, x.speaker_name) AS speaker, any_value(n.actor) AS actor,
                              count(*) AS quotes, count(DISTINCT x.article_id) AS articles
                       FROM quotes x LEFT JOIN entities n ON n.article_id = x.article_id AND n.entity_id = x.speaker
                       WHERE {' AND '.join(clauses)} GROUP BY 1 ORDER BY quotes DESC, speaker LIMIT ?""",
                   params + [limit], cache=True)


def actors(db: Database, limit: int, offset: int, prefix: Optional[str] = None) -> tuple[int, list[dict[str, Any]]]:
    """Actor activity: events as source and as target, cooperation vs conflict, first and last day."""
    clauses, params = ["actor IS NOT NULL"], []
    if prefix:
        clauses.append("starts_with(actor, ?)")
        params.append(prefix)
    sql = f"""WITH sides AS (
                SELECT e.source_actor AS actor, 'source' AS side, e.quad_class, {_DAY} AS day
                FROM events e JOIN articles a ON a.id = e.article_id WHERE a.duplicate_of IS NULL
                UNION ALL
                SELECT e.target_actor, 'target', e.quad_class, {_DAY}
                FROM events e JOIN articles a ON a.id = e.article_id WHERE a.duplicate_of IS NULL)
              SELECT actor, count(*) AS events,
                     count(*) FILTER (WHERE side = 'source') AS as_source,
                     count(*) FILTER (WHERE side = 'target') AS as_target,
                     count(*) FILTER (WHERE quad_class <= 2) AS cooperation,
                     count(*) FILTER (WHERE quad_class >= 3) AS conflict,
                     min(day) AS first_day, max(day) AS last_day
              FROM sides WHERE {' AND '.join(clauses)} GROUP BY actor"""
    total = db.value(f"SELECT count(*) FROM ({sql})", params, cache=True)
    rows = db.rows(f"{sql} ORDER BY events DESC, actor LIMIT ? OFFSET ?", params + [limit, offset], cache=True)
    for row in rows:
        row["first_day"], row["last_day"] = _json_day(row["first_day"]), _json_day(row["last_day"])
    return total, rows


def stories(db: Database, limit: int, offset: int, q: Optional[str] = None) -> tuple[int, list[dict[str, Any]]]:
    """Stories (clusters of articles on one real-world event), largest and latest first."""
    clauses, params = ["TRUE"], []
    if q:
        clauses.append("contains(lower(coalesce(title, '')), lower(?))")
        params.append(q)
    where = " AND ".join(clauses)
    total = db.value(f"SELECT count(*) FROM stories WHERE {where}", params, cache=True)
    rows = db.rows(f"""SELECT story, articles, title, first_date, last_date FROM stories WHERE {where}
                       ORDER BY articles DESC, last_date DESC NULLS LAST, story LIMIT ? OFFSET ?""",
                   params + [limit, offset])
    for row in rows:
        row["first_date"], row["last_date"] = _json_day(row["first_date"]), _json_day(row["last_date"])
    return total, rows


def story_exists(db: Database, story: str) -> bool:
    return bool(db.value("SELECT count(*) FROM articles WHERE story = ?", [story], cache=True))
