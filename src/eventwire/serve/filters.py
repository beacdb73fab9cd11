"""Request parameters shared by the API and the pages, validated up front.

A malformed or unknown value is a 422 (``RequestValidationError``), never a
500 and never text spliced into SQL.  Empty strings mean "no filter", because
an HTML form sends its empty fields.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Optional

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

from .queries import FACTUALITY, PLOVER_TYPES, EventFilter, story_exists

_ACTOR = r"^(|[A-Za-z]{3}([A-Za-z]{3}){0,4})$"


def invalid(field: str, message: str, value: Any) -> RequestValidationError:
    """A 422 shaped like FastAPI's own validation errors."""
    return RequestValidationError([{"type": "value_error", "loc": ("query", field), "msg": message,
                                    "input": value}])


def _day(field: str, value: Optional[str]) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(field, "not a valid date (YYYY-MM-DD)", value) from None


def event_filters(
    request: Request,
    actor: Annotated[Optional[str], Query(
        pattern=_ACTOR, description="Source actor: a CAMEO actor code or its prefix (KEN, KENGOV).")] = None,
    target: Annotated[Optional[str], Query(
        pattern=_ACTOR, description="Target actor: a CAMEO actor code or its prefix.")] = None,
    code: Annotated[Optional[str], Query(
        pattern=r"^(|\d{2,4})$", description="CAMEO event code or its prefix (e.g. 04, 042).")] = None,
    root: Annotated[Optional[str], Query(
        pattern=r"^(|0[1-9]|1\d|20)$", description="CAMEO root code, 01-20.")] = None,
    quad: Annotated[Optional[str], Query(
        pattern=r"^(|[1-4])$",
        description="Quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                    "4 material conflict.")] = None,
    plover: Annotated[Optional[str], Query(
        pattern=rf"^(|{'|'.join(PLOVER_TYPES)})$", description="PLOVER event type.")] = None,
    factuality: Annotated[Optional[str], Query(
        pattern=rf"^(|{'|'.join(FACTUALITY)})$", description="asserted, negated, future or hypothetical.")] = None,
    date_from: Annotated[Optional[str], Query(
        max_length=10, description="First day, YYYY-MM-DD (the event's date, else its article's).")] = None,
    date_to: Annotated[Optional[str], Query(max_length=10, description="Last day, YYYY-MM-DD.")] = None,
    place: Annotated[Optional[str], Query(
        max_length=100, description="Event location: a place name or an ISO alpha-3 country code.")] = None,
    story: Annotated[Optional[str], Query(max_length=100, description="Story id (must exist).")] = None,
    article: Annotated[Optional[str], Query(max_length=300, description="Only this article's events.")] = None,
    duplicates: Annotated[bool, Query(description="Also count near-duplicate copies of articles.")] = False,
) -> EventFilter:
    first, last = _day("date_from", date_from), _day("date_to", date_to)
    if first and last and first > last:
        raise invalid("date_to", "date_to is before date_from", date_to)
    if story and not story_exists(request.app.state.db, story):
        raise invalid("story", "unknown story id", story)
    return EventFilter(
        actor=actor.upper() if actor else None, target=target.upper() if target else None,
        code=code or None, root=root or None, quad=int(quad) if quad else None, plover=plover or None,
        factuality=factuality or None, date_from=first, date_to=last, place=place or None,
        story=story or None, article=article or None, duplicates=duplicates)


Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=500, description="Items per page (at most 500).")]
Text = Annotated[Optional[str], Query(max_length=200)]
