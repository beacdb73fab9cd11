"""The temporal-expression rules: a regular expression and a normaliser each.

A rule's pattern proposes a span; its handler looks at the parse (through
:class:`~eventwire.timex_context.Context`) to reject false friends ("may" the
verb, "Sunday Times", "2,000 people") and returns the TIMEX3 type and value.
Spans follow the TimeML habit: determiners and modifiers that change the
value are inside ("the past decade", "last week"), prepositions are outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable, Optional

from . import timex_values as tv
from .timex_context import Context
from .timex_lexicon import alternation, lookup, number_value, words

#: A handler's answer: (type, value), or None to reject the candidate.
Result = Optional[tuple[str, str]]
#: Marker for TIME values whose day comes from the nearest date in the sentence.
DAY_FROM_SENTENCE = "\x00"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    handler: Callable[[re.Match, Context], Result]
    priority: int


# -------------------------------------------------------------- helpers

def _wd(name: str) -> int:
    return int(lookup("weekday", name) or lookup("weekday_abbr", name) or 0)


def _mon(name: str) -> int:
    return int(lookup("month", name) or lookup("month_abbr", name) or 0)


def _capitalised(text: str) -> bool:
    return bool(text) and text[0].isupper()


def _unit(text: str) -> Optional[str]:
    return lookup("unit", text)


def _offset(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    value = lookup("relative", text)
    return int(value) if value is not None else None


def _amount(text: str) -> Optional[float]:
    """Number of units in a duration phrase; None for vague amounts ("several")."""
    cleaned = " ".join(text.lower().split())
    half = 0.0
    if cleaned.endswith("and a half"):
        half, cleaned = 0.5, cleaned[: -len("and a half")].strip()
    if cleaned.startswith("half"):
        return 0.5
    if lookup("vague", cleaned) is not None:
        return None
    value = number_value(cleaned)
    return None if value is None else value + half


def _day_level(value: str) -> Optional[date]:
    return tv.parse_iso(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


def _year_ok(year_text: str) -> bool:
    return 1000 <= int(year_text) <= 2199


def _in_name(ctx: Context, start: int) -> bool:
    """Is the token inside a named entity that is not a date (a person, a title)?"""
    label = ctx.ent_label(start)
    return label in ("PERSON", "ORG", "WORK_OF_ART", "FAC", "PRODUCT", "EVENT", "LAW", "GPE", "NORP")


# -------------------------------------------------------------- regex pieces

@lru_cache(maxsize=1)
def _pieces() -> dict[str, str]:
    month = alternation("month")
    month_abbr = r"(?:" + alternation("month_abbr") + r"\.?)"
    weekday = alternation("weekday")
    weekday_any = r"(?:" + weekday + "|" + alternation("weekday_abbr") + r"\.?)"
    numword = alternation("number")
    num = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{numword}(?:[\s-]+(?:and\s+)?{numword})*)")
    return {
        "MONTH": month, "MONTHX": rf"(?:{month}|{month_abbr})", "WEEKDAY": weekday,
        "WEEKDAYX": weekday_any, "NUM": num, "VAGUE": alternation("vague"),
        "UNIT": alternation("unit"), "UNITADJ": alternation("unit_adjective"), "SEASON": alternation("season"),
        "POD": alternation("part_of_day"), "ORD": alternation("ordinal"),
        "SETADV": alternation("set_adverb"), "REF": alternation("reference"),
        "REL": alternation("relative"), "DECWORD": alternation("decade_word"),
        "APPROX": alternation("approx"), "CLOCK": alternation("clock_word"),
        "ZONE": "(?-i:" + alternation("zone") + ")",
        "DAYNUM": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?",
        "YEAR": r"(?:1\d{3}|20\d{2}|21\d{2})",
    }


def _compile(pattern: str) -> re.Pattern:
    """Fill in the word lists; whitespace never crosses a line break (headline, dateline)."""
    for key, value in _pieces().items():
        pattern = pattern.replace("{" + key + "}", value)
    pattern = pattern.replace(r"[\s-]", r"(?:[^\S\n]|-)").replace(r"\s", r"[^\S\n]")
    return re.compile(r"(?<![\w$£€@#/])" + pattern + r"(?![\w@]|[.,]\d)", re.IGNORECASE)


# -------------------------------------------------------------- handlers: calendar dates

def h_full_date(m: re.Match, ctx: Context) -> Result:
    """"March 3, 2012", "3 March 2012", "Thursday, Jan. 10, 2019", "Jan 10"."""
    if not _capitalised(m.group("mon")):
        return None
    month_number = _mon(m.group("mon"))
    day_number = int(re.match(r"\d+", m.group("day")).group())
    if m.group("year"):
        found = tv.safe_date(int(m.group("year")), month_number, day_number)
        return ("DATE", tv.day(found)) if found else None
    if not 1 <= day_number <= 31:
        return None
    anchor = ctx.dct
    value = tv.month_day(anchor, month_number, day_number, ctx.month_direction(m.start()))
    return ("DATE", value) if value else None


def h_numeric_date(m: re.Match, ctx: Context) -> Result:
    """2019-01-10, 1/10/2019 (US order unless the first number exceeds 12), 10.01.2019."""
    groups = m.groupdict()
    if groups.get("iy"):
        found = tv.safe_date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    elif groups.get("sy"):
        a, b, y = int(groups["sa"]), int(groups["sb"]), int(groups["sy"])
        if y < 100:
            y += 2000 if y < 50 else 1900
        month_number, day_number = (a, b) if a <= 12 else (b, a)
        found = tv.safe_date(y, month_number, day_number)
    else:
        found = tv.safe_date(int(groups["dy"]), int(groups["dm"]), int(groups["dd"]))
    return ("DATE", tv.day(found)) if found else None


def h_month_year(m: re.Match, ctx: Context) -> Result:
    if not _capitalised(m.group("mon")):
        return None
    month_number = _mon(m.group("mon"))
    year_number = int(m.group("year"))
    return ("DATE", tv.month(year_number, month_number))


def h_month(m: re.Match, ctx: Context) -> Result:
    """A month name alone or with a modifier: "in March", "last March", "early June"."""
    name = m.group("mon")
    if not _capitalised(name):
        return None
    rel = (m.group("rel") or "").lower()
    if not rel:
        prev_token = ctx.prev_token(m.start())
        prev = prev_token.lower_ if prev_token is not None else ""
        possessive = prev_token is not None and prev_token.tag_ in ("PRP$", "POS")
        if prev not in words("anchor_prep") and not prev.endswith("-") and not possessive:
            return None
        token = ctx.token_at(m.start())
        if token is not None and (token.pos_ in ("VERB", "AUX") or token.tag_ == "MD"):
            return None
        if _in_name(ctx, m.start()) or ctx.ent_label(m.start()) == "PERSON":
            return None
        nxt = ctx.next_token(m.end())
        if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN" and nxt.ent_type_ in ("PERSON", "ORG"):
            return None
    month_number = _mon(name)
    of_year = _OF_YEAR.match(ctx.text, m.end())
    if of_year and ctx.dct:
        return ("DATE", tv.month(ctx.dct.year + (_offset(of_year.group(1)) or 0), month_number))
    offset = _offset(rel) if rel in ("last", "next", "this", "past", "previous", "coming") else None
    if offset == -1:
        direction = "last"
    elif offset == 1:
        direction = "next"
    elif offset == 0:
        return ("DATE", tv.month(ctx.dct.year if ctx.dct else None, month_number))
    else:
        direction = ctx.month_direction(m.start())
    return ("DATE", tv.month_of_year(ctx.dct, month_number, direction))


_OF_YEAR = re.compile(r"\s+of\s+(next|last|this|the\s+previous|the\s+following)\s+year\b", re.IGNORECASE)


def h_year(m: re.Match, ctx: Context) -> Result:
    """A bare year, told apart from counts ("2,000 people"), labels ("Flight 2013")
    and amounts; spaCy's entity label is a hint either way."""
    text = m.group("year")
    value = int(text)
    if not _year_ok(text):
        return None
    prev = ctx.prev_token(m.start())
    prev_word = prev.lower_ if prev is not None else ""
    if prev_word in words("year_blocker") or (prev is not None and prev.tag_ == "$"):
        return None
    label = ctx.ent_label(m.start())
    nxt = ctx.next_token(m.end())
    if nxt is not None and (nxt.text in ("%", "percent", "per") or nxt.lower_ in ("percent", "per")):
        return None
    supported = prev_word in words("year_prep") or label == "DATE"
    if label in ("CARDINAL", "MONEY", "QUANTITY", "PERCENT") and not supported:
        return None
    if nxt is not None and nxt.tag_ in ("NNS", "NNPS") and prev_word not in words("year_prep") \
            and (prev is None or prev.tag_ not in ("DT", "PRP$", "POS")):
        return None
    if not supported and not 1900 <= value <= 2100:
        return None
    if (prev is not None and nxt is not None and prev.pos_ == "PROPN" and nxt.pos_ == "PROPN"
            and prev.is_title and nxt.is_title and label != "DATE"):
        return None  # "the Russell 2000 Index": a name
    return ("DATE", f"{value:04d}")


