"""Consistency checks over the data files that docs/DATA.md promises."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from eventwire.lexicons import read_tsv


def _day(value: str) -> date:
    return date.max if value == "-" else date.fromisoformat(value)


def test_leader_terms_are_well_formed_and_do_not_overlap() -> None:
    terms: dict[tuple[str, str, str], list[tuple[date, date]]] = defaultdict(list)
    for name, _aliases, country, role, first, last in read_tsv("leaders.tsv", 6):
        start, end = _day(first), _day(last)
        assert start <= end, (name, first, last)
        terms[(name, country, role)].append((start, end))
    assert len(terms) > 300
    for key, spans in terms.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start >= end, f"overlapping terms for {key}"


def test_every_code_the_event_lexicon_uses_exists_in_the_cameo_table() -> None:
    codes = {row[0] for row in read_tsv("cameo_codes.tsv", 4)}
    assert {"01", "010", "20", "204"} <= codes
    frames = {row[0] for row in read_tsv("event_frames.tsv", len(_first_row("event_frames.tsv")))}
    for trigger, kind, _objects, _preposition, code in read_tsv("event_patterns.tsv", 5):
        if kind == "F":  # frame rows name a frame of event_frames.tsv
            assert code in frames or code in {"future", "hypothetical", "negated", "passthrough"}, trigger
        elif code != "-":
            assert code in codes, (trigger, code)


def _first_row(name: str) -> list[str]:
    from eventwire.lexicons import _lines
    return next(iter(_lines(name))).split("\t")


def test_cameo_weights_and_quad_classes_are_in_range() -> None:
    for code, name, quad, goldstein in read_tsv("cameo_codes.tsv", 4):
        assert code.isdigit() and 2 <= len(code) <= 4 and name
        assert quad in {"1", "2", "3", "4"}
        assert -10.0 <= float(goldstein) <= 10.0
