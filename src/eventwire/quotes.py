"""The quotes stage: who said what, in quote marks or as reported speech.

Two kinds of quotes are found:

* direct quotes, the words between quote marks (see :mod:`quote_marks`),
  attributed to the nearest cue verb of the same sentence that the parse links
  to the quote ("…," she said / he said: "…" / according to X, "…"), or to
  the cue of the sentence that introduced it with a colon;
* reported speech (``direct`` false): the clausal complement (ccomp/xcomp) of a
  cue verb outside quote marks ("X said (that) …", "…, X said"), and the clause
  governed by "according to X".

Cue verbs come from ``data/speech_verbs.tsv``.  Speakers are resolved by
:mod:`speakers`.

Conventions chosen here (see also the module docs of the helpers):

* Quoted pieces of one statement are merged into one quote: pieces split by
  their attribution ("We will," he said, "not give up."), and quote sentences
  that follow an attributed quote with no cue of their own.  The merged quote's
  span runs from the first quoted word to the last, so it contains the
  attribution words between the pieces; its ``parts`` list the quoted pieces
  alone.
* Scare quotes, titles of works and nicknames are left out: a short quote
  (at most four words) is kept only when a cue verb governs it ("called it
  'a disgrace'"), and a title-cased phrase with no cue is dropped.  Quoted
  phrases in a headline are kept (headlines quote people without a cue).
  Names of works are dropped even with a cue nearby: a title-cased phrase after
  a possessive, a preposition or a word for a work ('on CNN's "Morning
  Watch."'), and any quoted headline followed by a byline ('"…," by X').
* With no cue verb, layout alone may name the source: a signature dash after
  the quote ('"…" ― Tom Baker') or a bare name label before a colon
  ('Sen. Maria Lopez (D-N.M.): "…"').
* Sentences flagged as scraping fragments yield no reported speech.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from .lexicons import read_tsv
from .model import Analysis, Quote, SpanRef
from .quote_marks import MarkedSpan, marked_spans
from .speakers import EntityIndex, Speaker, resolve_speaker, speaker_token
from .nlp import doc_sentences, doc_text, doc_tokens

#: Longest quote (in words) treated as a possible scare quote or title.
SHORT_QUOTE_WORDS = 4
#: Longest gap (characters) between two quoted pieces merged into one quote.
MERGE_GAP = 120
#: ... or up to this long when the gap is the first piece's own attribution sentence.
MERGE_GAP_WITH_CUE = 400
#: How far into a long sentence right after a quote its cue may sit ("Harper shouted, …").
_LEAD_CUE_TOKENS = 5
_COMPLEMENTS = ("ccomp", "xcomp")
_COMPLEMENTIZERS = frozenset({"that"})
#: Prepositions that introduce what a cue says about something ("dismissed it as 'absurd'").
_NAMING_PREPS = frozenset({"as", "like"})
#: Dependency links from a quoted phrase up to the cue that says it.
_ARGUMENT_LINKS = frozenset({
    "dobj", "oprd", "attr", "acomp", "xcomp", "ccomp", "pobj", "prep", "appos", "nsubj",
    "nsubjpass", "compound", "amod", "conj", "cc", "npadvmod", "advmod", "det", "nmod", "poss",
    "dative", "pcomp", "mark", "aux", "auxpass", "neg", "prt", "punct", "parataxis", "dep",
})
_TRIM_PUNCT = frozenset(",;:-–—\"'“”‘’«»„().")
_SENTENCE_LIKE = re.compile(r"^[\W]*[A-Z].*[.?!,…]\W*$", re.S)
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_PARAGRAPH_RE = re.compile(r"\n\s*")
_CLOSING_MARKS = frozenset("\"”’'»")


@dataclass(frozen=True)
class CueEntry:
    particle: Optional[str]
    use: str  # direct | reported | both
    kind: str


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, tuple[CueEntry, ...]]:
    """Cue verb lemma -> its entries, from ``speech_verbs.tsv``."""
    table: dict[str, list[CueEntry]] = {}
    for lemma, particle, use, kind in read_tsv("speech_verbs.tsv", 4):
        table.setdefault(lemma, []).append(CueEntry(None if particle == "-" else particle, use, kind))
    return {lemma: tuple(entries) for lemma, entries in table.items()}


@lru_cache(maxsize=1)
def word_cue_lexicon() -> dict[tuple[str, str, str], CueEntry]:
    """(word, pos, frame) -> entry for noun and adjective cues, from ``cue_words.tsv``."""
    return {(word, pos, frame): CueEntry(None, "reported", kind)
            for word, pos, frame, kind in read_tsv("cue_words.tsv", 4)}


@lru_cache(maxsize=1)
def _cue_word_keys() -> frozenset[str]:
    return frozenset(word for word, _, _ in word_cue_lexicon())


def _that_clause(noun: Token) -> Optional[Token]:
    """The content clause of a noun ("the claim that X"), not a relative clause."""
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp", "relcl", "appos") and child.pos_ in ("VERB", "AUX") \
                and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children) \
                and not any(g.dep_ in ("dobj", "nsubj", "pobj") and g.lower_ in ("that", "which")
                            for g in child.children):
            return child
    return None


def viewpoint_source(noun: Token) -> Optional[Token]:
    """The holder of "in X's view" / "in the words of X", or None."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _word_cue(token: Token) -> Optional[CueEntry]:
    """A noun or adjective cue (see ``cue_words.tsv``), or None."""
    table = word_cue_lexicon()
    if token.pos_ == "NOUN":
        lemma = token.lemma_.lower()
        if token.dep_ == "pobj" and token.head.lower_ == "in":
            entry = table.get((lemma, "NOUN", "in"))
            if entry is not None and viewpoint_source(token) is not None:
                return entry
        entry = table.get((lemma, "NOUN", "that"))
        return entry if entry is not None and _that_clause(token) is not None else None
    entry = table.get((token.lower_, "ADJ", "that"))
    if entry is not None and any(c.dep_ == "ccomp" for c in token.children):
        return entry
    return None


