"""The temporal vocabulary of ``data/timex_words.tsv`` as lookups and regex pieces.

Every word the temporal rules know (months, weekdays, numbers, units, seasons,
modifiers) lives in that data file; this module only indexes it and turns the
word lists into regular-expression alternations, once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .lexicons import read_tsv

WORDS_FILE = "timex_words.tsv"


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """kind -> {word: value}; words are lower case except time zones."""
    kinds: dict[str, dict[str, str]] = {}
    for kind, word, value in read_tsv(WORDS_FILE, 3):
        kinds.setdefault(kind, {})[word if kind == "zone" else word.lower()] = value
    return kinds


def words(kind: str) -> dict[str, str]:
    return table().get(kind, {})


def lookup(kind: str, word: str) -> Optional[str]:
    return words(kind).get(normalise_space(word).lower().rstrip("."))


def normalise_space(text: str) -> str:
    return " ".join(text.replace("-", " - ").split()).replace(" - ", "-")


def alternation(*kinds: str, plural: bool = False) -> str:
    """A regex alternation of the words of ``kinds``, longest first.

    Spaces inside phrases match any whitespace; ``plural`` adds an optional "s".
    """
    entries = {word for kind in kinds for word in words(kind)}
    parts = []
    for word in sorted(entries, key=len, reverse=True):
        piece = r"\s+".join(re.escape(part) for part in word.split())
        parts.append(piece + ("s?" if plural else ""))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def number_value(text: str) -> Optional[float]:
    """The value of a number written in digits or words ("twenty-five", "2,000", "a")."""
    cleaned = normalise_space(text).lower().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        pass
    if cleaned in ("a", "an", "one"):
        return 1.0
    phrase = lookup("number", cleaned)
    if phrase is not None:
        return float(phrase)
    total = current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", cleaned):
        if word in ("and", "a", "an"):
            continue
        value = lookup("number", word)
        if value is None:
            return None
        seen = True
        number = float(value)
        if number == 100:
            current = max(current, 1.0) * 100
        elif number >= 1000:
            total += max(current, 1.0) * number
            current = 0.0
        else:
            current += number
    return total + current if seen else None


#: Kinds whose words announce a temporal expression nearby.
_TRIGGER_KINDS = ("month", "month_abbr", "weekday", "weekday_abbr", "unit", "season", "part_of_day",
                  "clock_word", "set_adverb", "reference", "decade_word", "trigger")
_NOT_TRIGGERS = {"the", "a", "an", "of", "in", "at", "these"}


@lru_cache(maxsize=1)
def trigger_words() -> frozenset[str]:
    """Single lower-case words at least one of which every temporal expression
    contains (besides digits); abbreviations also with their full stop."""
    found: set[str] = set()
    for kind in _TRIGGER_KINDS:
        for phrase in words(kind):
            for word in re.split(r"[\s-]+", phrase.lower()):
                if word and word not in _NOT_TRIGGERS:
                    found.add(word)
                    if kind.endswith("_abbr"):
                        found.add(word + ".")
    return frozenset(found)
