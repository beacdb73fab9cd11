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

_FUTURE_AUX = {"will", "shall", "'ll", "wo", "going"}
_PRESENT_AUX_TAGS = {"VBZ", "VBP"}
_CLAUSE_LINKS = {"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp"}


class Context:
    """One document's parse plus the anchors the values are resolved against."""

    def __init__(self, doc: Doc, published: Optional[date]) -> None:
        self.doc = doc
        self.text = doc.text
        self.dct = published
        #: The last day-level date the text mentioned, for "the day", "that day".
        self.ref: Optional[date] = None
        self._starts = [token.idx for token in doc]
        self._future: dict[int, bool] = {}

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
    def is_future(self, char: int) -> bool:
        """Does the clause governing the token at ``char`` speak of the future?

        Future: a will/shall/going-to auxiliary, an infinitive ("set to begin
        on Wednesday"), a present progressive ("is meeting on Friday"), or a
        scheduling word in the present ("is due on Friday", "is scheduled for").
        """
        token = self.token_at(char)
        if token is None:
            return False
        if token.i in self._future:
            return self._future[token.i]
        verb = token
        for _ in range(8):
            if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT" or verb.head is verb:
                break
            verb = verb.head
        answer = False
        chain = [verb]
        if verb.dep_ in _CLAUSE_LINKS and verb.head is not verb:
            chain.append(verb.head)
        future_lemmas = words("future_lemma")
        for v in chain:
            kids = list(v.children)
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in kids):
                answer = True
            elif any(c.dep_ == "aux" and c.lower_ == "to" for c in kids):
                answer = True
            elif v.tag_ == "VBG" and any(c.dep_ == "aux" and c.tag_ in _PRESENT_AUX_TAGS for c in kids):
                answer = True
            elif v.lemma_.lower() in future_lemmas and (
                    v.tag_ in _PRESENT_AUX_TAGS
                    or any(c.dep_ in ("aux", "auxpass", "cop") and c.tag_ in _PRESENT_AUX_TAGS for c in kids)):
                answer = True
            elif any(c.dep_ in ("acomp", "attr") and c.lower_ in future_lemmas for c in kids) and v.tag_ in _PRESENT_AUX_TAGS:
                answer = True
            # A past or modal-less finite verb settles it: stop climbing.
            if answer or v.tag_ in ("VBD", "VBN"):
                break
        self._future[token.i] = answer
        return answer

    def direction(self, char: int) -> str:
        return "future" if self.is_future(char) else "past"