@lru_cache(maxsize=1)
def _cue_hashes() -> "numpy.ndarray":
    """String hashes of every word that can be a cue (verb lemmas, cue nouns, "according")."""
    import numpy

    words = set(cue_lexicon()) | set(_cue_word_keys()) | {"according"}
    return numpy.array(sorted(hash_string(word) for word in words), dtype="uint64")


def _cue_candidates(doc: Doc) -> list[Token]:
    """Tokens whose lower-case form or lemma is a cue word, found without a Python
    pass over every token (``cue_entry`` then decides)."""
    import numpy

    if not len(doc):
        return []
    array = doc.to_array([LOWER, LEMMA])
    hashes = _cue_hashes()
    hits = numpy.isin(array[:, 0], hashes) | numpy.isin(array[:, 1], hashes)
    return [doc[int(i)] for i in numpy.flatnonzero(hits)]


def cue_entry(token: Token) -> Optional[CueEntry]:
    """The lexicon entry that makes ``token`` a cue, or None."""
    if token.lower_ in _cue_word_keys() or token.lemma_.lower() in _cue_word_keys():
        entry = _word_cue(token)
        if entry is not None or token.pos_ in ("NOUN", "ADJ"):
            return entry
    if token.lower_ == "according":
        if any(child.lower_ == "to" for child in token.children):
            return CueEntry(None, "both", "speech")
        return None
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return None
    entries = cue_lexicon().get(token.lemma_.lower())
    if not entries:
        return None
    if token.i >= 2 and token.doc[token.i - 1].text in "-‐–" and token.doc[token.i - 2].lower_ == "so":
        return None  # "so-called": a scare marker, not an attribution
    particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
    for entry in entries:
        if entry.particle is None or entry.particle in particles:
            return entry
    return None


@dataclass
class _Direct:
    """A marked span during attribution."""

    start: int
    end: int
    first: int  # first token inside
    last: int  # one past the last token inside
    cue: Optional[Token] = None
    speaker: Optional[Speaker] = None
    in_title: bool = False
    pieces: list[tuple[int, int]] = field(default_factory=list)


class _Context:
    """Per-document lookups shared by the attribution steps."""

    def __init__(self, doc: Doc, analysis: Analysis) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.token_starts = doc_tokens(doc).starts
        self.sents = list(doc_sentences(doc))
        self.sent_of = [0] * len(doc)
        for k, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = k
        self.marked = marked_spans(doc, self.text)
        self.index = EntityIndex(analysis, [(m.start, m.end) for m in self.marked])
        self.paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_RE.finditer(self.text)]
        self.title = analysis.title_span

    def tokens_in(self, start: int, end: int) -> tuple[int, int]:
        """Token range [first, last) of the tokens starting inside [start, end)."""
        return bisect_left(self.token_starts, start), bisect_left(self.token_starts, end)

    def paragraph(self, char: int) -> int:
        return bisect_right(self.paragraph_starts, char) - 1


def fill_quotes(doc: Doc, analysis: Analysis) -> None:
    """Stage: fill ``analysis.quotes`` with direct quotes and reported speech."""
    try:
        analysis.quotes = find_quotes(doc, analysis)
    except Exception:  # odd input must never end the article's analysis
        analysis.quotes = []


def find_quotes(doc: Doc, analysis: Analysis) -> list[Quote]:
    """Direct quotes and reported speech of one parsed article, in text order."""
    if not len(doc):
        return []
    ctx = _Context(doc, analysis)
    directs = _direct_spans(ctx)
    inside = [-1] * len(doc)
    for k, d in enumerate(directs):
        for i in range(d.first, d.last):
            inside[i] = k
    cues = [t for t in _cue_candidates(doc) if inside[t.i] < 0 and not t.is_punct
            and cue_entry(t) is not None]
    kept = [d for d in (_attribute_safely(ctx, d, k, inside, cues) for k, d in enumerate(directs)) if d]
    merged = _merge(ctx, kept)
    for d in merged:
        if d.cue is None and d.speaker is None and not d.in_title:
            _introduced_by_previous(ctx, d, inside)
    for d in merged:
        _widen_partial(ctx, d)
    quotes = [_direct_quote(ctx, d) for d in merged]
    used_cues = {d.cue.i for d in merged if d.cue is not None}
    quotes.extend(_reported(ctx, cues, inside, used_cues, merged))
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


