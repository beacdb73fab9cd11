"""Running the analysis in one or several processes, streaming, in input order.

The unit of work is a batch of articles, serialised to JSON Lines inside the
worker so the parent only writes strings.  At most ``2 * workers`` batches are
in flight, so memory stays flat however long the input is.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Union

from .analyze import analyze_batch, batched
from .model import ArticleError, Article


@dataclass(frozen=True)
class Output:
    """One output line and, for an error line, its code."""

    id: str
    line: str
    error: Optional[str] = None


def process_batch(batch: list[Union[Article, ArticleError]], default_published: Optional[str]) -> list[Output]:
    """Analyse a batch and serialise each result (runs inside a worker)."""
    outputs = []
    for result in analyze_batch(batch, default_published):
        error = result.code if isinstance(result, ArticleError) else None
        outputs.append(Output(result.id, result.to_json(), error))
    return outputs


def _init_worker() -> None:
    from .analyze import warm_up

    warm_up()


class WorkerCrashed(RuntimeError):
    """A worker process died (killed, out of memory); the run cannot go on."""


def run_batches(items: Iterable[Union[Article, ArticleError]], default_published: Optional[str] = None,
                workers: int = 1, batch_size: int = 32) -> Iterator[Output]:
    """Analyse ``items`` with ``workers`` processes, yielding outputs in input order."""
    batches = batched(items, batch_size)
    if workers <= 1:
        for batch in batches:
            yield from process_batch(batch, default_published)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker) as pool:
        pending: deque[Future] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(process_batch, batch, default_published))
                while len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool as exc:
            raise WorkerCrashed("a worker process died; rerun to finish the remaining articles") from exc
