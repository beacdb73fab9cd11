"""The analysis contract as dataclasses.

Every stage of the pipeline fills one list of an :class:`Analysis`; storage,
export and the API only read it.  Field names follow ``CONTRACT.md`` and must
not change; new fields may be added.  ``to_dict`` always emits every field so
that consumers can rely on presence (``null``/``[]`` when unknown).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Article:
    """One input document as read, before any cleaning."""

    id: str
    text: str
    title: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None
    # Where the article came from (file path, line number), for error messages.
    origin: Optional[str] = None


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str = "name"  # name | nominal | pronoun


@dataclass
class Entity:
    id: str
    name: str
    type: str
    actor: Optional[str] = None
    country: Optional[str] = None
    mentions: list[Mention] = field(default_factory=list)
    # Addition: a leader's office on the publication date ("head of state",
    # "foreign minister", "candidate", "former"), null when not a listed leader.
    role: Optional[str] = None


@dataclass
class SpanRef:
    """A span of ``text`` given by offsets and its surface string."""

    start: int
    end: int
    text: str


@dataclass
class Quote:
    text: str
    start: int
    end: int
    direct: bool
    speaker: Optional[str] = None
    speaker_name: Optional[str] = None
    speaker_mention: Optional[SpanRef] = None
    cue: Optional[SpanRef] = None
    # Addition: the quoted pieces of a quote split by its attribution
    # ("We will," he said, "not give up"); empty when the quote is one piece.
    parts: list[SpanRef] = field(default_factory=list)


@dataclass
class EventActor:
    entity: Optional[str]
    text: Optional[str]
    actor: Optional[str]


@dataclass
class Location:
    name: str
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str]


@dataclass
class Offsets:
    start: int
    end: int


@dataclass
class Event:
    source: Optional[EventActor]
    target: Optional[EventActor]
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: Optional[str]
    plover_mode: Optional[str]
    factuality: str
    date: Optional[str]
    location: Optional[Location]
    trigger: SpanRef
    sentence: Offsets
    confidence: float


@dataclass
class TimeExpression:
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: Optional[str]


@dataclass
class Place:
    start: int
    end: int
    text: str
    name: str
    kind: str
    country: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    geonames_id: Optional[int] = None


@dataclass
class Sentence:
    """A sentence of ``text``; fragments are scraping debris the extractors skip."""

    start: int
    end: int
    fragment: bool = False


@dataclass
class Analysis:
    id: str
    title: Optional[str]
    published: Optional[str]
    source: Optional[str]
    url: Optional[str]
    text: str
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # Additions to the contract: the headline's span inside ``text`` (null when
    # the title only came from metadata) and the sentence segmentation.
    title_span: Optional[Offsets] = None
    sentences: list[Sentence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    def to_json(self) -> str:
        return dumps_line(self.to_dict())


_LEAVES = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """Dataclasses to dicts, recursively, for JSON.

    ``dataclasses.asdict`` deep-copies every leaf and costs several percent
    of the whole analysis; the model holds only immutable leaves, so they
    are shared, and each class's field names are looked up once.
    """
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is list:
        return [plain(item) for item in value]
    names = _FIELDS.get(kind)
    if names is None:
        if not is_dataclass(value):
            return {key: plain(item) for key, item in value.items()} if kind is dict else value
        names = _FIELDS[kind] = tuple(f.name for f in fields(kind))
    return {name: plain(getattr(value, name)) for name in names}


@dataclass
class ArticleError:
    """The contract's error line: the article's id and why it has no analysis."""

    id: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "error": {"code": self.code, "message": self.message}}

    def to_json(self) -> str:
        return dumps_line(self.to_dict())


def dumps_line(obj: Any) -> str:
    """One JSON Lines record.

    U+2028/U+2029 are escaped because many line readers (``str.splitlines``,
    JavaScript) treat them as line breaks and would split the record.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