# ---------------------------------------------------------------- direct quotes

def _direct_spans(ctx: _Context) -> list[_Direct]:
    found = []
    for span in ctx.marked:
        start, end = span.start, span.end
        while end > start and ctx.text[end - 1] in ",;":
            end -= 1  # the comma before "she said" is not part of the words
        first, last = ctx.tokens_in(start, end)
        if last <= first:
            continue
        in_title = bool(ctx.title and ctx.title.start <= start and end <= ctx.title.end)
        found.append(_Direct(start, end, first, last, in_title=in_title))
    return found


def _region(ctx: _Context, d: _Direct) -> tuple[int, int]:
    """Token range where the attribution of a direct quote may be.

    The sentences the quote touches, plus a short sentence right after it
    ("…." she said.) and the sentence that introduces it with a colon.
    """
    first_sent, last_sent = ctx.sent_of[d.first], ctx.sent_of[d.last - 1]
    start, end = ctx.sents[first_sent].start, ctx.sents[last_sent].end
    if last_sent + 1 < len(ctx.sents):
        following = ctx.sents[last_sent + 1]
        lead = following[0].text if len(following) else ""
        if following.start_char - d.end <= 3 and ctx.paragraph(following.start_char) == ctx.paragraph(d.end):
            if len(following) <= 12 or lead[:1].islower():
                end = following.end
            else:
                # '"We won!" Harper shouted, pointing at …': a long sentence
                # opening right after the mark may still start with the
                # attribution; only a cue among its first words counts.
                end = min(following.end, following.start + _LEAD_CUE_TOKENS)
    before = ctx.text[:d.start - 1].rstrip()
    if first_sent > 0 and before.endswith(":") and ctx.sents[first_sent].start_char >= len(before) - 1:
        start = ctx.sents[first_sent - 1].start
    return start, end


def _linked(cue: Token, d: _Direct) -> bool:
    """Does the parse tie ``cue`` to the quote (its head or a dependent inside)?"""
    def within(t: Token) -> bool:
        return d.first <= t.i < d.last
    if within(cue.head):
        return True
    if any(within(c) and not c.is_punct for c in cue.children):  # a final "." hangs anywhere
        return True
    return cue.lower_ == "according" and within(cue.head.head)


def _governs(cue: Token, d: _Direct) -> bool:
    """Is the quote inside what the cue says ("called it 'a disgrace'", "said X was 'Y'")?

    Some word of the quote must reach the cue through argument links only,
    not through an adverbial or relative clause that merely sits nearby.
    """
    doc = cue.doc
    for i in range(d.first, d.last):
        token = doc[i]
        if d.first <= token.head.i < d.last and token.head.i != i or token.is_punct:
            continue  # only the quote's top words, not its stray punctuation
        for _ in range(6):
            if token.i == cue.i:
                return True
            if token.dep_ == "advcl" and token.head.i != cue.i and token.head.i != token.i:
                token = token.head  # "said he would stay 'until …'": inside what is said
                continue
            if token.dep_ not in _ARGUMENT_LINKS or token.head.i == token.i:
                break
            if token.dep_ == "prep" and not (token.head.i == cue.i and token.lower_ in _NAMING_PREPS):
                break  # "on CNN's 'Show', he said" is where, not what
            token = token.head
    return False


def _word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _title_like(text: str) -> bool:
    """A title, slogan or name: every longer word capitalised, no sentence end."""
    words = _WORD_RE.findall(text)
    if not words or len(words) > 8 or text.rstrip()[-1:] in ".?!":
        return False
    return all(w[0].isupper() for w in words if len(w) > 3)


#: Words right before an opening mark that make a capitalised phrase a name of a work:
#: 'on CNN's "Morning Watch."', 'host of "The Late Hour"', 'the podcast "Two Votes"'.
_TITLE_LEAD_RE = re.compile(
    r"(?:['’]s|\b(?:on|of|in|from|at|host|show|program|programme|podcast|series|book|memoir|"
    r"novel|film|movie|documentary|drama|comedy|sitcom|thriller|song|album|play|musical|opera|"
    r"poem|painting|column|op-ed|editorial|article|"
    r"headline|magazine|newsletter|segment))[ \t\u00a0]*[\"“‘'«„]?$", re.I)
#: A byline right after the closing mark: '"New Museum Opens," by the Herald's Jo Dunn'.
_BYLINE_RE = re.compile(r"[,\"”’'.]*[ \t\u00a0]+by[ \t\u00a0]+(?:the[ \t\u00a0]+)?[A-Z]")
#: Short words a title leaves lower-case ("The Late Hour with Sam Green").
_TITLE_SMALL_WORDS = frozenset({"with", "from", "into", "over", "upon", "than", "that", "this", "your"})


