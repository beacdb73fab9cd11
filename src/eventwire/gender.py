"""Grammatical gender evidence for names: given names and gendered nouns.

Pronoun resolution needs to know that "Ellen" is a "she" and "the actor" a
"he"; both facts come from data files (``first_names.tsv``,
``gender_nouns.tsv``).  Unknown means unknown: no guess from spelling.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from .lexicons import read_tsv


@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    table: dict[str, str] = {}
    for sex, names in read_tsv("first_names.tsv", 2):
        for name in names.split():
            table[name] = sex
    return table


@lru_cache(maxsize=1)
def _nouns() -> dict[str, str]:
    return {noun: sex for noun, sex in read_tsv("gender_nouns.tsv", 2)}


def given_name_gender(word: str) -> Optional[str]:
    """"M"/"F" for a capitalised given name we know, else None."""
    if not word[:1].isupper():
        return None
    return _given_names().get(word.casefold().rstrip("."))


def noun_gender(word: str) -> Optional[str]:
    """"M"/"F" for a noun that marks gender ("wife", "actor"), else None."""
    return _nouns().get(word.casefold())
