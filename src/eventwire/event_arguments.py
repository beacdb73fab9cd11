"""Where an event's arguments are in the dependency parse.

Given a trigger match (:mod:`event_triggers`), these functions find the tokens
that head its source and target: the subject (through passive voice, control
and raising, conjunction, relative and participial clauses), the objects and
prepositional objects its pattern names, the addressee of a demand ("demanded
that X ..."), the author of a rejected proposal, the parties of an event noun
("Kim's visit to China", "talks between X and Y", "the Kim-Trump summit") and
coordinated sides.  Which actor a head stands for is :mod:`event_actors`' job;
:mod:`events` assembles the events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

from spacy.tokens import Token

from .event_triggers import Match, clause_subject, direct_object, noun_pattern, prep_objects

if TYPE_CHECKING:  # pragma: no cover
    from .events import _Context

#: Verbs whose object does what their complement says ("urged Iran to halt").
_OBJECT_CONTROL = frozenset({"urge", "ask", "order", "force", "allow", "invite", "encourage", "tell",
                             "persuade", "press", "call", "instruct", "require", "permit", "compel",
                             "help", "implore"})
#: At most this many coordinated actors make one side ("A, B and C condemned ...").
MAX_SIDE = 3
#: Roots whose target is the one asked or demanded of ("demanded that X ...").
_ADDRESSED_ROOTS = frozenset({"02", "10"})
#: Roots whose target may be named in a purpose clause ("protested to demand ... by X").
_PURPOSE_ROOTS = frozenset({"14", "17", "18", "19", "20"})
#: Roots whose target may sit in an "against" phrase deeper in the clause.
_HOSTILE_ROOTS = frozenset({"11", "12", "13", "15", "16", "17", "18", "19", "20"})
#: Meeting codes whose place modifier is a destination, not a venue ("his China visit").
TRAVEL_CODES = frozenset({"042", "043"})


def _adjectival_frame(verb: Token) -> bool:
    """"is committed/prepared/determined to": a passive form whose subject is the actor."""
    return verb.tag_ == "VBN" and any(c.dep_ in ("xcomp", "prep") for c in verb.children) and \
        verb.lower_ in ("committed", "prepared", "determined", "resolved", "obliged")


def verb_subject(verb: Token) -> tuple[Optional[Token], Optional[Token]]:
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
        source, raised = verb_subject(head)  # "X is expected to meet": X meets
        return source or raised, None
    if verb.dep_ == "conj":
        return verb_subject(head)
    if verb.dep_ == "relcl":
        return head, None
    if verb.dep_ == "acl":
        if verb.tag_ == "VBN":
            agents = prep_objects(verb, "by")
            return (agents[0] if agents else None), head
        if head.dep_ in ("dobj", "attr") and head.head.pos_ in ("VERB", "AUX"):
            # "issued a declaration demanding that ...": the issuer demands
            return verb_subject(head.head)[0], None
        return head, None
    if verb.dep_ in ("advcl", "pcomp") and verb.tag_ in ("VBG", "VB"):
        anchor = head.head if verb.dep_ == "pcomp" else head
        if anchor.pos_ in ("VERB", "AUX"):
            return verb_subject(anchor)[0], None
    if verb.dep_ in ("acomp",):
        return verb_subject(head)
    return None, None


def sides(tok: Optional[Token]) -> list[Token]:
    """The head and its coordinated actors ("Washington and Beijing"). Neighbouring
    conjuncts with no "and" or comma between them are one phrase the parser split
    ("Kim and U.S. President Donald Trump"): the later one, the name, stands for both."""
    if tok is None:
        return []
    conjuncts = [c for c in tok.conjuncts if c.pos_ in ("NOUN", "PROPN", "PRON", "ADJ")]
    if not conjuncts:
        return [tok]
    ordered = sorted([tok, *conjuncts], key=lambda t: t.i)
    doc = tok.doc
    kept = [ordered[0]]
    for nxt in ordered[1:]:
        prev = kept[-1]
        gap = doc[prev.i + 1:nxt.left_edge.i]
        if len(gap) == 0 or not any(t.pos_ == "CCONJ" or t.is_punct for t in gap):
            kept[-1] = nxt
        else:
            kept.append(nxt)
    if tok not in kept:  # keep the syntactic head first: it is the one the caller named
        kept.sort(key=lambda t: abs(t.i - tok.i))
    else:
        kept.remove(tok)
        kept.insert(0, tok)
    return kept[:MAX_SIDE]


def find_targets(match: Match) -> list[Token]:
    """Target heads: the frame's explicit target, else the pattern's objects/prepositions."""
    if match.target_hint is not None:
        return [match.target_hint]
    found: list[Token] = []
    inner = match.inner
    holders = [inner] + ([match.noun] if match.noun is not None and match.noun is not inner else [])
    obj = direct_object(inner)
    if obj is not None and obj not in holders and obj.dep_ != "nsubjpass":
        holders.append(obj)  # "threatened further action against Russia"
    for holder in list(holders[1:] if match.noun is None else holders):
        holders.extend(prep_objects(holder, "of"))  # "a suspension of air links with Serbia"
    if match.noun is not None and match.top.i != match.noun.i and match.frame is None \
            and match.top.i not in {h.i for h in holders}:
        holders.append(match.top)  # "extended aid to Vietnam": the light verb holds "to"
    if match.pattern.pos == "V" and not match.nominal and obj is not None and obj.dep_ != "nsubjpass":
        plain = not match.pattern.objects and not match.pattern.object_prep
        if noun_pattern(obj) is not None and match.noun is None:
            # "rejected an Australian ultimatum", "dismissed an appeal from X": its author
            authors, _ = noun_sides(obj, (), None)
            found.extend(authors + prep_objects(obj, "from"))
        elif plain:
            found.append(obj)
            found.extend(prep_objects(obj, "by"))  # "violated a ban by the general"
    if match.pattern.pos == "V" and not match.nominal and obj is None and not match.pattern.tpreps:
        # "allowed candidate X to run": the parser makes X the subject of the complement
        for comp in inner.children:
            if comp.dep_ in ("ccomp", "xcomp") and comp.pos_ in ("VERB", "AUX") \
                    and any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
                subject = clause_subject(comp)
                if subject is not None:
                    found.append(subject)
    if match.code[:2] in _ADDRESSED_ROOTS:
        for clause in demanded_clauses(match):
            # "its demand that Israel ease ...", "reiterated its demand that X ..."
            subject = clause_subject(clause)
            if subject is not None:
                found.append(subject)
        for noun in (match.noun, obj):
            if noun is not None and noun.pos_ in ("NOUN", "PROPN"):
                found.extend(prep_objects(noun, "by"))  # "demanded an admission by Moscow"
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "dative" and child.pos_ != "ADP":
                found.append(child)
    preps = match.pattern.tpreps
    for prep in preps:
        if prep in ("dobj", "iobj"):
            continue
        for holder in holders:
            for pobj in prep_objects(holder, prep):
                found.append(pobj)
                if noun_pattern(pobj) is not None:  # "reneged on his pledge to the voters"
                    for inner_prep in ("to", "with", "against"):
                        found.extend(prep_objects(pobj, inner_prep))
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
    if match.pattern.pos == "V" and not match.pattern.tpreps and not match.nominal:
        found.extend(prep_objects(inner, "to"))  # "refused admittance to Ghanaians"
    if match.code[:2] in _HOSTILE_ROOTS:
        found.extend(_against(match.top))  # "mobilized reservists for a war against Iraq"
    if match.code[:2] in _PURPOSE_ROOTS:
        found.extend(_purpose_targets(match.top))
    return found


def _purpose_targets(top: Token) -> list[Token]:
    """Whom a protest or use of force is aimed at, named in its purpose clause:
    "staged rallies to demand reforms by the government" (the demand's addressee),
    "fired tear gas to disperse opposition supporters" (the object)."""
    found: list[Token] = []
    for clause in top.children:
        if clause.dep_ != "advcl" or clause.i < top.i or clause.pos_ not in ("VERB", "AUX") \
                or not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            continue
        obj = direct_object(clause)
        if obj is not None:
            found.extend(prep_objects(obj, "by"))
            found.append(obj)
        for prep in ("against", "on", "from"):
            found.extend(prep_objects(clause, prep))
    return found


def demanded_clauses(match: Match) -> list[Token]:
    """The "that"-clauses a demand or appeal noun states: "its demand that Israel ease
    restrictions" (a clause on the noun, or on its light verb)."""
    if match.code[:2] not in _ADDRESSED_ROOTS or match.noun is None:
        return []
    found = []
    for holder in {match.noun.i: match.noun, match.top.i: match.top}.values():
        for clause in holder.children:
            if clause.dep_ in ("acl", "ccomp") and clause.pos_ in ("VERB", "AUX") and clause.i > match.noun.i \
                    and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
                found.append(clause)
    return found


def _against(top: Token) -> list[Token]:
    """Objects of "against" anywhere in the trigger's own clause (not in embedded clauses)."""
    found = []
    stack = list(top.children)
    while stack:
        tok = stack.pop()
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            continue
        if tok.dep_ == "prep" and tok.lower_ == "against":
            found.extend(c for c in tok.children if c.dep_ == "pobj")
        stack.extend(tok.children)
    return found


def _is_venue(child: Token, code: str, ctx: Optional["_Context"], has_sides: bool) -> bool:
    """A place naming where a meeting was held, not who held it: "their Singapore
    summit", "the Geneva talks" (but "his China visit" names the destination, and
    "US-China talks" its parties)."""
    if ctx is None or not code.startswith("04") or code in TRAVEL_CODES:
        return False
    place = ctx.place_at(child)
    return place is not None and (has_sides or place.kind in ("city", "admin1", "landmark"))


def _hyphen_pair(tok: Token) -> list[Token]:
    """"Kim-Trump", "US-China": the parser hangs the first name on the second."""
    for child in tok.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.i + 2 == tok.i \
                and tok.doc[child.i + 1].text == "-" and child.text[:1].isupper():
            return [child, tok]
    return [tok]


def noun_sides(noun: Token, pattern_preps: Iterable[str], ctx: Optional["_Context"],
                code: str = "") -> tuple[list[Token], list[Token]]:
    """Source and target heads of a standalone event noun ("Kim's visit to China")."""
    sources: list[Token] = []
    targets: list[Token] = []
    between: list[Token] = []
    modifiers: list[Token] = []
    has_sides = any(c.dep_ == "poss" for c in noun.children) or bool(prep_objects(noun, "between"))
    for child in noun.children:
        if child.dep_ == "poss":
            sources.append(child)
        elif child.dep_ in ("amod", "compound", "nmod") and (
                ctx.actors.resolve(child) is not None if ctx is not None
                else child.pos_ in ("PROPN", "ADJ") and child.text[:1].isupper()):
            if not _is_venue(child, code, ctx, has_sides):
                modifiers.extend(_hyphen_pair(child))
    sources.extend(prep_objects(noun, "by"))
    for prep in pattern_preps:
        if prep == "between":
            between.extend(prep_objects(noun, "between"))
        else:
            targets.extend(prep_objects(noun, prep))
    if between:
        pair = sides(between[0])
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
