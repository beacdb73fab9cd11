"""``analyze``: one article in, the contract's :class:`Analysis` out.

The work is split so that batches can share one ``nlp.pipe`` call:

* :func:`prepare` validates and cleans an article (cheap, pure Python);
* the spaCy pipeline parses the cleaned texts of a batch together;
* :func:`build_analysis` runs the extraction stages over each parsed Doc.

Extraction stages are plain functions ``stage(doc, analysis)`` listed in
:data:`STAGE_NAMES`; each fills its own lists of the analysis and reads only the
Doc and what earlier stages wrote into the analysis.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc

from .clean import CleanedText, clean_text
from .decode import InputError
from .entities import extract_entities
from .language import is_english
from .model import Analysis, Article, ArticleError, Offsets, Sentence
from .nlp import doc_sentences, is_fragment, load_pipeline
from .readers import normalise_date

#: Longest cleaned article analysed, in characters (about 150,000 words).
MAX_CHARS = 1_000_000

Stage = Callable[[Doc, Analysis], None]


@dataclass(frozen=True)
class Prepared:
    """An article that passed validation, with its cleaned text."""

    article: Article
    cleaned: CleanedText
    published: Optional[str]


def _control_share(text: str) -> float:
    sample = text[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\x0c")
    return control / max(1, len(sample))


def prepare(article: Article, default_published: Optional[str] = None,
            max_chars: int = MAX_CHARS) -> Union[Prepared, ArticleError]:
    """Validate and clean one article; a bad one becomes its contract error."""
    text = article.text
    if not text or not text.strip():
        return ArticleError(article.id, "empty", "the article has no text")
    if len(text) > max_chars:
        return ArticleError(article.id, "too_large",
                            f"{len(text):,} characters; the limit is {max_chars:,}")
    if _control_share(text) > 0.05 or "\x00" in text[:8192]:
        return ArticleError(article.id, "binary", "the text is binary data")
    cleaned = clean_text(text, article.title)
    if not cleaned.text.strip():
        return ArticleError(article.id, "no_text",
                            "nothing is left after removing page furniture")
    if not is_english(cleaned.text):
        return ArticleError(article.id, "not_english", "the article is not in English")
    published = normalise_date(article.published) or normalise_date(default_published)
    return Prepared(article, cleaned, published)


def fill_sentences(doc: Doc, analysis: Analysis) -> None:
    """Sentence offsets (trailing whitespace trimmed) with their fragment flag."""
    for sent in doc_sentences(doc):
        text = sent.text
        stripped = text.rstrip()
        if not stripped.strip():
            continue
        lead = len(stripped) - len(stripped.lstrip())
        analysis.sentences.append(Sentence(sent.start_char + lead, sent.start_char + len(stripped),
                                           is_fragment(sent)))


def fill_entities(doc: Doc, analysis: Analysis) -> None:
    analysis.entities = extract_entities(doc)


#: The extraction stages, in order, as "module:function" names resolved on
#: first use (like spaCy's registry: no import cycles, one line per stage).
#: Later stages may read what earlier ones wrote into the analysis.
STAGE_NAMES: list[str] = [
    "eventwire.analyze:fill_sentences",
    "eventwire.coref:fill_entities",  # actors & coreference
    "eventwire.timex:fill_times",
    "eventwire.places:fill_places",
    "eventwire.quotes:fill_quotes",
    "eventwire.events:fill_events",
]


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    """The stage functions of :data:`STAGE_NAMES`, imported once."""
    resolved = []
    for name in STAGE_NAMES:
        module, _, function = name.partition(":")
        resolved.append(getattr(importlib.import_module(module), function))
    return tuple(resolved)


def build_analysis(prepared: Prepared, doc: Doc) -> Analysis:
    """Run every extraction stage over a parsed article."""
    article, cleaned = prepared.article, prepared.cleaned
    analysis = Analysis(
        id=article.id,
        title=cleaned.title,
        published=prepared.published,
        source=article.source,
        url=article.url,
        text=cleaned.text,
        title_span=Offsets(*cleaned.title_span) if cleaned.title_span else None,
    )
    # The Doc's text is the cleaned text; seed the cache so no stage pays
    # spaCy's token-by-token rebuild of ``doc.text``.
    doc.user_data["eventwire.text"] = cleaned.text
    for stage in stages():
        stage(doc, analysis)
    return analysis


def text_id(text: str) -> str:
    """A stable id for an article given without one: a hash of its text."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def analyze(text: str, published: Optional[str] = None, title: Optional[str] = None,
            id: Optional[str] = None, url: Optional[str] = None, source: Optional[str] = None,
            nlp: Optional[Language] = None) -> Analysis:
    """Analyse one article's raw text.

    ``published`` (YYYY-MM-DD) anchors relative dates.  Raises
    :class:`~eventwire.decode.InputError` (with the contract's error ``code``)
    for text that cannot be analysed: empty, binary, too large, not English.
    """
    article = Article(id=id or text_id(text), text=text, title=title, published=published,
                      url=url, source=source)
    prepared = prepare(article)
    if isinstance(prepared, ArticleError):
        raise InputError(prepared.code, prepared.message)
    nlp = nlp or load_pipeline()
    return build_analysis(prepared, nlp(prepared.cleaned.text))


