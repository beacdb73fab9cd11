"""The quotes stage: quote marks, attribution, reported speech, speakers, view."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from eventwire.quote_marks import find_marked_spans
from eventwire.quotes_view import format_quotes


def _marked(text: str) -> list[str]:
    return [text[s.start:s.end] for s in find_marked_spans(text)]


def _check_offsets(analysis) -> None:
    text = analysis.text
    for q in analysis.quotes:
        assert text[q.start:q.end] == q.text
        for ref in (q.speaker_mention, q.cue):
            if ref is not None:
                assert text[ref.start:ref.end] == ref.text


def _entity_name(analysis, entity_id):
    return next((e.name for e in analysis.entities if e.id == entity_id), None)


# ---------------------------------------------------------------- quote marks

def test_marks_of_every_style():
    assert _marked('He said "we will go" today.') == ["we will go"]
    assert _marked("He said “we will go” today.") == ["we will go"]
    assert _marked("Elle a dit «nous partons» hier.") == ["nous partons"]
    assert _marked("Sie sagte „wir gehen“ heute.") == ["wir gehen"]
    assert _marked("Minister vows 'no retreat on tariffs'") == ["no retreat on tariffs"]


def test_apostrophes_are_not_quote_marks():
    text = "The farmers' union won't budge, O'Brien said of the '90s rules."
    assert _marked(text) == []


def test_nested_quotes_stay_inside_the_outer_quote():
    assert _marked('"They told me \'never again\' last week," she said.') == [
        "They told me 'never again' last week,"]
    assert _marked("“Voters chanted “four more years” all night,” he said.") == [
        "Voters chanted “four more years” all night,"]


def test_multi_paragraph_quote_is_one_span():
    text = ("“The harbour will reopen in spring.\n\n"
            "“Ships will be inspected twice,” the port director said.\n\nThe end.")
    spans = find_marked_spans(text)
    assert len(spans) == 1
    assert spans[0].paragraphs == 2
    assert text[spans[0].start:spans[0].end].startswith("The harbour")
    assert text[spans[0].start:spans[0].end].endswith("twice,")


def test_unbalanced_mark_does_not_swallow_the_article():
    text = ('He called the plan "reckless and walked out.\n\n'
            'The council met on Friday. "We are ready," the mayor said.')
    assert _marked(text) == ["We are ready,"]
    # An unclosed quote that opens its paragraph is cut at the paragraph end.
    text = '"We will rebuild the bridge\n\nThe council met on Friday.'
    assert _marked(text) == ["We will rebuild the bridge"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab '\"“”‘’«»„\n.,:")), max_size=80))
def test_marks_never_crash_and_stay_in_bounds(text):
    for span in find_marked_spans(text):
        assert 0 <= span.start < span.end <= len(text)
        if span.paragraphs == 1:
            assert "\n" not in text[span.start:span.end]


# ---------------------------------------------------------------- direct quotes

def test_quote_before_speaker(run_analyze):
    a = run_analyze('"The reservoir is nearly empty," said Maria Gonzalez, the water commissioner.')
    _check_offsets(a)
    [q] = a.quotes
    assert q.direct and q.text == "The reservoir is nearly empty"
    assert q.cue.text == "said"
    assert "Gonzalez" in q.speaker_mention.text
    assert q.speaker is not None and "Gonzalez" in _entity_name(a, q.speaker)


def test_colon_introduction(run_analyze):
    a = run_analyze("The minister tweeted on Tuesday: “Our patience with the rebels is running out.”")
    _check_offsets(a)
    [q] = a.quotes
    assert q.direct and q.text.startswith("Our patience")
    assert q.cue.text == "tweeted"
    assert q.speaker_mention.text == "The minister"
    assert q.speaker is None and q.speaker_name == "The minister"


def test_split_quote_is_one_statement(run_analyze):
    a = run_analyze('"We will," the coach said, "not give up before the final whistle."')
    _check_offsets(a)
    direct = [q for q in a.quotes if q.direct]
    assert len(direct) == 1
    assert direct[0].text.startswith("We will") and direct[0].text.endswith("final whistle.")
    assert direct[0].speaker_mention.text == "the coach"


def test_according_to_with_a_quote(run_analyze):
    a = run_analyze('According to the fire brigade, "the blaze started in the kitchen of the hotel."')
    [q] = a.quotes
    assert q.direct and q.cue.text == "According to"
    assert q.speaker_mention.text == "the fire brigade"


def test_pronoun_speaker_resolves_to_the_person(run_analyze):
    a = run_analyze('Angela Merkel arrived in Lisbon on Monday. "Europe must stand together," '
                    "she said after the meeting.")
    _check_offsets(a)
    [q] = [q for q in a.quotes if q.direct]
    assert q.speaker_mention.text == "she"
    assert q.speaker is not None and _entity_name(a, q.speaker) == "Angela Merkel"


def test_pronoun_speaker_without_antecedent_stays_unresolved(run_analyze):
    a = run_analyze('"The rain ruined the harvest this year," he said.')
    [q] = a.quotes
    assert q.speaker is None
    assert q.speaker_mention.text == "he"


def test_quote_sentences_after_an_attributed_quote_join_it(run_analyze):
    a = run_analyze('"The bridge is safe," the engineer said. "We tested every cable twice."')
    direct = [q for q in a.quotes if q.direct]
    assert len(direct) == 1
    assert direct[0].text.endswith("every cable twice.")


def test_headline_single_quotes_are_a_quote_without_speaker(run_analyze):
    a = run_analyze("Minister vows 'no retreat on farm tariffs'\n\n"
                    "The trade minister spoke to farmers in the capital on Monday about the new rules.",
                    title="Minister vows 'no retreat on farm tariffs'")
    headline = [q for q in a.quotes if q.direct]
    assert [q.text for q in headline] == ["no retreat on farm tariffs"]
    assert headline[0].speaker is None


# ---------------------------------------------------------------- not quotes

def test_scare_quotes_and_titles_are_left_out(run_analyze):
    a = run_analyze("The so-called \"peace dividend\" never reached the villages. "
                    "Residents watched \"Evening News Hour\" on a shared television set.")
    assert a.quotes == []


def test_short_quote_said_by_someone_is_kept(run_analyze):
    a = run_analyze('The opposition leader called the budget "a betrayal of pensioners".')
    [q] = a.quotes
    assert q.direct and q.text == "a betrayal of pensioners"
    assert q.speaker_mention.text == "The opposition leader"


def test_scare_quote_in_a_side_clause_is_not_the_speakers(run_analyze):
    a = run_analyze('Critics called the deal a mistake, while the so-called "brotherly bond" endured.')
    assert all(q.text != "brotherly bond" for q in a.quotes)


# ---------------------------------------------------------------- reported speech

def test_reported_speech_with_that(run_analyze):
    a = run_analyze("The central bank said that interest rates would stay at two percent until June.")
    _check_offsets(a)
    [q] = a.quotes
    assert not q.direct
    assert q.text == "interest rates would stay at two percent until June"
    assert q.cue.text == "said"
    assert q.speaker_mention.text == "The central bank"


def test_reported_speech_inverted_and_told(run_analyze):
    a = run_analyze("The ferry will resume service next week, port officials said. "
                    "A senior official told reporters the crew had been paid.")
    _check_offsets(a)
    reported = {q.speaker_name: q.text for q in a.quotes if not q.direct}
    assert reported["port officials"] == "The ferry will resume service next week"
    assert reported["A senior official"] == "the crew had been paid"


def test_according_to_reported(run_analyze):
    a = run_analyze("According to state media, the two leaders discussed rail links and fishing rights.")
    [q] = a.quotes
    assert not q.direct and q.speaker_name == "state media"
    assert q.text == "the two leaders discussed rail links and fishing rights"


def test_media_source_keeps_the_medium(run_analyze):
    a = run_analyze("Xinhua reported that the flood had displaced thousands of families.")
    [q] = a.quotes
    assert q.speaker_mention.text == "Xinhua"


def test_fragment_sentences_yield_no_reported_speech(run_analyze):
    a = run_analyze("officials said the vote would be delayed by a week.\n\n"
                    "The mayor said the budget was balanced.")
    assert [q.speaker_name for q in a.quotes] == ["The mayor"]


def test_odd_input_does_not_break_the_stage(run_analyze):
    a = run_analyze('" “ « \' ‘ said " he said ” „ \n\n " told "')
    _check_offsets(a)


# ---------------------------------------------------------------- view

def test_format_quotes_groups_by_speaker(run_analyze):
    a = run_analyze('"The bridge is safe," the engineer said. The mayor said the budget was balanced. '
                    '"We will check it again," the engineer added.')
    view = format_quotes(a.to_dict())
    assert view.count("the engineer:") == 1
    assert "The mayor:" in view
    assert "(reported) the budget was balanced" in view
    assert view.index("the engineer:") < view.index("The mayor:")
    assert "(no quotes)" in format_quotes({"id": "x", "quotes": []})


def test_typewriter_double_quotes():
    assert _marked("''We are ready,'' the mayor said. ''It is done.''") == ["We are ready,", "It is done."]
    assert _marked("``Hello,'' she said.") == ["Hello,"]


def test_quote_split_by_attribution_lists_its_quoted_parts(run_analyze):
    text = '"The border stays open," the governor said on Friday, "until the storm has passed."'
    analysis = run_analyze(text)
    quote = next(q for q in analysis.quotes if q.direct)
    assert [part.text for part in quote.parts] == ["The border stays open",
                                                   "until the storm has passed."]
    for part in quote.parts:
        assert analysis.text[part.start:part.end] == part.text
        assert quote.start <= part.start < part.end <= quote.end
    assert quote.cue is not None and quote.cue.text == "said"


# ---------------------------------------------------------------- round 2: speakers

def test_named_apposition_beats_the_role_noun(run_analyze):
    a = run_analyze('"The figures are wrong," the mayor\'s press secretary, Dana Whitfield, said on Monday.')
    [q] = [q for q in a.quotes if q.direct]
    assert q.speaker_mention.text == "Dana Whitfield"
    assert _entity_name(a, q.speaker) == "Dana Whitfield"


def test_source_between_quote_and_cue_when_the_parse_loses_it(run_analyze):
    a = run_analyze('"We cannot wait any longer," the senator from Ohio, who chairs the committee, '
                    "said on Tuesday.")
    [q] = a.quotes
    assert q.speaker_mention is not None and q.speaker_mention.text == "the senator"


def test_pronoun_speaker_is_not_a_name_inside_the_quote(run_analyze):
    a = run_analyze('Kowalski hit back on Wednesday. "Marek is panicking," he wrote.')
    [q] = a.quotes
    assert q.speaker_mention.text == "he"
    assert _entity_name(a, q.speaker) != "Marek"


def test_role_noun_with_organisation_keeps_the_whole_phrase(run_analyze):
    a = run_analyze('"Talks will resume in May," a Commission spokeswoman said.')
    [q] = a.quotes
    assert q.speaker_mention.text == "a Commission spokeswoman"


def test_introducing_sentence_names_the_speaker_of_the_next_quote(run_analyze):
    a = run_analyze('Senator Ruth Okafor spoke to reporters after the vote. '
                    '"This bill is dead. Nobody has the votes."')
    [q] = a.quotes
    assert q.direct and q.speaker_mention.text == "Ruth Okafor"


def test_quote_paragraph_continues_the_previous_paragraphs_source(run_analyze):
    a = run_analyze("The governor said the state would appeal the ruling.\n\n"
                    '"We believe the court got this one badly wrong."\n\n'
                    "Farmers in the valley gathered outside.\n\n"
                    '"I have never seen a line like this."')
    direct = [q for q in a.quotes if q.direct]
    assert [q.speaker_mention.text if q.speaker_mention else None for q in direct] == ["The governor", None]


def test_addressed_participle_is_not_reported_speech(run_analyze):
    a = run_analyze('Asked whether he would run again, Harlan Voss said: "That is a question for another day."')
    assert [q.cue.text for q in a.quotes] == ["said"]


# ---------------------------------------------------------------- round 2: partial quotes

def test_partial_quote_is_the_whole_reported_clause(run_analyze):
    a = run_analyze('The coach said the loss was "embarrassing."')
    _check_offsets(a)
    [q] = a.quotes
    assert q.direct and q.text == 'the loss was "embarrassing."'
    assert [p.text for p in q.parts] == ["embarrassing."]
    assert q.speaker_mention.text == "The coach"


def test_participle_cue_keeps_its_own_partial_quote(run_analyze):
    a = run_analyze('"I am not going anywhere," Sanders said on Wednesday, adding that he would stay '
                    'in the race "until the last vote is counted."')
    _check_offsets(a)
    direct = [q for q in a.quotes if q.direct]
    assert [q.text for q in direct] == [
        "I am not going anywhere",
        'he would stay in the race "until the last vote is counted."']
    assert direct[1].cue.text == "adding"
    assert direct[1].speaker_mention.text == "Sanders"


def test_quoted_phrase_inside_a_sentence_with_no_cue_is_not_a_quote(run_analyze):
    a = run_analyze('The senator\'s "tough on crime but fair to all" slogan appeared on billboards. '
                    'The report used the phrase "a clear danger to public health" twice.')
    assert a.quotes == []


# ---------------------------------------------------------------- round 2: reported speech

def test_according_to_inside_the_clause_keeps_the_clause_whole(run_analyze):
    a = run_analyze("The ministry, according to two officials, plans to cut the fuel subsidy next year.")
    [q] = a.quotes
    assert not q.direct
    assert q.text == "The ministry, according to two officials, plans to cut the fuel subsidy next year"
    assert q.speaker_mention.text == "two officials"


def test_nominal_cue_with_a_that_clause(run_analyze):
    a = run_analyze("The central banker's warning that growth would slow was ignored by the board. "
                    "The fact that the bridge collapsed surprised nobody.")
    _check_offsets(a)
    [q] = a.quotes
    assert not q.direct and q.cue.text == "warning"
    assert q.text == "growth would slow"
    assert q.speaker_mention.text == "The central banker"


def test_belief_adjective_cue(run_analyze):
    a = run_analyze("The mayor is confident the stadium will be finished on time.")
    [q] = a.quotes
    assert q.cue.text == "confident" and q.text == "the stadium will be finished on time"
    assert q.speaker_mention.text == "The mayor"


def test_in_someones_view_is_an_attribution(run_analyze):
    a = run_analyze("In the opinion of the regulator, the merger harms consumers. "
                    "In the end, the deal collapsed.")
    [q] = a.quotes
    assert q.text == "the merger harms consumers"
    assert q.speaker_mention.text == "the regulator"


def test_pronoun_fallback_prefers_the_sentence_subject(run_analyze, nlp):
    from eventwire.speakers import EntityIndex, resolve_speaker
    text = 'Paul Reyes welcomed the visiting minister, Tom Hale, on Monday. "The talks went well," he said.'
    a = run_analyze(text)
    for entity in a.entities:  # as if coreference had linked no pronoun
        entity.mentions = [m for m in entity.mentions if m.kind != "pronoun"]
    doc = nlp(text)
    he = next(t for t in doc if t.lower_ == "he")
    speaker = resolve_speaker(doc, EntityIndex(a), he)
    assert speaker.name == "Paul Reyes"


def test_view_shows_a_partial_quote_with_its_clause(run_analyze):
    a = run_analyze('The coach said the loss was "embarrassing." "We will be back," the coach added.')
    view = format_quotes(a.to_dict())
    assert '(partly quoted) the loss was "embarrassing."' in view
    assert "“We will be back”" in view


def test_quoted_as_saying_names_the_passive_subject(run_analyze):
    a = run_analyze("The treasurer was quoted as saying the fund would run dry by winter.")
    [q] = a.quotes
    assert q.text == "the fund would run dry by winter"
    assert q.speaker_mention.text == "The treasurer"


def test_withheld_words_are_not_reported_speech(run_analyze):
    a = run_analyze("The spokesman declined to say whether the president would attend. "
                    "The minister would not say whether fuel taxes would rise. "
                    "Critics questioned whether the program had any effect.")
    assert [(q.cue.text, q.speaker_mention.text) for q in a.quotes] == [("questioned", "Critics")]


def test_title_inside_a_reported_clause_is_not_a_partial_quote(run_analyze):
    a = run_analyze('The candidate said he had read "The Art of Winning Big" twice as a student.')
    [q] = a.quotes
    assert not q.direct and q.parts == []
    assert q.text == 'he had read "The Art of Winning Big" twice as a student'


def test_surname_the_entity_stage_missed_finds_its_person(run_analyze, nlp):
    from eventwire.speakers import EntityIndex, resolve_speaker
    text = 'Helen Dragomir spoke in Iowa on Monday. "We need a doctor in charge," Dragomir said.'
    a = run_analyze(text)
    second = text.rindex("Dragomir")
    for entity in a.entities:  # as if spaCy had tagged the surname as a work of art
        entity.mentions = [m for m in entity.mentions if m.start != second]
    doc = nlp(text)
    token = next(t for t in doc if t.idx == second)
    speaker = resolve_speaker(doc, EntityIndex(a), token)
    assert speaker.mention.text == "Dragomir" and speaker.name == "Helen Dragomir"


def test_a_date_after_the_cue_is_never_the_speaker(run_analyze):
    analysis = run_analyze('The governor has not commented but posted Sunday: "Roads reopen at noon."',
                           published="2021-03-02")
    quote = next(q for q in analysis.quotes if q.direct)
    assert quote.speaker_name is not None and "Sunday" not in quote.speaker_name
    assert "governor" in quote.speaker_name


# ---------------------------------------------------------------- round 3: speakers and titles

def _direct(analysis):
    return [q for q in analysis.quotes if q.direct]


def test_verb_before_its_subject_after_a_quote(run_analyze):
    a = run_analyze('"Forget the pension reform," added a Texas Republican. '
                    '"Can we trust the council?" asked the girl in the front row.')
    _check_offsets(a)
    first, second = _direct(a)
    assert "Republican" in first.speaker_mention.text and first.cue.text == "added"
    assert second.speaker_mention.text == "the girl" and second.cue.text == "asked"


def test_quote_then_told_keeps_the_hearer_out(run_analyze):
    a = run_analyze('"Keep calm," the minister told reporters.')
    [q] = _direct(a)
    assert q.speaker_mention.text == "the minister"


def test_relative_pronoun_is_the_mention_and_the_antecedent_the_speaker(run_analyze):
    a = run_analyze('The plan drew fire from Senator Alan Wu, who said the tax '
                    '"would crush small farms across the state."')
    _check_offsets(a)
    [q] = _direct(a)
    assert q.speaker_mention.text == "who"
    assert q.speaker_name == "Alan Wu"
    by_id = {e.id: e for e in a.entities}
    assert q.speaker in by_id and by_id[q.speaker].name == "Alan Wu"


def test_cue_opening_a_long_next_sentence(run_analyze):
    a = run_analyze('The governor stood at the podium. "We won!" Harper shouted, pointing at the crowd '
                    'of supporters gathered outside the hall.')
    [q] = _direct(a)
    assert q.text == "We won!" and q.cue.text == "shouted" and q.speaker_mention.text == "Harper"


def test_next_sentence_with_its_own_clause_is_not_the_attribution(run_analyze):
    a = run_analyze('"I never sent a secret file to anyone. There was no secret file." '
                    'The former minister repeated: "I know the rules very well."')
    first, second = _direct(a)
    assert first.cue is None and first.speaker is None
    assert second.speaker_mention.text == "The former minister"


def test_signature_dash_names_the_speaker(run_analyze):
    a = run_analyze('Readers wrote in about the election.\n\n'
                    '"This city deserves better leadership than it has had in a decade." ― Tom Baker, '
                    'a retired teacher\n\n"We never raised taxes on the middle class in eight years."\n\n'
                    '- Gov. Anna Brooks.')
    _check_offsets(a)
    first, second = _direct(a)
    assert first.speaker_mention.text == "Tom Baker"
    assert "Anna Brooks" in second.speaker_mention.text


def test_name_label_before_a_colon_names_the_speaker(run_analyze):
    a = run_analyze('The hearing lasted six hours.\n\nSen. Maria Lopez (D-N.M.): "I have never seen a '
                    'budget this bad in my twenty years here."\n\nFull text: "The company regrets the '
                    'error and will refund every customer."')
    first, second = _direct(a)
    assert first.speaker_mention.text == "Maria Lopez"
    assert second.speaker is None and second.speaker_mention is None


def test_unknown_verb_after_a_quote_attributes_and_joins_the_next_piece(run_analyze):
    a = run_analyze('Few voters had heard of the candidate. "People are afraid of wasting their votes," '
                    'he surmised. "On the radio, I hear his name all the time."')
    [q] = _direct(a)
    assert q.cue.text == "surmised" and q.speaker_mention.text == "he"
    assert len(q.parts) == 2 and q.parts[1].text.startswith("On the radio")


def test_titles_of_shows_and_bylined_headlines_are_not_quotes(run_analyze):
    a = run_analyze('Speaking on NBN\'s "Morning Watch," the senator said she would run again. '
                    'He is now host of "The Late Hour with Sam Green." '
                    'The singer, who starred in the drama "Harbor Lights," returns this week.\n\n'
                    'NEW IN TOWN—"City museum opens a wing for local painters," by the Herald\'s Jo Dunn.\n\n'
                    'He joined the "Group of Six," which also included two senators from the coast.')
    assert _direct(a) == []
    assert [q.text for q in a.quotes] == ["she would run again"]


def test_title_cased_speech_with_a_cue_is_still_a_quote(run_analyze):
    a = run_analyze('"Our Town Will Rise Again," the mayor said at the rally.')
    [q] = _direct(a)
    assert q.speaker_mention.text == "the mayor"


def test_unknown_verb_opening_the_sentence_after_a_question(run_analyze):
    a = run_analyze('Critics piled on. "The mayor said the budget was balanced. Where is the money?" '
                    'reacted Okonjo.\n\n"Where is the money?" The auditor walked out of the hall on Tuesday.')
    first, second = _direct(a)
    assert first.cue.text == "reacted" and first.speaker_mention.text == "Okonjo"
    assert second.speaker is None and second.cue is None
