"""Actor codes: countries, roles, bodies, metonymy and leaders' terms of office."""

from __future__ import annotations

import pytest

from eventwire import actors, leaders


def entity_with(analysis, text):
    for entity in analysis.entities:
        if any(m.text == text for m in entity.mentions):
            return entity
    raise AssertionError(f"no entity mentions {text!r}: {[e.name for e in analysis.entities]}")


def test_country_lookups():
    assert actors.country_by_name("DPRK") == "PRK"
    assert actors.country_by_name("the U.S.") == "USA"
    assert actors.country_by_name("Britain") == "GBR"
    assert actors.country_by_adjective("North Korean") == "PRK"
    assert actors.country_by_adjective("Chinese") == "CHN"
    assert actors.country_by_capital("Beijing") == "CHN"
    # abbreviations are case-sensitive: the pronoun "us" is no country
    assert actors.country_by_name("us") is None
    assert actors.country_by_name("Freedonia") is None


def test_organisation_codes():
    assert actors.organisation("UN").code == "IGOUNO"
    assert actors.organisation("KCNA").country == "PRK"
    assert actors.organisation("un") is None


def test_combined_role_and_country(run_analyze):
    text = "Chinese President Xi Jinping met North Korean leader Kim Jong-un on Tuesday."
    a = run_analyze(text, published="2019-01-08")
    assert entity_with(a, "Xi Jinping").actor == "CHNGOV"
    assert entity_with(a, "Kim Jong-un").actor == "PRKGOV"


def test_unnamed_military_gets_a_code(run_analyze):
    text = "The U.S. military said on Sunday that the drills would continue."
    a = run_analyze(text)
    military = [e for e in a.entities if e.actor == "USAMIL"]
    assert military and military[0].mentions[0].kind == "nominal"


def test_capital_as_actor_is_the_government(run_analyze):
    text = ("Moscow warned Kyiv on Monday. Tourists still flocked to Moscow in July, "
            "and a Moscow court heard the case.")
    a = run_analyze(text)
    speaker = [e for e in a.entities if any(m.start == 0 for m in e.mentions)][0]
    assert speaker.actor == "RUSGOV"
    literal = [e for e in a.entities if e.name == "Moscow" and e.actor == "RUS"]
    assert literal, "the city itself keeps the country code"


def test_unknown_person_has_no_actor(run_analyze):
    text = "Zorblat Quennick opened a bakery in the village."
    a = run_analyze(text)
    for entity in a.entities:
        if entity.type == "PERSON":
            assert entity.actor is None and entity.country is None


def test_professor_of_foreign_studies_gets_no_country(run_analyze):
    text = "Ahmet Yilmaz, a professor of Iranian studies at a university in Ankara, said talks would fail."
    a = run_analyze(text)
    person = entity_with(a, "Ahmet Yilmaz")
    assert person.country != "IRN"


def test_terms_of_office_select_the_role():
    in_office = leaders.lookup(["Trump"], "2019-06-01")
    assert in_office.actor == "USAGOV"
    campaign = leaders.lookup(["Trump"], "2016-05-01")
    assert campaign.role == "candidate" and "GOV" not in campaign.actor
    former = leaders.lookup(["Obama"], "2019-06-01")
    assert former.role == "former" and former.actor == "USAELI"


def test_ambiguous_surname_needs_the_country_and_the_date():
    assert leaders.lookup(["Moon"], "2019-01-10", frozenset({"KOR"})).name == "Moon Jae-in"
    # several Kims are in the table: only the article's country and date decide
    assert leaders.lookup(["Kim"], "2019-01-10", frozenset()) is None
    assert leaders.lookup(["Kim"], "2019-01-10", frozenset({"PRK"})).name == "Kim Jong-un"
    assert leaders.lookup(["Kim"], "2005-01-10", frozenset({"PRK"})).name == "Kim Jong-il"


