"""Event coding: who did what to whom, as CAMEO and PLOVER events.

The stage ``fill_events`` reads the parse, the entities (actors and
coreference), times, places and quotes that earlier stages wrote, and fills
``analysis.events``.  Triggers and codes come from :mod:`event_triggers`, the
actors behind the arguments from :mod:`event_actors`, factuality from
:mod:`factuality`; :mod:`event_arguments` finds the argument heads in the
dependency parse.  This module resolves them to actors (pronouns through the
governing clause, "the two countries" through the latest pair, a country-less
role through the only country its sentence names), fills date and place, and
assembles one :class:`~eventwire.model.Event` per (source, target, code,
sentence).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from .event_actors import ActorIndex, ActorRef, role_code
from .event_lexicon import apply_frame, code_info
from .event_arguments import MAX_SIDE, demanded_clauses, find_targets, noun_sides, sides, verb_subject
from .event_triggers import Match, candidates, direct_object, noun_pattern, prep_objects, sentence_matches
from .factuality import ASSERTED, FUTURE, NEGATED, factuality
from .model import Analysis, Event, EventActor, Location, Offsets, SpanRef
from .nlp import doc_entities, doc_sentences, doc_text

#: Codes whose actors act on each other: "X and Y held talks" is X->Y and Y->X.
SYMMETRIC = frozenset({"030", "040", "041", "044", "046", "057", "060", "061", "062", "063",
                       "064", "0871", "190", "193", "161"})
#: Roots whose unnamed target is domestic: protests, yielding and coercion are
#: aimed at the government of the country where they happen.
DOMESTIC_PREFIXES = ("08", "14", "17", "132", "133", "137")
#: Violence whose unnamed target is the country where it happens (place only).
PLACE_TARGET_PREFIXES = ("18", "19", "20")
PLACE_TARGET_ROOTS = frozenset(PLACE_TARGET_PREFIXES)
#: Roots whose country-less role target ("the president") is the source's compatriot.
COMPATRIOT_ROOTS = frozenset({"02", "03", "05", "06", "07", "08", "09", "10", "11", "12", "13",
                              "14", "16", "17"})
#: Roots whose actors are mostly compatriots when a sentence names one country only:
#: appeals, concessions, accusations, demands, rejections, threats, protests,
#: repression and violence are mostly domestic; meetings, praise, cooperation, aid
#: and sanctions mostly cross borders.
DOMESTIC_ROOTS = frozenset({"02", "08", "09", "10", "11", "12", "13", "14", "17", "18", "19", "20"})
#: Codes whose unnamed source is local to the event's place.
LOCAL_SOURCE_PREFIXES = ("09", "14", "173", "174")
#: Prepositions that put an event at a place ("in Beijing", "at the border").
LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around"})
_FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my", "ours"})
_THIRD_PERSON = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their"})
_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
_DATELINE = re.compile(r"^([A-Z][A-Za-z .'-]{1,40}?)(,[^\n]{0,40}?)?\s*(\(|—|–|-{1,2}\s)")
#: Nouns that, counted "the two ..." or "both ...", stand for a pair named before.
_PAIR_NOUNS = frozenset({"country", "side", "nation", "government", "leader", "neighbour", "neighbor",
                         "capital", "delegation", "state", "party", "president", "minister"})


class _Context:
    """Per-document lookups shared by all sentences."""

    def __init__(self, doc: Doc, analysis: Analysis) -> None:
        self.doc = doc
        self.analysis = analysis
        self.actors = ActorIndex(doc, analysis)
        self.places = sorted(analysis.places, key=lambda p: p.start)
        self.times = [t for t in analysis.times if t.type == "DATE" and t.value and _DATE_VALUE.match(t.value)]
        self.quotes = [q for q in analysis.quotes if q.end > q.start]
        self.last_source: Optional[ActorRef] = None
        # the latest two actors of different countries on the sides of one event, for
        # "the two countries agreed ..." in a later sentence
        self.last_pair: Optional[tuple[ActorRef, ActorRef]] = None
        self.dateline = _dateline(analysis)
        self.candidates = candidates(doc)
        # (offset, country) of every mention or place that names a country, for the
        # countries a sentence names (see _sentence_country)
        marks = [(m.start, e.country) for e in analysis.entities if e.country for m in e.mentions
                 if m.kind != "pronoun"]
        marks += [(p.start, p.country) for p in analysis.places if p.country]
        marks.sort()
        self.country_offsets = [m[0] for m in marks]
        self.country_marks = [m[1] for m in marks]
        self._name_marks: Optional[tuple[list[int], list[str]]] = None

    def sentence_countries(self, sent: Span) -> set[str]:
        """The countries a sentence names (entities with a country, places, and the
        country names and adjectives of the actor tables)."""
        lo = bisect_left(self.country_offsets, sent.start_char)
        hi = bisect_left(self.country_offsets, sent.end_char)
        found = set(self.country_marks[lo:hi])
        if self._name_marks is None:
            hits = sorted({(hit[2], hit[1]) for hit in self.actors.names().values() if hit[1]})
            self._name_marks = ([h[0] for h in hits], [h[1] for h in hits])
        starts, countries = self._name_marks
        found.update(countries[bisect_left(starts, sent.start):bisect_left(starts, sent.end)])
        return found

    def place_at(self, tok: Token):
        for place in self.places:
            if place.start <= tok.idx < place.end:
                return place
        return None

    def quote_at(self, tok: Token):
        for quote in self.quotes:
            if quote.start <= tok.idx < quote.end:
                return quote
        return None


def _dateline(analysis: Analysis) -> Optional[Location]:
    """The place of a wire dateline ("BEIJING (Reuters) -") at the start of the body."""
    text = analysis.text
    start = analysis.title_span.end if analysis.title_span else 0
    body = text[start:start + 120].lstrip()
    offset = len(text[start:start + 120]) - len(body) + start
    match = _DATELINE.match(body)
    if not match or not match.group(1).split()[0].isupper():
        return None
    for place in analysis.places:
        if offset <= place.start < offset + match.end(1):
            return Location(place.name, place.lat, place.lon, place.country)
    return None


# ---------------------------------------------------------------- arguments

def _resolve(tok: Token, top: Token, ctx: _Context) -> Optional[ActorRef]:
    ref = ctx.actors.resolve(tok)
    if ref is not None and ref.country is None and ref.entity is None \
            and (ref.actor is None or len(ref.actor) == 3):
        # "their forces": the country of the possessor
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if owner is not None:
            found = _resolve(owner, top, ctx)
            if found is not None and found.country:
                ref.country = found.country
                ref.actor = found.country + (ref.actor if ref.actor and len(ref.actor) == 3
                                             and ref.actor != found.country else "")
                ref.pronoun = True
    if ref is not None and (ref.actor or ref.entity):
        return ref
    if tok.pos_ != "PRON":
        return ref
    low = tok.lower_
    quote = ctx.quote_at(tok)
    if low in _FIRST_PERSON and quote is not None and quote.speaker:
        entity = ctx.actors.entities.get(quote.speaker)
        if entity is not None:
            return ActorRef(entity.id, tok.text, entity.actor or entity.country, entity.country,
                            tok.idx, tok.idx + len(tok.text), True)
    if low not in _THIRD_PERSON:
        return None
    # The subject of a governing clause: "Syria says it will withdraw".
    head = top
    fallback = None
    for _ in range(6):
        if head.head.i == head.i:
            break
        head = head.head
        for child in head.children:
            if child.dep_ == "nsubj" and child.i != tok.i and child.pos_ != "PRON":
                found = ctx.actors.resolve(child)
                if found is not None and found.actor:
                    found.pronoun = True
                    if found.country or found.entity:
                        return found
                    # "X said their forces completed their withdrawal": a role without a
                    # country ("their forces") is not whom the pronoun names; look higher
                    fallback = fallback or found
    if fallback is not None:
        return fallback
    if ctx.last_source is not None and low in ("he", "she", "it", "they"):
        last = ctx.last_source
        return ActorRef(last.entity, tok.text, last.actor, last.country, tok.idx,
                        tok.idx + len(tok.text), True)
    return None


def _event_actor(ref: Optional[ActorRef]) -> Optional[EventActor]:
    if ref is None:
        return None
    return EventActor(ref.entity, ref.text, ref.actor)


# ---------------------------------------------------------------- date, place

def _attached(tok: Token, anchors: set[int]) -> bool:
    """Whether tok hangs from one of the anchors without crossing another clause."""
    cur = tok
    for _ in range(8):
        if cur.i in anchors:
            return True
        if cur.head.i == cur.i:
            return False
        if cur is not tok and cur.pos_ in ("VERB", "AUX") and cur.dep_ != "aux":
            return False
        cur = cur.head
    return False


def _date(ctx: _Context, sent: Span, anchors: set[int]) -> Optional[str]:
    for timex in ctx.times:
        if not (sent.start_char <= timex.start < sent.end_char):
            continue
        span = ctx.doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is not None and _attached(span.root, anchors):
            return timex.value
    return ctx.analysis.published


def _location(ctx: _Context, anchors: Iterable[Token]) -> Optional[Location]:
    for anchor in anchors:
        if anchor is None:
            continue
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in LOCATIVE:
                for tok in child.subtree:
                    place = ctx.place_at(tok)
                    if place is not None:
                        return Location(place.name, place.lat, place.lon, place.country)
            if child.dep_ == "compound" and anchor.pos_ == "NOUN":
                place = ctx.place_at(child)
                if place is not None and place.kind in ("city", "admin1", "landmark"):
                    return Location(place.name, place.lat, place.lon, place.country)
    return ctx.dateline


# ---------------------------------------------------------------- assembly

def _final_code(match: Match, modality) -> tuple[str, str]:
    """CAMEO's rule for announced actions: future cooperation is 03, future conflict 13,
    and an announced refusal ("will not accept") is 12."""
    code, value = match.code, modality.value
    if match.nominal or match.frame is not None:
        return code, value
    root = code[:2]
    if modality.intent and modality.negated:
        return apply_frame("refuse", code), ASSERTED
    if modality.intent and not modality.hypothetical and root in (
            "04", "05", "06", "07", "08", "14", "15", "16", "17", "18", "19", "20"):
        return apply_frame("intent", code), FUTURE
    return code, value


def _span(doc: Doc, match: Match) -> SpanRef:
    toks = [match.trigger]
    if match.noun is not None and abs(match.noun.i - match.trigger.i) <= 4:
        toks.append(match.noun)
    start = min(t.i for t in toks)
    end = max(t.i for t in toks) + 1
    span = doc[start:end]
    return SpanRef(span.start_char, span.end_char, span.text)


def _domestic_target(code: str, source: Optional[ActorRef], location: Optional[Location]) -> Optional[ActorRef]:
    if code.startswith(PLACE_TARGET_PREFIXES):
        country = location.country if location else None
    elif code.startswith(DOMESTIC_PREFIXES):
        country = (location.country if location else None) or (source.country if source else None)
    else:
        return None
    if not country:
        return None
    return ActorRef(None, None, country + "GOV" if code[:2] == "14" else country, country, 0, 0)


def _localised(ref: Optional[ActorRef], location: Optional[Location]) -> Optional[ActorRef]:
    """A bare role with no country ("militias", "the government") in an event placed
    in a country is that country's: "militias killed civilians in Rwanda" -> RWAREB, RWACVL."""
    if ref is None or ref.country or not ref.actor or len(ref.actor) != 3 \
            or location is None or not location.country or ref.actor.startswith(("IGO", "NGO", "IMG")):
        return ref
    return ActorRef(ref.entity, ref.text, location.country + ref.actor, location.country,
                    ref.start, ref.end, ref.pronoun)