def _title_cased(text: str) -> bool:
    """A short capitalised phrase, a final "." or "," allowed ('"Morning Watch."')."""
    core = text.rstrip().rstrip(".,")
    words = _WORD_RE.findall(core)
    if not words or len(words) > 8 or core[-1:] in "?!":
        return False
    return all(w[0].isupper() for w in words if len(w) > 3 and w.lower() not in _TITLE_SMALL_WORDS)


def _work_title(ctx: _Context, d: _Direct, text: str) -> bool:
    """Is the quoted phrase the name of a show, book, song or article, not words said?

    A title-cased phrase (a final "." inside the marks is allowed, as in
    'on CNN's "Morning Watch."') after a possessive, a preposition or a word
    for a work, or any quoted phrase followed by a byline ("…," by X).
    """
    if _BYLINE_RE.match(ctx.text, d.end, min(len(ctx.text), d.end + 16)):
        return True
    if not _title_cased(text):
        return False
    lead = ctx.text[max(0, d.start - 24):d.start]
    return bool(_TITLE_LEAD_RE.search(lead))


def _attribute_safely(ctx: _Context, d: _Direct, k: int, inside: list[int],
                      cues: list[Token]) -> Optional[_Direct]:
    """``_attribute``, but an odd parse loses only this quote, not the article's quotes."""
    try:
        return _attribute(ctx, d, k, inside, cues)
    except Exception:
        return None


def _attribute(ctx: _Context, d: _Direct, k: int, inside: list[int], cues: list[Token]) -> Optional[_Direct]:
    """Give a direct quote its cue and speaker; None when it is not a quote."""
    text = ctx.text[d.start:d.end]
    if not d.in_title and _work_title(ctx, d, text):
        return None
    start, end = _region(ctx, d)
    quote_sent_end = ctx.sents[ctx.sent_of[d.last - 1]].end
    cue_set = set(cues)
    best: Optional[tuple[tuple[int, int], Token]] = None
    for cue in cues:
        if not start <= cue.i < end or inside[cue.i] >= 0:
            continue
        entry = cue_entry(cue)
        if entry is None or entry.use in ("reported", "intro"):
            continue
        if cue.i >= quote_sent_end and any(c.dep_ in _COMPLEMENTS and not d.first <= c.i < d.last
                                           for c in cue.children):
            continue  # '"…." Trump also claimed that …': the next sentence says its own thing
        if cue.idx >= d.end:
            distance = cue.idx - d.end
        else:
            distance = d.start - (cue.idx + len(cue.text))
        key = (0 if _linked(cue, d) or _governs(cue, d) else 1, distance)
        if best is None or key < best[0]:
            best = (key, cue)
    if best is None or best[0][0] == 1:
        structural = _structural_cue(ctx, d, inside)
        if structural is not None:
            best = ((0, 0), structural)
    cue = best[1] if best else None
    if cue is not None and best[0][0] == 0:
        # "X said Y would continue to be 'Z'": the outermost cue that says it.
        # A participle cue with no subject of its own ("…, adding that …") is
        # already the right one: its source is found through its head.
        climb = any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
        for ancestor in (cue.ancestors if climb else ()):
            if start <= ancestor.i < end and inside[ancestor.i] < 0 and ancestor in cue_set \
                    and cue_entry(ancestor).use not in ("reported", "intro") and _governs(ancestor, d):
                cue = ancestor
    words = _word_count(text)
    sentence_like = bool(_SENTENCE_LIKE.match(ctx.text[d.start:min(len(ctx.text), d.end + 1)])) \
        and (words >= 2 or text.rstrip()[-1:] in "?!")  # not a one-word title: "Eclipsed."
    short = words <= SHORT_QUOTE_WORDS and not sentence_like
    if d.in_title:
        if _word_count(text) < 2 and cue is None:
            return None
    elif short:
        if cue is None or not (_linked(cue, d) or _governs(cue, d)):
            return None
    elif cue is None and (_title_like(text) or words <= SHORT_QUOTE_WORDS and _title_cased(text)):
        return None  # a name or title nobody is said to utter ("Old Roads.")
    if not d.in_title and cue is not None and _title_like(text) and not sentence_like \
            and getattr(cue_entry(cue), "kind", None) != "naming" and _object_of_other_verb(d, cue):
        return None  # 'said he had read "The Art of Winning"': a title, not his words
    if cue is not None:
        head = speaker_token(cue, (d.first, d.last))
        if head is None:
            head = _source_between(ctx, d.last, cue.i)
        if head is not None:
            d.speaker = resolve_speaker(ctx.doc, ctx.index, head)
    elif not d.in_title and not short:
        head = _label_source(ctx, d)
        if head is not None:
            d.speaker = resolve_speaker(ctx.doc, ctx.index, head)
    if short and not d.in_title and d.speaker is None:
        return None  # a short phrase nobody in the sentence says
    if cue is None and not d.in_title and not sentence_like and _embedded(ctx, d):
        return None  # 'its "tough but fair" slogan': a phrase inside a sentence nobody utters
    d.cue = cue
    return d


