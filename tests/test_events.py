"""Event coding: codes, PLOVER types, directions, factuality, date, place.

All sentences are written for these tests in a wire style.
"""

from __future__ import annotations

import pytest

from eventwire.event_lexicon import apply_frame, code_info, codes, patterns
from eventwire.events import fill_events

PUBLISHED = "2021-03-04"


def events_of(run_analyze, text):
    return run_analyze(text, published=PUBLISHED).events


def country(side):
    return (side.actor or "")[:3] if side is not None else None


def find(events, root=None, plover=None):
    return [e for e in events if (root is None or e.root == root) and (plover is None or e.plover == plover)]


# ------------------------------------------------------------------ lexicon

def test_code_table_is_complete_and_consistent():
    table = codes()
    assert len(table) >= 290
    for root in range(1, 21):
        assert f"{root:02d}" in table
    for code, info in table.items():
        expected_quad = 1 if code[:2] <= "05" else 2 if code[:2] <= "08" else 3 if code[:2] <= "13" else 4
        assert info.quad_class == expected_quad, code
        assert -10.0 <= info.goldstein <= 10.0
    assert code_info("0874").plover == "RETREAT"
    assert code_info("081").plover == "CONCEDE"
    assert code_info("1823").plover == "ASSAULT"
    assert code_info("010").plover is None


def test_every_pattern_code_exists():
    table = codes()
    for rows in patterns().values():
        for row in rows:
            if row.pos in ("V", "N"):
                assert row.code in table, row


def test_frames_turn_embedded_codes():
    assert apply_frame("intent", "042") == "036"
    assert apply_frame("refuse", "0841") == "1243"
    assert apply_frame("appeal", "0874") == "0256"
    assert apply_frame("threaten", "163") == "1312"
    assert apply_frame("demand", "0831") == "1041"


# ------------------------------------------------------------------ every root

ROOTS = [
    ("01", "REJECT", "Iran denied any involvement in the tanker explosion on Sunday.", "IRN", None),
    ("02", "REQUEST", "Egypt urged Israel to allow aid convoys into Gaza.", "EGY", "ISR"),
    ("03", "AGREE", "Japan pledged to provide emergency food aid to Sudan.", "JPN", "SDN"),
    ("04", "CONSULT", "The French president met the German chancellor on Monday.", "FRA", "DEU"),
    ("05", "SUPPORT", "Brazil praised Argentina for its handling of the debt talks.", "BRA", "ARG"),
    ("06", "COOPERATE", "India and Japan held joint naval exercises in the Arabian Sea.", "IND", "JPN"),
    ("07", "AID", "Germany sent humanitarian aid to Ukraine last week.", "DEU", "UKR"),
    ("08", "CONCEDE", "Turkey released two detained Greek soldiers on Friday.", "TUR", "GRC"),
    ("09", "ACCUSE", "Interpol investigated Brazilian officials over the contracts.", None, "BRA"),
    ("10", "REQUEST", "Pakistan demanded that India release the captured pilot.", "PAK", "IND"),
    ("11", "ACCUSE", "Canada condemned Saudi Arabia over the arrest of activists.", "CAN", "SAU"),
    ("12", "REJECT", "Venezuela rejected a Colombian offer of mediation.", "VEN", "COL"),
    ("13", "THREATEN", "North Korea threatened to attack South Korea.", "PRK", "KOR"),
    ("14", "PROTEST", "Thousands of Kenyan students demonstrated in Nairobi against tuition fees.", "KEN", "KEN"),
    ("15", "MOBILIZE", "Russia deployed troops to the region on Thursday.", "RUS", None),
    ("16", "SANCTION", "Britain imposed sanctions on Belarus after the disputed vote.", "GBR", "BLR"),
    ("17", "COERCE", "Israeli police arrested three Palestinian protesters in Hebron.", "ISR", "PSE"),
    ("18", "COERCE", "Somali militants kidnapped two Kenyan doctors near the border.", "SOM", "KEN"),
    ("19", "ASSAULT", "Syrian troops shelled Turkish positions near the border.", "SYR", "TUR"),
    ("20", "ASSAULT", "Myanmar troops massacred villagers in the north, the report said.", "MMR", None),
]


