"""The event lexicon: CAMEO codes, the PLOVER crosswalk, trigger patterns, frames.

Everything here is read from data files (``cameo_codes.tsv``, ``cameo_plover.tsv``,
``event_patterns.tsv``, ``event_frames.tsv``, ``event_modality.tsv``) once and
cached; the coder only asks questions of these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .lexicons import read_tsv


@dataclass(frozen=True)
class CodeInfo:
    """One CAMEO code with its quad class, Goldstein weight and PLOVER type."""

    code: str
    name: str
    quad_class: int
    goldstein: float
    plover: Optional[str]
    plover_mode: Optional[str]


@dataclass(frozen=True)
class Pattern:
    """One row of event_patterns.tsv."""

    lemma: str
    particle: Optional[str]  # second word of a verb trigger ("call on")
    modifier: Optional[str]  # first word of a compound noun trigger ("hunger strike")
    pos: str  # V N L F
    objects: frozenset[str]  # required dobj lemmas (empty: any)
    object_prep: Optional[str]  # objects are those of this preposition
    tpreps: tuple[str, ...]  # where the target is
    code: str  # CAMEO code, frame name or "-"


def _opt(value: str) -> Optional[str]:
    return None if value in ("", "-") else value


@lru_cache(maxsize=1)
def codes() -> dict[str, CodeInfo]:
    """Every CAMEO code of cameo_codes.tsv, PLOVER type by longest-prefix crosswalk."""
    plover = {code: (_opt(kind), _opt(mode)) for code, kind, mode in read_tsv("cameo_plover.tsv", 3)}
    table = {}
    for code, name, quad, goldstein in read_tsv("cameo_codes.tsv", 4):
        kind, mode = None, None
        for size in range(len(code), 1, -1):
            if code[:size] in plover:
                kind, mode = plover[code[:size]]
                break
        table[code] = CodeInfo(code, name, int(quad), float(goldstein), kind, mode)
    return table


def code_info(code: str) -> Optional[CodeInfo]:
    return codes().get(code)


@lru_cache(maxsize=1)
def patterns() -> dict[str, tuple[Pattern, ...]]:
    """Patterns keyed by trigger lemma (the head word: verb, or noun head of a compound)."""
    by_lemma: dict[str, list[Pattern]] = {}
    for trigger, pos, objects, tpreps, code in read_tsv("event_patterns.tsv", 5):
        words = trigger.lower().split()
        particle = modifier = None
        if pos == "N" and len(words) > 1:
            modifier, lemma = " ".join(words[:-1]), words[-1]
        else:
            lemma = words[0]
            particle = " ".join(words[1:]) or None
        object_prep = None
        if ":" in objects:
            object_prep, objects = objects.split(":", 1)
        object_set = frozenset() if objects == "-" else frozenset(objects.lower().split("|"))
        by_lemma.setdefault(lemma, []).append(Pattern(
            lemma, particle, modifier, pos, object_set, object_prep,
            () if tpreps == "-" else tuple(tpreps.split("|")), code))
    ordered = {}
    for lemma, rows in by_lemma.items():
        # Specific rows first: compounds and particles, then object requirements.
        rows.sort(key=lambda p: (p.modifier is None, p.particle is None,
                                 not p.objects and p.object_prep is None))
        ordered[lemma] = tuple(rows)
    return ordered


@lru_cache(maxsize=1)
def frames() -> dict[str, dict[str, str]]:
    """frame -> {code prefix -> result code or "="}."""
    table: dict[str, dict[str, str]] = {}
    for frame, prefix, result in read_tsv("event_frames.tsv", 3):
        table.setdefault(frame, {})[prefix] = result
    return table


def apply_frame(frame: str, code: str) -> str:
    """The code a frame verb reports for an embedded event code."""
    rows = frames().get(frame, {})
    for size in range(len(code), 0, -1):
        result = rows.get(code[:size])
        if result is not None:
            return code if result == "=" else result
    return code


@lru_cache(maxsize=1)
def modality() -> dict[str, tuple[str, str]]:
    """cue word -> (class, position)."""
    return {word: (kind, where) for word, kind, where in read_tsv("event_modality.tsv", 3)}


def cue(word: str) -> Optional[tuple[str, str]]:
    return modality().get(word.lower())
