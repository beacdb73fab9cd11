"""Who an event argument is: the actor behind a token of the parse.

The actors-and-coreference stage has already put every name, nominal and
resolved pronoun into ``analysis.entities`` with its CAMEO actor code; an
argument whose words are one of those mentions takes that entity.  For words no
entity covers ("Israeli soldiers", "Moscow's envoy") the country comes from the
project's country, capital and organisation tables (read through
:mod:`eventwire.actors`, which owns them) and the role from the role nouns.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Token

from .model import Analysis, Entity
from .nlp import doc_text, doc_tokens

try:  # the actors module owns the country/role tables; degrade if it changes
    from . import actors as _actors
except Exception:  # pragma: no cover - only when that module is missing or broken
    _actors = None

#: Dependency relations that stay inside an argument's own noun phrase, in the
#: order they are searched for the country of a role noun ("Israel's army").
_NP_DEPS = ("compound", "amod", "poss", "nmod", "npadvmod", "appos")
_OF_PREPS = frozenset({"of", "from", "in"})
_REL_PRONOUNS = frozenset({"who", "which", "that", "whom"})
_MAX_NGRAM = 4
#: Heads that only count what their "of" phrase names ("dozens of rebels").
_PARTITIVE = frozenset({"dozens", "hundreds", "thousands", "scores", "tens", "millions", "number",
                        "group", "groups", "some", "many", "several", "most", "all", "members",
                        "member", "handful", "couple", "one", "two", "three", "four", "five", "six",
                        "seven", "eight", "nine", "ten", "dozen", "hundred", "thousand"})


@dataclass
class ActorRef:
    """A resolved event argument."""

    entity: Optional[str]
    text: str
    actor: Optional[str]
    country: Optional[str]
    start: int
    end: int
    pronoun: bool = False
    reciprocal: bool = False  # one of a pair named together ("the two countries")


def _is_punct(word: str) -> bool:
    """Punctuation only, as spaCy's ``is_punct`` says for the tokens that matter here."""
    return bool(word) and not any(ch.isalnum() for ch in word)


@lru_cache(maxsize=65536)
def _lookup_country(text: str) -> tuple[Optional[str], Optional[str]]:
    """(actor code, country) of a country/capital/organisation name or demonym."""
    if _actors is None:
        return None, None
    try:
        org = _actors.organisation(text)
        if org is not None:
            return org.code, org.country
        iso = _actors.country_by_name(text) or _actors.country_by_adjective(text)
        if iso:
            return iso, iso
        iso = _actors.country_by_capital(text)
        if iso:
            return iso + "GOV", iso
    except Exception:
        return None, None
    return None, None


def role_code(token: Token) -> Optional[str]:
    """The CAMEO role code of a role noun ("minister" -> GOV), or None."""
    return _role(token)


def _role(token: Token) -> Optional[str]:
    if _actors is None:
        return None
    try:
        for text in (token.lower_, token.lemma_.lower()):
            role = _actors.role_of(text)
            if role is not None:
                return role.code
    except Exception:
        return None
    return None


def _token_range(starts: list[int], start: int, end: int) -> range:
    """Indices of the tokens overlapping text[start:end] (as char_span's "expand")."""
    first = max(bisect_right(starts, start) - 1, 0)
    return range(first, bisect_left(starts, end))


def _is_ethnic(head: Token) -> bool:
    return any(c.lower_ == "ethnic" for c in head.children)


