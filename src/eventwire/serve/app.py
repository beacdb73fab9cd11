"""The FastAPI application: API, pages, static files, limits and security headers."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Optional

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .analyzer import DEFAULT_MAX_BODY, Analyzer
from .db import Database

HERE = Path(__file__).resolve().parent

#: Sent with every response.  No inline script or style is allowed: article
#: text that slips past escaping still cannot run.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
     b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"request body larger than {limit:,} bytes")


class Guard:
    """ASGI middleware: security headers on every response, and a body-size limit.

    A declared Content-Length over the limit is refused before reading; a
    body streamed without one is counted as it arrives and cut off at the limit.
    """

    def __init__(self, app: Any, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message, headers=list(message.get("headers", [])) + SECURITY_HEADERS)
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_body
            except ValueError:
                too_big = False
            if too_big:
                await self._refuse(scope, receive, send_with_headers)
                return
        received = 0

        async def counted() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        try:
            await self.app(scope, counted, send_with_headers)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send_with_headers)

    async def _refuse(self, scope: dict, receive: Any, send: Any) -> None:
        response = JSONResponse({"detail": f"request body larger than {self.max_body:,} bytes"},
                                status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)


def create_app(db_path: Path, max_body: int = DEFAULT_MAX_BODY, nlp: Any = None,
               analyzer: Optional[Analyzer] = None) -> FastAPI:
    """The web application over the corpus at ``db_path`` (opened read-only).

    ``nlp`` (a loaded spaCy pipeline) or ``analyzer`` can be passed by tests;
    otherwise the pipeline loads on the first ``POST /analyze``.
    """
    from . import api, pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.db.close()

    app = FastAPI(lifespan=lifespan, title="eventwire", version=__version__,
                  description="Read-only API over an eventwire corpus: articles with their analysis, coded "
                              "events, quotes, actors and stories. POST /api/analyze analyses text "
                              "without storing it.",
                  docs_url=None, redoc_url=None)  # the default docs pages load scripts from a CDN
    app.state.db = Database(Path(db_path))
    app.state.analyzer = analyzer or Analyzer(nlp=nlp)
    app.state.max_body = max_body
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        return pages.error_page(request, 422, "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return pages.error_page(request, exc.status_code, str(exc.detail))

    app.add_middleware(Guard, max_body=max_body)
    return app
