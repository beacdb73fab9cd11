"""Factuality of a coded event: asserted, negated, future or hypothetical.

The cues (modals, negation, planning verbs, conditions, hedges) are the rows of
``event_modality.tsv``.  They are read on the trigger and on the verbs that
govern it inside the same reported clause: a reporting verb ("said") closes the
clause, so "officials said Kim will visit" is future because of "will", and the
"said" itself adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Token

from .event_lexicon import cue

ASSERTED, NEGATED, FUTURE, HYPOTHETICAL = "asserted", "negated", "future", "hypothetical"

#: Subjects whose statements are speculation, not reports of fact.
_SPECULATORS = frozenset({"analyst", "analysts", "expert", "experts", "observer", "observers",
                          "commentator", "commentators", "speculation", "pundit", "pundits"})
_CLAUSE_UP = frozenset({"xcomp", "conj", "acomp", "attr", "pobj", "prep", "dobj", "nsubj",
                        "nsubjpass", "compound", "amod", "appos", "acl", "pcomp", "oprd"})


@dataclass
class Modality:
    negated: bool = False
    future: bool = False
    intent: bool = False  # future stated by the actor ("will", "plans to"): CAMEO 03/13
    hypothetical: bool = False
    under_say: bool = False

    @property
    def value(self) -> str:
        if self.negated:
            return NEGATED
        if self.hypothetical:
            return HYPOTHETICAL
        if self.future:
            return FUTURE
        return ASSERTED



def _mark(mod: Modality, kind: str) -> None:
    """Set the flag a modality cue of ``kind`` stands for."""
    if kind == "negation":
        mod.negated = True
    elif kind == "future":
        mod.future = True
    elif kind == "hypothetical":
        mod.hypothetical = True

def _is_say(tok: Token) -> bool:
    hit = cue(tok.lemma_)
    return bool(hit) and hit[0] == "say" and tok.pos_ in ("VERB", "AUX")


def _read_token(tok: Token, mod: Modality, trigger: bool) -> None:
    """Cues attached to one token of the clause: its auxiliaries, negation, determiners."""
    for child in tok.children:
        if child.dep_ == "neg":
            mod.negated = True
        elif child.dep_ in ("aux", "auxpass"):
            hit = cue(child.lower_) or cue(child.lemma_)
            if not hit:
                continue
            kind, where = hit
            if kind == "future" and where == "aux":
                mod.future = mod.intent = True
            elif kind == "hypothetical" and where == "aux":
                if child.lower_ in ("would", "'d") and mod.under_say:
                    mod.future = mod.intent = True
                else:
                    mod.hypothetical = True
        elif child.dep_ in ("det", "amod", "advmod") and (trigger or tok.pos_ in ("NOUN", "PROPN")):
            hit = cue(child.lower_)
            if not hit or hit[1] not in ("det", "any"):
                continue
            _mark(mod, hit[0])
        elif child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether") and trigger:
            mod.hypothetical = True


def chain(trigger: Token, frames: Iterable[Token] = ()) -> list[Token]:
    """The trigger and the verbs governing it up to the reporting verb or clause root."""
    tokens = [trigger, *frames]
    tok = tokens[-1]
    for _ in range(8):
        if tok.dep_ not in _CLAUSE_UP or tok.head.i == tok.i:
            break
        head = tok.head
        if _is_say(head) or tok.dep_ == "conj":
            # a conjoined clause shares its subject, not its modality: "a summit is
            # expected, and the leaders held talks" (a shared auxiliary hangs on the first
            # conjunct in the parse and is lost; a precision trade-off)
            break
        tokens.append(head)
        tok = head
    return tokens


def factuality(trigger: Token, frames: Iterable[Token] = ()) -> Modality:
    """The modality of the event the trigger reports (frames: its frame verbs)."""
    mod = Modality()
    tokens = chain(trigger, frames)
    top = tokens[-1]
    say = top.head if top.head.i != top.i and _is_say(top.head) else None
    if say is not None:
        mod.under_say = True
        for child in say.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in _SPECULATORS:
                mod.hypothetical = True
        for child in say.children:  # "may say", "could claim": speculation about the speech
            if child.dep_ == "aux" and child.lower_ in ("may", "might", "could"):
                mod.hypothetical = True
    for position, tok in enumerate(tokens):
        _read_token(tok, mod, trigger=position == 0 or tok.pos_ in ("VERB", "AUX"))
        if tok.dep_ == "advcl":
            for child in tok.children:
                if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                    mod.hypothetical = True
        if position == 0:
            continue
        hit = cue(tok.lemma_) or cue(tok.lower_)
        if hit and hit[1] == "head":
            if hit[0] == "intentfut":
                mod.future = mod.intent = True
            else:
                _mark(mod, hit[0])
    return mod
