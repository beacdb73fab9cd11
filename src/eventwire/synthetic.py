"""A synthetic news corpus for the benchmark: noisy, varied, reproducible.

The benchmark needs thousands of news-like articles that anyone can rebuild
offline; these are assembled from the templates in
``data/synthetic_news.tsv`` with a seeded random generator.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterator

from .lexicons import read_tsv
from .model import Article

_SLOT = re.compile(r"\{(\w+?)(2)?\}")


@lru_cache(maxsize=1)
def _slots() -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    for slot, value in read_tsv("synthetic_news.tsv", columns=2):
        table[slot].append(value)
    return dict(table)


def _fill(template: str, rng: random.Random, slots: dict[str, list[str]]) -> str:
    chosen: dict[str, str] = {}

    def pick(match: re.Match[str]) -> str:
        name, second = match.group(1), match.group(2)
        key = name + (second or "")
        if key not in chosen:
            options = [v for v in slots[name] if v not in chosen.values()] or slots[name]
            chosen[key] = rng.choice(options)
        return chosen[key]

    return _SLOT.sub(pick, template)


def generate_articles(count: int, seed: int = 13, sentences: tuple[int, int] = (8, 16)) -> Iterator[Article]:
    """``count`` articles of a few paragraphs each, with page furniture mixed in."""
    rng = random.Random(seed)
    slots = _slots()
    start = date(2019, 1, 1)
    for number in range(count):
        headline = _fill(rng.choice(slots["headline"]), rng, slots)
        lines = [headline] * rng.choice((1, 1, 2, 3))
        paragraph: list[str] = []
        for _ in range(rng.randint(*sentences)):
            paragraph.append(_fill(rng.choice(slots["sentence"]), rng, slots))
            if len(paragraph) >= rng.randint(1, 3):
                lines.append(" ".join(paragraph))
                paragraph = []
                if rng.random() < 0.08:
                    lines.append(rng.choice(slots["furniture"]))
        if paragraph:
            lines.append(" ".join(paragraph))
        if rng.random() < 0.3:
            lines.append(rng.choice(slots["trailer"]))
        published = start + timedelta(days=rng.randrange(730))
        yield Article(id=f"synthetic-{number:06d}", text="\n\n".join(lines),
                      published=published.isoformat(), source="synthetic")