#: A dash that signs a quote with its author ('"…" ― Tom Baker').
_SIGNATURE_RE = re.compile(r"[\"”’'»]?[ \t\u00a0]*(?:\n\s*)?[―—–-]{1,2}[ \t\u00a0]*(?=[A-Z])")
#: Longest name label before a colon ('Sen. Maria Lopez (D-N.M.): "…"'), in tokens.
_LABEL_TOKENS = 8


def _name_head(doc: Doc, i: int, stop: int) -> Optional[Token]:
    """The last word of the proper name starting at token ``i`` (before ``stop``)."""
    if i >= stop or doc[i].pos_ != "PROPN":
        return None
    while i + 1 < stop and doc[i + 1].pos_ == "PROPN":
        i += 1
    return doc[i]


def _spaced_dash(token: Token) -> bool:
    """A dash set off by spaces ("HEADLINE - Jane Roe: …"), not a hyphen in "D-N.M."."""
    return token.text in ("—", "–", "―", "-", "--") and bool(token.whitespace_) \
        and (token.i == 0 or bool(token.doc[token.i - 1].whitespace_))


def _label_source(ctx: _Context, d: _Direct) -> Optional[Token]:
    """A source named by layout alone, with no verb: a signature after the quote
    ('"…" ― Tom Baker, a teacher' or a next paragraph '- Clinton.') or a name
    label before a colon that opens it ('Sen. Maria Lopez (D-N.M.): "…"')."""
    doc, text = ctx.doc, ctx.text
    signature = _SIGNATURE_RE.match(text, d.end, min(len(text), d.end + 12))
    if signature is not None:
        first, _ = ctx.tokens_in(signature.end(), signature.end() + 1)
        sent = ctx.sents[ctx.sent_of[first]] if first < len(doc) else None
        if sent is not None:
            return _name_head(doc, first, min(sent.end, first + _LABEL_TOKENS))
    before = text[max(0, d.start - 3):d.start - 1].rstrip(" \t\u00a0")
    if not before.endswith(":") or d.first == 0:
        return None
    colon = d.first - 1
    while colon > 0 and not doc[colon].text.endswith(":") and d.first - colon < 3:
        colon -= 1
    if not doc[colon].text.endswith(":"):
        return None
    sent_start = ctx.sents[ctx.sent_of[colon]].start
    start = colon
    while start > sent_start and not doc[start - 1].is_space and not _spaced_dash(doc[start - 1]):
        start -= 1
    if colon - start > _LABEL_TOKENS or any(doc[i].pos_ in ("VERB", "AUX") for i in range(start, colon)):
        return None
    k = start
    while k < colon and doc[k].pos_ != "PROPN":
        k += 1
    head = _name_head(doc, k, colon)
    if head is None or not any(doc[j].ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for j in range(k, head.i + 1)):
        return None
    return head


#: Parts of speech that can head a source phrase.
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})


def _source_between(ctx: _Context, first: int, cue: int) -> Optional[Token]:
    """The source phrase between a closing mark and its cue, whatever the parse says.

    '"…," the senator from Ohio, who chairs the panel, said': the parser may
    hang "senator" on the quote's verb; the words' position still names it.
    The head is the first nominal word whose own head lies outside the gap.
    """
    doc = ctx.doc
    if not 0 < cue - first <= 16 or ctx.sent_of[first - 1] != ctx.sent_of[cue]:
        return None
    for i in range(first, cue):
        token = doc[i]
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("relcl", "acl"):
            return None  # another clause in between: not a bare source phrase
        if token.pos_ in _NOMINAL and not token.ent_type_ in ("DATE", "TIME") \
                and not first <= token.head.i < cue:
            return token
    return None


def _object_of_other_verb(d: _Direct, cue: Token) -> bool:
    """Is the quote the object of some verb other than its cue ("read 'X'", "watched 'X'")?"""
    doc = cue.doc
    for i in range(d.first, d.last):
        token = doc[i]
        if not d.first <= token.head.i < d.last and not token.is_punct:
            head = token.head.head if token.dep_ == "pobj" else token.head
            return token.dep_ in ("dobj", "pobj", "attr", "nsubj", "nsubjpass", "appos") \
                and head.i != cue.i and head.pos_ in ("VERB", "AUX", "ADP", "NOUN")
    return False


def _embedded(ctx: _Context, d: _Direct) -> bool:
    """Does the quote sit inside its sentence's own words (not opened by ':' or the sentence start)?"""
    sent = ctx.sents[ctx.sent_of[d.first]]
    before = ctx.text[sent.start_char:max(sent.start_char, d.start - 1)].rstrip()
    return any(ch.isalpha() for ch in before) and not before.endswith(":")