def h_short_year(m: re.Match, ctx: Context) -> Result:
    """"since '82" -> 1982."""
    if ctx.prev_word(m.start()) not in words("year_prep"):
        return None
    two = int(m.group("yy"))
    this_year = ctx.dct.year if ctx.dct else 2000
    century = 2000 if 2000 + two <= this_year + 5 else 1900
    return ("DATE", f"{century + two:04d}")


def h_decade(m: re.Match, ctx: Context) -> Result:
    """"the 1990s" -> 199, "the 1800s" -> 18 (a century), "the '70s"/"the Seventies" -> 197."""
    full, short, word = m.group("full"), m.group("short"), m.group("decword")
    if full:
        if full.endswith("00") and int(full) < 2000:
            return ("DATE", full[:2])
        return ("DATE", full[:3])
    prev = ctx.prev_token(m.start())
    if prev is not None and prev.tag_ in ("PRP$",):
        return None  # "in their 70s": an age
    if short:
        has_article = m.group(0).lower().startswith("the") or m.group(0)[0] in "'’" or \
            (prev is not None and prev.lower_ in ("the", "'", "’", "and", "or", "to"))
        if not has_article:
            return None
        digit = int(short[0])
    else:
        if not _capitalised(word) and not m.group(0).lower().startswith("the"):
            return None
        digit = int(lookup("decade_word", word) or 0)
    century = 19
    if ctx.dct and digit * 10 + 2000 <= ctx.dct.year and digit <= 2:
        century = 20
    return ("DATE", f"{century}{digit}")


