"""Datelines: "BEIJING (Reuters) -" and "Washington, Jan 10 (AFP) -" at the start of a story.

A dateline names where the story was filed; it is the strongest clue to which
"Paris" the story means, and its date anchors relative dates.  The text is
never altered: :func:`find_dateline` only reports offsets, so the other stages
can skip the dateline or read its place and date.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

#: How far into the text a dateline may start (after a headline and a byline).
SEARCH_CHARS = 600
#: How many line starts are tried.
MAX_LINES = 6

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = (rf"(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
         rf"|\d{{1,2}}\s+{_MONTH}\.?(?:,?\s+\d{{4}})?)")
#: A place in capitals: "BEIJING", "SAN JOSE", "SEOUL/BEIJING", "ST. LOUIS", "KAESONG-SI".
_CAPS_PLACE = r"[A-Z][A-Z.'’\-]*(?:[ /][A-Z][A-Z.'’\-]*){0,3}"
#: A place as written in a title-case dateline: "Washington", "New Delhi", "Ulan Bator".
_TITLE_PLACE = r"[A-Z][a-zA-Z.'’\-]+(?:[ /][A-Z][a-zA-Z.'’\-]+){0,3}"
#: "Texas", "South Korea" after a comma.
_QUALIFIER = r"[A-Z][A-Za-z.'’\-]+(?: [A-Z][A-Za-z.'’\-]+){0,2}"
#: A news agency or outlet in parentheses: "(Reuters)", "(AP)", "(Xinhua)".
_AGENCY = r"\((?:[A-Z][\w.&'’\- ]{0,40})\)"
#: The dash after a dateline (and mojibake standing for one).
_DASH = r"(?:[-–—―]+|\ufffd|:)"

_CAPS_RE = re.compile(
    rf"(?P<place>{_CAPS_PLACE}(?:,\s*{_QUALIFIER})?)"
    rf"(?:,?\s+(?P<date>{_DATE}))?"
    rf"(?:\s*(?P<agency>{_AGENCY}))?"
    rf"\s*(?P<dash>{_DASH})?")
_TITLE_RE = re.compile(
    rf"(?P<place>{_TITLE_PLACE}(?:,\s*{_QUALIFIER})?)"
    rf"(?:,?\s+(?P<date>{_DATE}))?"
    rf"(?:\s*(?P<agency>{_AGENCY}))?"
    rf"\s*(?P<dash>{_DASH})")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?=\S)")


class Dateline(NamedTuple):
    """A dateline's span in the text and its place as written.

    ``start``/``end`` cover the whole dateline including the agency and the
    dash; the place is ``text[start:start + len(place_text)]``.
    """

    start: int
    end: int
    place_text: str

    @property
    def place_end(self) -> int:
        return self.start + len(self.place_text)


def _is_caps_place(place: str) -> bool:
    letters = [ch for ch in place.split(",")[0] if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _match_at(text: str, pos: int) -> Optional[Dateline]:
    match = _CAPS_RE.match(text, pos)
    if match and _is_caps_place(match.group("place")) and (
            match.group("agency") or match.group("date") or match.group("dash")):
        # A bare "WORD -" is only a dateline when the word is short and the dash
        # is followed by a capitalised sentence ("BEIRUT - The ...").
        if match.group("agency") or match.group("date") or _dash_then_sentence(text, match.end()):
            place = match.group("place")
            if len(place) <= 40:
                return Dateline(match.start(), match.end(), place)
    match = _TITLE_RE.match(text, pos)
    if match and (match.group("date") or match.group("agency")):
        place = match.group("place")
        if len(place) <= 40:
            return Dateline(match.start(), match.end(), place)
    return None


def _dash_then_sentence(text: str, end: int) -> bool:
    rest = text[end:end + 3].lstrip()
    return bool(rest) and (rest[0].isupper() or rest[0] in "\"“'‘")


def find_dateline(text: str) -> Optional[Dateline]:
    """The dateline at the start of the story body, if there is one.

    Looks at the first few line starts (a headline and a byline may come
    first).  Returns ``(start, end, place_text)`` or ``None``.
    """
    if not text:
        return None
    head = text[:SEARCH_CHARS]
    for count, line in enumerate(_LINE_START.finditer(head)):
        if count >= MAX_LINES:
            break
        try:
            found = _match_at(text, line.end())
        except re.error:  # pragma: no cover - the patterns are static
            return None
        if found is not None and found.end - found.start < 120:
            return found
    return None
