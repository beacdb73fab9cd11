"""Named entities from spaCy's NER, grouped into one entity per name.

This is the baseline the actors-and-coreference stage builds on: each
mention is trimmed to the name itself ("the United States's" -> "United
States") and mentions with the same normalised name and type are one entity.
"""

from __future__ import annotations

import re
from spacy.tokens import Doc, Span

from .model import Entity, Mention

#: OntoNotes labels that name things; numbers, dates and amounts are not entities.
ENTITY_LABELS = frozenset({
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
    "WORK_OF_ART", "LAW", "LANGUAGE",
})
_LEADING = {"the", "a", "an"}
_TRAILING = {"'s", "’s", "'", "’"}


def trim_name(span: Span) -> Span:
    """The name inside an entity span: no leading article, possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEADING or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in _TRAILING or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def name_key(text: str) -> str:
    """Mentions with the same key name the same thing ("U.S." and "US" agree)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def name_mentions(doc: Doc) -> list[tuple[Span, str]]:
    """(trimmed span, label) for every named-entity mention worth keeping."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        span = trim_name(ent)
        if not span or not any(ch.isalpha() for ch in span.text):
            continue
        found.append((span, ent.label_))
    return found


def extract_entities(doc: Doc) -> list[Entity]:
    """One entity per distinct (name, type), mentions in text order."""
    by_key: dict[tuple[str, str], Entity] = {}
    for span, label in name_mentions(doc):
        key = (name_key(span.text), label)
        entity = by_key.get(key)
        if entity is None:
            entity = Entity(id=f"E{len(by_key) + 1}", name=span.text, type=label)
            by_key[key] = entity
        entity.mentions.append(Mention(span.start_char, span.end_char, span.text, "name"))
        if len(span.text) > len(entity.name):
            entity.name = span.text
    return list(by_key.values())