def h_century(m: re.Match, ctx: Context) -> Result:
    ordinal = m.group("ord").lower()
    number = re.match(r"\d+", ordinal)
    n = int(number.group()) if number else int(lookup("ordinal", ordinal) or 0)
    if not 1 <= n <= 22:
        return None
    return ("DATE", f"{n - 1:02d}")


def h_fiscal(m: re.Match, ctx: Context) -> Result:
    """"fiscal 2019", "FY2019", "fiscal year 2018-19" -> FY2019 (the year it ends in);
    "the fiscal year", "last fiscal year" -> relative to the publication year."""
    groups = m.groupdict()
    text = groups.get("fy") or groups.get("fy2") or ""
    if text:
        parts = re.split(r"[-/–]", text)
        last = parts[-1]
        if len(last) == 2:
            base = parts[0]
            year_number = int(base[:2] + last) if len(base) == 4 else 2000 + int(last)
        else:
            year_number = int(last)
        if year_number < 100:
            year_number += 2000
        return ("DATE", f"FY{year_number:04d}")
    offset = _offset(groups.get("frel")) or 0
    if not ctx.dct:
        return ("DATE", "FYXXXX")
    return ("DATE", f"FY{ctx.dct.year + offset:04d}")


def h_quarter(m: re.Match, ctx: Context) -> Result:
    """"the third quarter (of 2019 / of this year / of last year)", "Q3 2019", "third-quarter",
    "last quarter", "this quarter"."""
    groups = m.groupdict()
    if groups.get("qn"):
        q = int(groups["qn"])
    elif groups.get("qord"):
        word = groups["qord"].lower()
        if word in ("last", "final"):
            q = 4 if (groups.get("qyear") or groups.get("qrel")) else 0
        else:
            number = re.match(r"\d+", word)
            q = int(number.group()) if number else int(lookup("ordinal", word) or 0)
    else:
        q = -1
    year_number: Optional[int] = None
    if groups.get("qyear") or groups.get("qyear2"):
        year_number = int(groups.get("qyear") or groups["qyear2"])
    elif groups.get("qrel"):
        offset = _offset(groups["qrel"].split()[-1] if groups["qrel"].lower() != "the previous" else "previous")
        if ctx.dct is None:
            return ("DATE", f"XXXX-Q{q}") if q > 0 else None
        year_number = ctx.dct.year + (offset or 0)
    if q > 4:
        return None
    if q > 0 and year_number:
        fiscal = "fiscal" in m.group(0).lower()
        return ("DATE", ("FY" if fiscal else "") + tv.quarter(year_number, q))
    if q > 0:
        return ("DATE", tv.quarter_of(ctx.dct, q, ctx.month_direction(m.start())))
    # "last quarter", "this quarter", "next quarter", "the last quarter"
    rel = (groups.get("qmod") or ("last" if q == 0 else "")).lower()
    offset = _offset(rel)
    if offset is None:
        return None
    return ("DATE", tv.shift(ctx.dct, offset, "Q") if ctx.dct else "XXXX-QX")


def h_half(m: re.Match, ctx: Context) -> Result:
    h = 1 if m.group("half").lower() == "first" else 2
    if m.group("hyear"):
        return ("DATE", f"{m.group('hyear')}-H{h}")
    offset = _offset(m.group("hrel")) or 0
    return ("DATE", f"{ctx.dct.year + offset:04d}-H{h}" if ctx.dct else f"XXXX-H{h}")


def h_season(m: re.Match, ctx: Context) -> Result:
    """"last summer" -> 2018-SU; "in the autumn", "summer 2020"; "fall" needs a modifier."""
    name = m.group("season").lower()
    code = lookup("season", name) or ""
    rel = (m.group("srel") or "").lower()
    if m.group("syear"):
        return ("DATE", f"{m.group('syear')}-{code}")
    prev = ctx.prev_word(m.start())
    if not rel and prev not in ("in", "during", "this", "last", "next", "by", "until", "since", "through", "over"):
        if not (_capitalised(m.group("season")) and not ctx.is_sentence_start(m.start())):
            return None
    nxt = ctx.next_word(m.end())
    if name == "fall" and (rel in ("", "the") or nxt == "of"):
        if not (rel == "the" and prev in ("in", "during", "by", "until", "this")) or nxt == "of":
            return None
    if rel == "the" and nxt == "of":
        return None
    if _in_name(ctx, m.start()) and ctx.ent_label(m.start()) != "DATE":
        return None
    if _capitalised(m.group("season")) and not ctx.is_sentence_start(m.start()):
        before, after = ctx.prev_token(m.start()), ctx.next_token(m.end())
        if (before is not None and before.is_title and not rel) or (after is not None and after.is_title):
            return None  # "the Arab Spring", "the Winter Olympics"
    offset = _offset(rel) if rel not in ("the", "early", "late", "mid", "mid-") else None
    return ("DATE", tv.season(ctx.dct, code, offset, ctx.direction(m.start())))


