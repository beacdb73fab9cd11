"""Where the quotations are, and who the attribution clause says speaks them.

Coreference needs this before the quotes stage runs: inside a quote "I" and
"we" are the speaker (or the speaker's side), and a third-person pronoun
inside a quote is not its own speaker.  This is a light attribution (a
speech verb outside the quote, in the quote's sentences, and its subject);
the quotes stage does the full job.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Token

from .lexicons import read_tsv
from .nlp import doc_sentences, doc_text
from .quote_marks import marked_spans


@dataclass
class QuoteSpan:
    start: int  # character offsets of the quoted words, marks included
    end: int
    speaker: Optional[Token] = None  # subject of the attributing speech verb


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    """Lemmas of the quotes stage's speech and writing cues (one lexicon for both)."""
    return frozenset(lemma for lemma, _particle, _use, kind in read_tsv("speech_verbs.tsv", 4)
                     if kind in ("speech", "writing"))


def find_quotes(doc: Doc, text: Optional[str] = None) -> list[QuoteSpan]:
    """Quote spans in text order, each with the subject of its attribution if found."""
    text = doc_text(doc) if text is None else text
    quotes = [QuoteSpan(m.start, m.end) for m in marked_spans(doc, text) if m.start < m.end]
    if not quotes:
        return quotes
    sentences = doc_sentences(doc)
    sentence_starts = [sent.start for sent in sentences]

    def sentence_of(token_index: int):
        return sentences[bisect_right(sentence_starts, token_index) - 1]

    starts = [q.start for q in quotes]
    verbs = _speech_verbs()

    def inside(token: Token) -> bool:
        k = bisect_right(starts, token.idx) - 1
        return k >= 0 and quotes[k].start <= token.idx < quotes[k].end

    for quote in quotes:
        first = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if first is None or not len(first):
            continue
        first_sent, last_sent = sentence_of(first.start), sentence_of(first.end - 1)
        around = {first_sent.start: first_sent, last_sent.start: last_sent}
        if last_sent.end < len(doc):  # '"...," he said.' may be split after the quote
            following = sentence_of(last_sent.end)
            around.setdefault(following.start, following)
        for sent in sorted(around.values(), key=lambda s: s.start):
            speaker = _attribution_subject(sent, verbs, inside, quote)
            if speaker is not None:
                quote.speaker = speaker
                break
    return quotes


def _attribution_subject(sent, verbs, inside, quote: QuoteSpan) -> Optional[Token]:
    """The subject of a speech verb outside any quote, nearest to the quote."""
    best, best_distance = None, None
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in verbs or inside(tok):
            continue
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and not inside(c)]
        if not subjects:
            continue
        distance = min(abs(tok.idx - quote.start), abs(tok.idx - quote.end))
        if best_distance is None or distance < best_distance:
            best, best_distance = subjects[0], distance
    return best


class QuoteIndex:
    """Which quote (if any) a character offset falls in."""

    def __init__(self, quotes: list[QuoteSpan]) -> None:
        self.quotes = quotes
        self.starts = [q.start for q in quotes]

    def at(self, offset: int) -> int:
        k = bisect_right(self.starts, offset) - 1
        if k >= 0 and self.quotes[k].start <= offset < self.quotes[k].end:
            return k
        return -1
