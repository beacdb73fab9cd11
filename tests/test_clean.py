"""Cleaning rules: headlines, furniture, trailers, encoding, whitespace, paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.clean import clean_text, split_paragraphs

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"

BODY = ("Envoys from Kenya and Somalia met in Nairobi on Thursday to settle a dispute over "
        "fishing rights, officials said.")


def test_repeated_headline_is_collapsed_into_the_title():
    headline = "Kenya and Somalia settle fishing row"
    raw = f"{headline}\n\n{headline}\n\n{headline.upper()}\n\n{BODY}"
    cleaned = clean_text(raw)
    assert cleaned.title == headline
    assert cleaned.text == f"{headline}\n\n{BODY}"
    assert cleaned.title_span == (0, len(headline))


def test_headline_copies_with_different_quote_styles_are_one_headline():
    raw = ("Tehran says 'no talks' with Washington\n\n"
           "Tehran says \u2018no talks\u2019 with Washington\n\n" + BODY)
    cleaned = clean_text(raw)
    assert cleaned.text.count("no talks") == 1
    assert cleaned.text.endswith(BODY)


def test_metadata_title_matching_the_first_paragraph_keeps_one_copy():
    cleaned = clean_text(f"Fishing row settled\n\nFishing row settled\n\n{BODY}",
                         title="Fishing row settled")
    assert cleaned.text == f"Fishing row settled\n\n{BODY}"
    assert cleaned.title_span == (0, len("Fishing row settled"))


def test_metadata_title_not_in_text_leaves_text_alone():
    cleaned = clean_text(BODY, title="Fishing row settled")
    assert cleaned.text == BODY
    assert cleaned.title == "Fishing row settled" and cleaned.title_span is None


def test_body_starting_with_a_sentence_has_no_title():
    cleaned = clean_text(f"{BODY}\n\nThe talks will resume in May.")
    assert cleaned.title is None and cleaned.title_span is None


@pytest.mark.parametrize("line", [
    "Advertisement",
    "ADVERTISEMENT - SCROLL TO CONTINUE",
    "Story continues below advertisement",
    "Share this article",
    "Share | Tweet | Email",
    "Share on Facebook Share on Twitter",
    "Follow us on Twitter @examplenews",
    "Subscribe to our newsletter for daily updates",
    "Sign up",
    "We use cookies to improve your experience on this site. Accept all",
    "Photo: Delegates at the summit in Nairobi. (Example Agency)",
    "Image copyright Example Agency",
    "(Reporting by A. Writer; Editing by B. Editor)",
    "Read more: Somalia names new fisheries minister",
    "Skip to main content",
    "3 min read",
    "\u00a9 2024 Example News. All rights reserved.",
])
def test_furniture_line_is_dropped(line):
    cleaned = clean_text(f"{BODY}\n\n{line}\n\nThe talks will resume in May.")
    assert cleaned.text == f"{BODY}\n\nThe talks will resume in May."
    assert cleaned.dropped_lines == 1


@pytest.mark.parametrize("heading", ["Related news", "Related articles:", "Read more",
                                     "More from Africa", "You may also like", "Most read"])
def test_trailer_heading_cuts_everything_after_the_body(heading):
    raw = f"{BODY}\n\n{heading}\n\nSomalia names new fisheries minister\n\nDrought hits coast"
    cleaned = clean_text(raw)
    assert cleaned.text == BODY
    assert cleaned.dropped_lines == 3


def test_trailer_heading_before_the_body_does_not_cut_the_body():
    cleaned = clean_text(f"Related news\n\n{BODY}\n\nThe talks will resume in May.")
    assert cleaned.text == f"{BODY}\n\nThe talks will resume in May."


@pytest.mark.parametrize("sentence", [
    "More on the details will be published next week, the ministry said.",
    "More from the talks is expected on Friday.",
    "Related talks took place in Mogadishu!",
])
def test_body_sentence_that_starts_like_a_trailer_is_kept(sentence):
    raw = f"{BODY}\n\n{sentence}\n\nThe talks will resume in May."
    assert clean_text(raw).text == raw


def test_noisy_fixture_is_cleaned_end_to_end():
    cleaned = clean_text((FIXTURES / "noisy-article.txt").read_text(encoding="utf-8"))
    paragraphs = cleaned.text.split("\n\n")
    assert cleaned.title == "Chile and Peru open talks on shared aquifer"
    assert paragraphs[0] == cleaned.title
    assert paragraphs[1].startswith("Chile and Peru began talks in Arica on Monday")
    # A body sentence beginning "More on" survives; the trailer after it does not.
    assert paragraphs[-1].endswith("later this week, they said.")
    assert len(paragraphs) == 4
    for junk in ("Skip to", "Advertisement", "Photo:", "Share", "Follow us", "Related", "Bolivia"):
        assert junk not in cleaned.text


def test_mojibake_is_repaired():
    good = "President Macron met Ivorian officials at the \u00c9lys\u00e9e \u2014 \u201cwe agree,\u201d he said."
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, as browsers decode)

    broken = good.encode("utf-8").decode("sloppy-windows-1252")
    assert "\u00c3" in broken  # really is mojibake
    assert clean_text(broken).text == good


def test_curly_quotes_and_apostrophes_are_preserved():
    text = "\u201cWe will not move,\u201d the minister said of Kenya\u2019s \u2018red line\u2019."
    assert clean_text(text).text == text


def test_whitespace_is_normalised():
    raw = ("  Envoys\u00a0met in\tNairobi \u2009on   Thursday.\u200b  \r\n"
           "\r\n\r\n\r\nThe\u00ad talks\u2028ended late.\ufeff\u2029Both sides\u00a0agreed. ")
    # U+2028/U+2029 are line breaks: a lower-case continuation is joined, a new
    # sentence starts a paragraph.
    assert clean_text(raw).text == ("Envoys met in Nairobi on Thursday.\n\n"
                                    "The talks ended late.\n\nBoth sides agreed.")


def test_paragraphs_are_separated_by_exactly_one_blank_line():
    raw = f"{BODY}\n\n\n\n   \n\nSecond paragraph here.\n \nThird one."
    text = clean_text(raw).text
    assert text.split("\n\n") == [BODY, "Second paragraph here.", "Third one."]
    assert "\n\n\n" not in text


def test_single_newline_paragraphs_are_kept_apart():
    raw = "Talks end in Nairobi\nEnvoys from Kenya and Somalia met on Thursday.\nThey will meet again."
    assert clean_text(raw).text.split("\n\n") == [
        "Talks end in Nairobi", "Envoys from Kenya and Somalia met on Thursday.", "They will meet again."]


def test_hard_wrapped_lines_are_joined():
    raw = ("The foreign ministers of Kenya and Somalia met in Nairobi on\n"
           "Thursday and agreed to set up a joint commission on fishing rights,\n"
           "which President William Ruto called a fair outcome for both sides\n"
           "of the maritime border.\n"
           "\n"
           "Officials said the commission would first meet in Mombasa, and that\n"
           "Somali experts would join it.")
    paragraphs = clean_text(raw).text.split("\n\n")
    assert paragraphs == [
        "The foreign ministers of Kenya and Somalia met in Nairobi on Thursday and agreed to set "
        "up a joint commission on fishing rights, which President William Ruto called a fair "
        "outcome for both sides of the maritime border.",
        "Officials said the commission would first meet in Mombasa, and that Somali experts "
        "would join it.",
    ]


def test_headline_is_not_joined_to_a_hard_wrapped_body():
    raw = ("Fishing row settled\n"
           "The foreign ministers of Kenya and Somalia met in Nairobi on\n"
           "Thursday and agreed to set up a joint commission on fishing rights,\n"
           "which officials called a fair outcome for both sides of the border.\n")
    assert split_paragraphs(raw)[0] == "Fishing row settled"


def test_lowercase_continuation_is_joined_without_wrap_detection():
    assert split_paragraphs("The minister said\nthat the talks\nwent well.") == [
        "The minister said that the talks went well."]


def test_only_furniture_leaves_nothing():
    cleaned = clean_text("Advertisement\n\nShare this article\n\nSubscribe")
    assert cleaned.text == "" and cleaned.dropped_lines == 3


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_example_articles_lose_their_furniture(path):
    cleaned = clean_text(path.read_text(encoding="utf-8"))
    assert cleaned.title and cleaned.title_span == (0, len(cleaned.title))
    for junk in ("Advertisement", "Photo:", "Share this", "Follow us", "Subscribe", "Related news",
                 "Read more", "Reporting by", "\u00c3", "\u00e2\u20ac"):
        assert junk not in cleaned.text
    assert "\n\n\n" not in cleaned.text
