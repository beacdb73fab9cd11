"""Stage ``fill_times``: temporal expressions with TimeML values.

How it works, and why:

1. Every rule of :mod:`eventwire.timex_rules` runs its regular expression
   over the whole text once (fast: the work is in C), proposing spans.
2. Overlapping proposals form clusters; in each cluster the longest span
   whose handler accepts it wins (ties: rule order), then the next longest
   that does not overlap, and so on.  Handlers consult the parse, so "may"
   the verb or "Sunday Times" never reach the output.
3. Values are resolved in text order against the publication date; phrases
   such as "the day" or "three days later" use the last date the text named.
   Clock times take their day from the nearest date in the same sentence.
4. Ranges ("from 2009 to 2011", "between 2014 and 2016") add a DURATION over
   both ends, as TimeML corpora annotate them, keeping the end dates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

import numpy
from spacy.tokens import Doc

from .model import Analysis, TimeExpression
from .timex_context import Context
from .timex_lexicon import trigger_words
from .timex_rules import DAY_FROM_SENTENCE, Rule, rules
from .timex_values import parse_iso
from .nlp import doc_text

Candidate = tuple[int, int, Rule, re.Match]

def fill_times(doc: Doc, analysis: Analysis) -> None:
    """Fill ``analysis.times``; never raises (an odd article just gets fewer times)."""
    try:
        title = (analysis.title_span.start, analysis.title_span.end) if analysis.title_span else None
        analysis.times = find_times(doc, analysis.published, title, analysis.text)
    except Exception:  # a rule bug must not cost the article its analysis
        analysis.times = []


def find_times(doc: Doc, published: Optional[str], title_span: Optional[tuple[int, int]] = None,
               text: Optional[str] = None) -> list[TimeExpression]:
    """The temporal expressions of ``doc``, anchored at ``published`` (YYYY-MM-DD or None).

    ``title_span`` marks a headline, where Title Case is style, not a name.
    ``text`` is ``doc.text`` when the caller has it (rebuilding it is costly).
    """
    text = doc_text(doc) if text is None else text
    if not text.strip():
        return []
    ctx = Context(doc, parse_iso(published), text)
    ctx.title_span = title_span
    chosen: list[tuple[int, int, str, str]] = []
    for cluster in _clusters(_candidates(text, _windows(doc, text))):
        picked = _resolve_cluster(cluster, ctx)
        for start, end, kind, value in picked:
            chosen.append((start, end, kind, value))
            day_value = _as_day(value)
            if day_value is not None:
                ctx.ref = day_value
            if re.match(r"\d{4}(?:$|-)", value):
                ctx.ref_year = int(value[:4])
    chosen = _anchor_clock_times(chosen, ctx)
    chosen.extend(_ranges(chosen, text))
    chosen.extend(_shared_units(chosen, text))
    chosen.sort(key=lambda item: (item[0], -item[1]))
    return [TimeExpression(start, end, text[start:end], kind, value)
            for start, end, kind, value in chosen]


#: How far a rule's match may reach from the trigger word or digit it contains.
_REACH = 32
_DIGITS = re.compile(r"\d+")


def _windows(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Stretches of text around digits and temporal words, merged.

    Every rule's match holds a digit or a word of :func:`trigger_words`, so
    the rules need not scan the rest (most of an article): this keeps the
    stage cheap next to the parse.
    """
    positions = [m.start() for m in _DIGITS.finditer(text)]
    if len(doc):
        lower = doc.to_array("LOWER")
        wanted = _trigger_hashes(doc, lower.dtype)
        hits = numpy.nonzero(numpy.isin(lower, wanted))[0]
        if len(hits):
            idx = doc.to_array("IDX")
            positions.extend(int(i) for i in idx[hits])
    positions.sort()
    windows: list[tuple[int, int]] = []
    size = len(text)
    for pos in positions:
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = size if line_end < 0 else line_end
        start = max(line_start, pos - _REACH)
        end = min(line_end, pos + _REACH)
        while start > line_start and not text[start - 1].isspace():
            start -= 1
        while end < line_end and not text[end].isspace():
            end += 1
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


_HASHES: dict[int, numpy.ndarray] = {}


def _trigger_hashes(doc: Doc, dtype: numpy.dtype) -> numpy.ndarray:
    """The trigger words as lexeme hashes (cached per vocabulary)."""
    key = id(doc.vocab)
    if key not in _HASHES:
        _HASHES[key] = numpy.fromiter((doc.vocab.strings[w] for w in trigger_words()), dtype=dtype)
    return _HASHES[key]


def _candidates(text: str, windows: list[tuple[int, int]]) -> list[Candidate]:
    found: list[Candidate] = []
    for rule in rules():
        for window_start, window_end in windows:
            for match in rule.pattern.finditer(text, window_start, window_end):
                start, end = match.span()
                while end > start and text[end - 1] in " \t\n,":
                    end -= 1
                if end > start:
                    found.append((start, end, rule, match))
    found.sort(key=lambda c: (c[0], -c[1], c[2].priority))
    return found


def _clusters(candidates: list[Candidate]) -> list[list[Candidate]]:
    clusters: list[list[Candidate]] = []
    reach = -1
    for candidate in candidates:
        if clusters and candidate[0] < reach:
            clusters[-1].append(candidate)
            reach = max(reach, candidate[1])
        else:
            clusters.append([candidate])
            reach = candidate[1]
    return clusters