# -------------------------------------------------------------- handlers: relative dates

def h_relday(m: re.Match, ctx: Context) -> Result:
    """today, tonight, yesterday, tomorrow (+ morning...), "earlier today", "the day before yesterday"."""
    word = m.group("rday").lower()
    shift_days = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    if m.group("ba"):
        shift_days += -1 if m.group("ba").lower() == "before" else 1
    pod = (m.group("rpod") or "").lower()
    if word == "tonight":
        pod = "night"
    if ctx.dct is None:
        base = "XXXX-XX-XX"
    else:
        base = tv.day(ctx.dct + timedelta(days=shift_days))
    if pod:
        return ("TIME", base + "T" + (lookup("part_of_day", pod) or "MO"))
    return ("DATE", base)


def h_part_of_day(m: re.Match, ctx: Context) -> Result:
    """"this morning", "last night", "in the afternoon", "morning trading"."""
    pod = m.group("pod").lower()
    code = lookup("part_of_day", pod) or "MO"
    rel = (m.group("prel") or "").lower()
    prev = ctx.prev_word(m.start())
    nxt = ctx.next_word(m.end())
    base: Optional[date] = ctx.dct
    if rel in ("this", ""):
        if not rel and prev not in ("in", "during", "early", "late", "by", "until", "overnight") \
                and nxt not in ("trading", "trade", "session", "sessions", "deals", "hours", "rush"):
            return None
        if not rel and pod in ("night", "overnight"):
            return None
        if not rel:
            base = ctx.ref or ctx.dct
    elif rel == "that":
        base = ctx.ref or ctx.dct
    elif rel == "last":
        if pod != "night":
            return None
        base = ctx.dct - timedelta(days=1) if ctx.dct else None
    elif rel == "the":
        if prev not in ("in", "during", "by", "until", "through", "overnight"):
            return None
        base = ctx.ref or ctx.dct
    elif rel in ("early", "late"):
        pass
    return ("TIME", tv.day(base) + "T" + code)


def h_weekday(m: re.Match, ctx: Context) -> Result:
    """A weekday: bare = the most recent (or the coming one with a future verb);
    last/next/this as said; "Friday morning" is a TIME; "on Mondays" a SET."""
    name = m.group("wday")
    if not _capitalised(name):
        return None
    nxt = ctx.next_token(m.end())
    if nxt is not None and nxt.is_title and nxt.lower_ in words("weekday_blocker"):
        return None
    label = ctx.ent_label(m.start())
    if label in ("ORG", "WORK_OF_ART", "FAC", "PRODUCT", "PERSON", "EVENT"):
        return None
    iso_day = _wd(name)
    if m.group("plural"):
        return ("SET", f"XXXX-WXX-{iso_day}")
    rel = (m.group("wrel") or "").lower()
    offset = _offset(rel) if rel not in ("early", "late") else None
    if offset == -1:
        direction = "last"
    elif offset == 1:
        direction = "next"
    elif offset == 0:
        direction = "this"
    else:
        direction = ctx.direction(m.start())
    value = tv.weekday(ctx.dct, iso_day, direction)
    pod = (m.group("wpod") or "").lower()
    if pod:
        return ("TIME", value + "T" + (lookup("part_of_day", pod) or "MO"))
    return ("DATE", value)


def h_rel_unit(m: re.Match, ctx: Context) -> Result:
    """"this week" -> 2019-W02, "last month", "next year", "the previous year",
    "the end of this year", "later this year", "the past decade" (a duration)."""
    groups = m.groupdict()
    rel = " ".join((groups.get("urel") or "").lower().split())
    unit_word = groups["uunit"].lower()
    unit = _unit(unit_word) or ""
    after = (groups.get("uafter") or "").strip().lower()
    edge = groups.get("edge")
    if rel == "the":
        if after in ("before", "earlier", "prior", "previous"):
            offset = -1
        elif after in ("after", "later"):
            offset = 1
        elif edge:
            offset = 0
        elif unit == "WE" and ctx.prev_word(m.start()) in ("during", "over", "at", "on", "this", "by", "until"):
            offset = 0 if ctx.is_future(m.start()) or not ctx.dct or ctx.dct.isoweekday() >= 6 else -1
        else:
            return None
    elif rel in ("the same", "the whole", "the entire"):
        return None
    elif rel in ("the past", "the next", "the coming"):
        if edge:
            offset = -1 if rel == "the past" else 1
        else:
            return ("DURATION", tv.duration(1, unit))
    else:
        offset = _offset(rel)
        if offset is None:
            return None
    if unit == "WE":
        if not ctx.dct:
            return ("DATE", "XXXX-WXX-WE")
        return ("DATE", tv.week(ctx.dct + timedelta(weeks=offset)) + "-WE")
    if unit in ("H", "MIN", "SEC", "NIGHT", "D"):
        return None
    anaphoric = rel in ("the previous", "the following", "previous", "following") or rel == "the"
    if anaphoric and unit == "Y" and ctx.ref_year:
        return ("DATE", f"{ctx.ref_year + offset:04d}")
    if unit == "DE" and offset == 0 and ctx.dct:
        return ("DATE", f"{ctx.dct.year // 10:03d}")
    value = tv.shift(ctx.dct, offset, unit)
    return ("DATE", value) if value else None


