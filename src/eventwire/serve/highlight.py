"""Cut an article's text into segments for the reader's highlighting.

Spans (entity mentions, quotes, event triggers, time expressions) overlap and
nest freely, so the text is cut at every span boundary and each segment
lists the spans covering it.  The template escapes each segment's text; this
module never produces markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Segment:
    text: str
    start: int
    entities: list[str] = field(default_factory=list)
    quotes: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    kind: str = ""  # entity type of the first entity, for its colour

    @property
    def marked(self) -> bool:
        return bool(self.entities or self.quotes or self.events or self.times)


def _valid(start: Any, end: Any, length: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def segments(analysis: dict[str, Any]) -> list[Segment]:
    """The text of ``analysis`` as consecutive segments covering it exactly."""
    text = analysis.get("text") or ""
    length = len(text)
    spans: list[tuple[int, int, str, Any]] = []
    types: dict[str, str] = {}
    for entity in analysis.get("entities") or []:
        types[entity.get("id")] = entity.get("type") or ""
        for mention in entity.get("mentions") or []:
            if _valid(mention.get("start"), mention.get("end"), length):
                spans.append((mention["start"], mention["end"], "entities", entity.get("id")))
    for number, quote in enumerate(analysis.get("quotes") or []):
        if _valid(quote.get("start"), quote.get("end"), length):
            spans.append((quote["start"], quote["end"], "quotes", number))
    for number, event in enumerate(analysis.get("events") or []):
        trigger = event.get("trigger") or {}
        if _valid(trigger.get("start"), trigger.get("end"), length):
            spans.append((trigger["start"], trigger["end"], "events", number))
    for number, time in enumerate(analysis.get("times") or []):
        if _valid(time.get("start"), time.get("end"), length):
            spans.append((time["start"], time["end"], "times", number))
    cuts = sorted({0, length, *(s[0] for s in spans), *(s[1] for s in spans)})
    opening: dict[int, list[tuple[int, int, str, Any]]] = {}
    for span in spans:
        opening.setdefault(span[0], []).append(span)
    active: list[tuple[int, int, str, Any]] = []
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s[1] > a] + opening.get(a, [])
        segment = Segment(text=text[a:b], start=a)
        for _, _, kind, key in sorted(active, key=lambda s: (s[0], -s[1])):
            values = getattr(segment, kind)
            if key not in values:
                values.append(key)
        if segment.entities:
            segment.kind = types.get(segment.entities[-1], "")
        out.append(segment)
    return out
