"""The JSON API under ``/api`` (OpenAPI schema at ``/openapi.json``, rendered at ``/api``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from . import queries
from .analyzer import AnalyzeError
from .filters import Page, PerPage, Text, event_filters, invalid
from .queries import CSV_COLUMNS, EventFilter

router = APIRouter(prefix="/api")

#: Rows in one CSV download (the filters narrow it; pages are for browsing).
CSV_MAX_ROWS = 100_000


def _page(total: int, page: int, per_page: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "page": page, "per_page": per_page, "items": items}


@router.get("/articles", summary="List articles, newest first")
def list_articles(request: Request, page: Page = 1, per_page: PerPage = 50,
                  q: Text = None, source: Text = None,
                  story: Annotated[Optional[str], Query(max_length=100)] = None) -> dict[str, Any]:
    """Articles with their counts of events and quotes. ``q`` keeps articles holding every word."""
    total, items = queries.articles(request.app.state.db, per_page, (page - 1) * per_page, q, source, story)
    return _page(total, page, per_page, items)


@router.get("/articles/{article_id:path}", summary="One article with its full analysis")
def get_article(request: Request, article_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    """The stored analysis in the contract's shape (entities, quotes, events, times, places),
    plus ``duplicate_of``, ``duplicates`` and ``story``."""
    record = queries.article(request.app.state.db, article_id)
    if record is None:
        raise HTTPException(404, "no such article")
    return record


def _csv_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: article text is hostile."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value.isoformat() if isinstance(value, date) else value


@router.get("/events", summary="Coded events with filters; JSON pages or a CSV download")
def list_events(request: Request, flt: EventFilter = Depends(event_filters), page: Page = 1,
                per_page: PerPage = 50,
                format: Annotated[str, Query(pattern="^(json|csv)$",
                                             description="json (paged) or csv (every match)")] = "json") -> Any:
    """Events newest first. Near-duplicate copies of articles are left out unless ``duplicates=true``."""
    db = request.app.state.db
    if format == "csv":
        _, rows = queries.events(db, flt, CSV_MAX_ROWS, 0)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([_csv_cell(row[c]) for c in CSV_COLUMNS])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="events.csv"'})
    total, rows = queries.events(db, flt, per_page, (page - 1) * per_page)
    return _page(total, page, per_page, [queries.event_item(r) for r in rows])


@router.get("/events/timeline", summary="Event counts by day and quad class")
def events_timeline(request: Request, flt: EventFilter = Depends(event_filters)) -> list[dict[str, Any]]:
    return queries.timeline(request.app.state.db, flt)


@router.get("/events/network", summary="Actor network: who acts on whom")
def events_network(request: Request, flt: EventFilter = Depends(event_filters),
                   limit: Annotated[int, Query(ge=1, le=500)] = 60) -> dict[str, Any]:
    """Edges (source actor -> target actor) weighted by events, with the mean Goldstein score."""
    return queries.network(request.app.state.db, flt, limit)


@router.get("/events/locations", summary="Event locations with counts")
def events_locations(request: Request, flt: EventFilter = Depends(event_filters),
                     limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, Any]]:
    return queries.locations(request.app.state.db, flt, limit)


@router.get("/quotes", summary="Quotes, by speaker or words")
def list_quotes(request: Request, page: Page = 1, per_page: PerPage = 50, speaker: Text = None,
                q: Text = None, article: Annotated[Optional[str], Query(max_length=300)] = None) -> dict[str, Any]:
    """``speaker`` matches the resolved speaker's name (part of it, case ignored); ``q`` the quoted words."""
    total, items = queries.quotes(request.app.state.db, per_page, (page - 1) * per_page, speaker, q, article)
    return _page(total, page, per_page, items)


