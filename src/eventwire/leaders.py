"""Leaders and their terms of office, to resolve bare names by date.

``leaders.tsv`` lists heads of state, heads of government and foreign
ministers with their terms, plus other people news names as actors (vice
presidents, heads of international bodies, leaders of armed groups and of the
opposition).  A full name ("Moon Jae-in") always identifies
its person; a bare surname ("Mr Moon") only does when exactly one listed
person with that surname held office on the publication date and, unless the
surname is unique in the whole table, the article mentions that person's
country.  The date then selects the role: in office -> GOV, before the first
term inside a listed candidacy -> candidate, after the last term -> former.
A person's country never depends on the date: a listed person outside every
term keeps his country (a bare surname shared only by compatriots, "Bush",
gives that country even when no one of them is in office).
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
              "candidate": "candidate", "vp": "vice president", "gov": "senior official",
              "igo": "head of an international body", "mil": "military commander",
              "reb": "armed group leader", "opp": "opposition leader", "oth": "public figure"}
#: The CAMEO role segment a role gives while it is held.
ROLE_CODES = {"hos": "GOV", "hog": "GOV", "fm": "GOV", "vp": "GOV", "gov": "GOV", "candidate": "",
              "igo": "", "mil": "MIL", "reb": "REB", "opp": "OPP", "oth": ""}
#: Roles that are public office (a person after the last of them is "former").
_OFFICES = frozenset({"hos", "hog", "fm", "vp", "gov", "igo", "mil"})


#: Name suffixes that are not surnames ("Benigno Aquino III", "Ferdinand Marcos Jr.").
_SUFFIXES = frozenset({"Jr", "Sr", "I", "II", "III", "IV", "V", "VI"})


@dataclass(frozen=True)
class Term:
    name: str
    country: Optional[str]  # ISO alpha-3 nationality (None: not known)
    role: str  # a key of ROLE_NAMES
    start: str
    end: Optional[str]  # None: still in office
    body: Optional[str] = None  # actor code of the international body an "igo" term heads

    def covers(self, date: str) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)

    @property
    def actor(self) -> str:
        """The actor code while the term is held ("USAGOV", "IGOUNO", "LBNREB")."""
        if self.body:
            return self.body
        return (self.country or "") + ROLE_CODES.get(self.role, "")


def _country_field(value: str) -> tuple[Optional[str], Optional[str]]:
    """(nationality, body) of the country column: "USA", or "IGOUNO/GHA" for the
    head of an international body (the body's code, then the person's nationality)."""
    if "/" in value:
        body, _, nationality = value.partition("/")
        return (nationality or None), body
    if value.startswith(("IGO", "NGO", "IMG")):
        return None, value
    return value, None


@dataclass(frozen=True)
class LeaderMatch:
    """A person of the table as of one date."""

    name: str
    country: Optional[str]  # None: acting for an international body, or unknown
    role: Optional[str]  # "head of state", ..., "candidate", "former" or None
    actor: Optional[str]


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, list[Term]], dict[str, set[str]], dict[str, set[str]]]:
    """(terms by person, persons by full-name key, persons by surname key)."""
    terms: dict[str, list[Term]] = defaultdict(list)
    by_full: dict[str, set[str]] = defaultdict(set)
    by_short: dict[str, set[str]] = defaultdict(set)
    for name, aliases, country, role, start, end in read_tsv("leaders.tsv", 6):
        nationality, body = _country_field(country)
        terms[name].append(Term(name, nationality, role, start, None if end == "-" else end, body))
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


def _nationality(terms: list[Term]) -> Optional[str]:
    """The person's country: that of the latest term that names one."""
    return next((t.country for t in reversed(terms) if t.country), None)


def _as_of(name: str, date: Optional[str]) -> LeaderMatch:
    terms = sorted(_table()[0][name], key=lambda t: t.start)
    offices = [t for t in terms if t.role in _OFFICES]
    country = _nationality(terms)
    if date is None:  # no anchor: the latest office
        last = offices[-1] if offices else terms[-1]
        return LeaderMatch(name, None if last.body else (last.country or country),
                           ROLE_NAMES[last.role], last.actor or None)
    current = [t for t in terms if t.covers(date) and t.role != "candidate"]
    if current:
        term = min(current, key=lambda t: list(ROLE_NAMES).index(t.role))
        # the head of an international body acts for the body, which has no country
        return LeaderMatch(name, None if term.body else term.country, ROLE_NAMES[term.role],
                           term.actor or None)
    if any(t.role == "candidate" and t.covers(date) for t in terms):
        return LeaderMatch(name, country, "candidate", country or None)
    past = [t for t in offices if t.end and t.end < date]
    if past:
        last = max(past, key=lambda t: t.end or "")
        home = last.country or country
        return LeaderMatch(name, home, "former", (home + "ELI") if home else None)
    return LeaderMatch(name, country, None, country or None)


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
        elif not people:
            return _compatriot(everyone, date)
    if len(people) != 1:
        return None
    person = next(iter(people))
    # the article must name the person's country unless the surname is unique in
    # the table or shared only by compatriots (the date has already chosen one)
    unique = len(everyone) == 1 or len({_nationality(terms[p]) for p in everyone}) == 1
    if not unique and not any(t.country in doc_countries for t in terms[person]):
        return None
    return _as_of(person, date)


def _compatriot(people: set[str], date: str) -> Optional[LeaderMatch]:
    """A surname shared by several listed people of one country, none in office on
    ``date`` ("Bush" in 2019): the one whose office ended last, else the country alone."""
    terms = _table()[0]
    countries = {_nationality(terms[p]) for p in people}
    if len(countries) != 1 or None in countries:
        return None
    ended = [(t.end, p) for p in people for t in terms[p] if t.end and t.end < date]
    if ended:
        return _as_of(max(ended)[1], date)
    country = next(iter(countries))
    return LeaderMatch(sorted(people)[0], country, None, country)