def h_week_of_month(m: re.Match, ctx: Context) -> Result:
    """"the last week of March" -> the ISO week holding its last Saturday-ish day."""
    if not _capitalised(m.group("mon")):
        return None
    month_number = _mon(m.group("mon"))
    if m.group("year"):
        year_number: Optional[int] = int(m.group("year"))
    elif ctx.dct:
        year_number = int(tv.month_of_year(ctx.dct, month_number, ctx.month_direction(m.start()))[:4])
    else:
        return ("DATE", tv.month(None, month_number))
    word = m.group("word").lower()
    if word in ("last", "final"):
        first_next = tv.add_months(date(year_number, month_number, 1), 1)
        probe = first_next - timedelta(days=4)
    else:
        n = int(lookup("ordinal", word) or 1)
        probe = date(year_number, month_number, min(28, 4 + 7 * (n - 1)))
    return ("DATE", tv.week(probe))


def h_the_day(m: re.Match, ctx: Context) -> Result:
    """"the day", "the same day", "that day", "the next day": the last date the text named."""
    text = " ".join(m.group(0).lower().split())
    base = ctx.ref or ctx.dct
    prev = ctx.prev_token(m.start())
    if text == "the day" and (prev is None or (
            prev.lower_ not in ("end", "for", "during", "of", "on", "start", "throughout", "through", "rest",
                                "close", "over", "in")
            and prev.lemma_.lower() not in ("end", "finish", "start", "begin", "close", "open"))):
        return None
    if text.startswith("the next") or text.startswith("the following"):
        base = base + timedelta(days=1) if base else None
    elif text.startswith("the previous"):
        base = base - timedelta(days=1) if base else None
    return ("DATE", tv.day(base))


def h_ago(m: re.Match, ctx: Context) -> Result:
    """"two weeks ago" -> that week, "three days earlier" -> from the last date named,
    "in five years' time"; vague amounts ("years ago") -> PAST_REF / FUTURE_REF."""
    unit = _unit(m.group("aunit")) or ""
    if unit == "SEC" and m.group("anum").lower() in ("a", "an"):
        return None
    amount = _amount(m.group("anum"))
    word = " ".join(m.group("adir").lower().split())
    backwards = word in ("ago", "earlier", "before", "previously", "prior")
    if amount is None:
        return ("DATE", "PAST_REF" if backwards else "FUTURE_REF")
    anchor = ctx.dct if word in ("ago", "from now", "hence") else (ctx.ref or ctx.dct)
    if unit in ("W", "FN") and anchor is not None and amount == int(amount):
        days = int(amount) * (14 if unit == "FN" else 7)
        return ("DATE", tv.day(anchor + timedelta(days=-days if backwards else days)))
    if anchor is None:
        value = tv.shift(None, 0, unit)
    else:
        value = tv.shift(anchor, -amount if backwards else amount, unit)
    return ("DATE", value) if value else None


def h_duration(m: re.Match, ctx: Context) -> Result:
    """"two weeks" -> P2W, "48 hours" -> PT48H, "several months" -> PXM, "27-year" -> P27Y,
    "the past nine days" -> P9D; "in three days" with a future verb -> that date."""
    num_text = m.group("dnum")
    unit = _unit(m.group("dunit")) or ""
    if not unit:
        return None
    lowered = " ".join(num_text.lower().split())
    prev = ctx.prev_word(m.start())
    nxt = ctx.next_word(m.end())
    if unit == "Q" and lowered in ("a", "an", "one", "three", "half"):
        return None  # "a quarter of the dealers" is a fraction
    if lowered in ("a", "an"):
        if unit == "SEC":
            return None  # "a second" is an ordinal
        supported = (prev in ("for", "in", "within", "than", "about", "nearly", "almost", "over", "just",
                              "only", "least", "past", "last", "next", "entire", "whole", "full", "around",
                              "half", "after", "under", "lasting", "take", "takes", "took", "spent")
                     or nxt in ("ago", "earlier", "later", "before", "after", "long", "old", "from", "-")
                     or m.group("approx") or m.group("drel"))
        if not supported:
            return None
    if lowered == "one" and unit == "D" and nxt not in ("after", "before", "later", "earlier"):
        if prev not in ("for", "in", "within", "than", "about", "nearly", "almost", "over", "just", "only"):
            return None  # "one day he will ..." is a vague date, not a duration
    if unit in ("SEC",) and lowered in ("a", "one") and nxt not in ("later", "after"):
        return None
    amount = _amount(num_text)
    if amount is None and lookup("vague", lowered) is None:
        return None
    if amount is not None and amount > 10000:
        return None
    number_start = m.start("dnum")
    label = ctx.ent_label(number_start)
    if label in ("MONEY", "PERCENT", "QUANTITY") and lowered not in ("a", "an"):
        return None
    if prev == "in" and amount is not None and not m.group("drel") and ctx.is_future(m.start()) \
            and nxt not in ("in", "when", "that", "which", "where", "of", "for"):
        value = tv.shift(ctx.dct, amount, unit)
        if value:
            return ("DATE", value)
    return ("DURATION", tv.duration(amount, unit))


