"""TimeML values: calendar arithmetic relative to an anchor date.

Every function takes the anchor (the publication date, or a date the text
mentioned) as a :class:`datetime.date` or ``None``; without an anchor it
returns the underspecified TimeML pattern (``XXXX-03``, ``XXXX-WXX-4``) so
that the granularity is still said.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Optional

Anchor = Optional[date]

#: Duration unit codes (timex_words.tsv) -> (TimeML letter, multiplier, is clock unit).
DURATION_UNITS = {
    "Y": ("Y", 1, False), "M": ("M", 1, False), "W": ("W", 1, False), "D": ("D", 1, False),
    "FN": ("W", 2, False), "WE": ("WE", 1, False), "DE": ("Y", 10, False), "CE": ("Y", 100, False),
    "Q": ("Q", 1, False), "H": ("H", 1, True), "MIN": ("M", 1, True), "SEC": ("S", 1, True),
    "NIGHT": ("D", 1, False),
}
#: Vague amounts of a unit ("several decades" -> PXDE): TimeML's unit letters.
VAGUE_UNITS = {"DE": "DE", "CE": "CE", "FN": "W"}


def parse_iso(text: Optional[str]) -> Anchor:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def day(d: Anchor) -> str:
    return d.isoformat() if d else "XXXX-XX-XX"


def month(year: Optional[int], month_number: int) -> str:
    return f"{year:04d}-{month_number:02d}" if year else f"XXXX-{month_number:02d}"


def week(d: Anchor) -> str:
    if not d:
        return "XXXX-WXX"
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def year(d: Anchor, offset: int = 0) -> str:
    return f"{d.year + offset:04d}" if d else "XXXX"


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def safe_date(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def shift(anchor: Anchor, amount: float, unit: str) -> Optional[str]:
    """The date ``amount`` units from ``anchor``, at the unit's granularity.

    "two weeks ago" -> the ISO week, "three years ago" -> the year; clock
    units keep the day.  Fractional amounts fall back to whole units.
    """
    n = int(amount) if amount == int(amount) else None
    if n is None:
        return None
    if unit in ("D", "NIGHT", "H", "MIN", "SEC"):
        days = n if unit in ("D", "NIGHT") else 0
        return day(anchor + timedelta(days=days)) if anchor else "XXXX-XX-XX"
    if unit in ("W", "FN"):
        step = 2 if unit == "FN" else 1
        return week(anchor + timedelta(weeks=n * step)) if anchor else "XXXX-WXX"
    if unit == "WE":
        return week(anchor + timedelta(weeks=n)) + "-WE" if anchor else "XXXX-WXX-WE"
    if unit == "M":
        if not anchor:
            return "XXXX-XX"
        moved = add_months(anchor, n)
        return month(moved.year, moved.month)
    if unit == "Q":
        if not anchor:
            return "XXXX-QX"
        moved = add_months(anchor, 3 * n)
        return quarter(moved.year, (moved.month - 1) // 3 + 1)
    if unit == "Y":
        return year(anchor, n)
    if unit == "DE":
        return f"{(anchor.year + 10 * n) // 10:03d}" if anchor else "XXX"
    if unit == "CE":
        return f"{(anchor.year + 100 * n) // 100:02d}" if anchor else "XX"
    return None


def quarter(y: Optional[int], q: int) -> str:
    return f"{y:04d}-Q{q}" if y else f"XXXX-Q{q}"


def duration(amount: Optional[float], unit: str) -> str:
    """A TimeML duration: (2, "W") -> P2W, (48, "H") -> PT48H, (None, "Y") -> PXY."""
    letter, factor, clock = DURATION_UNITS.get(unit, ("D", 1, False))
    prefix = "PT" if clock else "P"
    if amount is None:
        return prefix + "X" + VAGUE_UNITS.get(unit, letter)
    value = amount * factor
    text = str(int(value)) if value == int(value) else f"{value:g}"
    return f"{prefix}{text}{letter}"


def weekday(anchor: Anchor, iso_day: int, direction: str) -> str:
    """A weekday resolved from the anchor.

    direction: ``past`` (most recent, the anchor day included), ``future``
    (the coming one, the anchor day included), ``last``/``next`` (strictly
    before/after), ``this`` (the one in the anchor's ISO week).
    """
    if not anchor:
        return f"XXXX-WXX-{iso_day}"
    delta = iso_day - anchor.isoweekday()
    if direction == "this":
        return day(anchor + timedelta(days=delta))
    if direction in ("past", "last"):
        back = (-delta) % 7
        if back == 0 and direction == "last":
            back = 7
        return day(anchor - timedelta(days=back))
    ahead = delta % 7
    if ahead == 0 and direction == "next":
        ahead = 7
    return day(anchor + timedelta(days=ahead))


def month_of_year(anchor: Anchor, month_number: int, direction: str) -> str:
    """A bare month resolved from the anchor: past/last -> most recent, future/next -> coming."""
    if not anchor:
        return month(None, month_number)
    y = anchor.year
    if direction == "last":
        y -= 1 if month_number >= anchor.month else 0
    elif direction == "next":
        y += 1 if month_number <= anchor.month else 0
    elif direction == "past":
        y -= 1 if month_number > anchor.month else 0
    elif direction == "future":
        y += 1 if month_number < anchor.month else 0
    else:  # nearest: within six months either side, the past winning ties
        gap = month_number - anchor.month
        y += -1 if gap > 5 else (1 if gap < -6 else 0)
    return month(y, month_number)


def month_day(anchor: Anchor, month_number: int, day_number: int, direction: str) -> Optional[str]:
    """A month and day without a year: the year that puts it nearest the anchor,
    leaning to the past or future the verb's tense gives."""
    if not anchor:
        return f"XXXX-{month_number:02d}-{day_number:02d}" if 1 <= day_number <= 31 else None
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        candidate = safe_date(y, month_number, day_number)
        if candidate is None:
            continue
        gap = (candidate - anchor).days
        # A tense-compatible date within a few months beats a nearer one.
        penalty = abs(gap)
        if direction == "future" and gap < -7:
            penalty += 120
        elif direction == "past" and gap > 7:
            penalty += 120
        if best is None or penalty < best[0]:
            best = (penalty, candidate)
    return day(best[1]) if best else None


def season(anchor: Anchor, code: str, offset: Optional[int], direction: str) -> str:
    """A season: "last summer" -> the most recent summer before the anchor.

    Winter is named by the year its December falls in.
    """
    if not anchor:
        return f"XXXX-{code}"
    order = ["SP", "SU", "FA", "WI"]
    season_year = anchor.year - (1 if anchor.month <= 2 else 0)
    if offset == 0:
        return f"{season_year if code == 'WI' else anchor.year:04d}-{code}"
    now = season_year * 4 + order.index(_season_of(anchor.month))
    same = season_year * 4 + order.index(code)
    candidates = (same - 4, same, same + 4)
    if offset == -1:
        target = max(c for c in candidates if c < now)
    elif offset == 1:
        target = min(c for c in candidates if c > now)
    elif direction == "future":
        target = min(c for c in candidates if c >= now)
    else:
        target = max(c for c in candidates if c <= now)
    return f"{target // 4:04d}-{code}"


def _season_of(month_number: int) -> str:
    if month_number in (12, 1, 2):
        return "WI"
    if month_number <= 5:
        return "SP"
    if month_number <= 8:
        return "SU"
    return "FA"


def quarter_of(anchor: Anchor, q: int, direction: str) -> str:
    """"The third quarter" without a year: this year's, or last year's when it is
    still to come and the verb is past."""
    if not anchor:
        return quarter(None, q)
    current = (anchor.month - 1) // 3 + 1
    y = anchor.year
    if direction == "past" and q > current:
        y -= 1
    return quarter(y, q)
