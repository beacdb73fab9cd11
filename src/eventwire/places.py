"""Places: every place mention of an article, resolved to one gazetteer entry.

Candidates come from two sources, because each misses what the other finds:

* spaCy's GPE, LOC and FAC entities (whose text is looked up whole, then
  without "the" and generic words such as "Province");
* a token matcher over the gazetteer's names, restricted to capitalised
  tokens, which finds places the small model labels wrongly ("Ulan Bator" as
  ORG, "Mount Diamond" as PERSON) and places inside names ("Kaesong" in
  "Kaesong Industrial Park").

A country or region adjective used as a modifier ("Russian troops",
"European leaders") is an associative mention of that place and is kept; a
demonym used as a noun ("the Russians") is a group of people and is not.
Metonymy ("Beijing said") is still a place mention.

Each distinct name is then resolved once per article ("one sense per
discourse"): a prior from the kind of place and its population (capitals
first), plus the article's own context: the countries and US states it
mentions unambiguously, places it names near a candidate, a "Paris, Texas"
qualifier right after the name, and the dateline.
"""

from __future__ import annotations

from bisect import bisect_left

import calendar
import logging
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span, Token

from .dateline import Dateline, find_dateline
from .gazetteer import Entry, Gazetteer, Hit, distance_km, fold, load_gazetteer, load_small_towns
from .lexicons import read_tsv, read_words
from .model import Analysis, Place
from .nlp import doc_entities, doc_sentences, doc_text, doc_tokens

log = logging.getLogger(__name__)

__all__ = ["fill_places", "find_places", "find_dateline", "Dateline"]

#: Entity labels whose spans are place candidates.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Labels under which a gazetteer name is not a place ("Georgia Smith", "March").
_BLOCKING_LABELS = frozenset({"PERSON", "NORP", "DATE", "TIME", "PERCENT", "MONEY",
                              "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE", "WORK_OF_ART",
                              "PRODUCT", "LAW", "EVENT"})
#: Generic words stripped from an entity before lookup ("Hubei Province").
_GENERIC_HEAD = ("the ", "city of ", "province of ", "state of ", "greater ")
_GENERIC_TAIL = (" province", " city", " state", " region", " prefecture", " governorate",
                 " oblast", " district", " municipality", " island")

#: Prior of a place by kind; a city's prior is log10(population) (+ a capital bonus).
KIND_PRIOR = {"country": 9.0, "continent": 9.0, "region": 7.5, "landmark": 7.5, "admin1": 7.0}
CAPITAL_BONUS = 1.2
ALTERNATE_PENALTY = 2.0
#: Context bonuses (see module docstring).
COUNTRY_BONUS = 3.0
STATE_BONUS = 3.0
NEAR_BONUS = 2.0
NEAR_KM = 300.0
QUALIFIER_BONUS = 6.0
DATELINE_BONUS = 2.0
#: A resolution is "unambiguous" (usable as context) when it wins by this much.
CONFIDENT_MARGIN = 1.5
#: A single-token city found only by the gazetteer (or inside an ORG or
#: facility name) must be at least this large.
BIG_CITY = 100_000
#: Month and weekday names: a DATE label on them is right.
_CALENDAR_WORDS = frozenset(
    name.lower() for name in (*calendar.month_name, *calendar.day_name, *calendar.month_abbr) if name)


@dataclass
class Mention:
    """A place candidate: a span of the text and the gazetteer hits for it."""

    start: int
    end: int
    text: str
    key: str
    hits: tuple[Hit, ...]
    from_ner: bool
    tokens: tuple[int, int]  # token start, end in the doc
    qualifier: Optional[str] = None  # key of a ", Texas" right after
    chosen: Optional[Entry] = None
    scores: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    """Folded adjectives and demonyms of countries: never places.

    A word that is also a country's name ("US" in "US officials") stays a place.
    """
    gaz = load_gazetteer()
    words = set()
    for _iso3, _extra, adjectives, _capitals in read_tsv("countries.tsv", 4):
        for word in adjectives.split("|"):
            key = fold(word)
            if key and word != "-" and not any(hit.entry.kind == "country"
                                               for hit in gaz.lookup_key(key)):
                words.add(key)
    return frozenset(words)