def h_bare_units(m: re.Match, ctx: Context) -> Result:
    """Plural units with no number after "for"/"in"/"within": "for years" -> PXY."""
    prev = ctx.prev_word(m.start())
    if prev not in ("for", "in", "within", "over", "after", "recent", "past", "coming", "few", "take",
                    "takes", "took", "lasted", "last", "spent", "just", "only") \
            and not m.group(0).lower().endswith("-long"):
        return None
    unit = _unit(m.group("bunit")) or ""
    if unit in ("Q", "NIGHT", "WE"):
        return None
    return ("DURATION", tv.duration(None, unit))


def h_recent_units(m: re.Match, ctx: Context) -> Result:
    unit = _unit(m.group("runit")) or ""
    return ("DURATION", tv.duration(None, unit))


def h_set_every(m: re.Match, ctx: Context) -> Result:
    """"every year" -> P1Y, "every other day" -> P2D, "every Monday" -> XXXX-WXX-1."""
    target = m.group("eunit")
    lowered = target.lower()
    iso_day = _wd(lowered.rstrip("s")) if lookup("weekday", lowered.rstrip("s")) else 0
    if iso_day:
        return ("SET", f"XXXX-WXX-{iso_day}")
    pod = lookup("part_of_day", lowered)
    if pod and not _unit(lowered):
        return ("SET", "XXXX-XX-XXT" + pod)
    season_code = lookup("season", lowered)
    if season_code:
        return ("SET", "XXXX-" + season_code)
    unit = _unit(lowered) or ""
    if not unit:
        return None
    amount = 2.0 if (m.group("eother") or "").lower() == "other" else 1.0
    if m.group("enum"):
        amount = _amount(m.group("enum")) or 1.0
    return ("SET", tv.duration(amount, unit))


def h_set_freq(m: re.Match, ctx: Context) -> Result:
    """"twice a week", "three times a year", "once a month" -> SET P1W ..."""
    unit = _unit(m.group("funit")) or ""
    return ("SET", tv.duration(1, unit)) if unit else None


def h_set_per(m: re.Match, ctx: Context) -> Result:
    """"15 a year", "$40,000 a year", "per day" -> SET."""
    unit = _unit(m.group("punit")) or ""
    if not unit or unit in ("SEC",):
        return None
    if m.group("per").lower() != "per":
        prev = ctx.prev_token(m.start())
        if prev is None or not (prev.like_num or prev.tag_ in ("NNS", "CD") or prev.text in ("%",)
                                or prev.lower_ in ("times", "once", "twice")):
            return None
        if ctx.next_word(m.end()) in ("ago", "earlier", "later", "after", "before", "from"):
            return None
    return ("SET", tv.duration(1, unit))


def h_set_adverb(m: re.Match, ctx: Context) -> Result:
    """daily, weekly, annual ...; capitalised mid-sentence they name papers ("China Daily")."""
    word = m.group("sadv")
    if _capitalised(word) and not ctx.is_sentence_start(m.start()):
        return None
    return ("SET", lookup("set_adverb", word) or "P1D")


def h_reference(m: re.Match, ctx: Context) -> Result:
    """now/currently -> PRESENT_REF, recently/the past -> PAST_REF, the future/soon -> FUTURE_REF."""
    word = " ".join(m.group("ref").lower().split())
    value = lookup("reference", word)
    if value is None:
        return None
    after = ctx.text[m.end(): m.end() + 1]
    if after == "-":
        return None  # "now-defunct", "soon-to-open"
    prev = ctx.prev_word(m.start())
    token = ctx.token_at(m.start())
    if word in ("soon",) and prev == "as":
        return None
    if word in ("later", "earlier") and (token is None or token.pos_ != "ADV"):
        return None
    if word in ("current", "recent") and (token is None or token.pos_ != "ADJ" or prev in ("most", "more")):
        return None
    if word == "now" and prev in ("from",):
        return None
    if word == "the present" and ctx.next_word(m.end()) in ("tense",):
        return None
    return ("DATE", value)