def test_bare_surname_in_an_article_resolves_by_date(run_analyze):
    text = ("South Korean officials welcomed the talks on Thursday. "
            "Mr Moon said the North should take concrete steps.")
    a = run_analyze(text, published="2019-01-10")
    moon = entity_with(a, "Moon")
    assert moon.actor == "KORGOV" and moon.country == "KOR"
    assert moon.role == "head of state"


def test_role_nominal_codes(run_analyze):
    text = "Pakistani police said the protesters had dispersed."
    a = run_analyze(text)
    codes = {e.actor for e in a.entities}
    assert "PAKCOP" in codes


# ------------------------------------------------ round 2: coverage of names

@pytest.mark.parametrize("word, iso", [
    ("Burundian", "BDI"), ("Malagasy", "MDG"), ("Togolese", "TGO"), ("Chadian", "TCD"),
    ("Yugoslav", "SRB"), ("Soviet", "RUS"), ("Zairean", "COD"), ("Sierra Leonean", "SLE"),
])
def test_every_state_has_its_demonym(word, iso):
    assert actors.country_by_adjective(word) == iso


def test_every_sovereign_state_has_a_demonym_row():
    import pycountry
    from eventwire.lexicons import read_tsv
    have = {row[0] for row in read_tsv("countries.tsv", 4) if row[2] != "-"}
    # UN member states (pycountry lists territories too; check a broad sample of states)
    for name in ("Benin", "Gabon", "Eritrea", "Fiji", "Malta", "Montenegro", "Namibia", "Liberia"):
        assert pycountry.countries.lookup(name).alpha_3 in have


@pytest.mark.parametrize("name, code", [
    ("European Community", "IGOEUREEC"), ("ILO", "IGOUNOILO"), ("Hezbollah", "LBNREB"),
    ("al-Qaeda", "IMGMOSALQ"), ("Taleban", "AFGREB"), ("the Pentagon", "USAMIL"),
    ("PLO", "PSEGOV"), ("Tanjug", "SRBMED"),
])
def test_bodies_groups_and_media_have_codes(name, code):
    assert actors.organisation(name).code == code


def test_ordinary_words_are_not_organisations():
    for word in ("let", "solidarity", "tigers", "Petra"):
        assert actors.organisation(word) is None


def test_a_leader_keeps_his_country_outside_every_term():
    before = leaders.lookup(["Obama"], "2001-05-01")
    assert before.country == "USA" and "GOV" not in (before.actor or "")
    after = leaders.lookup(["Yeltsin"], "2005-05-01")
    assert after.role == "former" and after.country == "RUS"


def test_compatriots_sharing_a_surname_give_their_country():
    # two listed Bushes, both out of office in 2015: the latest to serve, as former
    match = leaders.lookup(["Bush"], "2015-03-01")
    assert match.name == "George W. Bush" and match.actor == "USAELI"
    # in 1991 the date alone picks the father, no country mention needed
    assert leaders.lookup(["Bush"], "1991-02-01").name == "George H. W. Bush"


def test_head_of_an_international_body_acts_for_it():
    in_office = leaders.lookup(["Kofi", "Annan"], "1999-03-01")
    assert in_office.actor == "IGOUNO" and in_office.country is None
    later = leaders.lookup(["Annan"], "2012-03-01")
    assert later.role == "former" and later.country == "GHA"


def test_armed_group_leader_gets_reb():
    assert leaders.lookup(["Nasrallah"], "2006-08-01").actor == "LBNREB"


def test_a_state_or_city_acts_for_its_country(run_analyze):
    result = run_analyze("Texas sued the federal government on Monday. Officials in Bavaria "
                         "said they would join the suit.", published="2023-05-02")
    by_name = {e.name: e for e in result.entities}
    assert by_name["Texas"].country == "USA" and by_name["Texas"].actor == "USA"
    assert by_name["Bavaria"].country == "DEU"


def test_place_country_refuses_to_guess_between_rival_places():
    from eventwire.gazetteer import place_country
    assert place_country("Hawaii") == "USA"
    assert place_country("Kaesong") == "PRK"
    assert place_country("Nowhereville Junction") is None
    assert place_country("Sweden") is None  # countries are actors.country_by_name's job
