"""The benchmark: eventwire's full analysis against bare spaCy on the same texts.

Each configuration runs in a fresh subprocess, so its peak RSS is its own and
no warm cache carries over.  Loading (the model; for eventwire also its
lexicons and gazetteer) is outside the timed part for one process; with
several workers, their start-up (fork and loading) is inside it, for spaCy's
``n_process`` and for ours alike.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .model import Article, dumps_line


@dataclass
class Measurement:
    mode: str  # "spacy" (bare nlp.pipe) or "analyze" (eventwire)
    workers: int
    articles: int
    words: int
    seconds: float
    peak_rss_mb: float

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def write_corpus(articles: Iterable[Article], path: Path) -> int:
    """Write articles as contract JSON Lines input; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for article in articles:
            record = {"id": article.id, "text": article.text, "title": article.title,
                      "published": article.published}
            out.write(dumps_line(record) + "\n")
            count += 1
    return count


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # Linux reports KiB; the largest child, plus us


def measure(mode: str, workers: int, corpus: Path) -> Measurement:
    """Run one configuration in this process (called in a fresh subprocess).

    Both modes stream the corpus from disk (reading is inside the timed part
    for both), so peak RSS shows what the run holds, not the corpus size.
    """
    from .readers import read_paths

    counts = {"articles": 0, "words": 0}

    def articles() -> Iterator[Article]:
        for item in read_paths([str(corpus)]):
            if isinstance(item, Article):
                counts["articles"] += 1
                counts["words"] += len(item.text.split())
                yield item

    if mode == "spacy":
        import spacy

        from .nlp import MODEL_NAME

        nlp = spacy.load(MODEL_NAME)
        started = time.perf_counter()
        for _ in nlp.pipe((a.text for a in articles()), batch_size=64, n_process=workers):
            pass
    elif mode == "analyze":
        from .analyze import warm_up
        from .parallel import run_batches

        if workers == 1:
            warm_up()  # as spacy.load above: loading is not the work measured
        started = time.perf_counter()
        for _ in run_batches(articles(), workers=workers):
            pass
    else:
        raise ValueError(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    return Measurement(mode, workers, counts["articles"], counts["words"], seconds, _peak_rss_mb())


def measure_in_subprocess(mode: str, workers: int, corpus: Path) -> Measurement:
    proc = subprocess.run([sys.executable, "-m", "eventwire.bench", mode, str(workers), str(corpus)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark run {mode}/{workers} failed:\n{proc.stderr[-2000:]}")
    return Measurement(**json.loads(proc.stdout.strip().split("\n")[-1]))


def format_table(results: list[Measurement]) -> str:
    """A Markdown table of measurements, with analyze/spaCy ratios per worker count."""
    rows = ["| run | workers | articles | words | seconds | words/s | articles/s | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for m in results:
        rows.append(f"| {m.mode} | {m.workers} | {m.articles} | {m.words} | {m.seconds:.1f} | "
                    f"{m.words_per_s:,.0f} | {m.articles_per_s:.2f} | {m.peak_rss_mb:.0f} |")
    by_key = {(m.mode, m.workers): m for m in results}
    notes = []
    for workers in sorted({m.workers for m in results}):
        bare, full = by_key.get(("spacy", workers)), by_key.get(("analyze", workers))
        if bare and full:
            notes.append(f"- analyze / bare spaCy, {workers} worker(s): "
                         f"{full.words_per_s / bare.words_per_s:.2f}x")
    for mode in ("spacy", "analyze"):
        one, two = by_key.get((mode, 1)), by_key.get((mode, 2))
        if one and two:
            notes.append(f"- {mode}: 2 workers / 1 worker: {two.words_per_s / one.words_per_s:.2f}x")
    return "\n".join(rows + [""] + notes)


def run_benchmark(articles: int = 2000, corpus: Optional[Path] = None, workers: Iterable[int] = (1, 2),
                  rss_sizes: Iterable[int] = (), echo=print) -> list[Measurement]:
    """Generate (or read) the corpus and measure every configuration."""
    from .readers import read_paths
    from .synthetic import generate_articles

    results: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        if corpus is not None:
            items = (a for a in read_paths([str(corpus)]) if isinstance(a, Article))
            count = write_corpus((a for _, a in zip(range(articles), items)), path)
        else:
            count = write_corpus(generate_articles(articles), path)
        echo(f"corpus: {count} articles ({'from ' + str(corpus) if corpus else 'synthetic'})")
        for n in workers:
            for mode in ("spacy", "analyze"):
                echo(f"running {mode} with {n} worker(s)...")
                results.append(measure_in_subprocess(mode, n, path))
        for size in rss_sizes:
            sized = Path(tmp) / f"rss-{size}.jsonl"
            write_corpus(generate_articles(size, seed=size), sized)
            echo(f"running analyze on {size} articles for peak RSS...")
            results.append(measure_in_subprocess("analyze", 1, sized))
    return results


def _main(argv: list[str]) -> None:
    mode, workers, corpus = argv
    print(json.dumps(asdict(measure(mode, int(workers), Path(corpus)))))


if __name__ == "__main__":
    _main(sys.argv[1:])
