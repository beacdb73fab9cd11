"""Hand-made analysis records (the contract's JSON) for corpus tests that need no model.

Four articles: two outlets report the same Beijing meeting a day apart (one
merged event record, two sources), a third is a reprint of the first (a
near-duplicate whose events must not count), and a fourth, weeks later,
carries a sanction and a planned visit.  Offsets are computed from the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from eventwire.ingest import ingest_records

MEETING = ("Chinese President Xi Jinping held talks with North Korean leader Kim Jong-un in Beijing on Tuesday, "
           "the state news agency reported, in a visit that came weeks before an expected second summit "
           "between Pyongyang and Washington. The two leaders discussed the stalled nuclear negotiations, "
           "trade across the Yalu river and the reopening of the Kaesong industrial park, according to the "
           "official account of the meeting released on Wednesday morning in both capitals.")

MEETING_B = ("Chinese President Xi Jinping held talks with North Korean leader Kim Jong-un in Beijing on Tuesday, "
             "Chinese television said in its evening bulletin. Kim arrived by armoured train on Monday for his "
             "fourth trip to China in a year, and analysts in Seoul read the timing as a sign that Beijing "
             "wants a voice in any deal on sanctions relief.")


def _span(text: str, part: str, after: int = 0) -> dict[str, Any]:
    start = text.index(part, after)
    return {"start": start, "end": start + len(part), "text": part}


def _sentence(text: str, part: str) -> dict[str, int]:
    start = text.index(part)
    return {"start": start, "end": start + len(part)}


def _event(text: str, sentence: str, trigger: str, source: Optional[tuple], target: Optional[tuple],
           cameo: str, quad: int, goldstein: float, plover: Optional[str], factuality: str, day: str,
           location: Optional[dict] = None) -> dict[str, Any]:
    def actor(value):
        if value is None:
            return None
        entity, words, code = value
        return {"entity": entity, "text": words, "actor": code}

    return {"source": actor(source), "target": actor(target), "cameo": cameo, "root": cameo[:2],
            "quad_class": quad, "goldstein": goldstein, "plover": plover, "plover_mode": None,
            "factuality": factuality, "date": day, "location": location,
            "trigger": _span(text, trigger, text.index(sentence)), "sentence": _sentence(text, sentence),
            "confidence": 0.8}


def _entities(text: str, names: list[tuple[str, str, str, Optional[str]]]) -> list[dict[str, Any]]:
    out = []
    for number, (name, kind, actor, country) in enumerate(names, 1):
        out.append({"id": f"E{number}", "name": name, "type": kind, "actor": actor, "country": country,
                    "mentions": [dict(_span(text, name), kind="name")]})
    return out


BEIJING = {"name": "Beijing", "lat": 39.9075, "lon": 116.39723, "country": "CHN"}


def meeting(article_id: str, published: str, source: str, tail: str = "", body: str = MEETING) -> dict[str, Any]:
    text = "Xi hosts Kim in Beijing before second summit\n\n" + body + tail
    first = body.split(" on Tuesday")[0]
    return {
        "id": article_id, "title": "Xi hosts Kim in Beijing before second summit", "published": published,
        "source": source, "url": f"https://{source.lower().replace(' ', '')}.example/{article_id}", "text": text,
        "entities": _entities(text, [("Xi Jinping", "PERSON", "CHNGOV", "CHN"),
                                     ("Kim Jong-un", "PERSON", "PRKGOV", "PRK")]),
        "quotes": [], "times": [],
        "places": [dict(_span(text, "Beijing", text.index(body)), name="Beijing", kind="city", country="CHN",
                        lat=39.9075, lon=116.39723, geonames_id=1816670)],
        "events": [_event(text, first, "held talks", ("E1", "Xi Jinping", "CHNGOV"), ("E2", "Kim Jong-un", "PRKGOV"),
                          "040", 1, 1.0, "CONSULT", "asserted", published, BEIJING)],
    }


SEOUL = ("South Korean President Moon Jae-in said on Thursday that the Kaesong factory park could reopen "
         "within months if the sanctions regime allowed it. \"We are ready to restart Kaesong the moment "
         "the door opens,\" Moon told reporters in Seoul.")


def seoul_quote() -> dict[str, Any]:
    text = SEOUL
    quote = "We are ready to restart Kaesong the moment the door opens"
    return {
        "id": "seoul-kaesong", "title": None, "published": "2019-01-10", "source": "Wire B",
        "url": None, "text": text,
        "entities": _entities(text, [("Moon Jae-in", "PERSON", "KORGOV", "KOR")]),
        "quotes": [{"text": quote, **{k: v for k, v in _span(text, quote).items() if k != "text"},
                    "direct": True, "speaker": "E1", "speaker_name": "Moon Jae-in",
                    "speaker_mention": _span(text, "Moon", text.index(quote)), "cue": _span(text, "told")}],
        "times": [], "places": [],
        "events": [_event(text, text.split(" \"")[0], "said", ("E1", "Moon Jae-in", "KORGOV"), None,
                          "010", 1, 0.0, None, "asserted", "2019-01-10")],
    }


SANCTION = ("The United States Treasury imposed sanctions on three North Korean shipping firms on Friday. "
            "Officials in Washington said the Secretary of State would travel to Pyongyang next month to "
            "discuss the freeze.")


def sanctions() -> dict[str, Any]:
    text = SANCTION
    first, second = text.split("Friday. ")[0] + "Friday.", "Officials" + text.split("Officials")[1]
    return {
        "id": "treasury", "title": "US sanctions North Korean shipping firms", "published": "2019-03-01",
        "source": "Wire C", "url": "https://wirec.example/treasury", "text": text,
        "entities": _entities(text, [("United States Treasury", "ORG", "USAGOV", "USA")]),
        "quotes": [], "times": [], "places": [],
        "events": [
            _event(text, first, "imposed sanctions", ("E1", "United States Treasury", "USAGOV"), (None, "North Korean shipping firms", "PRKBUS"),
                   "163", 4, -8.0, "SANCTION", "asserted", "2019-03-01"),
            _event(text, second, "travel", (None, "Secretary of State", "USAGOV"), (None, "Pyongyang", "PRKGOV"),
                   "042", 1, 1.9, "CONSULT", "future", "2019-04"),
        ],
    }


def records() -> list[dict[str, Any]]:
    """The four articles, in ingest order (the reprint comes last)."""
    return [meeting("wire-a", "2019-01-08", "Wire A"),
            meeting("wire-b", "2019-01-09", "Wire B", body=MEETING_B),
            seoul_quote(), sanctions(),
            meeting("reprint", "2019-01-08", "Aggregator", " This article was republished from Wire A.")]


def build(db: Path) -> Path:
    ingest_records(records(), db, batch_size=2)
    return db
