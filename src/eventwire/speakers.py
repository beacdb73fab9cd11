"""Who a quote's speaker is: from the subject of its cue to an entity.

The speaker span is found in the parse (the cue verb's subject, the object of
"according to", the noun a "saying ..." participle modifies).  It is then tied
to an entity of ``analysis.entities`` through a mention overlapping it (names,
titles and, once coreference fills them, nominal and pronoun mentions).  A bare
"he"/"she" that no entity claims falls back to the nearest preceding PERSON
mention of agreeing gender in the same or the two previous sentences, so the
stage works with or without coreference.  Anything else keeps its words as
``speaker_name`` with ``speaker`` null: never the nearest name by default.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from spacy.tokens import Doc, Span, Token

from .lexicons import read_tsv
from .model import Analysis, Entity, Mention, SpanRef
from .nlp import doc_text

#: Dependents that belong to a speaker's noun phrase core ("the Florida senator").
_CORE_LEFT = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case"})
_SUBJECTS = ("nsubj", "csubj")
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_CLIMB = frozenset({"advcl", "xcomp", "conj", "ccomp", "pcomp"})
_MALE = frozenset({"he", "him", "his"})
_FEMALE = frozenset({"she", "her", "hers"})
_HONORIFIC_GENDER = {"mr": "M", "mr.": "M", "mrs": "F", "mrs.": "F", "ms": "F", "ms.": "F",
                     "miss": "F", "sir": "M", "lady": "F", "madam": "F"}
#: How many sentences back the pronoun fallback looks.
_FALLBACK_SENTENCES = 2


@dataclass
class Speaker:
    """A resolved speaker: the mention as written, its entity id and a display name."""

    mention: SpanRef
    entity: Optional[str]
    name: str


@lru_cache(maxsize=1)
def _first_name_gender() -> dict[str, str]:
    """Given name -> "M"/"F", from the shared first-name list when it exists."""
    try:
        rows = read_tsv("first_names.tsv", 2)
    except (OSError, ValueError, FileNotFoundError):
        return {}
    return {name: gender for gender, names in rows for name in names.split()}


#: Entity labels of words that cannot speak: times, dates and amounts.
_NOT_SPEAKER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"})


def speaker_token(cue: Token, exclude: tuple[int, int] = (0, 0)) -> Optional[Token]:
    """The head token of the source of ``cue`` (a speech verb or "according").

    Tokens in the range ``exclude`` (the quote itself) are never the source.
    """
    def allowed(t: Token) -> bool:
        # A date or a number is never a speaker ("tweeted Tuesday: ...").
        return not exclude[0] <= t.i < exclude[1] and t.ent_type_ not in _NOT_SPEAKER_LABELS

    if cue.pos_ == "NOUN" and cue.dep_ == "pobj" and cue.head.lower_ == "in":
        from .quotes import viewpoint_source  # "in X's view, …"
        source = viewpoint_source(cue)
        return source if source is not None and allowed(source) else None
    if cue.pos_ == "ADJ" or cue.tag_ == "VBN" and any(c.dep_ == "nsubjpass" for c in cue.children) \
            and _is_word_cue(cue):
        # "the mayor is confident (that) …", "the governor is convinced that …"
        for holder in (cue, cue.head) if cue.dep_ in ("acomp", "oprd") else (cue,):
            subjects = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass") and allowed(c)]
            if subjects:
                return subjects[0]
        return None
    if cue.pos_ == "NOUN":  # a nominal cue: "the minister's warning that …"
        for child in cue.children:
            if child.dep_ == "poss" and allowed(child):
                return child
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                objects = [g for g in child.children if g.dep_ == "pobj" and allowed(g)]
                if objects:
                    return objects[0]
        return None
    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                objects = [c for c in to.children if c.dep_ == "pobj" and allowed(c)]
                return objects[0] if objects else None
        return None
    token = cue
    for _ in range(4):
        subject_deps = _SUBJECTS + ("nsubjpass",) if token.lemma_ in _PASSIVE_SOURCE_VERBS else _SUBJECTS
        subjects = [c for c in token.children if c.dep_ in subject_deps and allowed(c)]
        if subjects:
            subject = subjects[0]
            # "Weaver, who said …": the relative pronoun is the mention as
            # written; resolve_speaker reaches the entity through its antecedent.
            return subject
        agents = [g for c in token.children if c.dep_ == "agent" for g in c.children
                  if g.dep_ == "pobj" and allowed(g)]
        if agents:
            return agents[0]
        if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head  # "a statement saying ..."
        if token.dep_ == "relcl":
            return token.head
        inverted = _inverted_subject(token, allowed, after_quote=token.i == cue.i and _after_closing_mark(cue))
        if inverted is not None:
            return inverted
        if token.head.i == token.i:
            return None
        if token.dep_ == "pcomp" or (token.dep_ == "pobj" and token.tag_ == "VBG"):
            # "ended by saying ...": up through the preposition to its verb.
            for _ in range(4):
                if token.head.i == token.i:
                    return None
                token = token.head
                if token.pos_ in ("VERB", "AUX"):
                    break
            continue
        if token.dep_ not in _CLIMB:
            return None
        if token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp", "conj"):
            # "X said ..., adding ...": the source of the nearest saying ancestor.
            for ancestor in token.ancestors:
                if _is_cue(ancestor) and any(c.dep_ in _SUBJECTS for c in ancestor.children):
                    token = ancestor
                    break
            else:
                token = token.head
            continue
        token = token.head
    return None


def _is_word_cue(token: Token) -> bool:
    from .quotes import _cue_word_keys  # adjective cues live with the quotes stage
    return token.lower_ in _cue_word_keys()


def _is_cue(token: Token) -> bool:
    from .quotes import cue_entry  # the cue lexicon lives with the quotes stage
    return cue_entry(token) is not None


#: Verbs whose passive subject is the source ("X was quoted as saying …").
_PASSIVE_SOURCE_VERBS = frozenset({"quote", "cite"})
#: Dependents that may be a source the parser failed to call a subject
#: ("Continued Stone: ...", "Ramos, 58, told AFP").
_LOOSE_SOURCE = frozenset({"npadvmod", "dep", "nmod", "appos", "attr", "dobj", "oprd"})
#: Cues whose object is the hearer, never the source.
_HEARER_VERBS = frozenset({"tell", "ask", "urge", "inform", "assure", "advise", "warn", "remind"})


#: Cues whose object stays the hearer even right after a quote ('"…," told reporters').
_ADDRESSEE_VERBS = frozenset({"tell", "inform", "assure", "advise", "remind"})
#: Labels the parser gives a subject that follows its verb ('"…?" reacted Okonjo' -> acomp).
_INVERTED_SOURCE = frozenset({"dobj", "npadvmod", "dep", "attr", "oprd", "acomp"})
_CLOSING_QUOTE_TOKENS = frozenset({'"', "''", "”", "’", "'", "»"})


def _after_closing_mark(cue: Token) -> bool:
    """Does the cue follow a closing quote mark ('"…," added a Texas Republican)?"""
    doc = cue.doc
    i = cue.i - 1
    if i >= 0 and doc[i].text in (",", "?", "!"):
        i -= 1
    return i >= 0 and doc[i].text in _CLOSING_QUOTE_TOKENS


def _inverted_subject(cue: Token, allowed, after_quote: bool = False) -> Optional[Token]:
    """A source attached to the cue by a loose label, next to it.

    Right after a closing mark the verb comes before its subject
    ('"…," added a Texas Republican', '"…?" asked the girl'), so a noun the
    parser made its object is the speaker, unless the verb names a hearer.
    """
    for child in cue.children:
        inverted = after_quote and child.i > cue.i and child.dep_ in _INVERTED_SOURCE
        if child.dep_ not in _LOOSE_SOURCE and not inverted or not allowed(child):
            continue
        if child.pos_ not in ("PROPN", "NOUN", "PRON"):
            continue
        if inverted and cue.lemma_ not in _ADDRESSEE_VERBS:
            if child.i - cue.i <= 4:
                return child
            continue
        if child.i > cue.i and (cue.lemma_ in _HEARER_VERBS or child.dep_ == "dobj" and child.pos_ != "PROPN"):
            continue
        if child.i < cue.i or abs(child.i - cue.i) <= 2:
            return child
    return None


def core_span(token: Token) -> Span:
    """The noun phrase core of a speaker head: determiners, modifiers, compounds."""
    doc = token.doc
    if token.pos_ == "PRON":
        return doc[token.i:token.i + 1]
    left = token.i
    for child in token.lefts:
        if child.dep_ in _CORE_LEFT:
            left = min(left, child.left_edge.i)
    while left < token.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return doc[left:token.i + 1]


class EntityIndex:
    """Entity mentions sorted by start, for overlap and look-back queries."""

    def __init__(self, analysis: Analysis, quoted: Sequence[tuple[int, int]] = ()) -> None:
        pairs = sorted(((m, e) for e in analysis.entities for m in e.mentions),
                       key=lambda pair: pair[0].start)
        self.mentions: list[tuple[Mention, Entity]] = pairs
        self.starts = [m.start for m, _ in pairs]
        self.longest = max((m.end - m.start for m, _ in pairs), default=0)
        self.by_id = {e.id: e for e in analysis.entities}
        #: Character ranges inside quote marks, sorted: names there are what is said, not who.
        self.quoted = sorted(quoted)
        self._quoted_starts = [s for s, _ in self.quoted]

    def in_quote(self, start: int, end: int) -> bool:
        """Does [start, end) lie inside quote marks?"""
        k = bisect_right(self._quoted_starts, start) - 1
        return k >= 0 and self.quoted[k][0] <= start and end <= self.quoted[k][1]

    def overlapping(self, start: int, end: int) -> list[tuple[Mention, Entity]]:
        """Mentions that share a character with [start, end), longest first."""
        low = bisect_right(self.starts, start - self.longest - 1)
        high = bisect_right(self.starts, end - 1)
        found = [(m, e) for m, e in self.mentions[low:high] if m.start < end and m.end > start]
        return sorted(found, key=lambda pair: pair[0].start - pair[0].end)

    def preceding_people(self, start: int, limit: int) -> list[tuple[Mention, Entity]]:
        """PERSON mentions ending before ``start`` and starting at/after ``limit``, nearest first."""
        high = bisect_right(self.starts, start)
        low = bisect_right(self.starts, limit - 1)
        found = [(m, e) for m, e in self.mentions[low:high]
                 if e.type == "PERSON" and m.end <= start and m.kind != "pronoun"
                 and not self.in_quote(m.start, m.end)]
        return found[::-1]


def _gender(doc: Doc, entity: Entity) -> Optional[str]:
    """"M"/"F" from an honorific before a mention or a known first name, else None."""
    text = doc_text(doc)
    for mention in entity.mentions:
        before = text[max(0, mention.start - 6):mention.start].split()
        if before and before[-1].lower() in _HONORIFIC_GENDER:
            return _HONORIFIC_GENDER[before[-1].lower()]
    first = entity.name.split()[0].lower() if entity.name.split() else ""
    return _first_name_gender().get(first)


def _pronoun_fallback(doc: Doc, index: EntityIndex, pronoun: Token) -> Optional[Entity]:
    """The nearest earlier PERSON of agreeing gender within a few sentences."""
    lower = pronoun.lower_
    if lower in _MALE:
        wanted = "M"
    elif lower in _FEMALE:
        wanted = "F"
    else:
        return None
    sent = pronoun.sent
    limit = sent.start_char
    previous = sent.start - 1
    for _ in range(_FALLBACK_SENTENCES):
        if previous < 0:
            break
        earlier = doc[previous].sent
        limit = earlier.start_char
        previous = earlier.start - 1
    agreeing = [(m, e) for m, e in index.preceding_people(pronoun.idx, limit)
                if _gender(doc, e) in (None, wanted)]
    # A pronoun source mostly continues the story's subject: prefer a mention
    # that is a clause subject over a nearer name in an object or a modifier.
    for mention, entity in agreeing:
        if _is_subject_mention(doc, mention):
            return entity
    return agreeing[0][1] if agreeing else None


def _is_subject_mention(doc: Doc, mention: Mention) -> bool:
    """Is the mention's head word the subject of a clause (or in apposition to one)?"""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span.root
    if head.dep_ == "appos":
        head = head.head
    return head.dep_ in ("nsubj", "nsubjpass")


def _named_apposition(head: Token) -> Token:
    """The name set beside a role noun ("the party's spokesman, Ann Lee," -> Lee)."""
    if head.pos_ != "NOUN":
        return head
    for child in head.rights:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return child
    return head


def _relative_antecedent(token: Token) -> Optional[Token]:
    """The noun a relative pronoun subject stands for ("Weaver, who said …" -> Weaver)."""
    if token.lower_ not in _RELATIVE or token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = token.head
    if clause.dep_ == "relcl" and clause.head.i != clause.i:
        return clause.head
    return None


def resolve_speaker(doc: Doc, index: EntityIndex, head: Token) -> Speaker:
    """The speaker whose source phrase has ``head`` as its head token.

    A relative pronoun keeps itself as the mention ("who", as written in the
    attribution clause) and takes the entity and name of its antecedent.
    """
    antecedent = _relative_antecedent(head)
    if antecedent is not None and antecedent.pos_ in ("NOUN", "PROPN", "PRON"):
        found = resolve_speaker(doc, index, antecedent)
        return Speaker(SpanRef(head.idx, head.idx + len(head.text), head.text), found.entity, found.name)
    head = _named_apposition(head)
    core = core_span(head)
    # Prefer the entity mention that covers the head word itself ("Rep. X" -> X).
    for mention, entity in index.overlapping(head.idx, head.idx + len(head.text)):
        if mention.kind == "pronoun" and _antecedents_only_quoted(index, entity, mention):
            break  # "'Donald is panicking,' he wrote": the name inside is not the writer
        return Speaker(SpanRef(mention.start, mention.end, mention.text), entity.id, entity.name)
    else:
        # A role noun speaks for the body its modifier or possessor names
        # ("China's foreign ministry", "a Commission spokeswoman"): that entity
        # is the speaker, but the mention is the whole phrase as written.
        for mention, entity in index.overlapping(core.start_char, core.end_char):
            if head.pos_ == "NOUN":
                return Speaker(SpanRef(core.start_char, core.end_char, core.text), entity.id, entity.name)
            return Speaker(SpanRef(mention.start, mention.end, mention.text), entity.id, entity.name)
    mention = SpanRef(core.start_char, core.end_char, core.text)
    if head.pos_ == "PROPN":
        # A name the entity stage missed (spaCy may tag a surname WORK_OF_ART or
        # nothing): the one person already named with that surname.
        named = [e for e in index.by_id.values() if e.type == "PERSON" and e.name.split()
                 and e.name.split()[-1] == head.text and any(m.start < head.idx for m in e.mentions)]
        if len(named) == 1:
            return Speaker(mention, named[0].id, named[0].name)
    if head.pos_ == "PRON":
        entity = _pronoun_fallback(doc, index, head)
        if entity is not None:
            return Speaker(mention, entity.id, entity.name)
    return Speaker(mention, None, core.text)


def _antecedents_only_quoted(index: EntityIndex, entity: Entity, pronoun: Mention) -> bool:
    """Are all earlier non-pronoun mentions of ``entity`` inside quote marks?"""
    earlier = [m for m in entity.mentions if m.end <= pronoun.start and m.kind != "pronoun"]
    return bool(earlier) and all(index.in_quote(m.start, m.end) for m in earlier)