@lru_cache(maxsize=1)
def _adjective_places() -> dict[str, tuple[Hit, ...]]:
    """Folded adjective -> the gazetteer hits of its country or region."""
    import pycountry

    gaz = load_gazetteer()
    table: dict[str, tuple[Hit, ...]] = {}
    for iso3, _extra, adjectives, _capitals in read_tsv("countries.tsv", 4):
        country = pycountry.countries.get(alpha_3=iso3)
        names = [getattr(country, "common_name", None), getattr(country, "name", None)] if country else []
        hits: tuple[Hit, ...] = ()
        for name in filter(None, names):
            hits = tuple(h for h in gaz.lookup_key(fold(name))
                         if h.entry.kind == "country" and h.entry.country == iso3)
            if hits:
                break
        for word in adjectives.split("|"):
            if hits and word != "-" and not word.endswith("s"):
                table.setdefault(fold(word), hits[:1])
    for adjective, name in read_tsv("region_adjectives.tsv", 2):
        hits = gaz.lookup_key(fold(name))
        if hits:
            table.setdefault(fold(adjective), hits[:1])
    return table


_NOUN_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr"})


def _adjective_mentions(doc: Doc, taken: list[bool]) -> list[Mention]:
    """Country and region adjectives that modify a noun: "Russian troops"."""
    table = _adjective_places()
    found = []
    for ent in doc_entities(doc):
        if ent.label_ not in ("NORP", "LOC", "GPE") or any(taken[i] for i in range(ent.start, ent.end)):
            continue
        span = _trim(ent)
        hits = table.get(fold(span.text)) if span else None
        if not hits:
            continue
        last = span[-1]
        noun_use = last.tag_ in ("NNS", "NNPS") or last.dep_ in _NOUN_ROLES
        modifies_next = last.dep_ in ("amod", "compound", "nmod") and last.head.i > last.i
        if noun_use and not modifies_next:
            continue  # "the Russians said": people, not a place
        if last.i + 1 >= len(doc) or not doc[last.i + 1].is_alpha:
            continue
        found.append(Mention(span.start_char, span.end_char, span.text, fold(span.text), hits, True,
                             (span.start, span.end)))
    return found


@lru_cache(maxsize=1)
def _feature_words() -> frozenset[str]:
    return read_words("place_feature_words.txt")


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return read_words("english_function_words.txt")