@pytest.mark.parametrize("root,plover,text,source,target", ROOTS, ids=[r[0] for r in ROOTS])
def test_every_root(run_analyze, root, plover, text, source, target):
    found = find(events_of(run_analyze, text), root=root)
    assert found, f"no {root} event"
    event = found[0]
    assert event.plover == plover
    if source:
        assert any(country(e.source) == source for e in found)
    if target:
        assert any(country(e.target) == target for e in found)
    info = code_info(event.cameo)
    assert (event.quad_class, event.goldstein) == (info.quad_class, info.goldstein)
    assert 0.0 <= event.confidence <= 1.0


# ------------------------------------------------------------------ factuality

def test_asserted(run_analyze):
    (event,) = events_of(run_analyze, "Kenya condemned Uganda on Tuesday.")
    assert event.factuality == "asserted"


def test_negated(run_analyze):
    (event,) = events_of(run_analyze, "Poland did not sign the agreement with Ukraine.")
    assert (event.cameo, event.factuality) == ("057", "negated")


def test_future_visit_is_intent(run_analyze):
    (event,) = events_of(run_analyze, "The Indian prime minister will visit Bangladesh next month.")
    assert (event.cameo, event.plover, event.factuality) == ("036", "AGREE", "future")
    assert (country(event.source), country(event.target)) == ("IND", "BGD")


def test_expected_meeting_is_future_not_asserted(run_analyze):
    (event,) = events_of(run_analyze, "The Chinese premier is expected to meet the Australian prime minister.")
    assert event.factuality == "future"
    assert (country(event.source), country(event.target)) == ("CHN", "AUS")


def test_hypothetical_speculation(run_analyze):
    (event,) = events_of(run_analyze, "Analysts say Iran could attack Saudi Arabia if talks collapse.")
    assert event.factuality == "hypothetical"
    assert (country(event.source), country(event.target)) == ("IRN", "SAU")


def test_accepting_an_offer_to_visit_is_asserted_intent(run_analyze):
    events = events_of(run_analyze, "The Egyptian president accepted an invitation to visit Jordan.")
    assert [(e.cameo, e.factuality) for e in events] == [("036", "asserted")]
    assert not find(events, root="04")


def test_announced_refusal(run_analyze):
    (event,) = events_of(run_analyze, "Officials said Serbia would never recognize Kosovo.")
    assert event.plover == "REJECT"
    assert country(event.source) == "SRB"


def test_future_conflict_is_a_threat(run_analyze):
    (event,) = events_of(run_analyze, "Hungary said it would expel the Russian ambassador.")
    assert event.plover == "THREATEN"
    assert (country(event.source), country(event.target)) == ("HUN", "RUS")


# ------------------------------------------------------------------ syntax

def test_passive_voice(run_analyze):
    text = "A convoy of Ukrainian aid workers was attacked by Russian forces near Kharkiv on Tuesday."
    (event,) = events_of(run_analyze, text)
    assert event.root == "19"
    assert (country(event.source), country(event.target)) == ("RUS", "UKR")
    assert event.date == "2021-03-02"


def test_coordinated_sources_of_a_one_way_act(run_analyze):
    events = events_of(run_analyze, "Mexico and Canada condemned Nicaragua.")
    assert sorted((country(e.source), country(e.target)) for e in events) == [("CAN", "NIC"), ("MEX", "NIC")]


def test_coordinated_sources_of_a_mutual_act(run_analyze):
    events = events_of(run_analyze, "Kenya and Ethiopia signed a trade agreement on Monday.")
    assert sorted((country(e.source), country(e.target)) for e in events) == [("ETH", "KEN"), ("KEN", "ETH")]
    assert {e.date for e in events} == {"2021-03-01"}


def test_possessive_nominal(run_analyze):
    (event,) = events_of(run_analyze, "The Japanese emperor's visit to China drew large crowds.")
    assert (event.cameo, country(event.source), country(event.target)) == ("042", "JPN", "CHN")
    assert event.trigger.text == "visit"


def test_talks_between(run_analyze):
    events = events_of(run_analyze, "Talks between Armenia and Azerbaijan resumed in Moscow.")
    assert {(country(e.source), country(e.target)) for e in events} == {("ARM", "AZE"), ("AZE", "ARM")}
    assert all(e.plover == "CONSULT" for e in events)