#: A sentence that touches every stage, used to load their lexicons up front.
_WARM_UP_TEXT = ("Officials in Nairobi said on Monday that President Ruto would meet the "
                 "Kenyan army chief, and \"we will talk,\" he told reporters.")


def warm_up(nlp: Optional[Language] = None) -> None:
    """Load the model and every stage's lexicons now rather than on the first article.

    Gazetteers and lexicons are loaded lazily (a few seconds); workers call
    this at start-up so no article pays for it and timings measure the work.
    """
    analyze(_WARM_UP_TEXT, published="2020-01-01", nlp=nlp)


Result = Union[Analysis, ArticleError]


def analyze_batch(items: Iterable[Union[Article, ArticleError]], default_published: Optional[str] = None,
                  nlp: Optional[Language] = None) -> list[Result]:
    """Analyse a batch with one ``nlp.pipe`` call; results keep input order."""
    nlp = nlp or load_pipeline()
    staged: list[Union[Prepared, ArticleError]] = [
        item if isinstance(item, ArticleError) else prepare(item, default_published)
        for item in items
    ]
    ready = [p for p in staged if isinstance(p, Prepared)]
    docs = iter(_parse_all(nlp, [p.cleaned.text for p in ready]))
    results: list[Result] = []
    for item in staged:
        if isinstance(item, ArticleError):
            results.append(item)
            continue
        doc = next(docs)
        try:
            if isinstance(doc, Exception):
                raise doc
            results.append(build_analysis(item, doc))
        except Exception as exc:  # one article's bug must not end the run
            results.append(ArticleError(item.article.id, "internal",
                                        f"analysis failed: {type(exc).__name__}: {exc}"))
    return results


def _parse_all(nlp: Language, texts: list[str]) -> list[Union[Doc, Exception]]:
    """Parse texts together; if the batch fails, parse one by one to isolate the culprit."""
    try:
        return list(nlp.pipe(texts, batch_size=64))
    except Exception:
        parsed: list[Union[Doc, Exception]] = []
        for text in texts:
            try:
                parsed.append(nlp(text))
            except Exception as exc:
                parsed.append(exc)
        return parsed


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze_stream(items: Iterable[Union[Article, ArticleError]], default_published: Optional[str] = None,
                   batch_size: int = 32, nlp: Optional[Language] = None) -> Iterator[Result]:
    """Analyse a stream of articles in one process, in constant memory."""
    nlp = nlp or load_pipeline()
    for batch in batched(items, batch_size):
        yield from analyze_batch(batch, default_published, nlp)