def _countryless(ref: Optional[ActorRef], ctx: _Context) -> bool:
    """An actor with no country that could have one: a role ("the president",
    "militants") or a named person the actor tables do not place (not an unknown
    organisation, which may well be international)."""
    if ref is None or ref.country:
        return False
    if ref.actor is not None:
        return len(ref.actor) == 3
    entity = ctx.actors.entities.get(ref.entity) if ref.entity else None
    return entity is not None and entity.type == "PERSON"


def _with_country(ref: Optional[ActorRef], country: str) -> ActorRef:
    if ref is None:
        return ActorRef(None, None, country, country, 0, 0)
    role = ref.actor if ref.actor and len(ref.actor) == 3 and ref.actor != country else ""
    return ActorRef(ref.entity, ref.text, country + role, country, ref.start, ref.end, ref.pronoun)


def _sentence_country(ctx: _Context, sent: Span, code: str, source: Optional[ActorRef],
                      target: Optional[ActorRef]) -> tuple[Optional[ActorRef], Optional[ActorRef]]:
    """A country-less actor in a sentence that names a single country is that country's:
    "President X shortened the curfew in Sudan", "the court allowed Y to run, Kenyan media
    said" — unless the country is the other side's and the code is not a domestic one."""
    # unnamed protesters (and arresting authorities) are local, like those of a place
    src_open = _countryless(source, ctx) or (
        (source is None or not source.actor) and code.startswith(LOCAL_SOURCE_PREFIXES))
    tgt_open = _countryless(target, ctx)
    if not (src_open or tgt_open):
        return source, target
    named = ctx.sentence_countries(sent)
    if len(named) != 1:
        return source, target
    country = next(iter(named))
    # the other side's own country makes the pair compatriots, which only domestic
    # codes suggest: "the minister met Chinese investors" is not a Chinese minister
    domestic = code[:2] in DOMESTIC_ROOTS
    if src_open and (domestic or target is None or target.country != country):
        source = _with_country(source, country)
    if tgt_open and (domestic or source is None or source.country != country):
        target = _with_country(target, country)
    return source, target