@router.get("/speakers", summary="Most quoted speakers")
def list_speakers(request: Request, speaker: Text = None, q: Text = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[dict[str, Any]]:
    return queries.speakers(request.app.state.db, limit, speaker, q)


@router.get("/actors", summary="Actor activity summary")
def list_actors(request: Request, page: Page = 1, per_page: PerPage = 50,
                prefix: Annotated[Optional[str], Query(pattern=r"^(|[A-Za-z]{1,15})$")] = None) -> dict[str, Any]:
    """Per CAMEO actor code: events as source and target, cooperation vs conflict, first and last day."""
    total, items = queries.actors(request.app.state.db, per_page, (page - 1) * per_page,
                                  prefix.upper() if prefix else None)
    return _page(total, page, per_page, items)


@router.get("/stories", summary="Stories (articles about one real-world event)")
def list_stories(request: Request, page: Page = 1, per_page: PerPage = 50, q: Text = None) -> dict[str, Any]:
    total, items = queries.stories(request.app.state.db, per_page, (page - 1) * per_page, q)
    return _page(total, page, per_page, items)


@router.get("/search", summary="Full-text search over titles and texts")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=200)],
           page: Page = 1, per_page: PerPage = 20) -> dict[str, Any]:
    """Articles holding every word of ``q`` (case ignored), with a snippet."""
    if not q.split():
        raise invalid("q", "the query has no words", q)
    total, items = queries.search(request.app.state.db, q, per_page, (page - 1) * per_page)
    return _page(total, page, per_page, items)


@router.get("/stats", summary="Corpus totals")
def stats(request: Request) -> dict[str, Any]:
    counts = queries.facet_counts(request.app.state.db)
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in counts.items()}


_ANALYZE_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                "text": {"type": "string"}, "title": {"type": "string"},
                "published": {"type": "string", "format": "date"}}}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "text": {"type": "string"}, "file": {"type": "string", "format": "binary"},
                "title": {"type": "string"}, "published": {"type": "string", "format": "date"}}}},
            "text/plain": {"schema": {"type": "string"}},
        },
        "required": True,
    }
}


def check_published(value: Any) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise invalid("published", "not a date (YYYY-MM-DD)", value)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise invalid("published", "not a date (YYYY-MM-DD)", value) from None


async def analysis_from_request(request: Request) -> dict[str, Any]:
    """Run the analyzer on a JSON, form or plain-text body (shared with the paste page)."""
    analyzer = request.app.state.analyzer
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            body = json.loads(await request.body())
        except ValueError:
            raise invalid("body", "not valid JSON", None) from None
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise invalid("text", "a JSON object with a string 'text' is required", None)
        title = body.get("title") if isinstance(body.get("title"), str) else None
        return await _run(request, analyzer.text, body["text"], check_published(body.get("published")), title)
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        published = check_published(form.get("published") if isinstance(form.get("published"), str) else None)
        title = form.get("title") if isinstance(form.get("title"), str) else None
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and getattr(upload, "filename", None):
            data = await upload.read()
            return await _run(request, analyzer.upload, data, upload.filename or "", published, title)
        text = form.get("text")
        if not isinstance(text, str) or not text.strip():
            raise invalid("text", "paste some text or choose a file", None)
        return await _run(request, analyzer.text, text, published, title)
    if kind in ("text/plain", ""):
        data = await request.body()
        return await _run(request, analyzer.upload, data, "", None, None)
    raise HTTPException(415, f"unsupported content type {kind!r}")


async def _run(request: Request, function: Any, *args: Any) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


@router.post("/analyze", summary="Analyse text without storing it", openapi_extra=_ANALYZE_BODY)
async def analyze_text(request: Request) -> Any:
    """Send ``{"text": ..., "published"?: "YYYY-MM-DD", "title"?: ...}``, a form with ``text`` or
    ``file`` (.txt or .html), or plain text. Bodies over the server's limit get 413; nothing is stored."""
    try:
        return await analysis_from_request(request)
    except AnalyzeError as exc:
        return JSONResponse({"detail": {"code": exc.code, "message": exc.message}}, status_code=exc.status)