def test_reported_speech_source_is_the_actor_not_the_reporter(run_analyze):
    events = events_of(run_analyze, "State media said the Iranian president met Iraqi officials in Baghdad.")
    assert len(events) == 1
    event = events[0]
    assert (country(event.source), country(event.target)) == ("IRN", "IRQ")
    assert event.location is not None and event.location.name == "Baghdad"


def test_control_verb_and_frame(run_analyze):
    (event,) = events_of(run_analyze, "Chile refused to extradite the Peruvian businessman.")
    assert (event.cameo, event.plover) == ("121", "REJECT")
    assert (country(event.source), country(event.target)) == ("CHL", "PER")


def test_reported_must_is_a_demand(run_analyze):
    (event,) = events_of(run_analyze, "Germany said Hungary must release the detained journalists.")
    assert event.plover == "REQUEST"
    assert (country(event.source), country(event.target)) == ("DEU", "HUN")


def test_background_clause_adds_no_event(run_analyze):
    text = "Egypt praised Jordan after Jordanian police arrested two smugglers."
    events = events_of(run_analyze, text)
    assert [e.plover for e in events] == ["SUPPORT"]


def test_speculated_venue_is_not_a_location(run_analyze):
    text = "The Cuban and Mexican leaders met on Friday; candidates for their next summit include Madrid."
    events = events_of(run_analyze, text)
    assert events and all(e.location is None for e in events)


# ------------------------------------------------------------------ robustness

@pytest.mark.parametrize("text", ["Yes.", "((((", "\"Unbalanced quote, said",
                                  "Officials said that " + "the army attacked the town and " * 60 + "left."])
def test_odd_input_never_raises(run_analyze, text):
    events_of(run_analyze, text)


def test_offsets_match_text(run_analyze):
    text = ("Vietnam and China held talks in Hanoi on Monday.\n\n"
            "Later, Chinese troops were accused by Vietnam of crossing the border.")
    analysis = run_analyze(text, published=PUBLISHED)
    assert analysis.events
    for event in analysis.events:
        trigger = event.trigger
        assert analysis.text[trigger.start:trigger.end] == trigger.text
        assert event.sentence.start <= trigger.start < event.sentence.end


def test_stage_survives_a_broken_analysis(nlp, run_analyze):
    analysis = run_analyze("Kenya condemned Uganda on Tuesday.", published=PUBLISHED)
    analysis.entities = None  # a broken earlier stage must not crash this one
    fill_events(nlp(analysis.text), analysis)
    assert analysis.events == []


# ------------------------------------------------ round 2: arguments and patterns

def test_place_argument_stands_for_its_country(run_analyze):
    events = events_of(run_analyze, "Israeli soldiers stormed Nablus before dawn.")
    attack = find(events, root="19")
    assert attack and country(attack[0].target) == "PSE"


def test_light_verb_preposition_holds_the_target(run_analyze):
    events = events_of(run_analyze, "Norway extended emergency aid to Ethiopia.")
    aid = find(events, root="07")
    assert aid and country(aid[0].source) == "NOR" and country(aid[0].target) == "ETH"


def test_war_against_names_the_target(run_analyze):
    events = events_of(run_analyze, "Eritrea waged war against Ethiopia.")
    war = find(events, root="19")
    assert war and country(war[0].source) == "ERI" and country(war[0].target) == "ETH"


def test_warning_is_a_threat_at_the_object(run_analyze):
    events = events_of(run_analyze, "Ankara warned Damascus against sheltering Kurdish guerrillas.")
    threat = find(events, root="13")
    assert threat and country(threat[0].source) == "TUR" and country(threat[0].target) == "SYR"


def test_preposition_chooses_between_rows_of_a_verb(run_analyze):
    events = events_of(run_analyze, "Thousands of Kenyans protested against the new tax in Nairobi.")
    assert find(events, root="14") and not [e for e in events if e.cameo == "114"]


def test_author_of_a_rejected_proposal_is_the_target(run_analyze):
    events = events_of(run_analyze, "Belgrade rejected the settlement drafted by the European Union.")
    rejection = find(events, root="12")
    assert rejection and rejection[0].target.actor.startswith("IGOEU")


def test_countryless_roles_take_the_event_country(run_analyze):
    events = events_of(run_analyze, "In Burundi, armed militias killed dozens of villagers.")
    attack = find(events, root="19")
    assert attack and country(attack[0].source) == "BDI"