def _structural_cue(ctx: _Context, d: _Direct, inside: list[int]) -> Optional[Token]:
    """A verb the layout marks as attributing, whatever the verb.

    "X boomed: '…'" (the clause ending in the colon that opens the quote) and
    "'…,' barked X" / "'…!' X beamed" (a verb within three words after the
    closing mark, in the same sentence).
    """
    doc, text = ctx.doc, ctx.text
    before = text[:max(0, d.start - 1)].rstrip()
    if before.endswith(":") and d.first > 0:
        colon = d.first - 1
        while colon > 0 and doc[colon].text != ":":
            colon -= 1
        if doc[colon].text == ":":
            token = doc[colon]
            sent = ctx.sents[ctx.sent_of[token.i]]
            for t in reversed(doc[sent.start:token.i]):
                if t.pos_ == "VERB" and inside[t.i] < 0:
                    return t
    # Only a quote set off as a whole utterance: "…!" / "…?" / "…," / "…" — (not
    # a phrase the sentence runs on through: 'its "tough but fair" slogan appeared').
    after = text[d.end:d.end + 3].lstrip("\"”’'» ")
    if (text[d.end - 1:d.end] in ("?", "!") or after[:1] in (",", "—")) and not _embedded(ctx, d):
        k = ctx.sent_of[d.last - 1]
        sent_end = ctx.sents[k].end
        if sent_end <= d.last + 1 and k + 1 < len(ctx.sents) \
                and ctx.sents[k + 1].start_char - d.end <= 3 and "\n" not in text[d.end:ctx.sents[k + 1].start_char]:
            sent_end = ctx.sents[k + 1].start + 2  # '"…?" reacted Harris.' split after the mark
        for i in range(d.last, min(d.last + 5, sent_end, len(doc))):
            t = doc[i]
            if inside[i] >= 0 and i >= d.last + 1 or t.lower_ in _RELATIVE_WORDS:
                break  # '"Gang of Four," which included …': a relative clause, not a speaker
            if t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP") and inside[i] < 0:
                return t if _utterance_verb(t, d) else None
    return None


_RELATIVE_WORDS = frozenset({"which", "who", "that", "whose", "whom", "where", "when"})


def _utterance_verb(verb: Token, d: _Direct) -> bool:
    """Can this verb after a quote be its attribution ("…," barked X)?

    Not when the quote is its subject ('"Mercy Hall," returns …'), when it
    heads a relative clause, or when it is capitalised like a headline word.
    """
    if verb.dep_ in ("relcl", "acl") or verb.text[:1].isupper():
        return False
    if any(c.dep_ in _COMPLEMENTS and not d.first <= c.i < d.last for c in verb.children):
        return False  # '"…?" Harris then claimed that …': the verb has its own content
    return not any(c.dep_ in ("nsubj", "nsubjpass") and (d.first <= c.i < d.last or c.lower_ in _RELATIVE_WORDS)
                   for c in verb.children)


def _gap_is_attribution(ctx: _Context, previous: _Direct, current: _Direct) -> bool:
    """Is the text between two quoted pieces only the first one's attribution?"""
    gap = ctx.text[previous.end:current.start]
    if len(gap) > MERGE_GAP_WITH_CUE:
        return False
    if not any(ch.isalnum() for ch in gap):
        return True
    if current.cue is not None and previous.cue is not None and current.cue.i == previous.cue.i \
            and len(_WORD_RE.findall(gap)) <= 2:
        return True  # 'was "brusque" and "tough"'
    cue = previous.cue
    if cue is None or not previous.end <= cue.idx < current.start:
        return False
    if "\n" in gap and not _whole_paragraph(ctx, current):
        return False  # a new paragraph with more than the quote has its own story
    if len(gap) > MERGE_GAP and ctx.sent_of[cue.i] != ctx.sent_of[previous.last - 1]:
        return False
    # Only the attribution clause: it ends a sentence or is set off by commas.
    return ctx.sent_of[cue.i] == ctx.sent_of[current.first] or ctx.sent_of[cue.i] + 1 == ctx.sent_of[current.first]


def _merge(ctx: _Context, directs: list[_Direct]) -> list[_Direct]:
    """Join the pieces of one statement; unattributed pieces inherit a speaker."""
    merged: list[_Direct] = []
    for d in directs:
        previous = merged[-1] if merged else None
        if previous is not None and not d.in_title and not previous.in_title:
            same_cue = d.cue is not None and previous.cue is not None and d.cue.i == previous.cue.i
            follows = d.cue is None and previous.cue is not None
            if (same_cue or follows) and _gap_is_attribution(ctx, previous, d) and ctx.paragraph(d.start) - ctx.paragraph(previous.end) <= 1:
                if not previous.pieces:
                    previous.pieces.append((previous.start, previous.end))
                previous.pieces.append((d.start, d.end))
                previous.end = d.end
                previous.last = d.last
                continue
            if d.cue is None and previous.speaker is not None \
                    and ctx.paragraph(d.start) - ctx.paragraph(previous.end) <= 1 \
                    and not _has_words_between(ctx, previous.end, d.start):
                d.speaker = previous.speaker
        merged.append(d)
    return merged


