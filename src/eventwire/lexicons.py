"""Loading the project's lexicon files from ``eventwire/data``.

Lexicons are data, not code: word lists and pattern tables live in plain
TSV/text files under version control, read once and cached.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def read_tsv(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file; ``#`` lines are comments."""
    rows = []
    for number, line in enumerate(_lines(name), 1):
        fields = tuple(field.strip() for field in line.split("\t"))
        if len(fields) != columns:
            raise ValueError(f"{name}: row {number} has {len(fields)} fields, expected {columns}: {line!r}")
        rows.append(fields)
    return tuple(rows)


@lru_cache(maxsize=None)
def read_words(name: str) -> frozenset[str]:
    """A whitespace-separated word list (comments allowed), lower-cased."""
    return frozenset(word.lower() for line in _lines(name) for word in line.split())