def test_who_weighs_sanctions_imposes_them(run_analyze):
    events = events_of(run_analyze, "The European Community weighed sanctions against Serbia.")
    sanction = find(events, plover="SANCTION")
    assert sanction and sanction[0].source.actor.startswith("IGO") and country(sanction[0].target) == "SRB"


def test_armed_group_named_as_source(run_analyze):
    events = events_of(run_analyze, "Hezbollah fighters fired rockets at northern Israel.")
    attack = find(events, root="19")
    assert attack and country(attack[0].source) == "LBN" and country(attack[0].target) == "ISR"


# ------------------------------------------------ round 3: argument classes

def pairs(events, plover=None):
    return {(country(e.source), country(e.target)) for e in events if plover is None or e.plover == plover}


def test_demand_that_clause_subject_is_the_target_not_the_date(run_analyze):
    events = events_of(run_analyze, "Beijing on Tuesday demanded that Canada free the detained executive.")
    assert ("CHN", "CAN") in pairs(events, "REQUEST")


def test_demand_noun_clause_names_the_target_and_is_not_itself_asserted(run_analyze):
    text = "The World Health Organization renewed its demand that Brazil lift the restrictions on vaccines."
    events = events_of(run_analyze, text)
    demand = find(events, plover="REQUEST")
    assert demand and country(demand[0].target) == "BRA"
    assert not find(events, plover="CONCEDE")


def test_demanded_act_by_an_agent(run_analyze):
    events = events_of(run_analyze, "Ukraine's parliament demanded an apology by Hungary for the remarks.")
    assert ("UKR", "HUN") in pairs(events, "REQUEST")


def test_dismissed_appeal_targets_its_author(run_analyze):
    events = events_of(run_analyze, "Colombian rebels dismissed an appeal from Ecuador to lay down their arms.")
    assert ("COL", "ECU") in pairs(events, "REJECT")


def test_refused_entry_to_a_group(run_analyze):
    events = events_of(run_analyze, "Hungary refused admittance to Syrian refugees at the border.")
    assert ("HUN", "SYR") in pairs(events, "REJECT")


def test_against_deep_in_the_clause(run_analyze):
    events = events_of(run_analyze, "Armenia mobilized reservists for a possible war against Azerbaijan.")
    assert ("ARM", "AZE") in pairs(events, "MOBILIZE")


def test_target_inside_the_object_of_a_light_verb(run_analyze):
    events = events_of(run_analyze, "Spain announced a suspension of flights with Morocco on Friday.")
    assert ("ESP", "MAR") in pairs(events, "SANCTION")


def test_counted_object_after_up_to(run_analyze):
    events = events_of(run_analyze, "Nigerian gunmen kidnapped up to 20 Chinese workers at a mine.")
    assert ("NGA", "CHN") in pairs(events, "COERCE")


def test_countryless_actors_take_the_only_country_of_the_sentence(run_analyze):
    text = "The interior minister allowed opposition leader Amadou Diallo to hold a rally, Malian radio said."
    events = events_of(run_analyze, text)
    assert ("MLI", "MLI") in pairs(events, "CONCEDE")


def test_only_country_is_not_forced_on_a_foreign_counterpart(run_analyze):
    events = events_of(run_analyze, "The prime minister met Japanese investors on Monday.")
    assert events and all(country(e.source) != "JPN" for e in events)


def test_role_entity_takes_its_possessor_country(run_analyze):
    text = "Zambia's Supreme Court allowed the opposition candidate to run in the election."
    events = events_of(run_analyze, text)
    assert find(events, plover="CONCEDE") and country(find(events, plover="CONCEDE")[0].source) == "ZMB"


def test_possessive_pronoun_skips_a_countryless_subject(run_analyze):
    text = "Georgia said on Monday their troops had completed their withdrawal from the valley."
    events = events_of(run_analyze, text)
    assert find(events, plover="RETREAT") and country(find(events, plover="RETREAT")[0].source) == "GEO"


def test_ethnic_group_is_not_the_kin_state(run_analyze):
    events = events_of(run_analyze, "Ethnic Hungarians demonstrated in Romania on Sunday.")
    protest = find(events, plover="PROTEST")
    assert protest and country(protest[0].source) == "ROU"


