"""analyze(): the contract's shape, offsets, sentence boundaries and error codes."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from eventwire.analyze import analyze_batch
from eventwire.decode import InputError
from eventwire.model import Analysis, Article, ArticleError
from eventwire.readers import read_paths

# The package exports the function ``analyze``, which shadows the module's name.
analyze_module = importlib.import_module("eventwire.analyze")

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"

ARTICLE = (
    "Turkey and Greece agree to reopen talks on Aegean airspace\n\n"
    "Turkish President Recep Tayyip Erdogan and Greek Prime Minister Kyriakos Mitsotakis met in "
    "Ankara on Thursday and agreed to reopen talks on airspace over the Aegean Sea, officials "
    "said.\n\n"
    "\u201cWe chose dialogue over tension,\u201d Mitsotakis told reporters. \u201cIt is the only "
    "way forward.\u201d Erdogan said that Turkey wanted calm in the region and would visit Athens "
    "next year.\n\n"
    "The European Union welcomed the meeting. Last March, Athens accused Ankara of sending "
    "fighter jets over Greek islands, and Turkey rejected the claim.\n"
)

CONTRACT_FIELDS = {"id", "title", "published", "source", "url", "text", "entities", "quotes",
                   "events", "times", "places"}
ENTITY_FIELDS = {"id", "name", "type", "actor", "country", "mentions"}
MENTION_FIELDS = {"start", "end", "text", "kind"}
QUOTE_FIELDS = {"text", "start", "end", "direct", "speaker", "speaker_name", "speaker_mention", "cue"}
EVENT_FIELDS = {"source", "target", "cameo", "root", "quad_class", "goldstein", "plover",
                "plover_mode", "factuality", "date", "location", "trigger", "sentence", "confidence"}
TIME_FIELDS = {"start", "end", "text", "type", "value"}
PLACE_FIELDS = {"start", "end", "text", "name", "kind", "country", "lat", "lon", "geonames_id"}


@pytest.fixture(scope="module")
def article(run_analyze) -> Analysis:
    return run_analyze(ARTICLE, published="2024-03-14", id="aegean")


@pytest.fixture(scope="module")
def examples(nlp) -> list:
    """Every example article analysed, as the CLI would."""
    results = analyze_batch(list(read_paths([str(EXAMPLES)])), "2024-03-14", nlp)
    assert len(results) >= 8
    return results


def test_every_contract_field_is_present(article):
    record = json.loads(article.to_json())
    assert CONTRACT_FIELDS <= set(record)
    assert record["id"] == "aegean" and record["published"] == "2024-03-14"
    assert record["title"] == "Turkey and Greece agree to reopen talks on Aegean airspace"
    assert record["source"] is None and record["url"] is None
    assert record["entities"], "spaCy found no entities in a names-heavy article"
    for entity in record["entities"]:
        assert ENTITY_FIELDS <= set(entity)
        assert entity["mentions"]
        for mention in entity["mentions"]:
            assert MENTION_FIELDS <= set(mention)
            assert mention["kind"] in {"name", "nominal", "pronoun"}
    for key, fields in (("quotes", QUOTE_FIELDS), ("events", EVENT_FIELDS),
                        ("times", TIME_FIELDS), ("places", PLACE_FIELDS)):
        assert isinstance(record[key], list)
        for item in record[key]:
            assert fields <= set(item), key


def test_entities_group_their_mentions(article):
    people = {e.name: e for e in article.entities if e.type == "PERSON"}
    mitsotakis = people.get("Kyriakos Mitsotakis")
    assert mitsotakis is not None, people
    # The full name and the later surname alone are one entity.
    assert [m.text for m in mitsotakis.mentions][:2] == ["Kyriakos Mitsotakis", "Mitsotakis"]
    assert any(e.name == "Athens" and e.type == "GPE" for e in article.entities)


def test_error_line_shape():
    record = json.loads(ArticleError("x1", "empty", "the article has no text").to_json())
    assert record == {"id": "x1", "error": {"code": "empty", "message": "the article has no text"}}


def test_json_line_is_one_line_and_round_trips(run_analyze):
    result = run_analyze("Envoys met in Oslo\u2028on Friday and\u2029agreed to meet again.")
    line = result.to_json()
    assert "\n" not in line and "\u2028" not in line and "\u2029" not in line
    assert json.loads(line) == json.loads(json.dumps(result.to_dict()))


def _assert_spans_match(analysis: Analysis) -> None:
    text = analysis.text
    for entity in analysis.entities:
        for m in entity.mentions:
            assert text[m.start:m.end] == m.text, (entity.name, m)
    for s in analysis.sentences:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
    if analysis.title_span:
        assert text[analysis.title_span.start:analysis.title_span.end] == analysis.title


def test_entity_and_sentence_offsets_index_the_text(article, examples):
    _assert_spans_match(article)
    for result in examples:
        assert isinstance(result, Analysis), result
        _assert_spans_match(result)


def test_every_other_span_of_the_contract_indexes_the_text(article, examples):
    for analysis in [article, *examples]:
        text = analysis.text
        for q in analysis.quotes:
            assert text[q.start:q.end] == q.text
            for ref in (q.speaker_mention, q.cue):
                if ref is not None:
                    assert text[ref.start:ref.end] == ref.text
        for t in analysis.times:
            assert text[t.start:t.end] == t.text
        for p in analysis.places:
            assert text[p.start:p.end] == p.text
        for e in analysis.events:
            assert text[e.trigger.start:e.trigger.end] == e.trigger.text
            assert e.sentence.start <= e.trigger.start < e.trigger.end <= e.sentence.end


def _sentence_texts(analysis: Analysis) -> list[str]:
    return [analysis.text[s.start:s.end] for s in analysis.sentences]


def test_sentences_never_cross_a_paragraph_break(article, examples):
    for analysis in [article, *examples]:
        for sentence in _sentence_texts(analysis):
            assert "\n\n" not in sentence, sentence


def test_headline_is_its_own_sentence(article):
    assert _sentence_texts(article)[0] == article.title


def test_paragraph_without_final_punctuation_does_not_run_on(run_analyze):
    text = ("Oman hosts talks between Iran and the United States\n\n"
            "mediators shuttled between the two delegations in Muscat on Sunday\n\n"
            "the talks will continue next week, Omani officials said.")
    result = run_analyze(text)
    assert _sentence_texts(result) == text.split("\n\n")


def test_glued_scraping_fragment_is_its_own_flagged_sentence(run_analyze):
    text = ("Envoys from Iran and the European Union met in Vienna on Friday. "
            "-Iran talks and the question of sanctions relief. "
            "The next round is due in Geneva.")
    result = run_analyze(text)
    sentences = result.sentences
    fragments = [result.text[s.start:s.end] for s in sentences if s.fragment]
    assert fragments == ["-Iran talks and the question of sanctions relief."]
    assert not sentences[0].fragment and not sentences[-1].fragment


def test_sentence_starting_in_lower_case_is_a_fragment(run_analyze):
    result = run_analyze("Talks resumed in Doha on Monday.\n\nand the delegations left early.")
    assert [s.fragment for s in result.sentences] == [False, True]


@pytest.mark.parametrize("text, code", [
    ("", "empty"),
    (" \n\t\u00a0\n ", "empty"),
    ("\x00\x01\x02\x03 binary \x04\x05\x06" * 50, "binary"),
    ("Le ministre des Affaires \u00e9trang\u00e8res a rencontr\u00e9 jeudi \u00e0 Paris son "
     "homologue allemand pour discuter de la guerre en Ukraine et des sanctions contre la "
     "Russie, a indiqu\u00e9 le minist\u00e8re dans un communiqu\u00e9.", "not_english"),
    ("Die Au\u00dfenminister von Polen und Litauen trafen sich am Montag in Warschau, um \u00fcber "
     "die Lage an der Grenze zu sprechen, und sie wollen sich im Mai wieder treffen.", "not_english"),
    ("\u4e2d\u56fd\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba\u5468\u56db\u8868\u793a\uff0c"
     "\u4e2d\u65b9\u613f\u610f\u4e0e\u5404\u65b9\u4e00\u9053\u63a8\u52a8\u548c\u5e73"
     "\u8c08\u5224\u3002" * 5, "not_english"),
    ("a " * 500_001, "too_large"),
    ("Advertisement\n\nShare this article\n\nFollow us on Twitter @news", "no_text"),
])
def test_bad_text_raises_input_error_with_its_code(run_analyze, text, code):
    with pytest.raises(InputError) as info:
        run_analyze(text)
    assert info.value.code == code
    assert info.value.message


def test_english_with_foreign_names_is_still_english(run_analyze):
    text = ("Lula da Silva met Ursula von der Leyen in Brasilia on Monday, and the two leaders "
            "discussed trade with El Salvador, Las Palmas port fees and the Den Haag court case.")
    assert run_analyze(text).text == text


def test_published_defaults_to_none_and_is_normalised(run_analyze):
    text = "Ministers from Chile and Peru met in Lima on Monday."
    assert run_analyze(text).published is None
    assert run_analyze(text, published="2024-03-14").published == "2024-03-14"
    assert run_analyze(text, published="2024-03-14T08:00:00Z").published == "2024-03-14"
    assert run_analyze(text, published="14 March 2024").published is None


def test_id_defaults_to_a_stable_hash_of_the_text(run_analyze):
    text = "Ministers from Chile and Peru met in Lima on Monday."
    first, second = run_analyze(text), run_analyze(text)
    assert first.id == second.id and len(first.id) == 16
    assert run_analyze(text + " They agreed.").id != first.id


def test_batch_keeps_order_and_uses_the_default_date_only_when_missing(nlp):
    items = [
        Article(id="own", text="Leaders of Ghana and Togo met in Accra.", published="2023-05-01"),
        ArticleError("bad", "bad_json", "line 2: not valid JSON"),
        Article(id="none", text="Leaders of Ghana and Togo met in Lome."),
        Article(id="empty", text="   "),
    ]
    results = analyze_batch(items, "2024-03-14", nlp)
    assert [r.id for r in results] == ["own", "bad", "none", "empty"]
    assert results[0].published == "2023-05-01"
    assert results[2].published == "2024-03-14"
    assert isinstance(results[1], ArticleError) and results[1].code == "bad_json"
    assert isinstance(results[3], ArticleError) and results[3].code == "empty"


def test_a_failing_stage_costs_one_article_not_the_run(nlp, monkeypatch):
    def explode_on_poland(doc, analysis):
        if "Poland" in analysis.text:
            raise RuntimeError("stage bug")

    real = analyze_module.stages()
    monkeypatch.setattr(analyze_module, "stages", lambda: real + (explode_on_poland,))
    items = [Article(id="a", text="Lithuania and Latvia held talks in Riga."),
             Article(id="b", text="Poland summoned the Belarusian envoy."),
             Article(id="c", text="Estonia joined the talks in Riga.")]
    results = analyze_batch(items, None, nlp)
    assert [type(r).__name__ for r in results] == ["Analysis", "ArticleError", "Analysis"]
    assert results[1].code == "internal" and "stage bug" in results[1].message


def test_example_articles_all_analyse(examples):
    by_id = {r.id: r for r in examples}
    assert all(isinstance(r, Analysis) for r in examples), [r for r in examples
                                                           if isinstance(r, ArticleError)]
    html = by_id["06-nile-dam"]
    assert html.published == "2024-03-11"
    assert html.url == "https://world.example.com/africa/2024/03/11/egypt-ethiopia-nile-dam"
    assert "C\u00f4te d\u2019Ivoire" in by_id["05-abidjan-visit"].text  # mojibake repaired


def test_dateline_is_its_own_sentence_skipped_by_extractors(run_analyze):
    text = ("HARARE (AFP) - Zimbabwe's central bank raised its main interest rate on "
            "Thursday, the governor said.")
    analysis = run_analyze(text, published="2023-06-09")
    body = next(s for s in analysis.sentences if not s.fragment)
    assert analysis.text[body.start:body.end].startswith("Zimbabwe's central bank")
    skipped = [analysis.text[s.start:s.end] for s in analysis.sentences if s.fragment]
    assert "".join(skipped).replace(" ", "") == "HARARE(AFP)-"
    # the dateline's place is still a place mention
    assert any(p.text == "HARARE" and p.country == "ZWE" for p in analysis.places)
