"""``POST /analyze``: run the pipeline on pasted text or an uploaded file, storing nothing.

The spaCy pipeline is loaded on the first request (the server starts fast
and a read-only browsing session never pays for it) and analyses run one at a
time, which bounds the memory and CPU one client can take.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

from ..decode import InputError, decode_bytes

#: Request bodies above this many bytes get a 413 (see app.BodyLimit).
DEFAULT_MAX_BODY = 1_000_000


class AnalyzeError(Exception):
    """The text cannot be analysed: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Analyzer:
    """Lazily loaded pipeline plus the contract's analyze(), serialised by a lock."""

    def __init__(self, nlp: Any = None, loader: Optional[Callable[[], Any]] = None):
        self._nlp = nlp
        self._loader = loader
        self._lock = threading.Lock()

    def _pipeline(self) -> Any:
        if self._nlp is None:
            if self._loader is not None:
                self._nlp = self._loader()
            else:
                from ..nlp import load_pipeline

                self._nlp = load_pipeline()
        return self._nlp

    def text(self, text: str, published: Optional[str] = None, title: Optional[str] = None,
             source: Optional[str] = None, url: Optional[str] = None) -> dict[str, Any]:
        from ..analyze import analyze

        with self._lock:
            try:
                result = analyze(text, published=published, title=title or None, source=source,
                                 url=url, nlp=self._pipeline())
            except InputError as exc:
                status = 413 if exc.code == "too_large" else 422
                raise AnalyzeError(status, exc.code, exc.message) from None
        return result.to_dict()

    def upload(self, data: bytes, filename: str, published: Optional[str] = None,
               title: Optional[str] = None) -> dict[str, Any]:
        """An uploaded .txt or .html file (HTML goes through the same extraction as ingest)."""
        name = (filename or "").lower()
        if name.endswith((".html", ".htm")) or data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            from ..model import ArticleError
            from ..readers import read_html

            item = read_html(data, "upload", filename or "upload")
            if isinstance(item, ArticleError):
                raise AnalyzeError(422, item.code, item.message)
            return self.text(item.text, published or item.published, title or item.title,
                             item.source, item.url)
        try:
            text = decode_bytes(data)
        except InputError as exc:
            raise AnalyzeError(422, exc.code, exc.message) from None
        return self.text(text, published, title)