def _confidence(match: Match, source, target, modality, quoted: bool) -> float:
    score = 0.6
    if source is not None and source.actor:
        score += 0.15
    if target is not None and target.actor:
        score += 0.1
    if match.nominal:
        score -= 0.15
    if match.frame is not None:
        score += 0.05
    if source is not None and source.pronoun:
        score -= 0.1
    if quoted:
        score -= 0.1
    if modality.value != ASSERTED:
        score -= 0.05
    return round(max(0.05, min(0.95, score)), 2)


def _key(ref: Optional[ActorRef]) -> Optional[str]:
    if ref is None:
        return None
    return ref.entity or ref.actor or ref.text


def _emit(ctx: _Context, sent: Span, match: Match, sources: list[Optional[ActorRef]],
          targets: list[Optional[ActorRef]], modality, out: list[Event], seen: set) -> None:
    code, value = _final_code(match, modality)
    info = code_info(code)
    if info is None:
        return
    anchors = {match.top.i, match.inner.i, match.trigger.i}
    if match.noun is not None:
        anchors.add(match.noun.i)
    date = _date(ctx, sent, anchors)
    anchors_loc = [match.inner, match.top, match.noun, direct_object(match.inner)]
    if match.nominal and match.trigger.dep_ in ("nsubj", "nsubjpass"):
        anchors_loc.append(match.trigger.head)  # "talks resumed in Moscow"
    if match.pattern.object_prep:  # "was put under investigation in Italy"
        anchors_loc.extend(ctx.doc[i] for i in sorted(match.consumed))
    location = _location(ctx, anchors_loc)
    quoted = ctx.quote_at(match.trigger) is not None
    pairs = []
    symmetric = code in SYMMETRIC and ("with" in match.pattern.tpreps or "between" in match.pattern.tpreps)
    real_targets = [t for t in targets if t is not None]
    if len(sources) > 1 and all(s is not None and s.reciprocal for s in sources):
        symmetric = True  # "the two countries agreed ...": each with the other
    for source in sources:
        if symmetric and not real_targets and len(sources) > 1:
            for other in sources:
                if other is not source:
                    pairs.append((source, other))
            continue
        for target in targets or [None]:
            pairs.append((source, target))
    for source, target in pairs:
        source, target = _sentence_country(ctx, sent, code, source, target)
        if target is None or not target.actor:
            target = _domestic_target(code, source, location) or target
        elif target.country is None and source is not None and source.country \
                and code[:2] in COMPATRIOT_ROOTS and len(target.actor) == 3:
            # "ordered former president X to appear": a role without a country is local
            target = ActorRef(target.entity, target.text, source.country + target.actor,
                              source.country, target.start, target.end, target.pronoun)
        if (source is None or not source.actor) and location is not None and location.country \
                and code.startswith(LOCAL_SOURCE_PREFIXES):
            # protesters in X are X's; an arrest in X without an agent is X's authorities'
            role = "GOV" if code.startswith("17") else None
            source = ActorRef(source.entity if source else None, source.text if source else None,
                              location.country + (role or ""), location.country, 0, 0)
        source, target = _localised(source, location), _localised(target, location)
        if source is not None and target is not None and (
                (_key(source) == _key(target) and source.entity)
                or (source.actor == target.actor and source.end > source.start
                    and source.start < target.end and target.start < source.end)):
            continue  # one actor on both sides ("its neighbour, Eritrea" and "Eritrea")
        if not ((source and (source.actor or source.entity)) or (target and (target.actor or target.entity))):
            continue
        key = (_key(source), _key(target), code, sent.start_char)
        if key in seen:
            continue
        seen.add(key)
        out.append(Event(
            source=_event_actor(source), target=_event_actor(target), cameo=code, root=code[:2],
            quad_class=info.quad_class, goldstein=info.goldstein, plover=info.plover,
            plover_mode=info.plover_mode, factuality=value, date=date, location=location,
            trigger=_span(ctx.doc, match), sentence=Offsets(sent.start_char, sent.end_char),
            confidence=_confidence(match, source, target, modality, quoted)))
        if source is not None and source.actor and not source.pronoun:
            ctx.last_source = source
        if source is not None and target is not None and source.country and target.country \
                and source.country != target.country:
            ctx.last_pair = (source, target)


