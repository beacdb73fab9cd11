"""A reader's view of an article's quotes, grouped by speaker.

``format_quotes`` takes one analysis record (the contract's JSON object, as
``eventwire analyze`` prints it) and returns plain text: one block per
speaker, speakers in order of their first quote, quotes in text order.
Direct quotes are shown in quote marks, reported speech after "(reported)",
reported clauses quoting some words verbatim after "(partly quoted)".
"""

from __future__ import annotations

from typing import Any

#: Longest quote text shown before it is shortened with an ellipsis.
MAX_SHOWN = 300
_UNATTRIBUTED = "(no speaker in the text)"


def _speaker_label(quote: dict[str, Any], names: dict[str, str]) -> str:
    entity = quote.get("speaker")
    if entity and entity in names:
        return f"{names[entity]} [{entity}]"
    if quote.get("speaker_name"):
        return str(quote["speaker_name"])
    return _UNATTRIBUTED


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1].rstrip() + "…"


def format_quotes(record: dict) -> str:
    """The quotes of one analysed article as text, grouped by speaker."""
    if record.get("error"):
        error = record["error"] or {}
        return f"{record.get('id')}: error {error.get('code')}: {error.get('message')}"
    quotes = sorted(record.get("quotes") or [], key=lambda q: (q.get("start") or 0, q.get("end") or 0))
    names = {e.get("id"): e.get("name") for e in record.get("entities") or [] if e.get("id")}
    header = record.get("title") or record.get("id") or "article"
    if not quotes:
        return f"{header}\n  (no quotes)"
    groups: dict[str, list[dict]] = {}
    for quote in quotes:
        groups.setdefault(_speaker_label(quote, names), []).append(quote)
    lines = [f"{header}  ({len(quotes)} quotes, {len(groups)} speakers)"]
    for label, items in groups.items():
        lines.append("")
        lines.append(f"{label}:")
        for quote in items:
            cue = (quote.get("cue") or {}).get("text")
            mention = (quote.get("speaker_mention") or {}).get("text")
            how = ", ".join(part for part in (f"cue: {cue}" if cue else "",
                                              f"as: {mention}" if mention and mention != label else "")
                            if part)
            parts = [part.get("text") or "" for part in quote.get("parts") or []]
            text = quote.get("text") or ""
            # A partial quote ('said the loss was "embarrassing"') starts before its
            # first quoted piece: show the clause with its own quote marks.
            partial = bool(parts) and (quote.get("start") or 0) < ((quote.get("parts") or [{}])[0].get("start") or 0)
            body = _shorten(" … ".join(parts) if parts and not partial else text)
            if partial:
                shown = f"(partly quoted) {body}"
            else:
                shown = f"“{body}”" if quote.get("direct") else f"(reported) {body}"
            lines.append(f"  - {shown}" + (f"  [{how}]" if how else ""))
    return "\n".join(lines)