def test_unnamed_rioters_are_local(run_analyze):
    events = events_of(run_analyze, "Prisoners rioted at a jail in Nairobi on Monday.")
    protest = find(events, plover="PROTEST")
    assert protest and country(protest[0].source) == "KEN"


def test_summit_venue_is_not_a_target(run_analyze):
    text = "Officials praised the deal that Kenya's president and Uganda's leader reached at their Geneva summit."
    events = events_of(run_analyze, text)
    assert all(country(e.target) != "CHE" for e in events)


def test_noun_event_with_both_sides_next_to_a_verb_event(run_analyze):
    text = ("Russian President Vladimir Putin praised U.S. President Joe Biden on Monday. A second "
            "Putin-Biden meeting is expected soon, and the two foreign ministers held talks in Geneva.")
    events = events_of(run_analyze, text)
    meeting = [e for e in events if e.trigger.text == "meeting"]
    assert meeting and meeting[0].factuality == "future"
    assert (country(meeting[0].source), country(meeting[0].target)) == ("RUS", "USA")


def test_coordinated_country_adjectives_make_two_actors(run_analyze):
    events = events_of(run_analyze, "Indian and Pakistani officials held talks in Dubai on Monday.")
    assert {("IND", "PAK"), ("PAK", "IND")} <= pairs(events, "CONSULT")


def test_title_and_name_split_by_the_parser_are_one_side(run_analyze):
    text = "Analysts said a summit between Kim and South Korean President Moon Jae-in may follow."
    events = events_of(run_analyze, text)
    summit = [e for e in events if e.trigger.text == "summit"]
    assert summit and all(country(e.source) != country(e.target) for e in summit)


def test_reported_should_to_a_foreign_state_is_a_demand(run_analyze):
    (event,) = find(events_of(run_analyze, "France said Iran should halt its uranium enrichment."), plover="REQUEST")
    assert event.root == "10" and (country(event.source), country(event.target)) == ("FRA", "IRN")


def test_purpose_clause_names_the_target(run_analyze):
    text = "Ugandan police fired tear gas to disperse opposition protesters on Monday."
    events = events_of(run_analyze, text)
    assert any(country(e.target) == "UGA" for e in events if e.root in ("17", "18", "19", "20"))


def test_army_preparing_an_attack_is_mobilisation(run_analyze):
    events = events_of(run_analyze, "The Sudanese army prepared to resume shelling rebel positions.")
    assert find(events, plover="MOBILIZE")


def test_violated_ban_targets_its_author(run_analyze):
    events = events_of(run_analyze, "A Lebanese newspaper violated a ban by the military court.")
    assert ("LBN", "LBN") in pairs(events, "REJECT")


def test_the_two_countries_are_the_pair_named_before(run_analyze):
    text = "Vietnam and Thailand met in Hanoi on Monday. The two countries agreed to resume direct flights."
    events = events_of(run_analyze, text)
    agreed = find(events, plover="AGREE")
    assert {("VNM", "THA"), ("THA", "VNM")} <= pairs(agreed)
    assert all(e.source.text == "two countries" for e in agreed)


def test_unknown_attacker_is_coded_to_the_place_of_the_attack(run_analyze):
    events = events_of(run_analyze, "A car bomb near the market in Kandahar killed three police officers.")
    attack = find(events, plover="ASSAULT")
    assert attack and (country(attack[0].source), country(attack[0].target)) == ("AFG", "AFG")


def test_investigation_without_agent_is_by_the_country_where_it_happens(run_analyze):
    text = "A Dutch businessman has been put under investigation in Spain over the contracts."
    events = events_of(run_analyze, text)
    assert ("ESP", "NLD") in pairs(events, "ACCUSE")


def test_role_from_a_compound_modifier(run_analyze):
    events = events_of(run_analyze, "Tuareg rebels attacked a Malian army convoy near Kidal.")
    attack = find(events, plover="ASSAULT")
    assert attack and attack[0].target.actor == "MLIMIL"


def test_title_of_an_international_body_gives_its_code(run_analyze):
    text = "Arab League Secretary-General Hossam Zaki condemned the raid."
    events = events_of(run_analyze, text)
    assert find(events, plover="ACCUSE") and find(events, plover="ACCUSE")[0].source.actor.startswith("IGO")
