"""Places and datelines: detection, gazetteer lookups and each disambiguation rule."""

from __future__ import annotations

import pytest

from eventwire.dateline import find_dateline
from eventwire.gazetteer import fold, load_gazetteer
from eventwire.places import find_places


def places_of(nlp, text):
    doc = nlp(text)
    found = find_places(doc, find_dateline(text))
    for place in found:
        assert text[place.start:place.end] == place.text
    return found


def place_named(found, surface):
    matches = [p for p in found if p.text == surface]
    assert matches, f"{surface!r} not found in {[p.text for p in found]}"
    return matches[0]


def test_fold_removes_accents_case_dots_and_apostrophes():
    assert fold("Kaesŏng") == fold("KAESONG") == "kaesong"
    assert fold("P'yŏngyang") == "pyongyang"
    assert fold("U.S.") == "us"
    assert fold("St. Petersburg") == fold("Saint Petersburg")


def test_accent_folding_finds_the_city(nlp):
    found = places_of(nlp, "Factory managers in Kaesŏng said output had doubled since spring.")
    place = place_named(found, "Kaesŏng")
    assert place.country == "PRK" and place.kind == "city"
    assert abs(place.lat - 37.97) < 0.2 and abs(place.lon - 126.55) < 0.2


def test_alternate_spellings_resolve_to_one_place(nlp):
    gaz = load_gazetteer()
    ids = {hit.entry.geonames_id for name in ("Ulan Bator", "Ulaanbaatar")
           for hit in gaz.lookup(name) if hit.entry.country == "MNG"}
    assert len(ids) == 1
    found = places_of(nlp, "The envoy later flew to Ulan Bator for talks with Mongolian officials.")
    assert place_named(found, "Ulan Bator").country == "MNG"


def test_landmark_table_and_its_alias(nlp):
    found = places_of(nlp, "Tourists once took buses to Mount Diamond, which the North calls "
                           "Mount Kumgang, for a week of hiking.")
    diamond = place_named(found, "Mount Diamond")
    kumgang = place_named(found, "Mount Kumgang")
    assert diamond.kind == kumgang.kind == "landmark"
    assert diamond.name == kumgang.name and diamond.country == "PRK"


def test_population_default_is_the_large_city(nlp):
    found = places_of(nlp, "Ministers will meet in Paris next month to discuss the budget.")
    assert place_named(found, "Paris").country == "FRA"


def test_context_of_the_article_picks_paris_texas(nlp):
    text = ("A tornado tore roofs off dozens of homes in Paris late on Monday. "
            "Emergency crews from Dallas and Tyler arrived overnight, and the governor of Texas "
            "promised state aid.")
    assert place_named(places_of(nlp, text), "Paris").country == "USA"


def test_qualifier_after_a_comma_picks_the_state(nlp):
    found = places_of(nlp, "The festival returns to Paris, Texas, in May.")
    paris = place_named(found, "Paris")
    assert paris.country == "USA" and paris.lon < -90


def test_metonymy_is_still_a_place(nlp):
    found = places_of(nlp, "Beijing said on Friday that it firmly opposed the new tariffs.")
    beijing = place_named(found, "Beijing")
    assert beijing.country == "CHN" and beijing.kind == "city"


def test_place_inside_a_name(nlp):
    found = places_of(nlp, "South Korean firms ran factories at the Kaesong Industrial Park until 2016.")
    assert place_named(found, "Kaesong").country == "PRK"


def test_demonym_nouns_and_person_names_are_not_places(nlp):
    found = places_of(nlp, "The Chinese met Georgia Smith, a lawyer, on Tuesday, and the "
                           "Russians said nothing.")
    texts = {p.text for p in found}
    assert "Russians" not in texts
    assert "Georgia" not in texts


def test_country_adjective_modifier_is_an_associative_place(nlp):
    found = places_of(nlp, "Chinese diplomats and European ministers met in Oslo on Tuesday.")
    chinese = place_named(found, "Chinese")
    assert chinese.name == "China" and chinese.kind == "country" and chinese.country == "CHN"
    european = place_named(found, "European")
    assert european.name == "Europe" and european.kind == "continent"


def test_countries_get_country_points_and_alpha3(nlp):
    found = places_of(nlp, "Trade between the United States and Vietnam grew last year.")
    usa = place_named(found, "United States")
    assert usa.kind == "country" and usa.country == "USA" and usa.geonames_id == 6252001
    assert place_named(found, "Vietnam").country == "VNM"


def test_regions_override_country_aliases(nlp):
    found = places_of(nlp, "Rockets were fired from the Gaza Strip into southern Israel, "
                           "and police in England raised alert levels.")
    assert place_named(found, "Gaza Strip").kind == "region"
    england = place_named(found, "England")
    assert england.kind == "admin1" and england.country == "GBR"


@pytest.mark.parametrize("text, place", [
    ("BEIJING (Reuters) - Chinese exports fell in December.", "BEIJING"),
    ("Washington, Jan 10 (AFP) – The Senate adjourned without a vote.", "Washington"),
    ("Troops withdraw from the border\n\nSEOUL, South Korea (AP) — The two Koreas met.",
     "SEOUL, South Korea"),
    ("HANOI — Preparations for the summit began on Monday.", "HANOI"),
])
def test_find_dateline(text, place):
    dateline = find_dateline(text)
    assert dateline is not None
    assert dateline.place_text == place
    assert text[dateline.start:dateline.place_end] == place
    assert text[dateline.end - 1] in "-–—)" or text[dateline.end - 1].isspace()


@pytest.mark.parametrize("text", [
    "The minister said - and repeated - that talks would go on.",
    "Kim met Moon: the two leaders shook hands.",
    "",
])
def test_no_dateline_in_ordinary_text(text):
    assert find_dateline(text) is None


def test_dateline_place_sets_the_context(nlp):
    text = "PARIS, Texas (AP) — Firefighters battled a blaze at a warehouse near Paris on Sunday."
    found = places_of(nlp, text)
    assert found[0].start == 0 and found[0].country == "USA"
    assert all(p.country == "USA" for p in found if fold(p.text) == "paris")


def test_stage_fills_the_analysis_and_survives_odd_input(run_analyze):
    analysis = run_analyze("Talks in Hanoi ended early.\n\nDelegates then left for Singapore.")
    assert {p.text for p in analysis.places} >= {"Hanoi", "Singapore"}
    odd = run_analyze("\u201c\u201c\u201c Hanoi ((( ---- \n\n ,,,, Singapore")
    for place in odd.places:
        assert odd.text[place.start:place.end] == place.text
