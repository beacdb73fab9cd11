"""A faster matcher for the model's attribute ruler, with identical results.

The English model's ``attribute_ruler`` maps fine-grained tags to POS and
morphology and patches a few words ("ai n't", "gon na", "I" as object).  It
finds its matches with spaCy's general ``Matcher``, which tries all of its
~180 patterns at every token: about a tenth of the whole parse.  Every one of
those patterns is a one- or two-token test on TAG, LOWER, DEP or IS_SPACE, so
an index keyed by the exact tag or lower-cased word finds the same matches
with one or two dictionary lookups per token.

:func:`speed_up` swaps the ruler's ``match`` for :class:`RuleIndex` and
keeps everything else of the component (its normalised attributes and its
``set_annotations``), so the annotations it writes are the model's own; the
test suite checks token-for-token equality with the original matcher.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.tokens import Doc

TokenTest = Callable[[str, str, str, bool], bool]
_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")


class UnsupportedPattern(ValueError):
    """A pattern this index cannot evaluate: keep spaCy's own matcher."""


def _value_test(field: str, spec: Any) -> Callable[[Any], bool]:
    if field == "IS_SPACE":
        if not isinstance(spec, bool):
            raise UnsupportedPattern(f"IS_SPACE {spec!r}")
        return lambda value: value is spec
    if isinstance(spec, str):
        return lambda value: value == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda value: value in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda value: value not in banned
        if op == "REGEX":
            search = re.compile(arg).search
            return lambda value: search(value) is not None
    raise UnsupportedPattern(f"{field} {spec!r}")


def _token_test(token_pattern: dict) -> TokenTest:
    """A test over (tag, lower, dep, is_space) for one token of a pattern."""
    unknown = set(token_pattern) - set(_FIELDS)
    if unknown:
        raise UnsupportedPattern(f"fields {sorted(unknown)}")
    tests = [(index, _value_test(field, token_pattern[field]))
             for index, field in enumerate(_FIELDS) if field in token_pattern]

    def test(tag: str, lower: str, dep: str, is_space: bool) -> bool:
        values = (tag, lower, dep, is_space)
        return all(check(values[index]) for index, check in tests)
    return test


class RuleIndex:
    """The ruler's patterns, evaluated once per distinct token and cached.

    A token's single-token matches depend only on its (tag, lower, dep,
    is_space) signature, and news text repeats a few thousand signatures, so
    nearly every token costs one dictionary lookup.  Two-token patterns are
    checked only where their first token passes.
    """

    def __init__(self, ruler: Any) -> None:
        self.vocab = ruler.vocab
        self.single: list[tuple[int, int, TokenTest]] = []
        self.double: list[tuple[int, int, TokenTest, TokenTest]] = []
        for number, rule in enumerate(ruler.patterns):
            match_id = self.vocab.strings.add(str(number))
            for pattern in rule["patterns"]:
                tests = [_token_test(t) for t in pattern]
                if len(tests) == 1:
                    self.single.append((number, match_id, tests[0]))
                elif len(tests) == 2:
                    self.double.append((number, match_id, tests[0], tests[1]))
                else:
                    raise UnsupportedPattern(f"{len(tests)}-token pattern")
        self._cache: dict[tuple, tuple[tuple, tuple]] = {}

    def _evaluate(self, signature: tuple) -> tuple[tuple, tuple]:
        strings = self.vocab.strings
        tag, lower, dep, space = signature
        token = (strings[tag] if tag else "", strings[lower] if lower else "",
                 strings[dep] if dep else "", bool(space))
        singles = tuple((number, match_id) for number, match_id, test in self.single if test(*token))
        firsts = tuple((number, match_id, second) for number, match_id, first, second in self.double
                       if first(*token))
        if len(self._cache) > 200_000:  # bounded: a pathological corpus cannot grow it for ever
            self._cache.clear()
        self._cache[signature] = (singles, firsts)
        return singles, firsts

    def _strings_of(self, signature: tuple) -> tuple[str, str, str, bool]:
        strings = self.vocab.strings
        tag, lower, dep, space = signature
        return (strings[tag] if tag else "", strings[lower] if lower else "",
                strings[dep] if dep else "", bool(space))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """Matches as ``AttributeRuler.match`` returns them, sorted the same way."""
        signatures = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        cache = self._cache
        matches = []
        last = len(signatures) - 1
        for start, signature in enumerate(signatures):
            found = cache.get(signature)
            singles, firsts = found if found is not None else self._evaluate(signature)
            for number, match_id in singles:
                matches.append((number, match_id, start, start + 1))
            if firsts and start < last:
                following = self._strings_of(signatures[start + 1])
                for number, match_id, second in firsts:
                    if second(*following):
                        matches.append((number, match_id, start, start + 2))
        matches.sort()
        return matches


def speed_up(nlp: Language, name: str = "attribute_ruler") -> Optional[RuleIndex]:
    """Give the pipeline's attribute ruler the indexed matcher (if it has one we understand)."""
    if name not in nlp.pipe_names:
        return None
    ruler = nlp.get_pipe(name)
    try:
        index = RuleIndex(ruler)
    except UnsupportedPattern:
        return None  # a model with richer patterns keeps spaCy's matcher
    ruler.match = index.match
    return index
