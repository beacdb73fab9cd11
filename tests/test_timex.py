"""Temporal expressions: spans, types and TimeML values, with and without a publication date.

All sentences are our own, written in a news style.  2019-01-10 is a Thursday.
"""

from __future__ import annotations

import pytest

from eventwire.timex import find_times

PUB = "2019-01-10"


@pytest.fixture(scope="module")
def times(nlp):
    def _times(text: str, published: str | None = PUB):
        return find_times(nlp(text), published)
    return _times


def found(times, text, published=PUB):
    """{span text: (type, value)} for one text."""
    return {t.text: (t.type, t.value) for t in times(text, published)}


@pytest.mark.parametrize("text, span, kind, value", [
    # weekdays: the most recent one, or the coming one with a future verb
    ("The minister arrived on Thursday.", "Thursday", "DATE", "2019-01-10"),
    ("The finance minister resigned on Monday after the vote.", "Monday", "DATE", "2019-01-07"),
    ("Negotiators will meet again on Tuesday in Geneva.", "Tuesday", "DATE", "2019-01-15"),
    ("The trial is set to begin on Wednesday.", "Wednesday", "DATE", "2019-01-16"),
    ("The border stays closed until Friday, officials said.", "Friday", "DATE", "2019-01-11"),
    ("The summit ended last Friday without a deal.", "last Friday", "DATE", "2019-01-04"),
    ("The envoy returns next Monday.", "next Monday", "DATE", "2019-01-14"),
    ("Rebels attacked the town on Sunday night.", "Sunday night", "TIME", "2019-01-06TNI"),
    # days, parts of days and clock times
    ("The president spoke today in the capital.", "today", "DATE", "2019-01-10"),
    ("Two soldiers were killed yesterday near the border.", "yesterday", "DATE", "2019-01-09"),
    ("The vote is expected tomorrow.", "tomorrow", "DATE", "2019-01-11"),
    ("Police cleared the square this morning.", "this morning", "TIME", "2019-01-10TMO"),
    ("Crowds gathered tonight outside parliament.", "tonight", "TIME", "2019-01-10TNI"),
    ("The ceasefire took effect at 3 p.m. local time.", "3 p.m. local time", "TIME", "2019-01-10T15:00"),
    ("The launch came at 06:30 GMT on Tuesday.", "06:30 GMT", "TIME", "2019-01-08T06:30Z"),
    # weeks, months, years relative to publication
    ("Officials met twice this week.", "this week", "DATE", "2019-W02"),
    ("Exports rose last week.", "last week", "DATE", "2019-W01"),
    ("The bank will decide next month.", "next month", "DATE", "2019-02"),
    ("Growth slowed last year.", "last year", "DATE", "2018"),
    ("Inflation peaked last March.", "last March", "DATE", "2018-03"),
    ("Turnout was lower than in the previous year.", "the previous year", "DATE", "2018"),
    ("The project stalled two weeks ago.", "two weeks ago", "DATE", "2018-12-27"),
    ("The mayor was elected three years ago.", "three years ago", "DATE", "2016"),
    ("The ministry will publish the report in three days.", "three days", "DATE", "2019-01-13"),
    ("Work on the dam will resume by the end of this year.", "the end of this year", "DATE", "2019"),
    # bare months follow the tense, else the nearest
    ("Talks collapsed in November.", "November", "DATE", "2018-11"),
    ("Elections are due to be held in March.", "March", "DATE", "2019-03"),
    ("Flooding hit the north in early June.", "early June", "DATE", "2018-06"),
    # absolute dates
    ("The treaty was signed on March 3, 2012 in Oslo.", "March 3, 2012", "DATE", "2012-03-03"),
    ("The factory closed on 14 February 2016.", "14 February 2016", "DATE", "2016-02-14"),
    ("The strike began on Jan. 8 and is continuing.", "Jan. 8", "DATE", "2019-01-08"),
    ("The audit covered the year to Dec. 28.", "Dec. 28", "DATE", "2018-12-28"),
    ("Records dated 2017-05-21 were released.", "2017-05-21", "DATE", "2017-05-21"),
    ("The mine opened in September 2015.", "September 2015", "DATE", "2015-09"),
    ("The party was founded in 1994.", "1994", "DATE", "1994"),
    ("The dispute goes back to the 1990s.", "the 1990s", "DATE", "199"),
    ("The fortress was built in the 17th century.", "the 17th century", "DATE", "16"),
    ("The port has grown since '82.", "'82", "DATE", "1982"),
    # quarters, halves, seasons, fiscal years
    ("Profits rose in the third quarter.", "the third quarter", "DATE", "2018-Q3"),
    ("Sales fell in the first quarter of 2017.", "the first quarter of 2017", "DATE", "2017-Q1"),
    ("Output grew in the second half of last year.", "the second half of last year", "DATE", "2018-H2"),
    ("Wildfires raged last summer.", "last summer", "DATE", "2018-SU"),
    ("The budget for fiscal 2020 was approved.", "fiscal 2020", "DATE", "FY2020"),
    ("Losses narrowed in the second quarter of fiscal 2018.", "the second quarter of fiscal 2018", "DATE",
     "FY2018-Q2"),
    # durations
    ("The siege lasted two weeks.", "two weeks", "DURATION", "P2W"),
    ("He served three years in prison.", "three years", "DURATION", "P3Y"),
    ("Rescuers searched for 48 hours.", "48 hours", "DURATION", "PT48H"),
    ("The talks could take several months.", "several months", "DURATION", "PXM"),
    ("They signed a 25-year lease.", "25-year", "DURATION", "P25Y"),
    ("Prices rose for six straight days.", "six straight days", "DURATION", "P6D"),
    ("The region has seen drought for years.", "years", "DURATION", "PXY"),
    ("Unemployment fell over the past decade.", "the past decade", "DURATION", "P10Y"),
    ("Repairs took almost two and a half years.", "almost two and a half years", "DURATION", "P2.5Y"),
    # sets
    ("The festival is held every year in the old town.", "every year", "SET", "P1Y"),
    ("The council meets weekly.", "weekly", "SET", "P1W"),
    ("The trains run twice a day.", "twice a day", "SET", "P1D"),
    ("Inspectors visit every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
    # vague references
    ("The company is now in talks with lenders.", "now", "DATE", "PRESENT_REF"),
    ("The plant is currently closed.", "currently", "DATE", "PRESENT_REF"),
    ("The minister recently visited the region.", "recently", "DATE", "PAST_REF"),
    ("Nobody knows what the future holds for the port.", "the future", "DATE", "FUTURE_REF"),
])
def test_expression_and_value(times, text, span, kind, value):
    assert found(times, text).get(span) == (kind, value)


def test_ranges_give_a_duration_and_both_ends(times):
    result = found(times, "Production was halted from 2009 to 2011 and again between 2014 and 2016.")
    assert result["from 2009 to 2011"] == ("DURATION", "P2Y")
    assert result["between 2014 and 2016"] == ("DURATION", "P2Y")
    assert result["2009"] == ("DATE", "2009") and result["2016"] == ("DATE", "2016")


def test_shared_unit_in_number_range(times):
    result = found(times, "The repairs will take between 30 and 45 days.")
    assert result["30"] == ("DURATION", "P30D")
    assert result["45 days"] == ("DURATION", "P45D")


def test_the_day_refers_to_the_last_date_named(times):
    result = found(times, "Shares fell on Tuesday. Traders ended the day nervous.")
    assert result["the day"] == ("DATE", "2019-01-08")


def test_clock_time_takes_the_day_named_in_its_sentence(times):
    result = found(times, "The plane landed on Jan. 5 at 18:00 UTC.")
    assert result["18:00 UTC"] == ("TIME", "2019-01-05T18:00Z")


def test_dateline_date_is_a_time_expression(times):
    result = found(times, "WASHINGTON, Jan 10 (AFP) - The senate passed the bill.")
    assert result["Jan 10"] == ("DATE", "2019-01-10")


@pytest.mark.parametrize("text, span, kind, value", [
    ("The minister arrived on Thursday.", "Thursday", "DATE", "XXXX-WXX-4"),
    ("Inflation peaked last March.", "last March", "DATE", "XXXX-03"),
    ("Officials met twice this week.", "this week", "DATE", "XXXX-WXX"),
    ("The president spoke today in the capital.", "today", "DATE", "XXXX-XX-XX"),
    ("The strike began on Jan. 8.", "Jan. 8", "DATE", "XXXX-01-08"),
    # values that need no anchor are still filled
    ("The party was founded in 2015.", "2015", "DATE", "2015"),
    ("The treaty was signed on March 3, 2012 in Oslo.", "March 3, 2012", "DATE", "2012-03-03"),
    ("The siege lasted two weeks.", "two weeks", "DURATION", "P2W"),
    ("The dispute goes back to the 1990s.", "the 1990s", "DATE", "199"),
    ("The festival is held every year.", "every year", "SET", "P1Y"),
])
def test_without_publication_date(times, text, span, kind, value):
    assert found(times, text, None).get(span) == (kind, value)


@pytest.mark.parametrize("text, bad", [
    ("Officials may resign if the deal fails.", "may"),
    ("Protesters march through the capital every night.", "march"),
    ("May said the deal was the best available.", "May"),
    ("The party won a second term in office.", "a second"),
    ("She was given a second chance.", "a second"),
    ("The Sunday Times reported the leak.", "Sunday"),
    ("More than 2000 people attended the rally.", "2000"),
    ("Flight 2013 landed safely in Lagos.", "2013"),
    ("The company paid $1999 for each licence.", "1999"),
    ("About a quarter of the dealers will close.", "a quarter"),
    ("He said so on Russia Today.", "Today"),
    ("The fall of the government surprised nobody.", "fall"),
    ("The protests recalled the Arab Spring.", "Spring"),
    ("Skiers prepared for the Winter Olympics.", "Winter"),
])
def test_false_friends_are_not_times(times, text, bad):
    spans = [t.text for t in times(text)]
    assert not any(bad in span for span in spans), spans


def test_offsets_match_text(times, nlp):
    text = "On Monday, Jan. 7, troops left; by 3 p.m. the town was quiet.\n\nTwo weeks later talks resumed."
    for t in find_times(nlp(text), PUB):
        assert text[t.start:t.end] == t.text


def test_spans_do_not_cross_line_breaks(times):
    spans = [t.text for t in times("Markets stay closed until Friday\n\nJanuary 10, 2019\n\nTraders waited.")]
    assert "Friday" in spans and "January 10, 2019" in spans


@pytest.mark.parametrize("text", ["", "   ", "((((", "\"unbalanced", "2019" * 500, "a " * 3000])
def test_odd_input_never_raises(times, text):
    for t in times(text):
        assert text[t.start:t.end] == t.text


def test_stage_fills_analysis(run_analyze):
    analysis = run_analyze("The minister arrived on Thursday for two days of talks.", published=PUB)
    values = {t.text: t.value for t in analysis.times}
    assert values["Thursday"] == "2019-01-10"
    assert values["two days"] == "P2D"
