"""One shard's analysis, as either engine runs it: articles in, :class:`ShardRows` out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Optional

from spacy.language import Language

from .. import store
from ..analyze import analyze_batch, batched
from ..model import Article, ArticleError
from ..parallel import Output
from .rows import ShardRows
from .shards import Shard, read_shard


def analyse_shard(shard: Shard, now: datetime, default_published: Optional[str] = None,
                  batch_size: int = 32, nlp: Optional[Language] = None) -> ShardRows:
    """Read and analyse every article of a shard in this process (a Ray actor's job)."""
    rows = ShardRows(now)
    for batch in batched(read_shard(shard), batch_size):
        for item, result in zip(batch, analyze_batch(batch, default_published, nlp)):
            if isinstance(result, ArticleError):
                rows.add_error(result.id, result.code, result.message)
            else:
                # The hash of the input text, as ingest computes it, so that
                # loading into a database recognises articles it already has.
                rows.add_analysis(result.to_dict(), store.text_hash(item.text))
    return rows


def add_output(rows: ShardRows, output: Output, text_hash: Optional[str]) -> None:
    """One result of :func:`eventwire.parallel.run_batches` (a JSON line) into a shard's rows."""
    record = json.loads(output.line)
    if output.error:
        error = record.get("error") or {}
        rows.add_error(output.id, output.error, error.get("message"))
    else:
        rows.add_analysis(record, text_hash or store.text_hash(record.get("text") or ""))


def input_hash(item: Article | ArticleError) -> Optional[str]:
    return store.text_hash(item.text) if isinstance(item, Article) else None