def h_time(m: re.Match, ctx: Context) -> Result:
    """Clock times: "3 p.m.", "15:30 GMT", "0800 UTC", "noon", "12:00 UTC Monday"."""
    groups = m.groupdict()
    hour = minute = None
    if groups.get("clock"):
        hh, mm = (lookup("clock_word", groups["clock"]) or "12:00").split(":")
        hour, minute = int(hh), int(mm)
    else:
        for h_key, m_key in (("h1", "m1"), ("h2", "m2"), ("h3", "m3")):
            if groups.get(h_key):
                hour = int(groups[h_key])
                minute = int(groups[m_key]) if groups.get(m_key) else 0
                break
        if groups.get("h4"):
            hour_value = number_value(groups["h4"])
            if hour_value is None:
                return None
            hour, minute = int(hour_value), 0
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    ampm = (groups.get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    elif groups.get("h2") and not groups.get("zone"):
        prev = ctx.prev_word(m.start())
        if prev not in ("at", "by", "from", "until", "till", "to", "around", "about", "before", "after",
                        "since", "and", "approximately", "roughly", "-"):
            return None
    zone = groups.get("zone") or ""
    suffix = "Z" if zone and words("zone").get(zone.upper()) == "Z" else ""
    clock = f"T{hour:02d}:{minute:02d}{suffix}"
    day_word = groups.get("tday")
    if day_word:
        lowered = day_word.lower()
        if lowered in ("today", "tonight", "yesterday", "tomorrow"):
            delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[lowered]
            base = tv.day(ctx.dct + timedelta(days=delta)) if ctx.dct else "XXXX-XX-XX"
        else:
            base = tv.weekday(ctx.dct, _wd(lowered), ctx.direction(m.start()))
        return ("TIME", base + clock)
    return ("TIME", DAY_FROM_SENTENCE + clock)


# -------------------------------------------------------------- the rule table

@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """All rules, compiled once.  Lower priority numbers win ties of equal length."""
    table: list[tuple[str, str, Callable[[re.Match, Context], Result]]] = [
        ("full_date_mdy",
         r"(?:{WEEKDAYX},?\s+)?(?P<mon>{MONTHX})\s+(?P<day>{DAYNUM})(?!\s*[:%])"
         r"(?:(?:,\s*|\s+)(?P<year>{YEAR})(?![\d,.]\d))?", h_full_date),
        ("full_date_dmy",
         r"(?:{WEEKDAYX},?\s+)?(?:the\s+)?(?P<day>{DAYNUM})(?:\s+of)?\s+(?P<mon>{MONTHX})"
         r"(?:(?:,\s*|\s+)(?P<year>{YEAR})(?![\d,.]\d))?", h_full_date),
        ("numeric_date",
         r"(?:(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
         r"|(?P<sa>[0-3]?\d)/(?P<sb>[0-3]?\d)/(?P<sy>\d{4}|\d{2})"
         r"|(?P<dd>[0-3]?\d)\.(?P<dm>[01]?\d)\.(?P<dy>\d{4}))(?![/.\-]\d)", h_numeric_date),
        ("month_year",
         r"(?:(?P<mod>early|late|mid)[\s-]+)?(?P<mon>{MONTHX}),?\s+(?:of\s+)?(?P<year>{YEAR})(?![\d,.]\d)",
         h_month_year),
        ("month",
         r"(?:(?P<rel>last|next|this|past|previous|coming|early|late|mid)[\s-]+)?(?P<mon>{MONTH})",
         h_month),
        ("year", r"(?:(?:early|late|mid)[\s-]+)?(?P<year>{YEAR})", h_year),
        ("short_year", r"['’](?P<yy>\d\d)(?!s)", h_short_year),
        ("decade",
         r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?"
         r"(?:(?P<full>1\d{2}0|20\d0)['’]?s|['’]?(?P<short>\d0)['’]?s|(?P<decword>{DECWORD}))",
         h_decade),
        ("century",
         r"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<ord>\d{1,2}(?:st|nd|rd|th)|{ORD})[\s-]+century",
         h_century),
        ("fiscal",
         r"(?:(?:the\s+)?(?:fiscal|financial)(?:\s+year)?\s+(?P<fy>\d{4}(?:[-/–]\d{2,4})?)"
         r"|FY\s?-?(?P<fy2>\d{2,4}(?:[-/–]\d{2,4})?)"
         r"|(?P<frel>the(?:\s+(?:current|previous|last|next|coming))?|this|last|next|current)"
         r"\s+(?:fiscal|financial)\s+year)", h_fiscal),
        ("quarter",
         r"(?:(?:the\s+)?(?:(?P<qord>{ORD}|[1-4](?:st|nd|rd|th)|last|final)[\s-]+quarter"
         r"(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<qyear>{YEAR})|(?P<qrel>this|last|next|the\s+previous)\s+year))?)"
         r"|Q(?P<qn>[1-4])(?:\s+(?P<qyear2>{YEAR}))?"
         r"|(?P<qmod>this|last|next|previous|the\s+(?:last|previous|current))\s+quarter)", h_quarter),
        ("half",
         r"(?:the\s+)?(?P<half>first|second)[\s-]+half(?:\s+of\s+(?:(?P<hyear>{YEAR})|(?P<hrel>this|last|next)\s+year))",
         h_half),
        ("season",
         r"(?:(?P<srel>last|this|next|early|late|mid|the|mid-)[\s-]*)?(?P<season>{SEASON})"
         r"(?:\s+(?:of\s+)?(?P<syear>{YEAR}))?", h_season),
        ("relday",
         r"(?:(?:earlier|later|early|late)\s+)?(?:the\s+day\s+(?P<ba>before|after)\s+)?"
         r"(?P<rday>today|tonight|yesterday|tomorrow)(?:\s+(?P<rpod>morning|afternoon|evening|night))?",
         h_relday),
        ("part_of_day",
         r"(?:(?P<prel>this|that|last|early|late|the)\s+)?(?P<pod>{POD})", h_part_of_day),
        ("weekday",
         r"(?:(?P<wrel>last|next|this|coming|past|previous|early|late)\s+)?(?P<wday>{WEEKDAY})(?P<plural>s)?"
         r"(?:\s+(?P<wpod>morning|afternoon|evening|night))?", h_weekday),
        ("rel_unit",
         r"(?:(?P<edge>(?:the\s+)?(?:end|start|beginning|middle|rest|remainder|course|close)\s+of)\s+)?"
         r"(?:(?:earlier|later|early|late|mid)[\s-]+)?"
         r"(?P<urel>this|last|next|past|previous|coming|current|following|upcoming"
         r"|the\s+(?:past|last|next|previous|coming|current|following|same|whole|entire)|the)"
         r"\s+(?P<uunit>week|weekend|month|year|decade|century|fortnight)"
         r"(?P<uafter>\s+(?:before|earlier|prior|previous|after|later))?", h_rel_unit),
        ("week_of_month",
         r"the\s+(?P<word>{ORD}|last|final)\s+week\s+of\s+(?P<mon>{MONTH})(?:,?\s+(?P<year>{YEAR}))?",
         h_week_of_month),
        ("the_day",
         r"(?:the\s+(?:same\s+|previous\s+|following\s+|next\s+)?day|that\s+day)(?!\s+(?:before|after)\b)",
         h_the_day),
        ("ago",
         r"(?P<anum>{NUM}(?:\s+and\s+a\s+half)?|{VAGUE}|an?)[\s-]+(?P<aunit>{UNIT})\s+"
         r"(?P<adir>ago|earlier|later|from\s+now|hence|previously)", h_ago),
        ("duration",
         r"(?:(?P<approx>{APPROX})\s+)?(?:(?P<drel>the\s+(?:past|last|next|previous|coming|first|final|"
         r"following|remaining|recent|other))\s+)?"
         r"(?P<dnum>{NUM}(?:\s+and\s+a\s+half)?|{VAGUE}|an?|half\s+an?)[\s-]+(?:{UNITADJ}\s+)?(?P<dunit>{UNIT})"
         r"(?:\s+and\s+a\s+half)?(?:-long|-old)?", h_duration),
        ("bare_units",
         r"(?:the\s+)?(?P<bunit>years|months|weeks|days|hours|minutes|decades|centuries)(?:-long)?",
         h_bare_units),
        ("recent_units", r"recent\s+(?P<runit>years|months|weeks|days|decades)", h_recent_units),
        ("set_every",
         r"(?:every|each)\s+(?:(?P<eother>other|second)\s+|(?P<enum>{NUM})\s+)?"
         r"(?P<eunit>{UNIT}|{WEEKDAY}|{SEASON}|{POD})", h_set_every),
        ("set_freq",
         r"(?:once|twice|thrice|{NUM}\s+times)\s+(?:a|an|per|every|each)\s+(?P<funit>{UNIT})", h_set_freq),
        ("set_per", r"(?P<per>a|an|per)\s+(?P<punit>year|month|week|day|hour|decade|quarter)", h_set_per),
        ("set_adverb", r"(?P<sadv>{SETADV})", h_set_adverb),
        ("reference", r"(?P<ref>{REF})", h_reference),
        ("time",
         r"(?:(?P<h1>[01]?\d|2[0-4])(?:[:.](?P<m1>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)"
         r"|(?P<h2>[01]?\d|2[0-4]):(?P<m2>[0-5]\d)"
         r"|(?P<h3>[01]\d|2[0-3])(?P<m3>[0-5]\d)(?=\s*(?:{ZONE}|hours|hrs|local\s+time))"
         r"|(?P<clock>{CLOCK})"
         r"|(?P<h4>{NUM})\s+o['’]clock)"
         r"(?:\s*(?P<zone>{ZONE}))?(?:\s+local\s+time)?"
         r"(?:\s*\((?:GMT|UTC)\s*[+\-−]\s*\d{1,2}(?::?\d\d)?\))?"
         r"(?:,?\s+(?P<tday>today|tonight|tomorrow|yesterday|{WEEKDAY}))?", h_time),
    ]
    compiled = []
    for priority, (name, pattern, handler) in enumerate(table):
        compiled.append(Rule(name, _compile(pattern), handler, priority))
    return tuple(compiled)