def _capitalised(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper()


def _entity_labels(doc: Doc) -> list[Optional[tuple[str, int, int]]]:
    """Per token: (label, ent start, ent end) of the entity covering it, if any."""
    labels: list[Optional[tuple[str, int, int]]] = [None] * len(doc)
    for ent in doc_entities(doc):
        span = _trim(ent)
        for i in range(span.start, span.end):
            labels[i] = (ent.label_, span.start, span.end)
    return labels


def _strip_generic(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for head in _GENERIC_HEAD:
            if key.startswith(head) and len(key) > len(head) + 2:
                key, changed = key[len(head):], True
        for tail in _GENERIC_TAIL:
            if key.endswith(tail) and len(key) > len(tail) + 2:
                key, changed = key[: -len(tail)], True
    return key


def _trim(span: Span) -> Span:
    """An entity without leading articles, possessives or punctuation."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct
                           or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _ner_mentions(doc: Doc, gaz: Gazetteer, demonyms: frozenset[str]) -> list[Mention]:
    found = []
    for ent in doc_entities(doc):
        if ent.label_ not in PLACE_LABELS:
            continue
        span = _trim(ent)
        if not span or "\n" in span.text:
            continue
        key = fold(span.text)
        if not key or key in demonyms:
            continue
        hits = gaz.lookup_key(key) or gaz.lookup_key(_strip_generic(key))
        if not hits and ent.label_ == "GPE":
            hits = load_small_towns().lookup_key(key)
        if hits:
            found.append(Mention(span.start_char, span.end_char, span.text, key, hits, True,
                                 (span.start, span.end)))
    return found


def _accept_token_match(doc: Doc, start: int, end: int, hits: tuple[Hit, ...],
                        labels: list, function_words: frozenset[str]) -> bool:
    """Is a gazetteer name found by the token matcher a place here?

    The rules keep what spaCy's labels say where they are reliable (a name
    inside a person's name is not a place) and distrust them where the small
    model often errs (a whole place name labelled PERSON, ORG or DATE).
    """
    if end < len(doc) and _capitalised(doc[end]) and doc[end].lower_ in _feature_words():
        return False  # "Suffolk County", "Pearl Harbor": another place
    covering = {labels[i] for i in range(start, end)} - {None}
    kinds = {hit.entry.kind for hit in hits}
    strong = bool(kinds - {"city"}) or any(hit.entry.capital for hit in hits)
    big = strong or any(hit.entry.population >= BIG_CITY for hit in hits)
    primary = [hit for hit in hits if not hit.alternate]
    single = end - start == 1
    token = doc[start]
    for label, ent_start, ent_end in covering:
        exact = ent_start == start and ent_end == end
        if label in PLACE_LABELS or label in ("ORG", "FAC"):
            if exact and label in PLACE_LABELS:
                return True
            if single and not big:
                return False  # "Airport" in "Dulles International Airport"
            if not exact and not strong and end == ent_end and start > ent_start:
                return False  # the head of a longer name: "Delta" in "Niger Delta"
        elif label in ("DATE", "TIME"):
            if any(doc[i].lower_ in _CALENDAR_WORDS for i in range(start, end)):
                return False  # "March", "Sunday"
        elif label in _BLOCKING_LABELS:
            # Inside a longer person name ("Georgia Smith"), a demonym, a work: not
            # a place.  A whole span mislabelled PERSON ("Mount Diamond",
            # "Klamath Falls") is one when it is a multi-word name.
            if not (label == "PERSON" and exact and not single and primary):
                return False
    if single:
        if not primary:
            return False  # an alternate spelling alone is too weak
        if not token.is_upper and (token.lower_ in function_words or token.is_stop):
            return False
        if not strong and not any(lab[0] in PLACE_LABELS for lab in covering):
            # A lone capitalised word that may be a common word or a name
            # ("Surprise", "Tyler", "God" for Göd): only large cities, spelled
            # as the gazetteer spells them, tagged as proper nouns.
            if token.pos_ != "PROPN" or not big:
                return False
            if not any(token.text.casefold() == hit.entry.name.casefold() for hit in primary):
                return False
        if token.is_upper and len(token.text) <= 3 and kinds != {"country"}:
            return False  # "LA", "PA", "GA": codes, unless a country's ("US", "UAE")
    return True


def _token_mentions(doc: Doc, gaz: Gazetteer, labels: list, taken: list[bool],
                    demonyms: frozenset[str]) -> list[Mention]:
    """Longest gazetteer names over capitalised tokens not already taken.

    Token texts and offsets are read once into lists: this loop visits every
    token of every article, and spaCy builds a new Token object per access.
    """
    found = []
    function_words = _function_words()
    text = doc_text(doc)
    words, starts = doc_tokens(doc)
    capital = [bool(w) and w[0].isupper() for w in words]
    n = len(doc)
    i = 0
    while i < n:
        if taken[i] or not capital[i] or fold(words[i]) not in gaz.first_words:
            i += 1
            continue
        matched = None
        for j in range(min(n, i + gaz.max_words + 2) - 1, i - 1, -1):
            if not capital[j] or any(taken[k] for k in range(i, j + 1)):
                continue
            surface = text[starts[i]:starts[j] + len(words[j])]
            if "\n" in surface:
                continue
            key = fold(surface)
            if key in demonyms:
                continue
            hits = gaz.lookup_key(key)
            if hits and _accept_token_match(doc, i, j + 1, hits, labels, function_words):
                matched = Mention(starts[i], starts[i] + len(surface), surface, key, hits, False,
                                  (i, j + 1))
                break
        if matched is None:
            i += 1
            continue
        found.append(matched)
        i = matched.tokens[1]
    return found


def _attach_qualifiers(doc: Doc, mentions: list[Mention]) -> None:
    """"Paris, Texas": the place right after a comma qualifies the one before."""
    by_start = {m.tokens[0]: m for m in mentions}
    for m in mentions:
        end = m.tokens[1]
        if end + 1 < len(doc) and doc[end].text == ",":
            nxt = by_start.get(end + 1)
            if nxt is not None:
                m.qualifier = nxt.key


def _prior(hit: Hit) -> float:
    entry = hit.entry
    if entry.kind == "city" or (entry.kind == "region" and entry.population):
        score = math.log10(max(entry.population, 1000)) + (CAPITAL_BONUS if entry.capital else 0.0)
    else:
        score = KIND_PRIOR.get(entry.kind, 7.0)
    return score - (ALTERNATE_PENALTY if hit.alternate else 0.0)


def _best(scored: list[tuple[float, Entry]]) -> tuple[Entry, float]:
    scored.sort(key=lambda pair: -pair[0])
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else math.inf
    return scored[0][1], margin


def _qualifies(entry: Entry, qualifier_hits: tuple[Hit, ...]) -> bool:
    for hit in qualifier_hits:
        q = hit.entry
        if q is entry:
            continue
        if q.kind == "country" and entry.country == q.country:
            return True
        if q.kind == "admin1" and entry.country == q.country and (
                (q.admin1 and entry.admin1 == q.admin1)
                or distance_km(entry.lat, entry.lon, q.lat, q.lon) < 600):
            return True
    return False


def _resolve(mentions: list[Mention], gaz: Gazetteer, dateline_key: Optional[str]) -> None:
    """Choose one entry per distinct name, using the article as context."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[m.key].append(m)
    hits_of = {key: ms[0].hits for key, ms in by_key.items()}

    # Pass 1: priors alone; confident choices become the context.
    first: dict[str, tuple[Entry, float]] = {}
    for key, hits in hits_of.items():
        first[key] = _best([(_prior(hit), hit.entry) for hit in hits])
    countries: Counter = Counter()
    states: Counter = Counter()
    anchors: list[tuple[str, Entry]] = []
    for key, (entry, margin) in first.items():
        if margin < CONFIDENT_MARGIN:
            continue
        weight = len(by_key[key])
        if entry.country:
            countries[entry.country] += weight
        if entry.kind == "admin1" and entry.admin1:
            states[(entry.country, entry.admin1)] += weight
        if entry.kind in ("city", "landmark") or (entry.kind == "region" and entry.country):
            anchors.append((key, entry))
    dateline_entry = first[dateline_key][0] if dateline_key in first else None

    # Pass 2: priors plus context.
    for key, hits in hits_of.items():
        if len(hits) == 1:
            chosen = hits[0].entry
        else:
            qualifier = next((m.qualifier for m in by_key[key] if m.qualifier), None)
            qualifier_hits = hits_of.get(qualifier, ()) if qualifier else ()
            scored = []
            own = first[key][0]
            for hit in hits:
                entry = hit.entry
                score = _prior(hit)
                own_weight = len(by_key[key]) if own.country == entry.country else 0
                evidence = sum(countries.values()) - (len(by_key[key]) if own.country else 0)
                if entry.country and evidence > 0:
                    share = (countries[entry.country] - own_weight) / evidence
                    score += COUNTRY_BONUS * share
                if entry.admin1 and states[(entry.country, entry.admin1)] > 0 and entry.kind == "city":
                    score += STATE_BONUS
                if entry.kind in ("city", "landmark", "admin1") and any(
                        other != key and distance_km(entry.lat, entry.lon, a.lat, a.lon) < NEAR_KM
                        for other, a in anchors):
                    score += NEAR_BONUS
                if qualifier_hits and _qualifies(entry, qualifier_hits):
                    score += QUALIFIER_BONUS
                if dateline_entry is not None and key != dateline_key and (
                        entry.country and entry.country == dateline_entry.country):
                    score += DATELINE_BONUS
                scored.append((score, entry))
            chosen = _best(scored)[0]
        for m in by_key[key]:
            m.chosen = chosen


def _remove_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping candidates (NER first on ties)."""
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), not m.from_ner, m.start))
    starts: list[int] = []  # kept spans never overlap, so sorted starts give sorted ends
    kept: list[Mention] = []
    for m in ordered:
        at = bisect_left(starts, m.start)
        if at < len(kept) and kept[at].start < m.end:
            continue  # the next kept span starts inside this one
        if at > 0 and kept[at - 1].end > m.start:
            continue  # the previous kept span reaches into this one
        starts.insert(at, m.start)
        kept.insert(at, m)
    return kept


def _dateline_mentions(doc: Doc, gaz: Gazetteer, dateline: Dateline) -> list[Mention]:
    """The dateline's place(s): "SEOUL/BEIJING", "PARIS, Texas"."""
    found = []
    text = doc_text(doc)
    pos = dateline.start
    place = dateline.place_text
    parts = []
    offset = 0
    for chunk in place.replace("/", ",").split(","):
        begin = place.find(chunk, offset)
        offset = begin + len(chunk)
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            parts.append((pos + begin + lead, pos + begin + lead + len(stripped)))
    for start, end in parts:
        surface = text[start:end]
        key = fold(surface)
        hits = gaz.lookup_key(key)
        if not hits:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        tokens = (span.start, span.end) if span is not None else (0, 0)
        found.append(Mention(start, end, surface, key, hits, True, tokens))
    return found


def find_places(doc: Doc, dateline: Optional[Dateline] = None) -> list[Place]:
    """The place mentions of a parsed article, resolved, in text order."""
    gaz = load_gazetteer()
    demonyms = _demonyms()
    labels = _entity_labels(doc)
    mentions = _ner_mentions(doc, gaz, demonyms)
    dateline_mentions = _dateline_mentions(doc, gaz, dateline) if dateline else []
    mentions.extend(dateline_mentions)
    mentions = _remove_overlaps(mentions)
    taken = [False] * len(doc)
    for m in mentions:
        for i in range(*m.tokens):
            taken[i] = True
    mentions.extend(_token_mentions(doc, gaz, labels, taken, demonyms))
    mentions.extend(_adjective_mentions(doc, taken))
    mentions = _remove_overlaps(mentions)
    _attach_qualifiers(doc, mentions)
    dateline_key = dateline_mentions[0].key if dateline_mentions else None
    _resolve(mentions, gaz, dateline_key)
    places = []
    for m in mentions:
        entry = m.chosen
        if entry is None:
            continue
        places.append(Place(m.start, m.end, m.text, entry.name, entry.kind, entry.country,
                            round(entry.lat, 5), round(entry.lon, 5), entry.geonames_id))
    return places


def _dateline_of(doc: Doc) -> Optional[Dateline]:
    """The dateline the pipeline found while parsing, else found now."""
    if "eventwire.dateline" in doc.user_data:
        found = doc.user_data["eventwire.dateline"]
        return Dateline(*found) if found else None
    return find_dateline(doc_text(doc))


def fill_places(doc: Doc, analysis: Analysis) -> None:
    """Stage: fill ``analysis.places`` (never raises on odd input)."""
    try:
        analysis.places = find_places(doc, _dateline_of(doc))
    except Exception:  # noqa: BLE001 - one article's oddity must not stop the run
        log.exception("place extraction failed for %s", analysis.id)
        analysis.places = []
