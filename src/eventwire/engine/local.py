"""The local engine: this machine's worker processes (:func:`eventwire.parallel.run_batches`).

All shards stream through one process pool, so the model is loaded once per
worker for the whole run.  Results come back in input order; a shard is
written as soon as its last result is in.  If a worker dies the run stops
with :class:`~eventwire.parallel.WorkerCrashed`; shards written so far stay
finished and a rerun does the rest.
"""

from __future__ import annotations

import time
from collections import deque
from datetime import datetime
from typing import Callable, Iterator, Optional

from ..model import Article, ArticleError
from ..parallel import run_batches
from .output import OutputDir
from .rows import ShardRows
from .shards import Shard, read_shard
from .work import add_output, input_hash

_END = object()


def run_local(shards: list[Shard], out: OutputDir, now: datetime, workers: int = 1,
              batch_size: int = 32, default_published: Optional[str] = None,
              on_shard: Callable[[dict], None] = lambda entry: None,
              on_article: Callable[[Optional[str]], None] = lambda code: None) -> None:
    """Analyse ``shards`` with ``workers`` processes and write each one when complete."""
    marks: deque = deque()  # (shard index, input text hash | _END), in input order
    pending: dict[int, tuple[ShardRows, float]] = {}

    def feed() -> Iterator[Article | ArticleError]:
        for index, shard in enumerate(shards):
            for item in read_shard(shard):
                marks.append((index, input_hash(item)))
                yield item
            marks.append((index, _END))

    def finish_ready() -> None:
        while marks and marks[0][1] is _END:
            index = marks.popleft()[0]
            rows, started = pending.pop(index, (ShardRows(now), time.perf_counter()))
            on_shard(out.write_shard(shards[index], rows, time.perf_counter() - started))

    for output in run_batches(feed(), default_published, workers, batch_size):
        finish_ready()
        index, digest = marks.popleft()
        if index not in pending:
            pending[index] = (ShardRows(now), time.perf_counter())
        add_output(pending[index][0], output, digest)
        on_article(output.error)
    finish_ready()