class ActorIndex:
    """Entity mentions and lexical names by token, built once per document."""

    def __init__(self, doc: Doc, analysis: Analysis) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.entities: dict[str, Entity] = {e.id: e for e in analysis.entities}
        # token index -> (mention length, entity id, start, end); shortest mention wins
        self.mention: dict[int, tuple[int, str, int, int]] = {}
        starts = doc_tokens(doc).starts
        for entity in analysis.entities:
            for m in entity.mentions:
                for i in _token_range(starts, m.start, m.end):
                    old = self.mention.get(i)
                    if old is None or m.end - m.start < old[0]:
                        self.mention[i] = (m.end - m.start, entity.id, m.start, m.end)
        self._names: Optional[dict[int, tuple[Optional[str], Optional[str], int, int]]] = None
        self._resolved: dict[int, Optional[ActorRef]] = {}
        # token index -> country of a place the places stage found there ("Hebron" -> PSE):
        # a town or region named as an event's argument stands for its country
        self.place_country: dict[int, str] = {}
        for place in getattr(analysis, "places", None) or []:
            if place.country:
                for i in _token_range(starts, place.start, place.end):
                    self.place_country.setdefault(i, place.country)

    # -- lexical names (no entity needed) ---------------------------------
    def names(self) -> dict[int, tuple[Optional[str], Optional[str], int, int]]:
        """token index -> (actor, country, first token, end token) for known names."""
        if self._names is None:
            found: dict[int, tuple[Optional[str], Optional[str], int, int]] = {}
            starts = _actors.name_first_words() if _actors is not None else frozenset()
            words, offsets = doc_tokens(self.doc)
            text, n, i = self.text, len(words), 0
            for first in [k for k, w in enumerate(words) if w[:1].isupper()]:
                if first < i:
                    continue  # inside the previous hit
                i = first
                if words[i].casefold().replace("’", "'") not in starts:
                    continue
                hit = None
                for size in range(min(_MAX_NGRAM, n - i), 0, -1):
                    last = i + size - 1
                    if size > 1 and _is_punct(words[last]) and words[last] not in ".-'":
                        continue
                    chunk = text[offsets[i]:offsets[last] + len(words[last])]
                    if "\n" in chunk:
                        continue
                    actor, country = _lookup_country(chunk)
                    if actor or country:
                        hit = (actor, country, i, i + size)
                        break
                if hit:
                    for j in range(hit[2], hit[3]):
                        found[j] = hit
                    i = hit[3]
            self._names = found
        return self._names

    # -- resolution --------------------------------------------------------
    def _entity_ref(self, tok: Token) -> Optional[ActorRef]:
        hit = self.mention.get(tok.i)
        if hit is None:
            return None
        _, eid, start, end = hit
        entity = self.entities[eid]
        actor = entity.actor or entity.country
        text = self.text[start:end]
        return ActorRef(eid, text, actor, entity.country, start, end, tok.pos_ == "PRON")

    def _country_near(self, head: Token, depth: int = 0) -> Optional[tuple[str, Optional[str], Token]]:
        """(actor, country, token) of the first name inside the head's noun phrase."""
        names = self.names()
        kids = list(head.children)
        if any(c.lower_ == "ethnic" for c in kids):
            return None  # "ethnic Albanians" in Serbia are not Albania's
        inside = [head] + [c for dep in _NP_DEPS for c in kids if c.dep_ == dep]
        for tok in inside:
            ref = self._entity_ref(tok) if tok is not head or depth else None
            if ref is not None and ref.country:
                return ref.actor or ref.country, ref.country, tok
            hit = names.get(tok.i)
            if hit and (hit[0] or hit[1]):
                return hit[0] or hit[1], hit[1], tok
        for tok in inside:
            place = self.place_country.get(tok.i)
            if place:  # "Hebron residents", "bombed Grozny": the place's country
                return place, place, tok
        if depth < 2:
            for child in kids:
                if child.dep_ in _NP_DEPS:
                    found = self._country_near(child, depth + 1)
                    if found:
                        return found
            for child in kids:
                if child.dep_ == "prep" and child.lower_ in _OF_PREPS:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = self._country_near(pobj, depth + 1)
                            if found:
                                return found
        return None

    def _of_country(self, head: Token) -> Optional[str]:
        """The country named in a noun's "of" phrase ("the president of Armenia")."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self._country_near(pobj, 1)
                        if found:
                            return found[1]
        return None

    def phrase(self, head: Token) -> tuple[int, int]:
        """Character offsets of the head's noun phrase without clauses or prepositions."""
        start, end = head.i, head.i + 1
        for child in head.lefts:
            if child.dep_ in ("compound", "amod", "poss", "det", "nummod", "nmod", "quantmod"):
                start = min(start, child.left_edge.i)
        for child in head.rights:
            if child.dep_ in ("compound", "case") or (child.dep_ == "prep" and child.lower_ == "of"):
                end = max(end, child.right_edge.i + 1)
        while start < end and self.doc[start].dep_ == "det" and self.doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start + 1 and (self.doc[end - 1].is_punct or self.doc[end - 1].tag_ == "POS"):
            end -= 1
        return self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text)

    def resolve(self, head: Token) -> Optional[ActorRef]:
        """The actor a noun-phrase head stands for, or None when it names no actor
        (cached per token; callers get their own copy, as they may adjust it)."""
        key = head.i
        if key in self._resolved:
            found = self._resolved[key]
        else:
            found = self._resolved[key] = self._resolve(head)
        return replace(found) if found is not None else None

    def _resolve(self, head: Token) -> Optional[ActorRef]:
        if head.lower_ in _REL_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head
        if (head.lower_ in _PARTITIVE or head.pos_ == "NUM") and head.i not in self.mention:
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None:
                head = pobj
        ref = self._entity_ref(head)
        if ref is not None and ref.country and head.pos_ == "NOUN" and self._of_country(head) not in (None, ref.country):
            # "the president of Armenia" linked by coreference to another president: the
            # phrase's own country wins
            ref = None
        if ref is not None and _is_ethnic(head):
            # "ethnic Albanians" in Serbia are not Albania's: the place decides
            ref.actor = ref.country = None
            return ref
        if ref is not None and (ref.actor or ref.pronoun is False):
            if ref.country is None and (ref.actor is None or len(ref.actor) == 3):
                # "Ivory Coast's Supreme Court": a role entity takes its possessor's country
                near = self._country_near(head, 1 if head.i in self.place_country else 0)
                if near and ref.actor and not near[1]:
                    ref.actor = near[0]  # "Arab League Secretary-General X": the body's code
                elif near and ref.actor and _actors is not None:
                    ref.actor, ref.country = _actors.combine(near[1], [ref.actor]), near[1]
                elif near:
                    ref.actor, ref.country = near[0], near[1]
            return ref
        if head.pos_ == "PRON":
            return None
        role = _role(head)
        if role is None:  # "an army convoy", "a police station": the modifier's role
            role = next((r for c in head.children if c.dep_ == "compound" and c.pos_ == "NOUN"
                         and (r := _role(c)) is not None), None)
        near = self._country_near(head)
        if near is None and role is None:
            return None
        country = near[1] if near else None
        actor = near[0] if near else None
        if role and _actors is not None:
            if country and actor and len(actor) > 3 and actor[:3] == country and near[2] is not head:
                actor = _actors.combine(country, [role])
            elif country and (actor == country or actor is None):
                actor = _actors.combine(country, [role])
            elif not actor:
                actor = role
        start, end = self.phrase(head)
        return ActorRef(None, self.text[start:end], actor, country, start, end)
