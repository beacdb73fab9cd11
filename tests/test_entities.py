"""Name mentions: trimming, re-typing and alias grouping (our own news-style sentences)."""

from __future__ import annotations

from eventwire.entities import extract_entities


def entity_with(analysis, text):
    """The entity that has a mention with exactly this text."""
    for entity in analysis.entities:
        if any(m.text == text for m in entity.mentions):
            return entity
    raise AssertionError(f"no entity mentions {text!r}: {[e.name for e in analysis.entities]}")


def test_surname_and_title_join_the_full_name(run_analyze):
    text = ("Kenyan President William Ruto arrived in Addis Ababa on Monday. "
            "Ruto told reporters the talks would be short. "
            "Mr Ruto later left for Nairobi.")
    a = run_analyze(text, published="2023-05-02")
    ruto = entity_with(a, "William Ruto")
    texts = [m.text for m in ruto.mentions if m.kind == "name"]
    assert texts.count("Ruto") == 2
    assert ruto.type == "PERSON"


def test_two_people_sharing_a_surname_stay_apart(run_analyze):
    text = ("Ralph Okafor and his cousin Daniel Okafor opened the shop in 1998. "
            "Daniel Okafor sold his share a decade later.")
    a = run_analyze(text)
    ralph = entity_with(a, "Ralph Okafor")
    daniel = entity_with(a, "Daniel Okafor")
    assert ralph is not daniel


def test_every_offset_matches_the_text(run_analyze):
    text = ("‘Talks with Paris are over,’ the minister said. -Brussels officials, "
            "who met NATO's chief, said he was 'not convinced'.")
    a = run_analyze(text)
    for entity in a.entities:
        for m in entity.mentions:
            assert a.text[m.start:m.end] == m.text


def test_country_aliases_are_one_entity(run_analyze):
    text = ("The U.S. and the United States Navy are not the same. "
            "The United States sent a ship, and US officials said America would send more.")
    a = run_analyze(text)
    usa = entity_with(a, "United States")
    names = {m.text for m in usa.mentions if m.kind == "name"}
    assert {"U.S.", "United States", "US", "America"} <= names
    assert usa.actor == "USA" and usa.country == "USA"


def test_known_leader_in_a_headline_is_a_person(run_analyze):
    text = ("Putin rejects ceasefire plan\n\n"
            "Russian President Vladimir Putin rejected the plan on Friday.")
    a = run_analyze(text, published="2023-03-03")
    putin = entity_with(a, "Vladimir Putin")
    assert putin.type == "PERSON"
    assert any(m.text == "Putin" for m in putin.mentions)


def test_mount_is_a_location_and_possessive_is_trimmed(run_analyze):
    text = "Climbers returned from Mount Kenya on Sunday. Kenya's tourism board praised them."
    a = run_analyze(text)
    mount = entity_with(a, "Mount Kenya")
    assert mount.type == "LOC"
    kenya = entity_with(a, "Kenya")
    assert all(not m.text.endswith("'s") for m in kenya.mentions)


def test_fallback_extractor_groups_names(nlp):
    doc = nlp("Ottawa and Canada were mentioned. Canada again.")
    entities = extract_entities(doc)
    canada = [e for e in entities if e.name == "Canada"]
    assert len(canada) == 1 and len(canada[0].mentions) == 2


def test_odd_input_does_not_raise(nlp):
    from eventwire.coref import resolve

    odd = ('" " "', "He said.", "x " * 3000, "“Unbalanced quote and he left", "",
           "They they they. It it. We.", "``Mr'' ``Kim''", "Mr. Mr. Mr.")
    for text in odd:
        doc = nlp(text)
        for entity in resolve(doc, "2020-01-01"):
            for m in entity.mentions:
                assert text[m.start:m.end] == m.text


def test_sentence_initial_given_name_subject_is_a_person(nlp):
    from eventwire.entities import name_mentions
    doc = nlp("Deepika thanked the voters on Sunday.")
    assert [(m.text, m.label) for m in name_mentions(doc)] == [("Deepika", "PERSON")]
    doc = nlp("Victoria approved the budget on Monday.")  # a given name, but also a state
    assert not any(m.label == "PERSON" for m in name_mentions(doc))


def test_a_hyphenated_pair_of_leaders_is_two_people(run_analyze):
    result = run_analyze("The Putin-Biden summit in Geneva ended early, officials said.", published="2021-06-16")
    actors = {e.name: e.actor for e in result.entities if e.type == "PERSON"}
    assert actors.get("Vladimir Putin") == "RUSGOV" and actors.get("Joe Biden") == "USAGOV"


def test_a_lone_demonym_is_a_nationality_and_a_known_town_is_a_place(run_analyze):
    result = run_analyze("A Ugandan was detained at the airport. Gunmen attacked a checkpoint near Samarra.",
                         published="2015-03-02")
    types = {e.name: (e.type, e.country) for e in result.entities}
    assert types["Ugandan"] == ("NORP", "UGA")
    assert types["Samarra"] == ("GPE", "IRQ")
