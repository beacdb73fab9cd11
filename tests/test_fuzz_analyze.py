"""Property-based tests of ``analyze`` on hostile text (hypothesis; profiles in hypothesis_profiles.py).

Invariants, for any text: analyze returns an Analysis or raises InputError
(the contract's error codes), never anything else; every span of the output
indexes the cleaned text (``text[start:end] == span text``); the JSON line
encodes as UTF-8.  Texts are news-like sentences salted with what scraped
archives contain: combining marks, right-to-left runs, emoji sequences,
zero-width characters, lone surrogates, control characters, stray and nested
quote marks, very long tokens and sentences.
"""

from __future__ import annotations

import json
import re
import time

from hypothesis import given, settings, strategies as st

from eventwire.analyze import MAX_CHARS
from eventwire.clean import PARAGRAPH_SEPARATOR, clean_text
from eventwire.decode import InputError
from eventwire.model import Analysis

from hypothesis_profiles import examples

# Our own news-style vocabulary; many function words so the English test passes.
WORDS = ("the of and to in a that on for with said was is by as at from has have will "
         "minister president government talks Monday Tuesday last week next year police army "
         "protesters Beijing Nairobi Paris Kenya France China Moon Macron Ruto Ms Mr Dr he she "
         "they it we officials met agreed rejected warned attacked visited accused told reporters "
         "according spokesman ministry 2019 three percent million border deal sanctions").split()
QUOTE_MARKS = list("\"'“”‘’«»„‚‹›「」『』") + ["''", "``", "\"\"", "“‘", "’”"]
HOSTILE = [
    "e\u0301\u0301\u0301",  # stacked combining accents
    "\u0301",  # a combining mark with nothing to combine with
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",  # Hebrew, Arabic words (RTL)
    "\u202e", "\u202d", "\u200f", "\u2066", "\u2069",  # bidi overrides, marks and isolates
    "\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469\u200d\U0001F467",  # skin tone, ZWJ family
    "\U0001F1F0\U0001F1EA", "\u2764\ufe0f",  # flag, emoji with variation selector
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width, soft hyphen
    "\ud800", "\udfff", "\udbff\udc00",  # lone surrogates and a pair as two code units
    "\x00", "\x07", "\x1b", "\x85", "\u2028", "\u2029", "\r", "\t", "\x0c",
    "\ufffd", "\uffff", "\U0010ffff", "&amp;", "&#0;", "&#x1F600;", "Ã©", "â€œ",
    "U.S.", "Dr.", "p.m.", "...", "—", "–", "(", ")", "[", "]",
]
PUNCT = [".", "!", "?", ",", ";", ":", "", "…", ".\"", ".”", "?'"]

token = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS),
    st.sampled_from(QUOTE_MARKS), st.sampled_from(HOSTILE),
    st.text(min_size=1, max_size=6),  # any Unicode but surrogates
    st.integers(0xD800, 0xDFFF).map(chr),
)
sentence = st.builds(lambda toks, end: " ".join(toks) + end,
                     st.lists(token, min_size=1, max_size=30), st.sampled_from(PUNCT))
paragraph = st.lists(sentence, min_size=1, max_size=5).map(" ".join)
article = st.builds(lambda paras, sep: sep.join(paras),
                    st.lists(paragraph, min_size=1, max_size=5),
                    st.sampled_from(["\n\n", "\n", " ", "\r\n\r\n", "\n \n", "\u2029"]))
published = st.one_of(st.none(), st.sampled_from(["2019-01-10", "2024-02-29", "1999-12-31"]))