def _introduced_by_previous(ctx: _Context, d: _Direct, inside: list[int]) -> None:
    """A quote opening its sentence, after a sentence that attributes words:
    "Lynch announced the lawsuit. 'We are seeking ...'" -> Lynch."""
    k = ctx.sent_of[d.first]
    sent = ctx.sents[k]
    if k == 0 or ctx.text[sent.start_char:d.start].strip(" \t\"'“‘«„") != "":
        return
    previous = ctx.sents[k - 1]
    same_paragraph = ctx.paragraph(previous.start_char) == ctx.paragraph(sent.start_char)
    # News style: a paragraph that is all quote continues the source named at
    # the end of the paragraph before ("The governor said …¶ 'We believe …'").
    next_paragraph = ctx.paragraph(previous.start_char) + 1 == ctx.paragraph(sent.start_char) \
        and _whole_paragraph(ctx, d)
    if not same_paragraph and not next_paragraph and not previous.text.rstrip().endswith(":"):
        return
    for token in reversed(previous):
        if inside[token.i] >= 0 or cue_entry(token) is None:
            continue
        if next_paragraph and not same_paragraph and cue_entry(token).kind not in ("speech", "writing", "intro"):
            continue
        head = speaker_token(token)
        if head is not None and inside[head.i] < 0:
            d.speaker = resolve_speaker(ctx.doc, ctx.index, head)
            return


def _widen_partial(ctx: _Context, d: _Direct) -> None:
    """A partial quote inside a reported clause becomes that whole clause.

    'She said the plan was "dead on arrival"': the attribution is what she
    said, the clause after the cue; the quoted words are its verbatim part and
    stay listed in ``parts``.  Only a clause that follows its cue is taken, so
    a misparse that hangs the source on the quote's verb cannot widen it.
    """
    cue = d.cue
    if cue is None or d.in_title:
        return
    entry = cue_entry(cue)
    if entry is None or entry.use in ("direct", "intro") or entry.kind == "naming":
        return
    content = _content_range(ctx, cue)
    if content is None or cue.dep_ == "parataxis":
        return
    first, last = content
    if not (cue.i < first <= d.first and d.last <= last + 1) or first == d.first and d.last >= last:
        return
    start = ctx.doc[first].idx
    end = max(d.end, ctx.doc[last - 1].idx + len(ctx.doc[last - 1].text))
    if end == d.end and ctx.text[end:end + 1] in _CLOSING_MARKS:
        end += 1  # the clause ends with the quote: keep its closing mark
    if not any(ch.isalpha() for ch in ctx.text[start:d.start] + ctx.text[d.end:end].strip("\"'”’")):
        return
    if not d.pieces:
        d.pieces.append((d.start, d.end))
    d.start, d.end, d.first, d.last = start, end, first, max(d.last, last)


def _whole_paragraph(ctx: _Context, d: _Direct) -> bool:
    """Is the quote all its paragraph holds (besides marks and punctuation)?"""
    p = ctx.paragraph(d.start)
    p_start = ctx.paragraph_starts[p]
    p_end = ctx.paragraph_starts[p + 1] if p + 1 < len(ctx.paragraph_starts) else len(ctx.text)
    return not any(ch.isalnum() for ch in ctx.text[p_start:d.start] + ctx.text[d.end:p_end])


def _has_words_between(ctx: _Context, start: int, end: int) -> bool:
    """Is there a non-quoted sentence between two quotes?"""
    return any(ch.isalpha() for ch in ctx.text[start:end])


def _direct_quote(ctx: _Context, d: _Direct) -> Quote:
    speaker = d.speaker
    cue = d.cue
    cue_ref = None
    if cue is not None:
        cue_end = cue.idx + len(cue.text)
        if cue.lower_ == "according":
            cue_end = next((c.idx + len(c.text) for c in cue.children if c.lower_ == "to"), cue_end)
        cue_ref = SpanRef(cue.idx, cue_end, ctx.text[cue.idx:cue_end])
    return Quote(
        text=ctx.text[d.start:d.end], start=d.start, end=d.end, direct=True,
        speaker=speaker.entity if speaker else None,
        speaker_name=speaker.name if speaker else None,
        speaker_mention=speaker.mention if speaker else None,
        cue=cue_ref,
        parts=[SpanRef(start, end, ctx.text[start:end]) for start, end in d.pieces],
    )


# ---------------------------------------------------------------- reported speech

def _trim(ctx: _Context, first: int, last: int) -> tuple[int, int]:
    """Token range without edge punctuation and a leading complementizer."""
    doc = ctx.doc
    while first < last and (doc[first].text in _TRIM_PUNCT or doc[first].is_space
                            or (doc[first].lower_ in _COMPLEMENTIZERS and doc[first].dep_ == "mark")):
        first += 1
    while last > first and (doc[last - 1].text in _TRIM_PUNCT or doc[last - 1].is_space
                            or doc[last - 1].dep_ == "cc"):  # "… with the US and" [warned]
        last -= 1
    return first, last


