"""Finding the spans between quotation marks, in any common typographic style.

This is pure string work, done before any parsing decision, so that the
quotes stage knows which characters are somebody's words.  Handled styles:
straight and curly double quotes, „…“, «…», single quotes ('…', ‘…’) told
apart from apostrophes, nested quotes (kept inside the outer quote), and
quotes running over several paragraphs (an opening mark at the start of each
paragraph, the closing mark only at the end).

An unbalanced opening mark never runs past its paragraph: the quote is cut at
the paragraph end when it started like a quote (paragraph start, after a
colon or a comma), and dropped otherwise.  Stray closing marks are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Mark characters and their family (double or single).
_DOUBLE = "\"“”„‟«»"
_SINGLE = "'‘’‹›"
_ALWAYS_OPEN = set("„‟«‹")
_ALWAYS_CLOSE = set("»›")
#: Two apostrophes ('') and two backticks (``) are typewriter double quotes.
_MARK_RE = re.compile("''|``|[" + re.escape(_DOUBLE + _SINGLE) + "]")
#: Characters after which a mark opens a quote.
_OPENERS = set(" \t\n\r\u00a0([{/—–-:;,") | set(_DOUBLE + _SINGLE)
#: A paragraph (or line) break: quotes are capped at these unless continued.
_PARAGRAPH_RE = re.compile(r"\n\s*")


@dataclass(frozen=True)
class MarkedSpan:
    """Words between quote marks; ``start``/``end`` exclude the marks.

    ``closed`` is False when the closing mark was missing and the span was
    cut at its paragraph's end.  ``paragraphs`` counts the paragraphs spanned.
    """

    start: int
    end: int
    closed: bool = True
    paragraphs: int = 1


def _family(ch: str) -> str:
    return "d" if ch in _DOUBLE else "s"


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPENERS or before.isspace()) and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _can_close_pair(text: str, i: int) -> bool:
    """Does the two-character mark at ``i`` close (word before it, none after)?"""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 2] if i + 2 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _is_apostrophe(text: str, i: int) -> bool:
    """A single mark between letters (don't, O'Neill) or before a year ('90s)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True
    return after.isdigit() and not before.isalnum()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of ``text``."""
    spans, start = [], 0
    for match in _PARAGRAPH_RE.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _opens_with_mark(text: str, start: int, family: str) -> bool:
    return start < len(text) and text[start] in (_DOUBLE if family == "d" else _SINGLE) \
        and _can_open(text, start)


def find_marked_spans(text: str) -> list[MarkedSpan]:
    """Every quoted span of ``text``, outermost quotes only, in text order."""
    spans: list[MarkedSpan] = []
    paragraphs = _paragraphs(text)
    # A quote continuing from the previous paragraph: (content start, family, count).
    carried: tuple[int, str, int] | None = None
    for index, (p_start, p_end) in enumerate(paragraphs):
        stack: list[tuple[str, int]] = []  # (family, mark position)
        first = p_start
        if carried is not None:
            stack.append((carried[1], p_start))
            first = p_start + 1
        for match in _MARK_RE.finditer(text, first, p_end):
            i, ch = match.start(), match.group()
            if len(ch) == 2:  # '' or ``: one double mark, judged by its outer sides
                family = "d"
                closing = ch == "''" and any(f == "d" for f, _ in stack) and _can_close_pair(text, i)
                action = "close" if closing else "open"
                if not closing:
                    i += 1  # the content starts after the second character
            else:
                family = _family(ch)
                if family == "s" and _is_apostrophe(text, i):
                    continue
                action = _action(text, i, ch, family, stack)
            if action == "close":
                while stack and stack[-1][0] != family:
                    stack.pop()  # unclosed inner marks (stray apostrophes)
                _, opened = stack.pop()
                if not stack:
                    continuing = carried is not None and opened == p_start
                    start = carried[0] if continuing else opened + 1
                    count = carried[2] if continuing else 1
                    s, e = _trimmed(text, start, i)
                    if e > s:
                        spans.append(MarkedSpan(s, e, True, count))
                    if continuing:
                        carried = None
            elif action == "open":
                stack.append((family, i))
        if stack:
            family, opened = stack[0]
            continuing = carried is not None and opened == p_start
            start = carried[0] if continuing else opened + 1
            count = carried[2] if continuing else 1
            next_start = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else len(text)
            if index + 1 < len(paragraphs) and _opens_with_mark(text, next_start, family) \
                    and _quote_like_start(text, opened, p_start):
                carried = (start, family, count + 1)
                continue
            carried = None
            if _quote_like_start(text, opened, p_start):
                s, e = _trimmed(text, start, p_end)
                if e > s:
                    spans.append(MarkedSpan(s, e, False, count))
        else:
            carried = None
    return spans


def _action(text: str, i: int, ch: str, family: str, stack: list[tuple[str, int]]) -> str:
    """What the mark at ``i`` does: "open", "close" or "skip"."""
    inside = any(f == family for f, _ in stack)
    can_close = inside and _can_close(text, i)
    if ch in _ALWAYS_OPEN:
        return "open"
    if ch in _ALWAYS_CLOSE:
        return "close" if inside else "skip"
    if ch == "”":
        if can_close:
            return "close"
        return "open" if _can_open(text, i) and not _can_close(text, i) else "skip"
    if ch == "’":
        return "close" if can_close else "skip"  # else an apostrophe
    if ch in "“‘":
        if ch == "“" and stack and text[stack[-1][1]] == "„":
            return "close"
        if can_close and not _can_open(text, i):
            return "close"
        return "open"
    if can_close:
        return "close"
    if _can_open(text, i) and not (family == "s" and stack and stack[-1][0] == "s"):
        return "open"
    return "skip"


def _quote_like_start(text: str, mark: int, p_start: int) -> bool:
    """Does the mark at ``mark`` open a quote (paragraph start, after ':' or ',')?"""
    before = text[p_start:mark].rstrip().rstrip("'`")
    return not before or before[-1] in ":,—–-"


def marked_spans(doc: "Doc", text: str) -> list[MarkedSpan]:
    """``find_marked_spans`` of a Doc's text, computed once per Doc.

    Coreference (for "we" inside a quote) and the quotes stage both need the
    quoted spans; they share this result through the Doc's ``user_data``.
    """
    cached = doc.user_data.get("eventwire.marked_spans")
    if cached is None:
        cached = doc.user_data["eventwire.marked_spans"] = find_marked_spans(text)
    return cached
