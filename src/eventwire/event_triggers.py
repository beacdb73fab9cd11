"""Finding event triggers in a parsed sentence and the CAMEO code each reports.

A trigger is a verb, a noun, or a light verb with an event noun ("held
talks"), looked up in ``event_patterns.tsv``.  Frame verbs ("agreed to",
"refused to", "urged ... to", "threatened to") take the code of the clause
they embed and turn it through ``event_frames.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from functools import lru_cache

from spacy.attrs import LEMMA
from spacy.tokens import Doc, Span, Token

from .event_lexicon import Pattern, apply_frame, code_info, cue, modality, patterns
from .nlp import doc_attrs

_VERBAL = frozenset({"VERB", "AUX"})
_NOMINAL = frozenset({"NOUN", "PROPN"})
_OBJ_DEPS = ("dobj", "obj")
#: Frames whose clause may be a "that"-clause with its own subject.
_CCOMP_FRAMES = frozenset({"demand", "appeal"})
_CCOMP_LEMMAS = frozenset({"demand", "insist", "urge", "ask", "request", "propose", "recommend",
                           "appeal", "call", "plead"})
#: Frame verbs whose noun object is an action demanded of someone else.
_NOUN_FRAMES = frozenset({"demand", "call", "ask", "urge", "appeal", "press", "refuse", "decline",
                          "offer", "promise", "pledge", "seek", "request"})
#: Lemmas of reporting verbs whose "X must/should ..." complement is a demand/appeal.
_DEMAND_MODALS = {"must": "demand", "should": "appeal", "ought": "appeal"}
_MAX_DEPTH = 3


@dataclass
class Match:
    """A trigger with its code and the tokens that carry its arguments."""

    trigger: Token  # the word whose pattern gave the code (verb or noun)
    code: str
    pattern: Pattern
    top: Token  # the verb (or noun) whose subject is the event's source
    inner: Token  # the verb (or noun) whose objects and prepositions hold the target
    frame: Optional[str] = None
    frames: list[Token] = field(default_factory=list)  # frame words between top and inner
    noun: Optional[Token] = None  # the event noun of a light verb
    target_hint: Optional[Token] = None  # explicit target from a frame ("urged X to")
    consumed: set[int] = field(default_factory=set)
    nominal: bool = False
    embedded: Optional[str] = None  # code of the prescribed act ("X said Y should ...")


def direct_object(tok: Token) -> Optional[Token]:
    """The object of a verb: dobj, else the passive subject, else the counted object
    the parser hangs on "up to" ("kidnapped up to 16 advisers")."""
    passive = particle = None
    for child in tok.children:
        dep = child.dep_
        if dep in _OBJ_DEPS:
            if child.ent_type_ not in ("DATE", "TIME"):
                return child
        elif dep == "nsubjpass":
            passive = passive or child
        elif dep == "prt" and particle is None and child.lower_ == "up":
            particle = child
    if passive is not None:
        return passive
    if particle is not None:
        for prep in particle.children:
            if prep.dep_ == "prep" and prep.lower_ == "to":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and any(c.dep_ == "nummod" for c in pobj.children):
                        return pobj
    return None


def is_temporal(tok: Token) -> bool:
    """A time expression ("on Tuesday"), never an actor."""
    return tok.ent_type_ in ("DATE", "TIME")


def clause_subject(tok: Token) -> Optional[Token]:
    """The subject of a "that"-clause or complement ("demanded that X leave")."""
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and not is_temporal(c)), None)


def _lemmas(tok: Token, partitive: bool = True) -> set[str]:
    """Lemmas naming what an object is: its head, modifiers, and the noun after a
    quantity or part ("tons of food aid", "part of an aid programme", "state of emergency")."""
    found = {tok.lemma_.lower(), tok.lower_}
    for child in tok.children:
        if child.dep_ in ("compound", "amod"):
            found.add(child.lemma_.lower())
            found.add(child.lower_)
        elif partitive and child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found |= _lemmas(pobj, False)
    return found


#: Nouns that stand for an action named by their modifier ("a mediation effort").
_LIGHT_NOUNS = frozenset({"effort", "efforts", "bid", "attempt", "campaign", "drive", "mission",
                          "process", "round", "operation", "programme", "program", "initiative"})


def _has_particle(tok: Token, particle: str) -> bool:
    first = particle.split()[0]
    return any(c.dep_ in ("prt", "prep", "advmod", "acomp") and c.lower_ == first for c in tok.children)


def prep_objects(tok: Token, prep: str) -> list[Token]:
    """Objects of a preposition attached to tok ("impose ... on X" -> X)."""
    found = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
            found.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
    return found


def noun_pattern(tok: Token) -> Optional[Pattern]:
    """The N pattern a noun matches, compounds first ("hunger strike" before "strike")."""
    if tok.pos_ not in _NOMINAL:
        return None
    rows = patterns().get(tok.lemma_.lower()) or patterns().get(tok.lower_)
    if not rows:
        if tok.lemma_.lower() in _LIGHT_NOUNS:
            for child in tok.children:
                if child.dep_ in ("compound", "nmod") and child.pos_ in _NOMINAL:
                    found = noun_pattern(child)
                    if found is not None:
                        return found
        return None
    mods = None
    for row in rows:
        if row.pos != "N":
            continue
        if row.modifier or row.objects:
            if mods is None:
                mods = _lemmas(tok)
            if row.modifier and row.modifier not in mods:
                continue
            if row.objects and not (row.objects & mods):
                continue
        return row
    return None


def _complement(tok: Token, frame: str) -> Optional[Token]:
    """The clause a frame word embeds: "agreed to resume", "committed to opening",
    "vowed to fight" (parsed as a purpose clause), "demanded that X leave"."""
    for child in tok.children:
        if child.dep_ == "xcomp" and child.pos_ in _VERBAL:
            return child
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            for pcomp in child.children:
                if pcomp.dep_ in ("pcomp", "pobj") and pcomp.pos_ in _VERBAL:
                    return pcomp
    for child in tok.children:
        if child.dep_ == "advcl" and child.i > tok.i and child.pos_ in _VERBAL \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            return child
    if frame in _CCOMP_FRAMES and tok.lemma_.lower() in _CCOMP_LEMMAS:
        for child in tok.children:
            if child.dep_ == "ccomp" and child.i > tok.i and child.pos_ in _VERBAL:
                return child
    return None


def match_verb(tok: Token, depth: int = 0) -> Optional[Match]:
    """The event a verb (or frame adjective) reports, with frames applied."""
    rows = patterns().get(tok.lemma_.lower()) or patterns().get(tok.lower_)
    if not rows or depth > _MAX_DEPTH:
        return None
    obj = direct_object(tok)
    for row in rows:
        if row.pos == "N":
            continue
        if row.particle and not _has_particle(tok, row.particle):
            continue
        if row.pos == "V" and (row.objects or row.object_prep):
            if row.object_prep:
                pobjs = prep_objects(tok, row.object_prep)
                hit = next((p for p in pobjs if not row.objects or row.objects & _lemmas(p)), None)
            else:
                hit = obj if obj is not None and row.objects & _lemmas(obj) else None
            if hit is None:
                continue
            code = row.code
            consumed = {hit.i}
            inner_tok = tok
            if code.startswith("03") and depth < _MAX_DEPTH:
                # "accepted an invitation to visit": the intent is the embedded event's
                for acl in hit.children:
                    if acl.dep_ == "acl" and acl.pos_ in _VERBAL:
                        inner = match_verb(acl, depth + 1)
                        if inner is not None:
                            code = apply_frame("intent", inner.code)
                            consumed |= {acl.i} | inner.consumed
                            inner_tok = inner.inner
                            row = inner.pattern
                        break
            return Match(tok, code, row, tok, inner_tok, consumed=consumed)
        if row.pos == "L":
            noun = obj if obj is not None else None
            if noun is None:
                for prep in ("in", "on"):  # "engage in talks", "go on strike"
                    found = prep_objects(tok, prep)
                    if found:
                        noun = found[0]
                        break
            pattern = noun_pattern(noun) if noun is not None else None
            if pattern is None:
                # "launched ten days of war games": the event is in the "of" phrase (of an
                # object the parser may have tagged as a date)
                holders = [c for c in tok.children if c.dep_ in _OBJ_DEPS]
                for pobj in (p for h in holders for p in prep_objects(h, "of")):
                    pattern = noun_pattern(pobj)
                    if pattern is not None:
                        noun = pobj
                        break
            if pattern is None:
                # "resumed shelling", "began withdrawing": the embedded verb is the event
                comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
                inner = match_verb(comp, depth + 1) if comp is not None else None
                if inner is not None:
                    inner.top = tok
                    inner.consumed = inner.consumed | {comp.i}
                    return inner
                continue
            return Match(tok, pattern.code, pattern, tok, noun, noun=noun, consumed={noun.i})
        if row.pos == "F":
            if tok.pos_ not in _VERBAL and tok.pos_ != "ADJ":
                continue
            match = _frame_match(tok, row, depth)
            if match is not None:
                return match
            continue
        if tok.pos_ not in _VERBAL:
            continue
        row = _by_preposition(tok, row, rows)
        return Match(tok, row.code, row, tok, tok)
    return None


def _plain(row: Pattern, tok: Token) -> bool:
    return row.pos == "V" and not row.objects and not row.object_prep and (
        not row.particle or _has_particle(tok, row.particle))


def _by_preposition(tok: Token, row: Pattern, rows) -> Pattern:
    """Among a verb's plain rows, the one whose target preposition the verb has:
    "protested against X" (demonstrate) is not "protested with X" (complain)."""
    preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
    if not preps or preps & set(row.tpreps):
        return row
    for other in rows:
        if other is not row and _plain(other, tok) and preps & set(other.tpreps):
            return other
    return row


def _frame_match(tok: Token, row: Pattern, depth: int) -> Optional[Match]:
    frame = row.code
    comp = _complement(tok, frame)
    inner_match = None
    if comp is not None:
        inner_match = match_verb(comp, depth + 1)
    if inner_match is None and tok.lemma_.lower() in _NOUN_FRAMES:
        # "demanded the release of ...", "called for talks", "refused admittance"
        candidates = [direct_object(tok)] + prep_objects(tok, "for")
        for cand in candidates:
            if cand is None:
                continue
            pattern = noun_pattern(cand)
            if pattern is not None:
                inner_match = Match(cand, pattern.code, pattern, cand, cand, nominal=True)
                break
    target_hint = None
    if frame in ("appeal", "demand"):
        target_hint = _addressee(tok, comp, inner_match)
    if inner_match is None:
        if comp is None:
            return None
        code = apply_frame(frame, "0")
        if code_info(code) is None:
            return None
        return Match(tok, code, row, tok, comp, frame=frame, target_hint=target_hint,
                     consumed={comp.i})
    code = apply_frame(frame, inner_match.code)
    if code_info(code) is None:
        return None
    consumed = {inner_match.trigger.i, inner_match.top.i} | inner_match.consumed
    return Match(inner_match.trigger if inner_match.nominal else tok, code, inner_match.pattern, tok,
                 inner_match.inner, frame=frame,
                 frames=[*inner_match.frames, inner_match.top] if inner_match.top is not tok else [],
                 noun=inner_match.noun, target_hint=target_hint or inner_match.target_hint,
                 consumed=consumed)


def _addressee(tok: Token, comp: Optional[Token], inner_match: Optional[Match]) -> Optional[Token]:
    """Whom an appeal or demand is made of: the object ("urged Israel to"), the subject of
    the demanded clause ("demanded that the US cancel"), the agent of a demanded act
    ("demanded an admission by Moscow"), or "on"/"to" ("called on Arabs to")."""
    obj = direct_object(tok)
    if obj is not None and is_temporal(obj):
        obj = None
    if obj is not None and (inner_match is None or obj.i != inner_match.trigger.i):
        return obj
    if comp is not None and comp.dep_ == "ccomp":
        subject = clause_subject(comp)
        if subject is not None:
            return subject
    if inner_match is not None and inner_match.nominal:
        agent = prep_objects(inner_match.trigger, "by")
        if agent:
            return agent[0]
    for prep in ("on", "to"):
        found = [t for t in prep_objects(tok, prep) if not is_temporal(t)]
        if found:
            return found[0]
    return None


def match_say_demand(tok: Token) -> Optional[Match]:
    """"X said Y must return the aircraft" is X demanding it of Y (CAMEO 10/02)."""
    if tok.pos_ not in _VERBAL:
        return None
    hit = cue(tok.lemma_)
    if not hit or hit[0] != "say":
        return None
    for comp in tok.children:
        if comp.dep_ != "ccomp" or comp.pos_ not in _VERBAL:
            continue
        modal = next((c.lower_ for c in comp.children if c.dep_ == "aux" and c.lower_ in _DEMAND_MODALS), None)
        subject = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if modal is None or subject is None or subject.pos_ == "PRON":
            continue
        inner = match_verb(comp, 1)
        frame = _DEMAND_MODALS[modal]
        code = apply_frame(frame, inner.code if inner else "0")
        if code_info(code) is None:
            continue
        row = Pattern(tok.lemma_.lower(), None, None, "F", frozenset(), None, (), frame)
        consumed = {comp.i} | (inner.consumed if inner else set())
        return Match(tok, code, row, tok, inner.inner if inner else comp, frame=frame,
                     target_hint=subject, consumed=consumed, embedded=inner.code if inner else "0")
    return None


@lru_cache(maxsize=1)
def trigger_words() -> frozenset[str]:
    """Every word that can start a match: pattern lemmas, light nouns, say verbs."""
    says = {word for word, (kind, _) in modality().items() if kind == "say"}
    return frozenset(patterns()) | _LIGHT_NOUNS | says


_WANTED_POS = frozenset({"VERB", "AUX", "ADJ", "NOUN", "PROPN"})


def candidates(doc: Doc) -> list[int]:
    """Indices of the tokens worth a closer look (their lemma or form is a trigger
    word), read from arrays so that the other tokens never become Token objects."""
    cached = doc.user_data.get("eventwire.event_candidates")
    if cached is not None:
        return cached
    found: list[int] = []
    if len(doc):
        words = trigger_words()
        strings = doc.vocab.strings
        hashes = _word_hashes(strings, words)
        attrs = doc_attrs(doc)
        lemmas = doc.to_array([LEMMA]).tolist()
        wanted = _WANTED_POS
        for i, (lemma, lower, pos) in enumerate(zip(lemmas, attrs.lower, attrs.pos)):
            if pos in wanted and (lemma in hashes or lower in words):
                found.append(i)
    doc.user_data["eventwire.event_candidates"] = found
    return found


_HASHES: dict[int, frozenset[int]] = {}


def _word_hashes(strings, words: frozenset[str]) -> frozenset[int]:
    """Hashes of the trigger words in a vocabulary's string store (lower-cased lemmas
    are compared by hash; spaCy lemmas of verbs and nouns are lower case)."""
    key = id(strings)
    found = _HASHES.get(key)
    if found is None:
        found = _HASHES[key] = frozenset(strings.add(w) for w in words)
    return found


def sentence_matches(sent: Span, tokens: Optional[list[Token]] = None) -> tuple[list[Match], set[int]]:
    """Verb matches of a sentence (frames applied) and the tokens they consume;
    ``tokens``: the sentence's candidate tokens when known (else every token)."""
    found: list[Match] = []
    consumed: set[int] = set()
    for tok in (sent if tokens is None else tokens):
        if tok.pos_ in _VERBAL or tok.pos_ == "ADJ":
            match = match_verb(tok)
            if match is None:
                match = match_say_demand(tok)
            if match is not None:
                found.append(match)
                consumed |= match.consumed
    kept = [m for m in found if m.top.i not in consumed]
    return kept, consumed