def _foreign(sources: list, targets: list) -> bool:
    """Every source and target has a country, and no target shares one with a source."""
    own = {s.country for s in sources if s is not None}
    other = {t.country for t in targets if t is not None}
    return bool(own) and bool(other) and None not in own and None not in other and not own & other


def _governed(tok: Token, tops: set[int]) -> bool:
    """Whether a coded verb governs tok inside its own clause ("threatened to launch an
    offensive in its war with Iraq": the war is part of the threat), not through a
    relative or adverbial clause that reports something else."""
    cur = tok
    for _ in range(10):
        if cur.dep_ in ("relcl", "advcl") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.i in tops:
            return True
    return False


def _side_key(side: Optional[EventActor]) -> Optional[str]:
    """The _key of an emitted event side."""
    if side is None:
        return None
    return side.entity or side.actor or side.text


def _coordinated(tok: Token, ref: ActorRef, ctx: _Context) -> list[ActorRef]:
    """"North Korean and Chinese leaders", "French and Egyptian warships": one actor per
    coordinated country adjective, each with the head's role."""
    found = []
    role = (ref.actor or "")[3:] if ref.country else (ref.actor or "")
    for child in tok.children:
        if child.dep_ not in ("amod", "compound", "nmod"):
            continue
        for conj in child.conjuncts:
            other = ctx.actors.resolve(conj)
            if other is None or not other.country or other.country == ref.country:
                continue
            found.append(ActorRef(None, f"{conj.text} {tok.text}", other.country + role,
                                  other.country, conj.idx, tok.idx + len(tok.text)))
    return found[:MAX_SIDE - 1]


