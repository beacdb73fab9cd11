"""The indexed attribute-ruler matcher must annotate exactly like spaCy's own."""

from __future__ import annotations

import spacy

from eventwire.attribute_index import RuleIndex
from eventwire.nlp import MODEL_NAME

TEXTS = [
    "The finance minister said on Monday that talks with the union would resume in March.",
    "I ain't gonna sign it, y'all, and you gotta believe me. Let's go! C'mon.",
    "There were 14 people at the gate; it was raining, and they gave it to him and me.",
    "Did she have the report?  She did.\n\n   He has had enough, and does what he wants.",
    "\"We will not give up,\" the spokeswoman told reporters in Nairobi, adding: 'Never.'",
    "   ",
    "",
    "Whose plan is this? That which remains: all of these, each and every one.",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_indexed_matcher_finds_the_same_matches_as_spacy() -> None:
    original = spacy.load(MODEL_NAME, exclude=["ner"])
    ruler = original.get_pipe("attribute_ruler")
    index = RuleIndex(ruler)
    with original.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(original.pipe(TEXTS))
    total = 0
    for doc in docs:
        expected = ruler.match(doc)
        assert index.match(doc) == expected
        total += len(expected)
    assert total > sum(len(doc) for doc in docs) * 0.9  # nearly every token matches a tag rule


def test_load_pipeline_installs_the_index_and_keeps_annotations(nlp) -> None:
    assert isinstance(nlp.get_pipe("attribute_ruler").match.__self__, RuleIndex)
    doc = nlp("She did not have the papers, but she had had enough.")
    pos = {t.text + str(t.i): t.pos_ for t in doc}
    assert pos["did1"] == "AUX" and pos["have3"] == "VERB" and pos["had9"] == "AUX" and pos["had10"] == "VERB"
