"""Is this article English?  A function-word test, cheap enough for every article.

The model is English-only: running it over French or Chinese text yields
confident garbage, so such articles get the ``not_english`` error instead.
"""

from __future__ import annotations

import re

from .lexicons import read_words

_WORD = re.compile(r"[^\W\d_]+")
#: Below this many words the test is not trusted and the text passes.
MIN_WORDS = 12
#: English news prose has 35-50% function words; other Latin-script languages
#: share only a few ("a", "in", "no") and score well under this.
MIN_FUNCTION_SHARE = 0.12


def english_share(text: str, sample_chars: int = 20_000) -> tuple[int, float]:
    """(number of words, share of English function words) in a sample of ``text``."""
    count, english, _ = _function_shares(text, sample_chars)
    return count, english


def _function_shares(text: str, sample_chars: int = 20_000) -> tuple[int, float, float]:
    """(words, share of English function words, share of other languages' ones)."""
    words = _WORD.findall(text[:sample_chars].lower())
    if not words:
        return 0, 0.0, 0.0
    english = read_words("english_function_words.txt")
    foreign = read_words("foreign_function_words.txt")
    return (len(words), sum(w in english for w in words) / len(words),
            sum(w in foreign for w in words) / len(words))


def is_english(text: str) -> bool:
    """True unless the text is long enough to judge and clearly not English."""
    letters = [c for c in text[:20_000] if c.isalpha()]
    if letters:
        latin = sum(c < "\u0250" for c in letters) / len(letters)
        if latin < 0.5 and len(letters) >= 40:
            return False
    count, share, foreign = _function_shares(text)
    # A few English words ("in", "am") occur in German or Dutch prose too, so
    # the share alone is not enough: other languages' words must not outnumber them.
    return count < MIN_WORDS or (share >= MIN_FUNCTION_SHARE and foreign <= share)
