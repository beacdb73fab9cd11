"""``eventwire serve``: a read-only JSON API and web pages over a corpus database."""

from .app import create_app

__all__ = ["create_app"]
