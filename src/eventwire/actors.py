"""CAMEO actor codes from the project's lexicons: countries, roles, bodies.

Every fact lives in a data file (``countries.tsv``, ``organisations.tsv``,
``roles.tsv``, ``titles.tsv``); pycountry supplies the ISO 3166 names.  The
lookups are exact (after case folding and dropping a leading "the"): an
unknown name gets no code, never a guess from a similar string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from .lexicons import read_tsv

_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """Lookup key: case-folded, single spaces, no leading "the", curly quotes straightened."""
    text = text.replace("’", "'").strip()
    text = _THE.sub("", text)
    return _SPACES.sub(" ", text).casefold()


def _is_abbreviation(alias: str) -> bool:
    """All-capital short forms ("US", "UN", "AU") must match case-sensitively: "us", "un"."""
    letters = [ch for ch in alias if ch.isalpha()]
    return len(letters) <= 4 and all(ch.isupper() for ch in letters)


@dataclass(frozen=True)
class Org:
    """A named body with a fixed actor code."""

    name: str
    code: str
    country: Optional[str]


@dataclass(frozen=True)
class Role:
    code: str
    kind: str  # person | group | org


@dataclass(frozen=True)
class Title:
    gender: Optional[str]
    code: Optional[str]
    leader_roles: frozenset[str]


class _Table:
    """A case-folded lookup that keeps all-capital abbreviations case-sensitive."""

    def __init__(self) -> None:
        self.folded: dict[str, str] = {}
        self.exact: dict[str, str] = {}
        # Case-folded first words of every alias: a cheap test before a lookup.
        self.first_words: set[str] = {"the"}

    def add(self, alias: str, value: str) -> None:
        alias = alias.strip()
        if not alias or alias == "-":
            return
        self.first_words.add(alias.split()[0].casefold().replace("’", "'"))
        if _is_abbreviation(alias):
            self.exact.setdefault(alias, value)
            self.exact.setdefault(alias.replace(".", ""), value)
        else:
            self.folded.setdefault(fold(alias), value)

    def get(self, text: str) -> Optional[str]:
        text = text.replace("’", "'").strip()
        bare = _THE.sub("", text)
        hit = self.exact.get(bare)
        if hit is None and "." in bare:
            hit = self.exact.get(bare.replace(".", ""))
        return hit if hit is not None else self.folded.get(fold(text))


@lru_cache(maxsize=1)
def _country_tables() -> tuple[_Table, _Table, _Table, dict[str, str]]:
    """(names, adjectives, capitals, display name by alpha-3)."""
    import pycountry

    names, adjectives, capitals = _Table(), _Table(), _Table()
    display: dict[str, str] = {}
    for iso3, extra, adjs, caps in read_tsv("countries.tsv", 4):
        display[iso3] = extra.split("|")[0]
        for alias in extra.split("|"):
            names.add(alias, iso3)
        for alias in adjs.split("|"):
            adjectives.add(alias, iso3)
        for alias in caps.split("|"):
            capitals.add(alias, iso3)
    for country in pycountry.countries:
        iso3 = country.alpha_3
        display.setdefault(iso3, getattr(country, "common_name", None) or country.name)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value, iso3)
    return names, adjectives, capitals, display


def country_by_name(text: str) -> Optional[str]:
    """ISO alpha-3 of a country name or abbreviation ("DPRK", "the U.S.", "Britain")."""
    return _country_tables()[0].get(text)


def country_by_adjective(text: str) -> Optional[str]:
    """ISO alpha-3 of a demonym or adjective ("North Korean", "Chinese")."""
    return _country_tables()[1].get(text)


def country_by_capital(text: str) -> Optional[str]:
    """ISO alpha-3 of the country a capital or seat of government stands for."""
    return _country_tables()[2].get(text)


@lru_cache(maxsize=1)
def name_first_words() -> frozenset[str]:
    """First words (case-folded) of every country, capital, demonym and
    organisation name: a token not in this set cannot start one."""
    names, adjectives, capitals, _ = _country_tables()
    words = names.first_words | adjectives.first_words | capitals.first_words
    return frozenset(words | _organisations().first_words)


def country_display_name(iso3: str) -> str:
    return _country_tables()[3].get(iso3, iso3)


def country_in_words(text: str) -> Optional[str]:
    """A country named or described anywhere in a short phrase ("North Korea's", "Chinese")."""
    words = text.replace("’", "'").replace("'s", "").split()
    for size in (4, 3, 2, 1):
        for i in range(0, len(words) - size + 1):
            chunk = " ".join(words[i:i + size]).strip(",.;:")
            hit = country_by_name(chunk) or country_by_adjective(chunk)
            if hit:
                return hit
    return None


@lru_cache(maxsize=1)
def _organisations() -> _Table:
    table = _Table()
    for name, aliases, code, country in read_tsv("organisations.tsv", 4):
        value = "\t".join((name, code, country))
        table.add(name, value)
        for alias in aliases.split("|"):
            table.add(alias, value)
    return table


def organisation(text: str) -> Optional[Org]:
    """The known body a name refers to ("KCNA" -> PRKMED, "NATO" -> IGOWSTNAT)."""
    hit = _organisations().get(text)
    if hit is None:
        return None
    name, code, country = hit.split("\t")
    return Org(name, code, None if country == "-" else country)


@lru_cache(maxsize=1)
def _roles() -> dict[str, Role]:
    return {noun: Role(code, kind) for noun, code, kind in read_tsv("roles.tsv", 3)}


def role_of(noun: str) -> Optional[Role]:
    """The role a noun or noun phrase head gives ("troops" -> MIL, group)."""
    return _roles().get(fold(noun))


@lru_cache(maxsize=1)
def role_head_words() -> frozenset[str]:
    """Last words of the role nouns: a cheap first test before a phrase lookup."""
    return frozenset(noun.split()[-1] for noun in _roles())


@lru_cache(maxsize=1)
def max_role_words() -> int:
    return max(len(noun.split()) for noun in _roles())


@lru_cache(maxsize=1)
def _titles() -> dict[str, Title]:
    table = {}
    for title, gender, code, leader in read_tsv("titles.tsv", 4):
        table[title] = Title(None if gender == "-" else gender, None if code == "-" else code,
                             frozenset() if leader == "-" else frozenset(leader.split("|")))
    return table


def title_of(word: str) -> Optional[Title]:
    """The honorific or title a word is ("Mr." -> male, "President" -> GOV)."""
    return _titles().get(fold(word).rstrip("."))


def combine(country: Optional[str], roles: Iterable[str]) -> Optional[str]:
    """A CAMEO code from a country and roles: ("PRK", ["GOV"]) -> "PRKGOV"; no parts -> None."""
    parts = [country] if country else []
    for role in roles:
        if role and role not in parts:
            parts.append(role)
    return "".join(parts) or None