def _content_range(ctx: _Context, cue: Token) -> Optional[tuple[int, int]]:
    """Token range of what ``cue`` reports, or None."""
    viewpoint = cue.pos_ == "NOUN" and cue.dep_ == "pobj" and cue.head.lower_ == "in"
    if cue.lower_ == "according" or viewpoint:
        # "according to X, …" / "in X's view, …": the clause the phrase modifies.
        phrase_head = cue.head if viewpoint else cue
        head = phrase_head.head
        sent = ctx.sents[ctx.sent_of[cue.i]]
        if head.i == phrase_head.i:
            return None
        phrase = (phrase_head.left_edge.i, phrase_head.right_edge.i + 1)
        if head.left_edge.i < phrase[0] and phrase[1] <= head.right_edge.i \
                and _has_verb(ctx, phrase[1], head.right_edge.i + 1):
            # "The ministry, according to two officials, plans to …": the clause
            # around the phrase is one statement; keep it whole, like "he said" inside.
            return _trim(ctx, head.left_edge.i, head.right_edge.i + 1)
        left, right = (sent.start, phrase[0]), (phrase[1], sent.end)
        left, right = _trim(ctx, *left), _trim(ctx, *right)
        return max(left, right, key=lambda r: r[1] - r[0])
    if cue.pos_ == "NOUN":
        clause = _that_clause(cue)
        return None if clause is None else _trim(ctx, clause.left_edge.i, clause.right_edge.i + 1)
    complements = [c for c in cue.children if c.dep_ in _COMPLEMENTS]
    if not complements:
        if cue.dep_ == "parataxis" and cue.head.i != cue.i:
            # "The plan, he said, will fail": the clause around the cue.
            # The span keeps the attribution inside: it must be one piece.
            head = cue.head
            return _trim(ctx, head.left_edge.i, head.right_edge.i + 1)
        return None
    complement = complements[0]
    return _trim(ctx, complement.left_edge.i, complement.right_edge.i + 1)


def _addressed_participle(cue: Token) -> bool:
    """"Asked whether he would run, X said …": a passive participle framing the
    clause says what the subject was asked or told, not what anyone asserts."""
    return cue.tag_ == "VBN" and cue.dep_ in ("advcl", "acl") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in cue.children)


def _has_verb(ctx: _Context, first: int, last: int) -> bool:
    return any(ctx.doc[i].pos_ in ("VERB", "AUX") for i in range(first, last))


#: Verbs that, governing a cue, say the words were not said ("declined to say whether …").
_WITHHOLDING = frozenset({"decline", "refuse"})


def _withheld(cue: Token) -> bool:
    """"X declined to say whether …", "X would not say if …": nothing is asserted."""
    if cue.dep_ == "xcomp" and cue.head.lemma_ in _WITHHOLDING:
        return True
    negated = any(c.dep_ == "neg" for c in cue.children)
    return negated and any(c.dep_ == "ccomp" and any(g.lower_ in ("whether", "if") and g.dep_ == "mark"
                                                     for g in c.children) for c in cue.children)


def _reported(ctx: _Context, cues: list[Token], inside: list[int], used: set[int],
              directs: list[_Direct]) -> list[Quote]:
    quotes = []
    direct_spans = [(d.start, d.end) for d in directs]
    for cue in cues:
        if cue.i in used:
            continue
        entry = cue_entry(cue)
        if entry is None or entry.use in ("direct", "intro"):
            continue
        sent = ctx.sents[ctx.sent_of[cue.i]]
        if sent._.is_fragment or _addressed_participle(cue) or _withheld(cue):
            continue
        span = _content_range(ctx, cue)
        if span is None or span[1] - span[0] < 2:
            continue
        first, last = span
        if any(inside[i] >= 0 for i in (first, last - 1)) and all(inside[i] >= 0 for i in range(first, last)):
            continue
        start = ctx.doc[first].idx
        end = ctx.doc[last - 1].idx + len(ctx.doc[last - 1].text)
        if any(s < end and start < e and (min(e, end) - max(s, start)) * 2 >= min(e - s, end - start)
               for s, e in direct_spans):
            continue  # the words are already a direct quote
        inner = cue.dep_ in ("parataxis", "pobj") or cue.lower_ == "according"  # source may sit inside
        head = speaker_token(cue, (0, 0) if inner else (first, last))
        speaker = None
        if head is not None:
            speaker = resolve_speaker(ctx.doc, ctx.index, head)
        cue_end = cue.idx + len(cue.text)
        if cue.lower_ == "according":
            cue_end = next((c.idx + len(c.text) for c in cue.children if c.lower_ == "to"), cue_end)
        # 'said the plan was "on track"': a reported clause quoting some words
        # verbatim is a partial direct quote; its parts are the quoted words.
        for m in ctx.marked:
            if start <= m.start < end < m.end <= end + 3:
                end = m.end  # trimming cut the quoted words' own final "." off
                if ctx.text[end:end + 1] in _CLOSING_MARKS:
                    end += 1
        parts = [SpanRef(m.start, m.end, ctx.text[m.start:m.end]) for m in ctx.marked
                 if start <= m.start and m.end <= end and not _title_like(ctx.text[m.start:m.end])]
        quotes.append(Quote(
            text=ctx.text[start:end], start=start, end=end, direct=bool(parts), parts=parts,
            speaker=speaker.entity if speaker else None,
            speaker_name=speaker.name if speaker else None,
            speaker_mention=speaker.mention if speaker else None,
            cue=SpanRef(cue.idx, cue_end, ctx.text[cue.idx:cue_end]),
        ))
    return quotes