def _placed_attacker(subject: Token, ctx: _Context) -> list[ActorRef]:
    """"A car bomb in Kandahar killed ...": an attack whose subject names no actor is
    coded to the country where it struck (the CAMEO practice for unknown attackers)."""
    for child in subject.children:
        if child.dep_ == "prep" and child.lower_ in LOCATIVE:
            for tok in child.subtree:
                place = ctx.place_at(tok)
                if place is not None and place.country:
                    return [ActorRef(None, None, place.country, place.country, 0, 0)]
    return []


def _the_two(tok: Token, ctx: _Context) -> list[ActorRef]:
    """"The two countries/sides/leaders", "both governments": the pair of the latest
    event between two countries."""
    if ctx.last_pair is None or tok.lemma_.lower() not in _PAIR_NOUNS:
        return []
    if not any((c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in ("det", "predet") and c.lower_ == "both")
               for c in tok.children):
        return []
    start, end = ctx.actors.phrase(tok)
    text = ctx.actors.text[start:end]  # as written here: "The two countries"
    role = role_code(tok)  # "the two foreign ministers" are the two governments, not the pair
    found = []
    for ref in ctx.last_pair:
        actor = ref.country + role if role and len(role) == 3 and ref.country else ref.actor
        entity = ref.entity if role is None else None
        found.append(ActorRef(entity, text, actor, ref.country, start, end, True, True))
    return found


def _resolved(heads: list[Token], top: Token, ctx: _Context) -> list[Optional[ActorRef]]:
    refs = []
    for head in heads:
        pair = _the_two(head, ctx)
        if pair:
            refs.extend(pair)
            continue
        for tok in sides(head):
            ref = _resolve(tok, top, ctx)
            if ref is not None and (ref.actor or ref.entity):
                refs.append(ref)
                if ref.entity is None and ref.country:
                    refs.extend(_coordinated(tok, ref, ctx))
    unique, keys = [], set()
    for ref in refs:
        if _key(ref) not in keys:
            keys.add(_key(ref))
            unique.append(ref)
    return unique


