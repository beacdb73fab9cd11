"""Server-rendered pages (Jinja2, autoescaped) over the same queries as the API."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Optional
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import queries
from .analyzer import AnalyzeError
from .filters import Page, Text, event_filters
from .highlight import Segment, segments
from .queries import FACTUALITY, PLOVER_TYPES, QUAD_NAMES, EventFilter

HERE = Path(__file__).resolve().parent
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True)
templates = Jinja2Templates(env=_env)
router = APIRouter(include_in_schema=False)

PER_PAGE = 50
NAV = [("/", "Articles"), ("/events", "Events"), ("/map", "Map"), ("/quotes", "Quotes"),
       ("/actors", "Actors"), ("/stories", "Stories"), ("/analyze", "Analyze"), ("/api", "API")]


def _query(args: dict[str, Any], **changes: Any) -> str:
    """A query string from ``args`` with ``changes`` (None removes a key)."""
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "", False)}
    return ("?" + urlencode(merged)) if merged else ""


_env.globals.update(nav=NAV, query=_query, quad_names=QUAD_NAMES, plover_types=PLOVER_TYPES,
                    factuality_values=FACTUALITY)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"path": request.url.path, **context}, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, title=f"Error {status}", status_code=status,
                  message=message)


def _pages(total: int, page: int, per_page: int) -> dict[str, int]:
    return {"total": total, "page": page, "per_page": per_page, "last": max(1, math.ceil(total / per_page))}


# ------------------------------------------------------------------ articles

@router.get("/", response_class=HTMLResponse)
def home(request: Request, q: Text = None, page: Page = 1,
         story: Annotated[Optional[str], Query(max_length=100)] = None) -> HTMLResponse:
    db = request.app.state.db
    total, items = queries.articles(db, PER_PAGE, (page - 1) * PER_PAGE, q, story=story or None)
    args = {k: v for k, v in (("q", q), ("story", story)) if v}
    return render(request, "articles.html", title="Articles", stats=queries.facet_counts(db), items=items,
                  q=q or "", story=story or "", pages=_pages(total, page, PER_PAGE), args=args)


def _actor_label(part: Optional[dict[str, Any]], names: dict[str, str]) -> str:
    if not part:
        return "—"
    name = names.get(part.get("entity") or "") or part.get("text") or ""
    code = part.get("actor") or ""
    return f"{name} ({code})" if name and code else (name or code or "—")


def _tooltip(segment: Segment, record: dict[str, Any], entities: dict[str, dict[str, Any]],
             names: dict[str, str]) -> str:
    """The hover text of a highlighted segment: who, what code, which speaker."""
    parts = []
    for ent_id in segment.entities:
        ent = entities.get(ent_id) or {}
        parts.append(" · ".join(x for x in (ent.get("name"), ent.get("type"), ent.get("actor")) if x))
    for number in segment.quotes:
        quote = record["quotes"][number]
        speaker = names.get(quote.get("speaker") or "") or quote.get("speaker_name") or "unknown speaker"
        parts.append(f"{'quote' if quote.get('direct') else 'reported speech'}: {speaker}")
    for number in segment.events:
        event = record["events"][number]
        parts.append(f"event {event.get('cameo') or '?'} {event.get('plover') or ''} "
                     f"({event.get('factuality') or '?'}): {_actor_label(event.get('source'), names)} → "
                     f"{_actor_label(event.get('target'), names)}")
    for number in segment.times:
        time = record["times"][number]
        parts.append(f"time {time.get('value') or ''}")
    return " | ".join(parts)


def reader_context(request: Request, record: dict[str, Any], stored: bool) -> dict[str, Any]:
    """Everything the reader template needs for one analysis (stored or just analysed)."""
    entities = {e.get("id"): e for e in record.get("entities") or []}
    names = {key: (e.get("name") or "") for key, e in entities.items()}
    segs = segments(record)
    first_of: set[str] = set()
    rows = []
    for seg in segs:
        anchors = []
        for prefix, values in (("q", seg.quotes), ("ev", seg.events)):
            for number in values:
                anchor = f"{prefix}{number}"
                if anchor not in first_of:
                    first_of.add(anchor)
                    anchors.append(anchor)
        rows.append({"seg": seg, "title": _tooltip(seg, record, entities, names) if seg.marked else "",
                     "anchor": anchors[0] if anchors else None})
    data = {
        "entities": {key: {"name": e.get("name"), "type": e.get("type"), "actor": e.get("actor"),
                           "country": e.get("country"), "mentions": len(e.get("mentions") or [])}
                     for key, e in entities.items()},
        "quotes": [{"text": q.get("text"), "direct": q.get("direct"), "speaker": q.get("speaker"),
                    "speaker_name": names.get(q.get("speaker") or "") or q.get("speaker_name"),
                    "speaker_mention": (q.get("speaker_mention") or {}).get("text"),
                    "cue": (q.get("cue") or {}).get("text")} for q in record.get("quotes") or []],
        "events": [{"cameo": e.get("cameo"), "root": e.get("root"), "quad_class": e.get("quad_class"),
                    "goldstein": e.get("goldstein"), "plover": e.get("plover"),
                    "plover_mode": e.get("plover_mode"), "factuality": e.get("factuality"),
                    "date": e.get("date"), "source": _actor_label(e.get("source"), names),
                    "target": _actor_label(e.get("target"), names),
                    "location": (e.get("location") or {}).get("name"),
                    "trigger": (e.get("trigger") or {}).get("text")} for e in record.get("events") or []],
        "times": [{"text": t.get("text"), "type": t.get("type"), "value": t.get("value")}
                  for t in record.get("times") or []],
    }
    url = record.get("url") or ""
    related: dict[str, Any] = {}
    if stored:
        db = request.app.state.db
        ids = list(record.get("duplicates") or []) + ([record["duplicate_of"]] if record.get("duplicate_of") else [])
        related = queries.article_brief(db, ids)
    return {
        "record": record, "rows": rows, "data": data, "stored": stored, "related": related,
        "safe_url": url if url.lower().startswith(("http://", "https://")) else None,
        "entity_list": sorted(entities.values(), key=lambda e: -len(e.get("mentions") or [])),
        "names": names, "actor_label": _actor_label,
    }


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Annotated[str, PathParam(max_length=300)]) -> HTMLResponse:
    record = queries.article(request.app.state.db, article_id)
    if record is None:
        return error_page(request, 404, "No article with that id.")
    return render(request, "reader.html", title=record.get("title") or record["id"],
                  **reader_context(request, record, stored=True))


# ------------------------------------------------------------------ events and map

@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, flt: EventFilter = Depends(event_filters), page: Page = 1) -> HTMLResponse:
    db = request.app.state.db
    total, rows = queries.events(db, flt, PER_PAGE, (page - 1) * PER_PAGE)
    charts = {"timeline": queries.timeline(db, flt), "network": queries.network(db, flt, 40),
              "quads": QUAD_NAMES}
    return render(request, "events.html", title="Events", flt=flt, args=flt.query_args(),
                  items=[queries.event_item(r) for r in rows], pages=_pages(total, page, PER_PAGE),
                  charts=charts)


@lru_cache(maxsize=1)
def world_path() -> str:
    """The land outline (see tools/world_outline.py) as one SVG path."""
    return json.loads((HERE / "static" / "world.json").read_text(encoding="utf-8"))["d"]


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, flt: EventFilter = Depends(event_filters)) -> HTMLResponse:
    places = queries.locations(request.app.state.db, flt, 1000)
    biggest = max((p["n"] for p in places), default=1)
    points = []
    for place in places:
        if not (-90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180):
            continue
        points.append({**place, "x": round(place["lon"] + 180, 2), "y": round(90 - place["lat"], 2),
                       "r": round(0.8 + 5.2 * math.sqrt(place["n"] / biggest), 2),
                       "href": "/events" + _query(flt.query_args(), place=place["name"] or place["country"])})
    return render(request, "map.html", title="Map", flt=flt, args=flt.query_args(), points=points,
                  world=world_path(), graticule=range(-150, 181, 30), parallels=range(-60, 61, 30))


# ------------------------------------------------------------------ quotes, actors, stories

@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, speaker: Text = None, q: Text = None, page: Page = 1) -> HTMLResponse:
    db = request.app.state.db
    total, rows = queries.quotes(db, PER_PAGE, (page - 1) * PER_PAGE, speaker, q)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["speaker"] or "(unattributed)", []).append(row)
    groups = dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))  # most quoted on this page first
    args = {k: v for k, v in (("speaker", speaker), ("q", q)) if v}
    return render(request, "quotes.html", title="Quotes", groups=groups, speakers=queries.speakers(db, 40, None, q),
                  speaker=speaker or "", q=q or "", args=args, pages=_pages(total, page, PER_PAGE))


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, page: Page = 1,
                prefix: Annotated[Optional[str], Query(pattern=r"^(|[A-Za-z]{1,15})$")] = None) -> HTMLResponse:
    total, rows = queries.actors(request.app.state.db, PER_PAGE, (page - 1) * PER_PAGE,
                                 prefix.upper() if prefix else None)
    return render(request, "actors.html", title="Actors", items=rows, prefix=prefix or "",
                  args={"prefix": prefix} if prefix else {}, pages=_pages(total, page, PER_PAGE))


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, q: Text = None, page: Page = 1) -> HTMLResponse:
    total, rows = queries.stories(request.app.state.db, PER_PAGE, (page - 1) * PER_PAGE, q)
    return render(request, "stories.html", title="Stories", items=rows, q=q or "",
                  args={"q": q} if q else {}, pages=_pages(total, page, PER_PAGE))


# ------------------------------------------------------------------ paste an article

@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> HTMLResponse:
    return render(request, "analyze.html", title="Analyze an article", error=None, form={},
                  max_body=request.app.state.max_body)


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_page(request: Request) -> HTMLResponse:
    from .api import analysis_from_request

    try:
        record = await analysis_from_request(request)
    except AnalyzeError as exc:
        return render(request, "analyze.html", status=exc.status, title="Analyze an article",
                      error=f"{exc.code}: {exc.message}", form={}, max_body=request.app.state.max_body)
    return render(request, "reader.html", title=record.get("title") or "Analysed text",
                  **reader_context(request, record, stored=False))


# ------------------------------------------------------------------ API reference

@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """The OpenAPI schema as a plain page (FastAPI's own docs pages need a CDN)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary"),
                              "description": op.get("description"),
                              "params": [{"name": p.get("name"), "in": p.get("in"),
                                          "required": p.get("required", False),
                                          "description": p.get("description") or "",
                                          "schema": _schema_text(p.get("schema") or {})}
                                         for p in op.get("parameters", [])]})
    return render(request, "api.html", title="API", endpoints=endpoints, info=schema.get("info", {}))


def _schema_text(schema: dict[str, Any]) -> str:
    options = schema.get("anyOf") or [schema]
    bits = []
    for option in options:
        kind = option.get("type")
        if kind == "null":
            continue
        detail = []
        for key in ("pattern", "minimum", "maximum", "maxLength", "default"):
            if key in option:
                detail.append(f"{key} {option[key]}")
        bits.append((kind or "") + (f" ({', '.join(detail)})" if detail else ""))
    if "default" in schema:
        bits.append(f"default {schema['default']}")
    return "; ".join(b for b in bits if b)