def check_spans(analysis: Analysis) -> None:
    """Every offset of the contract indexes ``analysis.text``; the line encodes as UTF-8."""
    text = analysis.text
    n = len(text)

    def span(start: int, end: int, surface: object = None) -> None:
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start <= end <= n, (start, end, n)
        if surface is not None:
            assert text[start:end] == surface, (start, end, text[start:end], surface)

    for entity in analysis.entities:
        assert entity.mentions, entity
        for m in entity.mentions:
            span(m.start, m.end, m.text)
            assert m.kind in ("name", "nominal", "pronoun")
    for q in analysis.quotes:
        span(q.start, q.end, q.text)
        for ref in (q.speaker_mention, q.cue, *q.parts):
            if ref is not None:
                span(ref.start, ref.end, ref.text)
    for e in analysis.events:
        span(e.trigger.start, e.trigger.end, e.trigger.text)
        span(e.sentence.start, e.sentence.end)
        assert e.sentence.start <= e.trigger.start <= e.trigger.end <= e.sentence.end
    for t in analysis.times:
        span(t.start, t.end, t.text)
    for p in analysis.places:
        span(p.start, p.end, p.text)
    for s in analysis.sentences:
        span(s.start, s.end)
    if analysis.title_span is not None:
        span(analysis.title_span.start, analysis.title_span.end)
    line = analysis.to_json()
    line.encode("utf-8")  # a lone surrogate here would crash the writer
    assert "\n" not in line and json.loads(line)["id"] == analysis.id


def _analyse_or_refuse(run_analyze, text: str, **kwargs) -> None:
    try:
        result = run_analyze(text, **kwargs)
    except InputError as exc:
        assert exc.code in {"empty", "binary", "not_english", "too_large", "no_text"}, exc.code
        return
    check_spans(result)


@settings(max_examples=examples(25))
@given(text=article, published=published)
def test_hostile_text_never_crashes_and_every_span_indexes_the_text(run_analyze, text, published):
    _analyse_or_refuse(run_analyze, text, published=published)


@settings(max_examples=examples(10))
@given(text=article, title=st.one_of(st.none(), sentence, st.sampled_from(HOSTILE)))
def test_hostile_title_is_cleaned_like_the_body(run_analyze, text, title):
    _analyse_or_refuse(run_analyze, text, title=title)


@settings(max_examples=examples(10))
@given(marks=st.lists(st.sampled_from(QUOTE_MARKS), min_size=1, max_size=12),
       words=st.lists(st.sampled_from(WORDS), min_size=3, max_size=40))
def test_unbalanced_and_nested_quote_marks(run_analyze, marks, words):
    """Quote marks dropped between words at random: opened, never closed, nested."""
    pieces = list(words)
    for i, mark in enumerate(marks):
        pieces.insert((i * 7) % (len(pieces) + 1), mark)
    text = "The minister said " + " ".join(pieces) + ", he told reporters on Monday."
    _analyse_or_refuse(run_analyze, text, published="2019-01-10")


@settings(max_examples=examples(20))
@given(raw=st.text(max_size=300) | st.lists(token, max_size=60).map("".join))
def test_cleaning_gives_stripped_paragraphs_without_surrogates_or_invisible_characters(raw):
    cleaned = clean_text(raw)
    cleaned.text.encode("utf-8")
    assert not any(ch in cleaned.text for ch in "\u200b\ufeff\r\u2028")
    paragraphs = cleaned.text.split(PARAGRAPH_SEPARATOR) if cleaned.text else []
    for paragraph in paragraphs:
        assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph, repr(paragraph)
    if cleaned.title_span is not None:
        start, end = cleaned.title_span
        assert cleaned.text[start:end] == paragraphs[0]


def test_regression_wordless_paragraphs_are_not_collapsed_as_a_repeated_headline():
    """Bug 6 (found by the cleaning property): two paragraphs without a letter or digit
    ("* * *", "—") compared equal as headline copies, so the second was deleted; text that
    the cleaner itself produced ("&ap;\\n\\n<") lost its last paragraph when cleaned again."""
    body = "The minister said the talks with France would go on next week."
    assert clean_text(f"* * *\n\n—\n\n{body}").text == f"* * *\n\n—\n\n{body}"
    assert clean_text("&ap;\n\n<").text.endswith("\n\n<")


# Attribution and event sentences built from parts, salted with hostile characters at the
# quote and name boundaries, where offset arithmetic in the quote and event stages happens.
SPEAKERS = ["President Emmanuel Macron", "Macron", "he", "she", "the minister", "Kenya's foreign ministry",
            "a spokesman for the army", "Ruto", "Ms Moon", "they", "officials", "Xi Jinping"]
CUES = ["said", "told reporters", "added", "warned", "insisted", "said on Monday", "wrote on Twitter",
        "according to"]
ACTIONS = ["accused", "attacked", "met", "visited", "rejected", "threatened", "agreed with", "sanctioned",
           "urged", "condemned", "praised", "criticised"]
