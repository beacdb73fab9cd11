"""The Ray engine: shards analysed by a pool of Ray actors through Ray Data.

The dataset holds one row per shard; ``map_batches`` hands each row to a
:class:`ShardAnalyzer` actor of a fixed-size pool (one CPU each).  An actor
loads the spaCy pipeline and the lexicons once, then analyses whole shards
and writes their Parquet files itself, so only a small manifest entry per
shard travels back to the driver.  Ray Data restarts a dead actor and
retries its shard (``max_restarts``/``max_task_retries`` default to
unlimited for actor pools); since a shard's file names are fixed, a retry
replaces files rather than adding to them.

This is the only module that imports ``ray``, and only the Ray engine
imports it.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict
from datetime import datetime
from typing import Any, Callable, Optional

import ray

from .output import OutputDir
from .shards import Shard
from .work import analyse_shard

#: Object store per local Ray instance: results are tiny manifest entries.
OBJECT_STORE_BYTES = 200 * 1024 * 1024


class ShardAnalyzer:
    """A Ray Data actor: one spaCy pipeline for its lifetime, any number of shards."""

    def __init__(self, output: str, now: str, default_published: Optional[str], batch_size: int):
        from ..analyze import warm_up
        from ..nlp import load_pipeline

        self.nlp = load_pipeline()
        warm_up(self.nlp)
        self.out = OutputDir(output)
        self.now = datetime.fromisoformat(now)
        self.default_published = default_published
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        entries = []
        for raw in batch["shard"]:
            shard = Shard(**json.loads(raw))
            started = time.perf_counter()
            rows = analyse_shard(shard, self.now, self.default_published, self.batch_size, self.nlp)
            entry = self.out.write_shard(shard, rows, time.perf_counter() - started)
            entry["pid"] = os.getpid()
            entries.append(json.dumps(entry))
        return {"entry": entries}


def connect(address: Optional[str], workers: Optional[int]) -> bool:
    """Start or join a Ray cluster unless this process already has one; True if we did."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # Ray's C++ core logs notices (e.g. about actor restarts) at ERROR level to
    # stderr; failures still surface as Python exceptions.
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
    if address:
        ray.init(address=address, **quiet)
    else:
        # "local": always a private instance, even when `ray start` left one running here.
        ray.init(address="local", num_cpus=workers or os.cpu_count() or 1, include_dashboard=False,
                 object_store_memory=OBJECT_STORE_BYTES, **quiet)
    return True


def _quiet_data() -> None:
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # ours counts articles; Ray's would count blocks
    context.print_on_execution_start = False
    context.enable_auto_log_stats = False
    context.execution_options.preserve_order = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)


def run_ray(shards: list[Shard], out: OutputDir, now: datetime, workers: Optional[int] = None,
            batch_size: int = 32, default_published: Optional[str] = None,
            address: Optional[str] = None,
            on_shard: Callable[[dict], None] = lambda entry: None) -> None:
    """Analyse ``shards`` on a Ray actor pool of ``workers`` actors (default: the cluster's CPUs)."""
    if not shards:
        return
    started_here = connect(address, workers)
    try:
        _quiet_data()
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        size = max(1, min(size, len(shards)))
        dataset = ray.data.from_items([{"shard": json.dumps(asdict(s))} for s in shards],
                                      override_num_blocks=len(shards))
        analysed = dataset.map_batches(
            ShardAnalyzer, batch_size=1, concurrency=size, num_cpus=1,
            fn_constructor_kwargs={"output": out.location, "now": now.isoformat(),
                                   "default_published": default_published,
                                   "batch_size": batch_size})
        for row in analysed.iter_rows():
            on_shard(json.loads(row["entry"]))
    finally:
        if started_here:
            ray.shutdown()
