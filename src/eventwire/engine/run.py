"""``eventwire run``: list shards, skip finished ones, analyse the rest on an engine, sum up."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Optional

from .output import OutputDir
from .shards import list_shards

ENGINES = ("local", "ray")


@dataclass
class RunSummary:
    """What one run did (shards skipped as finished count in ``skipped`` only)."""

    engine: str
    shards: int = 0
    skipped: int = 0
    written: int = 0
    articles: int = 0
    errors: Counter = field(default_factory=Counter)
    events: int = 0
    seconds: float = 0.0

    def add(self, entry: dict) -> None:
        self.written += 1
        self.articles += entry.get("articles", 0)
        self.errors.update(entry.get("errors") or {})
        self.events += entry.get("events", 0)

    @property
    def handled(self) -> int:
        return self.articles + sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.handled / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        errors = sum(self.errors.values())
        detail = ", ".join(f"{n} {code}" for code, n in self.errors.most_common())
        return (f"{self.handled} articles ({self.articles} analysed, {errors} errors"
                f"{': ' + detail if detail else ''}), {self.events} events; "
                f"{self.written} shards written, {self.skipped} already done; "
                f"{self.seconds:.1f} s, {self.rate:.1f} articles/s [{self.engine}]")


def run(inputs: list[str], output: str, engine: str = "local", workers: Optional[int] = None,
        address: Optional[str] = None, batch_size: int = 32, published: Optional[str] = None,
        on_shard: Callable[[dict], None] = lambda entry: None,
        on_article: Callable[[Optional[str]], None] = lambda code: None) -> RunSummary:
    """Analyse every unfinished shard of ``inputs`` into ``output``.

    ``on_shard`` gets each shard's manifest entry as it is written;
    ``on_article`` (local engine only) each article's error code or None.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    summary = RunSummary(engine)
    shards = list_shards(inputs)
    out = OutputDir(output)
    out.prepare()
    done = out.finished(shards)
    todo = [shard for shard in shards if shard.id not in done]
    out.forget({shard.id for shard in todo})
    summary.shards, summary.skipped = len(shards), len(shards) - len(todo)
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)

    def shard_done(entry: dict) -> None:
        summary.add(entry)
        on_shard(entry)

    try:
        if engine == "ray":
            from .ray_engine import run_ray  # the only import of ray

            run_ray(todo, out, now, workers, batch_size, published, address, on_shard=shard_done)
        else:
            from .local import run_local

            run_local(todo, out, now, workers or 1, batch_size, published,
                      on_shard=shard_done, on_article=on_article)
    finally:
        summary.seconds = time.perf_counter() - started
    return summary
