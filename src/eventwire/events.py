"""Event coding: who did what to whom, as CAMEO and PLOVER events.

The stage ``fill_events`` reads the parse, the entities (actors and
coreference), times, places and quotes that earlier stages wrote, and fills
``analysis.events``.  Triggers and codes come from :mod:`event_triggers`, the
actors behind the arguments from :mod:`event_actors`, factuality from
:mod:`factuality`; this module finds the arguments in the dependency parse and
assembles one :class:`~eventwire.model.Event` per (source, target, code,
sentence).
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from .event_actors import ActorIndex, ActorRef
from .event_lexicon import apply_frame, code_info
from .event_triggers import (Match, direct_object, noun_pattern, prep_objects,
                             sentence_matches)
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
#: Roots whose country-less role target ("the president") is the source's compatriot.
COMPATRIOT_ROOTS = frozenset({"02", "03", "05", "06", "07", "08", "09", "10", "11", "12", "13",
                              "14", "16", "17"})
#: Codes whose unnamed source is local to the event's place.
LOCAL_SOURCE_PREFIXES = ("14", "173", "174")
#: Prepositions that put an event at a place ("in Beijing", "at the border").
LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around"})
_OBJECT_CONTROL = frozenset({"urge", "ask", "order", "force", "allow", "invite", "encourage", "tell",
                             "persuade", "press", "call", "instruct", "require", "permit", "compel",
                             "help", "implore"})
_FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my", "ours"})
_THIRD_PERSON = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their"})
_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
_DATELINE = re.compile(r"^([A-Z][A-Za-z .'-]{1,40}?)(,[^\n]{0,40}?)?\s*(\(|—|–|-{1,2}\s)")
_MAX_SIDE = 3


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
        self.dateline = _dateline(analysis)

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

def _adjectival_frame(verb: Token) -> bool:
    """"is committed/prepared/determined to": a passive form whose subject is the actor."""
    return verb.tag_ == "VBN" and any(c.dep_ in ("xcomp", "prep") for c in verb.children) and \
        verb.lower_ in ("committed", "prepared", "determined", "resolved", "obliged")


def _subject(verb: Token) -> tuple[Optional[Token], Optional[Token]]:
    """(source head, target head from a passive subject) of a verb."""
    passive_subject = None
    for child in verb.children:
        if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and _adjectival_frame(verb)):
            return child, None
        if child.dep_ == "nsubjpass":
            passive_subject = child
    if passive_subject is not None and not _adjectival_frame(verb):
        agents = prep_objects(verb, "by")
        return (agents[0] if agents else None), passive_subject
    if verb.dep_ == "agent" or verb.head.i == verb.i:
        return None, None
    head = verb.head
    if verb.dep_ == "xcomp":
        if head.lemma_.lower() in _OBJECT_CONTROL:
            obj = direct_object(head) or next(iter(prep_objects(head, "on")), None)
            if obj is not None:
                return obj, None
        source, raised = _subject(head)  # "X is expected to meet": X meets
        return source or raised, None
    if verb.dep_ == "conj":
        return _subject(head)
    if verb.dep_ == "relcl":
        return head, None
    if verb.dep_ == "acl":
        if verb.tag_ == "VBN":
            agents = prep_objects(verb, "by")
            return (agents[0] if agents else None), head
        if head.dep_ in ("dobj", "attr") and head.head.pos_ in ("VERB", "AUX"):
            # "issued a declaration demanding that ...": the issuer demands
            return _subject(head.head)[0], None
        return head, None
    if verb.dep_ in ("advcl", "pcomp") and verb.tag_ in ("VBG", "VB"):
        anchor = head.head if verb.dep_ == "pcomp" else head
        if anchor.pos_ in ("VERB", "AUX"):
            return _subject(anchor)[0], None
    if verb.dep_ in ("acomp",):
        return _subject(head)
    return None, None


def _sides(tok: Optional[Token]) -> list[Token]:
    if tok is None:
        return []
    return [tok, *[c for c in tok.conjuncts if c.pos_ in ("NOUN", "PROPN", "PRON", "ADJ")]][:_MAX_SIDE]


def _targets(match: Match) -> list[Token]:
    """Target heads: the frame's explicit target, else the pattern's objects/prepositions."""
    if match.target_hint is not None:
        return [match.target_hint]
    found: list[Token] = []
    inner = match.inner
    holders = [inner] + ([match.noun] if match.noun is not None and match.noun is not inner else [])
    obj = direct_object(inner)
    if obj is not None and obj not in holders and obj.dep_ != "nsubjpass":
        holders.append(obj)  # "threatened further action against Russia"
    for holder in list(holders[1:]):  # "a suspension of air links with Serbia"
        holders.extend(prep_objects(holder, "of"))
    if match.noun is not None and match.top.i != match.noun.i and match.frame is None \
            and match.top.i not in {h.i for h in holders}:
        holders.append(match.top)  # "extended aid to Vietnam": the light verb holds "to"
    if match.pattern.pos == "V" and not match.pattern.objects and not match.pattern.object_prep \
            and not match.nominal:
        obj = direct_object(inner)
        if obj is not None and obj.dep_ != "nsubjpass":
            if noun_pattern(obj) is None:
                found.append(obj)
            else:  # "rejected an Australian ultimatum": the target is its author
                authors, _ = _noun_sides(obj, (), None)
                found.extend(authors + prep_objects(obj, "from"))
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "dative" and child.pos_ != "ADP":
                found.append(child)
    preps = match.pattern.tpreps
    for prep in preps:
        if prep in ("dobj", "iobj"):
            continue
        for holder in holders:
            found.extend(prep_objects(holder, prep))
    if match.pattern.pos == "L" or match.noun is not None:
        if match.noun is not None:
            found.extend(prep_objects(match.noun, "with"))
    if obj is not None:  # "rejected the plan proposed by NATO": the plan's author
        for acl in obj.children:
            if acl.dep_ == "acl" and acl.tag_ == "VBN":
                found.extend(prep_objects(acl, "by"))
    if obj is not None and (match.pattern.objects or match.pattern.object_prep) and obj.dep_ != "nsubjpass":
        found.append(obj)  # last resort: "expelled two Russian diplomats"
    if obj is not None:
        for prep in ("with", "against", "on", "to"):
            found.extend(prep_objects(obj, prep))
    return found


def _noun_sides(noun: Token, pattern_preps: Iterable[str], ctx: Optional[_Context]) -> tuple[list[Token], list[Token]]:
    """Source and target heads of a standalone event noun ("Kim's visit to China")."""
    sources: list[Token] = []
    targets: list[Token] = []
    between: list[Token] = []
    modifiers: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss":
            sources.append(child)
        elif child.dep_ in ("amod", "compound", "nmod") and (
                ctx.actors.resolve(child) is not None if ctx is not None
                else child.pos_ in ("PROPN", "ADJ") and child.text[:1].isupper()):
            modifiers.append(child)
    sources.extend(prep_objects(noun, "by"))
    for prep in pattern_preps:
        if prep == "between":
            between.extend(prep_objects(noun, "between"))
        else:
            targets.extend(prep_objects(noun, prep))
    if between:
        pair = _sides(between[0])
        if not sources and len(pair) >= 2:
            sources, targets = [pair[0]], pair[1:]
        else:
            targets.extend(pair)
    if modifiers:
        if sources:
            targets = modifiers[:1] + targets if not targets else targets
        elif len(modifiers) >= 2:
            sources, targets = [modifiers[0]], modifiers[1:] + targets
        else:
            sources = modifiers[:1]
    return sources, targets


def _resolve(tok: Token, top: Token, ctx: _Context) -> Optional[ActorRef]:
    ref = ctx.actors.resolve(tok)
    if ref is not None and ref.country is None and ref.entity is None:
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
    for _ in range(6):
        if head.head.i == head.i:
            break
        head = head.head
        for child in head.children:
            if child.dep_ == "nsubj" and child is not tok and child.pos_ != "PRON":
                found = ctx.actors.resolve(child)
                if found is not None and found.actor:
                    found.pronoun = True
                    return found
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
    location = _location(ctx, anchors_loc)
    quoted = ctx.quote_at(match.trigger) is not None
    pairs = []
    symmetric = code in SYMMETRIC and ("with" in match.pattern.tpreps or "between" in match.pattern.tpreps)
    real_targets = [t for t in targets if t is not None]
    for source in sources:
        if symmetric and not real_targets and len(sources) > 1:
            for other in sources:
                if other is not source:
                    pairs.append((source, other))
            continue
        for target in targets or [None]:
            pairs.append((source, target))
    for source, target in pairs:
        if source is None and target is None:
            continue
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
        if source is not None and target is not None and _key(source) == _key(target) and source.entity:
            continue
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


def _resolved(heads: list[Token], top: Token, ctx: _Context) -> list[Optional[ActorRef]]:
    refs = []
    for head in heads:
        for tok in _sides(head):
            ref = _resolve(tok, top, ctx)
            if ref is not None and (ref.actor or ref.entity):
                refs.append(ref)
    return refs


def _pick_targets(heads: list[Token], sources: list[ActorRef], match: Match,
                  ctx: _Context) -> list[ActorRef]:
    """The first target head that names an actor, preferring one from another country
    than the source ("withdraw its troops from Lebanon" -> Lebanon)."""
    own = {s.country for s in sources if s is not None and s.country}
    first: list[ActorRef] = []
    for head in heads:
        refs = [r for r in _resolved([head], match.top, ctx) if r.actor]
        if not refs:
            continue
        if not first:
            first = refs
        if not own or any(r.country not in own for r in refs):
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
    matches, consumed = sentence_matches(sent)
    before = len(out)
    main = [m for m in matches if not _is_background(m.top)]
    if main:
        for match in matches:
            if match not in main:
                consumed |= match.consumed | {match.top.i}
        matches = main
    for match in matches:
        src_tok, passive_target = _subject(match.top)
        sources = _resolved([src_tok] if src_tok is not None else [], match.top, ctx)
        target_heads = _targets(match)
        if passive_target is not None and match.target_hint is None:
            target_heads = [passive_target] + target_heads
        targets = _pick_targets(target_heads, sources, match, ctx)
        if src_tok is not None:
            consumed.add(src_tok.i)
        for head in target_heads:
            consumed.add(head.i)
        obj = direct_object(match.inner)
        if obj is not None:
            consumed.add(obj.i)
        modality = factuality(match.top)
        _emit(ctx, sent, match, sources or [None], targets, modality, out, seen)
    # Standalone event nouns: "Kim's visit to China", "talks between X and Y" — only
    # when no verb reports an event, so that a noun does not repeat or decorate one.
    for tok in ([] if len(out) > before else sent):
        if tok.i in consumed or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        pattern = noun_pattern(tok)
        if pattern is None:
            continue
        if tok.dep_ in ("compound",) or (tok.dep_ in ("nsubj", "dobj") and tok.head.i in {m.top.i for m in matches}):
            continue
        src_heads, tgt_heads = _noun_sides(tok, pattern.tpreps, ctx)
        if not src_heads and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
            # "the EC considered sanctions against Serbia": who weighs the action takes it
            src_tok, _ = _subject(tok.head)
            if src_tok is not None:
                src_heads = [src_tok]
        if not src_heads and tok.dep_ == "pobj" and tok.head.lower_ in ("for", "in", "to") \
                and tok.head.head.pos_ in ("VERB", "AUX"):
            # "negotiators returned to Geneva for talks": the travellers hold the talks
            src_tok, _ = _subject(tok.head.head)
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