def _pick_targets(heads: list[Token], sources: list[ActorRef], match: Match,
                  ctx: _Context) -> list[ActorRef]:
    """The first target head that names an actor, preferring one from another country
    than the source ("withdraw its troops from Lebanon" -> Lebanon)."""
    own = {s.country for s in sources if s is not None and s.country}
    first: list[ActorRef] = []
    # an event noun is never an actor ("held talks in Dubai": the talks are not Emirati);
    # its "of" phrase names whom it concerns ("the resignation of the president")
    kept = []
    for head in heads:
        if head.i in ctx.actors.mention or head.pos_ != "NOUN" or noun_pattern(head) is None:
            kept.append(head)
        else:
            kept.extend(prep_objects(head, "of"))
    heads = kept
    for head in heads:
        refs = [r for r in _resolved([head], match.top, ctx) if r.actor]
        if not refs:
            continue
        if not first:
            first = refs
        if not own or any(r.country and r.country not in own for r in refs):
            return refs
    if first:
        return first
    for head in heads:  # named but unknown actors ("Hamas") still make a target
        refs = _resolved([head], match.top, ctx)
        if refs:
            return refs
    return []


_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "pcomp", "amod", "npadvmod"})


def _is_background(tok: Token) -> bool:
    """Whether a clause only sets the scene of the sentence's main report: purpose
    and time clauses ("to demand reforms", "after troops shot ..."), relative clauses and
    participles modifying an argument ("refugees fleeing the war")."""
    for _ in range(8):
        if tok.dep_ in _SUBORDINATE:
            return True
        if tok.head.i == tok.i or tok.dep_ not in ("xcomp", "ccomp", "conj", "ROOT"):
            return tok.dep_ not in ("ROOT", "xcomp", "ccomp", "conj")
        tok = tok.head
    return False


def _code_sentence(ctx: _Context, sent: Span, out: list[Event]) -> None:
    seen: set = set()
    lo, hi = bisect_left(ctx.candidates, sent.start), bisect_left(ctx.candidates, sent.end)
    if lo == hi:
        return
    doc = ctx.doc
    tokens = [doc[i] for i in ctx.candidates[lo:hi]]
    matches, consumed = sentence_matches(sent, tokens)
    before = len(out)
    main = [m for m in matches if not _is_background(m.top)]
    if main:
        for match in matches:
            if match not in main:
                consumed |= match.consumed | {match.top.i}
        matches = main
    demanded = {c.i for m in matches for c in demanded_clauses(m)}
    if demanded:  # the demanded act is not itself reported: "demand that Israel ease ..."
        matches = [m for m in matches if m.top.i not in demanded]
    for match in matches:
        src_tok, passive_target = verb_subject(match.top)
        sources = _resolved([src_tok] if src_tok is not None else [], match.top, ctx)
        target_heads = find_targets(match)
        if passive_target is not None and match.target_hint is None:
            target_heads = [passive_target] + target_heads
        targets = _pick_targets(target_heads, sources, match, ctx)
        if not sources and src_tok is not None and match.code[:2] in PLACE_TARGET_ROOTS:
            sources = _placed_attacker(src_tok, ctx)
        if match.embedded is not None and match.frame == "appeal" and _foreign(sources, targets):
            # "Seoul said Pyongyang should dismantle ...": what one state says another
            # should do is a demand (10), what it says its own people should do an appeal
            code = apply_frame("demand", match.embedded)
            if code_info(code) is not None:
                match.code = code
        if src_tok is not None:
            consumed.add(src_tok.i)
        for head in target_heads:
            consumed.add(head.i)
        obj = direct_object(match.inner)
        if obj is not None:
            consumed.add(obj.i)
        modality = factuality(match.top)
        _emit(ctx, sent, match, sources or [None], targets, modality, out, seen)
    # Standalone event nouns: "Kim's visit to China", "talks between X and Y". Next to
    # a verb event only when the noun phrase itself names both sides ("a second
    # Kim-Trump summit is expected"), so that a noun does not repeat or decorate it.
    verb_events = out[before:]
    tops = {m.top.i for m in matches}
    for tok in tokens:
        if tok.i in consumed or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        pattern = noun_pattern(tok)
        if pattern is None:
            continue
        if tok.dep_ in ("compound",) or (tok.dep_ in ("nsubj", "dobj") and tok.head.i in tops):
            continue
        src_heads, tgt_heads = noun_sides(tok, pattern.tpreps, ctx, pattern.code)
        if verb_events:
            if not (src_heads and tgt_heads) or _governed(tok, tops):
                continue
            match = Match(tok, pattern.code, pattern, tok, tok, nominal=True)
            sources = _resolved(src_heads, tok, ctx)
            targets = _resolved(tgt_heads, tok, ctx)
            pairs = {(_key(s), _key(t)) for s in sources for t in targets}
            if not pairs or any((_side_key(e.source), _side_key(e.target)) in pairs
                                and e.root == pattern.code[:2] for e in verb_events):
                continue
            _emit(ctx, sent, match, sources, targets, factuality(tok), out, seen)
            continue
        if not src_heads and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
            # "the EC considered sanctions against Serbia": who weighs the action takes it
            src_tok, _ = verb_subject(tok.head)
            if src_tok is not None:
                src_heads = [src_tok]
        if not src_heads and tok.dep_ == "pobj" and tok.head.lower_ in ("for", "in", "to") \
                and tok.head.head.pos_ in ("VERB", "AUX"):
            # "negotiators returned to Geneva for talks": the travellers hold the talks
            src_tok, _ = verb_subject(tok.head.head)
            if src_tok is not None:
                src_heads = [src_tok]
        if not src_heads and not tgt_heads:
            continue
        match = Match(tok, pattern.code, pattern, tok, tok, nominal=True)
        sources = _resolved(src_heads, tok, ctx)
        targets = _resolved(tgt_heads, tok, ctx)
        if not sources and not targets:
            continue
        _emit(ctx, sent, match, sources or [None], targets, factuality(tok), out, seen)
    if len(out) > before:
        return