ACTORS = ["France", "Kenya", "China", "the United Nations", "rebels", "police", "Macron", "Xi Jinping",
          "the army", "protesters in Paris"]
_salt = st.sampled_from(HOSTILE + [""] * 5)
_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=15).map(" ".join)


def _quote_sentence(open_: str, body: str, close: str, speaker: str, cue: str, salt1: str, salt2: str,
                    shape: int) -> str:
    if shape == 0:
        return f"{open_}{salt1}{body}{salt2}{close}, {speaker} {cue}."
    if shape == 1:
        return f"{speaker} {cue}: {open_}{body}{close}"
    if shape == 2:
        return f"{open_}{body},{close} {speaker} {cue}, {open_}{salt1}{body}.{close}"
    return f"{speaker} {cue} that {body}{salt2}."


_quote = st.builds(_quote_sentence, st.sampled_from(QUOTE_MARKS), _words, st.sampled_from(QUOTE_MARKS),
                   st.sampled_from(SPEAKERS), st.sampled_from(CUES), _salt, _salt, st.integers(0, 3))
_event = st.builds(lambda a, s1, verb, b, s2, rest: f"{a}{s1} {verb} {b}{s2} {rest} on Monday.",
                   st.sampled_from(ACTORS), _salt, st.sampled_from(ACTIONS), st.sampled_from(ACTORS), _salt,
                   _words)
attributed_article = st.lists(st.lists(_quote | _event, min_size=1, max_size=4).map(" ".join),
                              min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=examples(15))
@given(text=attributed_article)
def test_quotes_and_events_with_hostile_boundaries_keep_their_offsets(run_analyze, text):
    _analyse_or_refuse(run_analyze, text, published="2019-01-10")


# Sizes that stress quadratic code without making CI slow (a parse each).
def test_extremely_long_sentence_without_punctuation(run_analyze):
    words = (WORDS * 40)[:2500]
    _analyse_or_refuse(run_analyze, "The talks " + " ".join(words) + ".", published="2019-01-10")


def test_extremely_long_tokens_among_words(run_analyze):
    text = ("Officials in Nairobi said on Monday that " + "x" * 60_000 + " talks would go on, "
            "and \"" + "\U0001F600" * 5_000 + "\" he told reporters.\n\n"
            + "Ms Moon met the minister in Paris. " * 5)
    _analyse_or_refuse(run_analyze, text, published="2019-01-10")


def test_one_quote_mark_opening_a_whole_long_article(run_analyze):
    body = " ".join(["The minister said the talks with France would go on next week."] * 200)
    _analyse_or_refuse(run_analyze, "“" + body, published="2019-01-10")


def test_text_just_over_the_character_limit_is_too_large(run_analyze):
    try:
        run_analyze("a " * (MAX_CHARS // 2 + 1))
    except InputError as exc:
        assert exc.code == "too_large"
    else:
        raise AssertionError("an over-long text must be refused")


def test_regression_long_symbol_runs_are_capped_before_the_tokenizer(run_analyze):
    """Bug 7: spaCy's tokenizer peels a run of punctuation or symbols one character at a time,
    in quadratic time: 6,000 "=" took 20 s, 12,000 a minute, and a 1 MB article of them hours.
    Cleaning now cuts every such run to MAX_SYMBOL_RUN characters."""

    from eventwire.clean import MAX_SYMBOL_RUN

    runs = ["=" * 20_000, "!?" * 10_000, "\U0001F600" * 20_000, "(" * 20_000 + "x" + ")" * 20_000, "_" * 20_000]
    text = "Officials in Nairobi said on Monday that the talks would go on.\n\n" + "\n\n".join(
        f"The minister {run} told reporters in Paris." for run in runs)
    cleaned = clean_text(text).text
    longest = max(len(m.group()) for m in re.finditer(r"(?:[^\w\s]|_)+", cleaned))
    assert longest == MAX_SYMBOL_RUN
    assert "Officials in Nairobi" in cleaned and cleaned.count("told reporters in Paris.") == len(runs)
    started = time.perf_counter()
    check_spans(run_analyze(text, published="2019-01-10"))
    assert time.perf_counter() - started < 30  # before the fix: several minutes