def _resolve_cluster(cluster: list[Candidate], ctx: Context) -> list[tuple[int, int, str, str]]:
    """Longest accepted spans first, without overlaps; returned in text order."""
    picked: list[tuple[int, int, str, str]] = []
    for start, end, rule, match in sorted(cluster, key=lambda c: (-(c[1] - c[0]), c[2].priority, c[0])):
        if any(start < p_end and p_start < end for p_start, p_end, _, _ in picked):
            continue
        try:
            result = rule.handler(match, ctx)
        except (ValueError, KeyError, TypeError, OverflowError, IndexError, AttributeError):
            result = None
        if result is None or (rule.name not in _CAPITALISED_RULES and _name_like(ctx, start, end)):
            continue
        kind, value = result
        picked.append((start, end, kind, value))
    picked.sort()
    return picked


#: Rules whose words are capitalised anyway (month and day names, seasons by style).
_CAPITALISED_RULES = {"full_date_mdy", "full_date_dmy", "month_year", "month", "weekday", "season",
                      "week_of_month", "numeric_date", "year", "short_year", "decade", "fiscal", "time"}
_LOWER_WORD = re.compile(r"[A-Za-z]+")


def _name_like(ctx: Context, start: int, end: int) -> bool:
    """Title Case temporal words mid-sentence belong to a name: "Russia Today",
    ABC's "This Week", "Back to the Future".  Headlines are exempt."""
    if ctx.title_span and ctx.title_span[0] <= start < ctx.title_span[1]:
        return False
    found = _LOWER_WORD.findall(ctx.text[start:end])
    if not found or not all(word[0].isupper() for word in found):
        return False
    if all(word.isupper() for word in found):
        return False  # shouting ("NOW!") is not a name
    return not ctx.is_sentence_start(start)


def _as_day(value: str) -> Optional[date]:
    if len(value) >= 10 and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return parse_iso(value[:10])
    return None


def _anchor_clock_times(chosen: list[tuple[int, int, str, str]], ctx: Context) -> list[tuple[int, int, str, str]]:
    """Give each bare clock time the day of the nearest date in its sentence
    (else the publication date)."""
    result = []
    for start, end, kind, value in chosen:
        if value.startswith(DAY_FROM_SENTENCE):
            s_start, s_end = ctx.sentence_bounds(start)
            best: Optional[tuple[int, str]] = None
            for o_start, o_end, _, o_value in chosen:
                if s_start <= o_start < s_end and not o_value.startswith(DAY_FROM_SENTENCE):
                    day_value = _as_day(o_value)
                    if day_value is not None:
                        gap = abs(o_start - start)
                        if best is None or gap < best[0]:
                            best = (gap, day_value.isoformat())
            base = best[1] if best else (ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX")
            value = base + value[len(DAY_FROM_SENTENCE):]
        result.append((start, end, kind, value))
    return result


def _ranges(chosen: list[tuple[int, int, str, str]], text: str) -> list[tuple[int, int, str, str]]:
    """"from 2009 to 2011" / "between 2014 and 2016" / "2009-2011": a DURATION
    spanning both ends, when both ends are years or months of a year."""
    extra = []
    for (a_start, a_end, _, a_value), (b_start, b_end, _, b_value) in zip(chosen, chosen[1:]):
        if b_start - a_end > 12:
            continue
        between = text[a_end:b_start]
        before = text[max(0, a_start - 9):a_start]
        if re.fullmatch(r"\s*(?:to|until|till|through|and)\s+", between):
            lead = re.search(r"\b(from|between)\s+$", before, re.IGNORECASE)
            if not lead or (lead.group(1).lower() == "between") != ("and" in between.lower()):
                continue
            start = a_start - (len(before) - lead.start())
        elif re.fullmatch(r"\s*[-–]\s*", between):
            start = a_start
        else:
            continue
        length = _span_length(a_value, b_value)
        if length:
            extra.append((start, b_end, "DURATION", length))
    return extra


def _span_length(a: str, b: str) -> Optional[str]:
    """Years only: corpora annotate "from 2009 to 2011" as a period, not "April and June"."""
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{4}", b) and int(b) > int(a):
        return f"P{int(b) - int(a)}Y"
    return None


_SHARED_UNIT = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)\s*(?:and|to|or|-|–)\s*$", re.IGNORECASE)


def _shared_units(chosen: list[tuple[int, int, str, str]], text: str) -> list[tuple[int, int, str, str]]:
    """"between 60 and 90 days": the first number shares the duration's unit (P60D)."""
    extra = []
    for start, end, kind, value in chosen:
        if kind != "DURATION":
            continue
        found = re.fullmatch(r"(PT?)(\d+(?:\.\d+)?)([A-Z]+)", value)
        if not found:
            continue
        window = max(0, start - 16)
        before = _SHARED_UNIT.search(text[window:start])
        if before:
            number_start = window + before.start(1)
            number_end = number_start + len(before.group(1))
            extra.append((number_start, number_end, kind, f"{found.group(1)}{before.group(1)}{found.group(3)}"))
    return extra
