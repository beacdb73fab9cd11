"""Cleaning a scraped article before any NLP.

Plain functions, one rule each: fix mojibake, normalise whitespace, find the
paragraphs, drop page furniture (share lines, cookie notices, photo credits,
"Related news" trailers), and collapse a headline repeated at the top into the
title.  The cleaned text keeps one paragraph per block, separated by a blank
line, so that sentence boundaries can be forced at every paragraph break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import ftfy

from .lexicons import read_tsv

PARAGRAPH_SEPARATOR = "\n\n"

_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # curly quotes are information (quote detection)
    fix_character_width=False,
    fix_latin_ligatures=True,
    normalization="NFC",
    explain=False,
)
# Whitespace that is not a line break: NBSP, thin spaces, ideographic space, tabs.
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width characters and soft hyphens carry no text but break words.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\u0085\x0b\x0c]")
#: Longest run of punctuation and symbols kept (separator lines, emoji spam, ASCII art):
#: spaCy's tokenizer peels such a run one character at a time, in time quadratic in its
#: length (6,000 "=" take 20 s to tokenise, 12,000 a minute); no wording needs more.
MAX_SYMBOL_RUN = 32
_SYMBOL_RUN = re.compile(r"(?:[^\w\s]|_){%d,}" % (MAX_SYMBOL_RUN + 1))
#: Hard-wrapped lines are 40 to 100 characters long, and a wrapped line is at least
#: WRAP_SHARE of the wrap width (a paragraph's last line is usually shorter).
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 40, 100
WRAP_SHARE = 0.7
_TERMINAL = re.compile(r"""[.!?…:;"'”’»)\]]$""")


@dataclass(frozen=True)
class CleanedText:
    """The cleaned body and what cleaning learnt about it."""

    text: str
    title: Optional[str]
    # Offsets of the headline inside ``text`` when it was kept as the first paragraph.
    title_span: Optional[tuple[int, int]]
    dropped_lines: int


@dataclass(frozen=True)
class _Rule:
    action: str  # "drop" or "trailer"
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def furniture_rules() -> tuple[_Rule, ...]:
    """The furniture patterns of ``data/furniture.tsv``, compiled once."""
    return tuple(_Rule(action, re.compile(pattern, re.IGNORECASE))
                 for action, pattern in read_tsv("furniture.tsv", columns=2))


def fix_encoding(text: str) -> str:
    """Mojibake ("Ã©" for "é"), HTML entities left in text, odd line breaks."""
    text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = _INVISIBLE.sub("", text)
    text = _SYMBOL_RUN.sub(lambda run: run.group()[:MAX_SYMBOL_RUN], text)
    return _LINE_BREAKS.sub("\n", text)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs: blocks between blank lines, or lines when the text has none.

    Inside a block, a line that does not end a sentence and is followed by one
    starting in lower case is a hard wrap and is joined to it.
    """
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    width = _wrap_width(lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and _is_wrapped(current[-1], line, width):
            current.append(line)
        else:
            if current:
                paragraphs.append(" ".join(current))
            current = [line]
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _wrap_width(lines: list[str]) -> Optional[int]:
    """The column a hard-wrapped text breaks its lines at, or None.

    Hard-wrapped text (wire feeds, e-mail) has most lines near one width of
    at most ~100 characters; scraped text has one long line per paragraph.
    """
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 4:
        return None
    width = lengths[(len(lengths) * 9) // 10]  # the 90th percentile ignores a stray URL
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    near = sum(1 for n in lengths if n >= WRAP_SHARE * width)
    return width if near * 2 >= len(lengths) else None


def _is_wrapped(previous: str, line: str, width: Optional[int] = None) -> bool:
    """Whether ``line`` continues ``previous``: a lower-case start, or, in
    hard-wrapped text, a full-width line that does not end a sentence."""
    if _TERMINAL.search(previous):
        return False
    first = line[0]
    if first.islower() or first in ",;)":
        return True
    return width is not None and len(previous) >= WRAP_SHARE * width


def _normalised(paragraph: str) -> str:
    """A comparison key: case, accents, quote styles and punctuation ignored."""
    folded = unicodedata.normalize("NFKD", paragraph.casefold())
    return re.sub(r"[\W_]+", " ", folded).strip()


def drop_furniture(paragraphs: list[str]) -> tuple[list[str], int]:
    """Remove furniture lines; cut everything after a trailer heading.

    A trailer heading only cuts once body text has started, and only when the
    line reads like a heading (no sentence-final punctuation), so a sentence
    that happens to begin "More on" is never taken for one.
    """
    rules = furniture_rules()
    kept: list[str] = []
    dropped = 0
    for index, paragraph in enumerate(paragraphs):
        if len(paragraph) > 300:
            kept.append(paragraph)
            continue
        rule = next((r for r in rules if r.pattern.fullmatch(paragraph)), None)
        if rule is None:
            kept.append(paragraph)
        elif rule.action == "trailer" and paragraph.endswith((".", "!", "?")):
            kept.append(paragraph)  # a body sentence ("More on that later, he said.")
        elif rule.action == "trailer" and kept:
            return kept, dropped + len(paragraphs) - index
        else:
            dropped += 1
    return kept, dropped


def looks_like_headline(paragraph: str) -> bool:
    """A short line without a full stop at the end: how headlines look."""
    words = paragraph.split()
    return 0 < len(words) <= 25 and not paragraph.rstrip().endswith((".", ":", ";", ","))


def collapse_title(paragraphs: list[str], title: Optional[str]) -> tuple[list[str], Optional[str], bool]:
    """Fold repeated headlines at the top into one.

    Returns the paragraphs, the title and whether the first paragraph is the
    title.  One copy of the headline is kept as the first paragraph so that
    what it says (quotes, dates) keeps offsets into the text.
    """
    if not paragraphs:
        return paragraphs, title, False
    key = _normalised(title) if title else None
    first = _normalised(paragraphs[0])
    if key and first != key:
        return paragraphs, title, False
    repeats = 1
    while first and repeats < len(paragraphs) and _normalised(paragraphs[repeats]) == first:  # wordless lines are no headline
        repeats += 1
    if key or repeats > 1 or (len(paragraphs) > 1 and looks_like_headline(paragraphs[0])):
        return [paragraphs[0]] + paragraphs[repeats:], title or paragraphs[0], True
    return paragraphs, title, False


def clean_text(raw: str, title: Optional[str] = None) -> CleanedText:
    """The whole cleaning pass: raw scraped text in, analysable text out."""
    text = fix_encoding(raw)
    if title:
        title = _INLINE_SPACE.sub(" ", fix_encoding(title)).strip() or None
    paragraphs = split_paragraphs(text)
    paragraphs, dropped = drop_furniture(paragraphs)
    paragraphs, title, title_first = collapse_title(paragraphs, title)
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    span = (0, len(paragraphs[0])) if title_first and paragraphs else None
    return CleanedText(text=body, title=title, title_span=span, dropped_lines=dropped)
