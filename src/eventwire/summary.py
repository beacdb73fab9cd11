"""A readable summary of analysis output, for people rather than programs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def iter_jsonl(path: Path):
    """Records of a JSON Lines file, split on ``\\n`` only (not U+2028)."""
    with open(path, "rb") as handle:
        for raw in handle:
            if raw.strip():
                yield json.loads(raw)


def summarise_record(record: dict, limit: int = 8) -> str:
    """A few lines on one article: title, date, counts, its main entities."""
    if "error" in record:
        error = record["error"]
        return f"[{record.get('id')}] ERROR {error.get('code')}: {error.get('message')}"
    lines = [f"[{record['id']}] {record.get('title') or '(no title)'}"]
    words = len(record.get("text", "").split())
    counts = ", ".join(f"{len(record.get(key) or [])} {key}"
                       for key in ("entities", "quotes", "events", "times", "places"))
    lines.append(f"  published {record.get('published') or 'unknown'}; {words} words; {counts}")
    ranked = sorted(record.get("entities") or [], key=lambda e: -len(e.get("mentions") or []))
    if ranked:
        shown = "; ".join(f"{e['name']} ({e['type']}, {len(e['mentions'])}x)" for e in ranked[:limit])
        lines.append(f"  entities: {shown}")
    for quote in (record.get("quotes") or [])[:3]:
        lines.append(f"  quote: {quote.get('speaker_name') or '?'}: \"{quote['text'][:90]}\"")
    for event in (record.get("events") or [])[:3]:
        source = (event.get("source") or {}).get("text") or "?"
        target = (event.get("target") or {}).get("text") or "?"
        lines.append(f"  event: {source} -> {target} {event['cameo']} {event.get('plover')}")
    return "\n".join(lines)


def summarise_file(path: Path, limit: int = 8) -> str:
    """Every article of an output file, then the totals."""
    parts, errors, total = [], Counter(), 0
    for record in iter_jsonl(path):
        total += 1
        if "error" in record:
            errors[record["error"].get("code")] += 1
        parts.append(summarise_record(record, limit))
    tail = f"{total} articles, {total - sum(errors.values())} analysed"
    if errors:
        tail += ", errors: " + ", ".join(f"{n} {code}" for code, n in errors.most_common())
    return "\n".join(parts + ["", tail])
