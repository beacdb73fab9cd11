"""What the temporal rules may ask about a candidate's surroundings.

The rules find spans with regular expressions over the text; this context
answers the questions only the parse can: the neighbouring tokens, the
candidate's named-entity label, and whether the clause it sits in speaks of
the future ("will meet on Friday") or the past ("met on Friday").
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Optional

from spacy.tokens import Doc, Token

from .timex_lexicon import words
from .nlp import doc_text

_PRESENT_AUX_TAGS = {"VBZ", "VBP"}
_CLAUSE_LINKS = {"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp"}


def _past_on_path(verb: Token) -> bool:
    """A simple-past verb or auxiliary governing ``verb`` within its own clause
    (reported speech stops the climb: "closed until Friday, officials said")."""
    node = verb
    for _ in range(6):
        aux_tags = {c.tag_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if node.tag_ == "VBD" or "VBD" in aux_tags:
            return True
        if node.tag_ in ("VBZ", "VBP") or aux_tags & {"VBZ", "VBP", "MD"}:
            return False
        if node.head.i == node.i or node.dep_ in ("ccomp", "parataxis", "conj", "ROOT"):
            break
        node = node.head
    return False


class Context:
    """One document's parse plus the anchors the values are resolved against."""

    def __init__(self, doc: Doc, published: Optional[date], text: Optional[str] = None) -> None:
        self.doc = doc
        self.text = doc_text(doc) if text is None else text
        self.dct = published
        #: The last day-level date the text mentioned, for "the day", "that day".
        self.ref: Optional[date] = None
        #: The year of the last date the text mentioned, for "the previous year".
        self.ref_year: Optional[int] = None
        #: The headline's (start, end) in the text, if any.
        self.title_span: Optional[tuple[int, int]] = None
        self._starts = doc.to_array("IDX").tolist() if len(doc) else []
        self._tense: dict[int, str] = {}

    # -- tokens -----------------------------------------------------------
    def token_at(self, char: int) -> Optional[Token]:
        index = bisect_right(self._starts, char) - 1
        if 0 <= index < len(self.doc):
            return self.doc[index]
        return None

    def prev_token(self, char: int) -> Optional[Token]:
        index = bisect_right(self._starts, char - 1) - 1
        while index >= 0:
            token = self.doc[index]
            if token.idx + len(token.text) <= char and not token.is_space:
                return token
            index -= 1
        return None

    def next_token(self, char: int) -> Optional[Token]:
        index = bisect_right(self._starts, char - 1)
        while index < len(self.doc):
            token = self.doc[index]
            if token.idx >= char and not token.is_space:
                return token
            index += 1
        return None

    def prev_word(self, char: int) -> str:
        token = self.prev_token(char)
        return token.lower_ if token is not None else ""

    def next_word(self, char: int) -> str:
        token = self.next_token(char)
        return token.lower_ if token is not None else ""

    def ent_label(self, char: int) -> str:
        token = self.token_at(char)
        return token.ent_type_ if token is not None else ""

    def sentence_bounds(self, char: int) -> tuple[int, int]:
        token = self.token_at(char)
        if token is None:
            return (0, len(self.text))
        sent = token.sent
        return (sent.start_char, sent.end_char)

    def is_sentence_start(self, char: int) -> bool:
        token = self.token_at(char)
        if token is None:
            return True
        previous = self.prev_token(char)
        return token.is_sent_start or previous is None or previous.text in {'"', "“", "'", "‘", "(", ":", "-", "—"}

    # -- tense --------------------------------------------------------------
    def tense(self, char: int) -> str:
        """"future", "past" or "unknown" for the clause governing the token at ``char``.

        Future: a modal (will, should ...), an infinitive under a present or
        scheduling verb ("is set to begin on Wednesday") or heading a headline
        ("Markets to stay closed until Friday"), a present progressive ("is
        meeting on Friday"), a scheduling word in the present ("is due on
        Friday"), or a deadline ("by June") in a present clause.  Past: a
        past-tense verb, a perfect, or "since".
        """
        token = self.token_at(char)
        if token is None:
            return "unknown"
        key = token.i
        if key in self._tense:
            return self._tense[key]
        answer = self._tense_of(token)
        self._tense[key] = answer
        return answer

    def _tense_of(self, token: Token) -> str:
        for _ in range(3):  # from "early" in "early June" to the phrase's head
            if token.dep_ in ("amod", "advmod", "det", "compound", "nummod", "quantmod") and token.head.i != token.i:
                token = token.head
        preposition = token.head.lower_ if token.head.i != token.i else ""
        if preposition in ("since", "ago"):
            return "past"
        deadline = preposition in ("by", "until", "till", "before")
        verb = token
        for _ in range(8):
            if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT" or verb.head.i == verb.i:
                break
            verb = verb.head
        if deadline and not _past_on_path(verb):
            return "future"  # "closed until Friday", "has said it will cut jobs by June"
        chain = [verb]
        if verb.dep_ in _CLAUSE_LINKS and verb.head.i != verb.i:
            chain.append(verb.head)
        future_lemmas = words("future_lemma")
        modals = words("future_modal")
        for v in chain:
            kids = list(v.children)
            aux = [c for c in kids if c.dep_ in ("aux", "auxpass")]
            if any(c.lower_ in modals for c in aux):
                return "future"
            if any(c.lower_ == "to" for c in aux):
                head = v.head
                if v.dep_ == "ROOT" or head.tag_ in ("VBZ", "VBP", "VB", "MD") \
                        or head.lemma_.lower() in future_lemmas:
                    return "future"
            if v.tag_ == "VBG" and any(c.tag_ in _PRESENT_AUX_TAGS for c in aux):
                return "future"
            present = v.tag_ in _PRESENT_AUX_TAGS or any(
                c.dep_ in ("aux", "auxpass", "cop") and c.tag_ in _PRESENT_AUX_TAGS for c in kids)
            if v.lemma_.lower() in future_lemmas and present:
                return "future"
            if present and any(c.dep_ in ("acomp", "attr") and c.lower_ in future_lemmas for c in kids):
                return "future"
            if v.tag_ == "VBD" or any(c.lower_ in ("has", "have", "had", "'ve") or c.tag_ == "VBD" for c in aux):
                return "past"
            if v.tag_ == "VBN" and not present:
                return "past"  # "plans announced in January"
        return "unknown"

    def is_future(self, char: int) -> bool:
        return self.tense(char) == "future"

    def direction(self, char: int) -> str:
        """For weekdays: news means the most recent one unless the verb is future."""
        return "future" if self.is_future(char) else "past"

    def month_direction(self, char: int) -> str:
        """For months and dates without a year: the tense, else the nearest."""
        answer = self.tense(char)
        return "nearest" if answer == "unknown" else answer
