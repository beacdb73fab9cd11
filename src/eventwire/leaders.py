"""Leaders and their terms of office, to resolve bare names by date.

``leaders.tsv`` lists heads of state, heads of government and foreign
ministers with their terms.  A full name ("Moon Jae-in") always identifies
its person; a bare surname ("Mr Moon") only does when exactly one listed
person with that surname held office on the publication date and, unless the
surname is unique in the whole table, the article mentions that person's
country.  The date then selects the role: in office -> GOV, before the first
term inside a listed candidacy -> candidate, after the last term -> former.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from .actors import fold
from .lexicons import read_tsv

#: Human-readable role names for the table's role column.
ROLE_NAMES = {"hos": "head of state", "hog": "head of government", "fm": "foreign minister",
              "candidate": "candidate"}


#: Name suffixes that are not surnames ("Benigno Aquino III", "Ferdinand Marcos Jr.").
_SUFFIXES = frozenset({"Jr", "Sr", "I", "II", "III", "IV", "V", "VI"})


@dataclass(frozen=True)
class Term:
    name: str
    country: str
    role: str  # hos | hog | fm | candidate
    start: str
    end: Optional[str]  # None: still in office

    def covers(self, date: str) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class LeaderMatch:
    """A person of the table as of one date."""

    name: str
    country: str
    role: Optional[str]  # "head of state", ..., "candidate", "former" or None
    actor: str


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, list[Term]], dict[str, set[str]], dict[str, set[str]]]:
    """(terms by person, persons by full-name key, persons by surname key)."""
    terms: dict[str, list[Term]] = defaultdict(list)
    by_full: dict[str, set[str]] = defaultdict(set)
    by_short: dict[str, set[str]] = defaultdict(set)
    for name, aliases, country, role, start, end in read_tsv("leaders.tsv", 6):
        terms[name].append(Term(name, country, role, start, None if end == "-" else end))
        by_full[fold(name)].add(name)
        words = [w for w in name.split() if w.rstrip(".") not in _SUFFIXES]
        if len(name.split()) > 1 and words:
            by_short[fold(words[-1])].add(name)
        for alias in aliases.split("|"):
            if alias and alias != "-":
                (by_short if len(alias.split()) == 1 else by_full)[fold(alias)].add(name)
    return terms, by_full, by_short


def is_leader_name(text: str) -> bool:
    """Is this a listed leader's full name, alias or surname?"""
    _, by_full, by_short = _table()
    key = fold(text)
    return key in by_full or key in by_short


def _as_of(name: str, date: Optional[str]) -> LeaderMatch:
    terms = sorted(_table()[0][name], key=lambda t: t.start)
    offices = [t for t in terms if t.role != "candidate"]
    country = terms[-1].country
    if date is None:  # no anchor: the latest office
        last = offices[-1] if offices else terms[-1]
        return LeaderMatch(name, last.country, ROLE_NAMES[last.role],
                           last.country + ("GOV" if last.role != "candidate" else ""))
    current = [t for t in offices if t.covers(date)]
    if current:
        term = current[0]
        return LeaderMatch(name, term.country, ROLE_NAMES[term.role], term.country + "GOV")
    if any(t.role == "candidate" and t.covers(date) for t in terms):
        return LeaderMatch(name, country, "candidate", country)
    if offices and offices[0].end is not None and any(t.end and t.end < date for t in offices):
        past = max((t for t in offices if t.end and t.end < date), key=lambda t: t.end or "")
        return LeaderMatch(name, past.country, "former", past.country + "ELI")
    return LeaderMatch(name, country, None, country)


def lookup(words: Iterable[str], date: Optional[str],
           doc_countries: frozenset[str] = frozenset()) -> Optional[LeaderMatch]:
    """The leader a name refers to on ``date``, or None when not exactly one fits."""
    words = [w for w in words if w]
    if not words:
        return None
    terms, by_full, by_short = _table()
    key = fold(" ".join(words))
    if len(words) > 1:
        people = by_full.get(key, set())
        return _as_of(next(iter(people)), date) if len(people) == 1 else None
    everyone = by_short.get(key, set()) | by_full.get(key, set())
    if not everyone:
        return None
    people = everyone
    if date is not None:
        people = {p for p in everyone if any(t.covers(date) for t in terms[p])}
        if not people and len(everyone) == 1:
            people = everyone  # "Obama" in 2019: the only Obama, now a former president
    if len(people) != 1:
        return None
    person = next(iter(people))
    unique = len(everyone) == 1
    if not unique and not any(t.country in doc_countries for t in terms[person]):
        return None
    return _as_of(person, date)