def _skip_sentence(sent: Span, analysis: Analysis) -> bool:
    if sent._.is_fragment:
        return True
    span = analysis.title_span
    if span is not None and span.start <= sent.start_char < span.end:
        return True
    return False


def _statement_events(ctx: _Context, out: list[Event]) -> None:
    """CAMEO 010 for a quote whose speaker is an actor, when its sentence has no other event."""
    coded = {(e.sentence.start, e.sentence.end) for e in out}
    done = set()
    for quote in ctx.quotes:
        if not quote.speaker or quote.cue is None:
            continue
        entity = ctx.actors.entities.get(quote.speaker)
        if entity is None or not (entity.actor or entity.country):
            continue
        cue_span = ctx.doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        if cue_span is None:
            continue
        sent = cue_span.sent
        if _skip_sentence(sent, ctx.analysis):
            continue
        key = (sent.start_char, sent.end_char)
        if any(s <= key[0] < e or key[0] <= s < key[1] for s, e in coded) or key in done:
            continue
        done.add(key)
        info = code_info("010")
        mention = quote.speaker_mention
        modality = factuality(cue_span.root)
        out.append(Event(
            source=EventActor(entity.id, mention.text if mention else entity.name, entity.actor or entity.country),
            target=None, cameo="010", root="01", quad_class=info.quad_class, goldstein=info.goldstein,
            plover=info.plover, plover_mode=info.plover_mode,
            factuality=NEGATED if modality.negated else ASSERTED,
            date=_date(ctx, sent, {cue_span.root.i}), location=None,
            trigger=SpanRef(quote.cue.start, quote.cue.end, quote.cue.text),
            sentence=Offsets(sent.start_char, sent.end_char), confidence=0.5))


def fill_events(doc: Doc, analysis: Analysis) -> None:
    """Fill ``analysis.events``; never raises (a failing sentence is skipped)."""
    analysis.events = []
    try:
        ctx = _Context(doc, analysis)
    except Exception:
        return
    events: list[Event] = []
    for sent in doc_sentences(doc):
        try:
            if _skip_sentence(sent, analysis):
                continue
            _code_sentence(ctx, sent, events)
        except Exception:
            continue
    try:
        _statement_events(ctx, events)
    except Exception:
        pass
    events.sort(key=lambda e: (e.sentence.start, e.trigger.start))
    analysis.events = events
