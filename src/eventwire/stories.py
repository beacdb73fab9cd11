"""Stories: articles that report the same real-world event, clustered incrementally.

A story is one seminal event: what happened, to whom, where and when.  Two
earthquakes, two summits or two shootings share their vocabulary, so topical
words alone merge them; what tells them apart are the specific anchors.  Each
article is therefore described by several *families* of terms, built only from
what the store holds (whatever the extraction stages managed to fill):

* ``w``: content words of the cleaned text (the topic);
* ``lead``: content words of the headline and first paragraphs (what happened);
* ``per``: tokens of PERSON names; ``main``: tokens of the most mentioned person;
* ``org``: tokens of organisation, facility, work, product, event and law names;
* ``city``: specific resolved places (cities, landmarks: not countries or regions);
* ``num``: numbers written in the text (tolls, magnitudes, ages, scores, years);
* ``ym``, ``md``, ``yr``, ``mo``: year-month, month-day, year and month of
  resolved dates (the event's own dates, not only the publication date);
* ``wd``: weekdays of expressions such as "on Saturday" that could not be
  resolved to a full date.

Each family is a TF-IDF vector (IDF over the corpus stored so far).  Two
articles' similarity is a logit (log-odds of "same event"): a constant plus,
for each family *both* articles have, a weight times the family's cosine and
a (non-positive) weight for having it on both sides.  A family one side lacks
says nothing, while a family both have but do not share (two different
victims, two different months, two different death tolls) pulls the pair
apart.  The anchors' shared terms count only between articles on one subject
(scaled by the ``w`` cosine, up to a gate): a flood and a budget vote in the
same week share a month, which says nothing.  The weights live in ``data/stories_weights.tsv``; they were fitted by
logistic regression on labelled article pairs and checked on held-out topics.

New articles are clustered among themselves by average-link agglomerative
clustering (one odd article cannot chain two stories together); then each new
cluster joins the existing story it matches best, by the same average-link
similarity against that story's latest members, or starts a new story.
Candidate stories come from an index of story centroids (``story_terms``), and
a story is compared through a bounded sample of its latest members, so the
cost per article does not grow with the corpus.  Story ids are stable as the
corpus grows, with one bounded exception: when a story that just grew now
reaches one of its few nearest neighbours by the same average-link cut, the
two are one event reported in pieces, and the later story's articles take the
earlier story's id.  Near-duplicate copies take their original's story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import duckdb
import numpy as np

from .lexicons import read_tsv, read_words

#: Shown for the record: families and their (shared, both) weights are read from data.
WEIGHTS_FILE = "stories_weights.tsv"
#: Terms kept per story centroid (used only to find candidate stories).
CENTROID_TERMS = 80
#: Candidate stories compared in full with each new cluster.
CANDIDATES = 5
#: Latest members of a candidate story compared with a new cluster.
STORY_MEMBERS = 40
#: New articles clustered together at a time (bounds memory and the O(n^2) step).
CHUNK = 2000
#: Entity types whose names are organisations and other named things (not people, not places).
_NAMED_THINGS = {"ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}
#: Place kinds too broad to tell two events apart (a country holds many earthquakes).
_BROAD_PLACES = {"country", "admin1", "admin2", "region", "continent"}

_TOKEN = re.compile(r"[^\W\d_][\w'\-]*|\d+(?:[.,]\d+)*", re.UNICODE)
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)
_DATE = re.compile(r"^(\d{4}|XXXX)-(\d\d)(?:-(\d\d))?")
_YEAR = re.compile(r"^(\d{4})")
_WEEKDAY = re.compile(r"^(?:\d{4}|XXXX)-W(?:\d\d|XX)-([1-7])$")
#: The lead: headline and first paragraphs, at most this many characters.
LEAD_PARAGRAPHS = 3
LEAD_CHARS = 600


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | read_words("stories_news_words.txt")


_STOP: Optional[frozenset[str]] = None


def _stop() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    return _STOP


@dataclass(frozen=True)
class Weights:
    """The similarity model of ``data/stories_weights.tsv`` (see its header)."""

    shared: dict[str, float]   # family -> weight of its cosine
    both: dict[str, float]     # family -> weight paid when both sides have it (<= 0)
    gated: frozenset[str]      # anchor families, counted only between articles on one subject
    bias: float
    gate: float                # "w" cosine at which anchors count in full
    cut: float                 # average-link cut on the logit


@lru_cache(maxsize=1)
def _weights() -> Weights:
    shared: dict[str, float] = {}
    both: dict[str, float] = {}
    gated: set[str] = set()
    special: dict[str, float] = {}
    for name, cos_weight, both_weight, is_gated in read_tsv(WEIGHTS_FILE, 4):
        if name.startswith("_"):
            special[name[1:]] = float(cos_weight)
            continue
        shared[name], both[name] = max(float(cos_weight), 0.0), min(float(both_weight), 0.0)
        if is_gated == "1":
            gated.add(name)
    return Weights(shared, both, frozenset(gated), special.get("bias", 0.0),
                   special.get("gate", 0.0), special.get("cut", 0.0))


def family_weights() -> dict[str, float]:
    """Weight of each family's cosine (also the families that exist)."""
    return _weights().shared


def merge_cut() -> float:
    """The average-link cut on the similarity logit."""
    return _weights().cut


def word_terms(text: str) -> Counter:
    """Content words (``w:``, crudely singularised) and numbers (``num:``) of a text."""
    stop = _stop()
    terms: Counter = Counter()
    for token in _TOKEN.findall(text):
        low = token.casefold()
        if low[0].isdigit():
            if len(low) > 1 or "." in low:
                terms["num:" + low.replace(",", "")] += 1
            continue
        if len(low) < 3 or low in stop:
            continue
        if low.endswith("s") and len(low) > 4 and not low.endswith("ss"):
            low = low[:-1]
        terms["w:" + low] += 1
    return terms


def name_tokens(name: str) -> list[str]:
    """Lower-cased tokens of a name that can identify it ("Tara Reid" -> tara, reid)."""
    stop = _stop()
    return [t for t in (m.casefold() for m in _NAME_TOKEN.findall(name)) if len(t) > 1 and t not in stop]


def date_terms(value: str) -> list[str]:
    """Date anchors of a resolved TIMEX value: ``ym:``, ``md:``, ``yr:``, ``mo:`` and ``wd:`` terms.

    Whatever the value resolves counts: "March 14" with no year still gives
    the day and the month; "Saturday" with no date gives the weekday.
    """
    value = value or ""
    match = _DATE.match(value)
    if match:
        year, month, day = match.groups()
        terms = []
        if year != "XXXX":
            terms += [f"ym:{year}-{month}", f"yr:{year}"]
        if day:
            terms.append(f"md:{month}-{day}")
        terms.append(f"mo:{month}")
        return terms
    match = _YEAR.match(value)
    if match:
        return [f"yr:{match.group(1)}"]
    match = _WEEKDAY.match(value)
    if match:
        return [f"wd:{match.group(1)}"]
    return []


def lead_terms(text: str) -> Counter:
    """``lead:`` content words of the headline and first paragraphs (what the article is about)."""
    paragraphs = [p for p in text.split("\n\n", LEAD_PARAGRAPHS) if p.strip()][:LEAD_PARAGRAPHS]
    lead = " ".join(paragraphs)[:LEAD_CHARS]
    return Counter({"lead:" + t[2:]: c for t, c in word_terms(lead).items() if t.startswith("w:")})


def article_features(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Counter]:
    """Typed term counts (``family:term``) of the given articles, from every table that has rows for them."""
    features: dict[str, Counter] = {}
    if not ids:
        return features
    for article_id, text in con.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall():
        features[article_id] = word_terms(text or "") + lead_terms(text or "")
    people: dict[str, Counter] = {}
    for article_id, name, kind, count in con.execute(
            """SELECT article_id, name, type, greatest(coalesce(mentions, 1), 1) FROM entities
               WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND name IS NOT NULL""", [ids]).fetchall():
        terms = features.get(article_id)
        if terms is None:
            continue
        if kind == "PERSON":
            people.setdefault(article_id, Counter())[name] += int(count)
            for token in name_tokens(name):
                terms["per:" + token] += int(count)
        elif kind in _NAMED_THINGS:
            for token in name_tokens(name):
                terms["org:" + token] += int(count)
    for article_id, counts in people.items():
        top = max(counts.values())
        if top >= 2:  # a person named once is not yet the article's main participant
            for name, count in counts.items():
                if count == top:
                    for token in name_tokens(name):
                        features[article_id]["main:" + token] += 1
    for article_id, key, kind in con.execute(
            """SELECT article_id, coalesce(CAST(geonames_id AS VARCHAR), lower(name)), kind FROM places
               WHERE article_id IN (SELECT unnest(?::VARCHAR[]))""", [ids]).fetchall():
        if key and article_id in features and (kind or "") not in _BROAD_PLACES:
            features[article_id]["city:" + key] += 1
    for article_id, value in con.execute(
            """SELECT article_id, value FROM times
               WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND type = 'DATE' AND value IS NOT NULL""",
            [ids]).fetchall():
        if article_id in features:
            for term in date_terms(value):
                features[article_id][term] += 1
    return features


Vector = dict[str, dict[str, float]]  # family -> term -> unit-normalised TF-IDF weight


def family(term: str) -> str:
    return term.split(":", 1)[0]


def vectorise(terms: Counter, df: dict[str, int], docs: int) -> Vector:
    """Per-family TF-IDF vectors (log tf, smoothed idf), each L2-normalised.

    A term seen in only one document so far still counts (it may be shared by
    the next article), but less than one shared by a few.
    """
    shared = family_weights()
    vector: Vector = {}
    for term, count in terms.items():
        name = family(term)
        if name not in shared:
            continue
        idf = math.log((docs + 1) / (df.get(term, 0) + 1)) + 1.0
        vector.setdefault(name, {})[term] = (1.0 + math.log(count)) * idf
    for weights in vector.values():
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for term in weights:
            weights[term] /= norm
    return vector


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _gate(text_cosine, model: Weights):
    """How much the anchors count, from the topical (``w``) cosine: 0 on unrelated subjects, 1 on one."""
    if model.gate <= 0:
        return np.ones_like(text_cosine) if isinstance(text_cosine, np.ndarray) else 1.0
    return np.minimum(1.0, text_cosine / model.gate)


def similarity(a: Vector, b: Vector) -> float:
    """Log-odds that two articles report the same event (see the module docstring)."""
    model = _weights()
    text = _cosine(a["w"], b["w"]) if a.get("w") and b.get("w") else 0.0
    gate = _gate(text, model)
    total = model.bias
    for name in a.keys() & b.keys():
        if a[name] and b[name] and name in model.shared:
            cosine = _cosine(a[name], b[name])
            total += model.shared[name] * cosine * (gate if name in model.gated else 1.0) + model.both[name]
    return float(total)


def _family_matrix(name: str, left: list[Vector], right: list[Vector]):
    """(cosines, both-present) of one family for every left x right pair, or None when nobody has it."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    mats, present = [], []
    for vectors in (left, right):
        rows, cols, vals = [], [], []
        for r, vector in enumerate(vectors):
            for term, value in vector.get(name, {}).items():
                rows.append(r)
                cols.append(vocab.setdefault(term, len(vocab)))
                vals.append(value)
        mats.append((rows, cols, vals, len(vectors)))
        present.append(np.array([1.0 if vector.get(name) else 0.0 for vector in vectors]))
    if not vocab:
        return None
    a, b = (csr_matrix((v, (r, c)), shape=(n, len(vocab))) for r, c, v, n in mats)
    return (a @ b.T).toarray(), np.outer(present[0], present[1])


def similarity_matrix(left: list[Vector], right: Optional[list[Vector]] = None) -> np.ndarray:
    """:func:`similarity` of every pair (left x right, or left x left), with sparse products."""
    model = _weights()
    right = left if right is None else right
    total = np.full((len(left), len(right)), model.bias)
    text = _family_matrix("w", left, right)
    gate = _gate(text[0] if text is not None else np.zeros_like(total), model)
    for name, weight in model.shared.items():
        pair = text if name == "w" else _family_matrix(name, left, right)
        if pair is None:
            continue
        cosine, both = pair
        total += weight * cosine * (gate if name in model.gated else 1.0) + model.both[name] * both
    return total


def cluster(vectors: list[Vector], threshold: Optional[float] = None) -> list[int]:
    """Average-link clusters of article vectors (cut at a mean logit of ``threshold``); a label per vector."""
    if len(vectors) <= 1:
        return [0] * len(vectors)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    threshold = merge_cut() if threshold is None else threshold
    sim = similarity_matrix(vectors)
    sim = (sim + sim.T) / 2.0
    top = max(float(sim.max()), threshold) + 1.0  # distances = top - logit stay positive
    distance = top - sim
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    return [int(label) - 1 for label in fcluster(tree, top - threshold, "distance")]


def flat(vector: Vector) -> dict[str, float]:
    """One unit vector of all families (family-weighted), for the story centroid index."""
    shared = family_weights()
    out = {t: shared[name] * v for name, terms in vector.items() for t, v in terms.items()}
    norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
    return {t: v / norm for t, v in out.items()}


def _centroid(vectors: Iterable[dict[str, float]]) -> dict[str, float]:
    total: Counter = Counter()
    count = 0
    for vector in vectors:
        total.update(vector)
        count += 1
    top = dict(sorted(((t, w / max(count, 1)) for t, w in total.items()), key=lambda kv: -kv[1])[:CENTROID_TERMS])
    norm = math.sqrt(sum(v * v for v in top.values())) or 1.0
    return {t: v / norm for t, v in top.items()}


def assign_stories(con: duckdb.DuckDBPyConnection) -> int:
    """Give every article without a story one; returns how many stories were created."""
    created = 0
    while True:
        ids = [row[0] for row in con.execute(
            "SELECT id FROM articles WHERE story IS NULL AND duplicate_of IS NULL ORDER BY seq LIMIT ?",
            [CHUNK]).fetchall()]
        if not ids:
            break
        con.execute("BEGIN TRANSACTION")
        try:
            created += _assign_chunk(con, ids)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    # Copies follow their original (an original without a story yet is handled above).
    con.execute("""UPDATE articles SET story = o.story FROM articles o
                   WHERE articles.duplicate_of = o.id AND o.story IS NOT NULL
                     AND articles.story IS DISTINCT FROM o.story""")
    leftover = con.execute("SELECT count(*) FROM articles WHERE story IS NULL").fetchone()[0]
    if leftover:  # a copy whose original is missing: it is its own story
        rows = con.execute("SELECT id FROM articles WHERE story IS NULL ORDER BY seq").fetchall()
        con.execute("BEGIN TRANSACTION")
        for (article_id,) in rows:
            story = _new_story_id(con)
            con.execute("UPDATE articles SET story = ? WHERE id = ?", [story, article_id])
            created += 1
        con.execute("COMMIT")
    return created


def _new_story_id(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT value FROM eventwire_meta WHERE key = 'next_story'").fetchone()
    number = int(row[0]) if row else 1
    con.execute("DELETE FROM eventwire_meta WHERE key = 'next_story'")
    con.execute("INSERT INTO eventwire_meta VALUES ('next_story', ?)", [str(number + 1)])
    return f"S{number}"


def _assign_chunk(con: duckdb.DuckDBPyConnection, ids: list[str]) -> int:
    features = article_features(con, ids)
    terms = sorted({t for f in features.values() for t in f})
    df = dict(con.execute("SELECT term, df FROM term_df WHERE term IN (SELECT unnest(?::VARCHAR[]))",
                          [terms]).fetchall())
    docs = con.execute("SELECT count(*) FROM articles WHERE story IS NOT NULL AND duplicate_of IS NULL"
                       ).fetchone()[0] + len(ids)
    for f in features.values():
        for term in f:
            df[term] = df.get(term, 0) + 1
    # the document frequencies now include this chunk
    con.execute("""INSERT INTO term_df SELECT term, count(*) FROM (SELECT unnest(?::VARCHAR[]) AS term)
                   GROUP BY term ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df""",
                [terms_in_docs(features)])
    order = [i for i in ids if i in features]
    vectors = [vectorise(features[i], df, docs) for i in order]
    labels = cluster(vectors)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    clusters = sorted(groups.values(), key=lambda m: m[0])
    flats = [flat(v) for v in vectors]
    centroids = [_centroid(flats[i] for i in members) for members in clusters]
    matches = _match_stories(con, [[vectors[i] for i in members] for members in clusters], centroids, docs)
    fresh = 0
    touched: list[str] = []
    for members, centroid, story in zip(clusters, centroids, matches):
        created_here = story is None
        if created_here:  # the clustering kept this cluster apart from the others of the chunk
            story = _new_story_id(con)
            fresh += 1
            merged = centroid
        else:
            old = dict(con.execute("SELECT term, weight FROM story_terms WHERE story = ?", [story]).fetchall())
            size = con.execute("SELECT count(*) FROM articles WHERE story = ?", [story]).fetchone()[0]
            merged = _centroid_weighted(old, size, centroid, len(members))
        member_ids = [order[i] for i in members]
        con.execute("UPDATE articles SET story = ? WHERE id IN (SELECT unnest(?::VARCHAR[]))", [story, member_ids])
        con.execute("DELETE FROM story_terms WHERE story = ?", [story])
        con.execute("INSERT INTO story_terms SELECT ?, unnest(?::VARCHAR[]), unnest(?::DOUBLE[])",
                    [story, list(merged), list(merged.values())])
        _refresh_story(con, story)
        if not created_here:
            touched.append(story)  # a grown story may now reach a neighbour; a new one was just compared
    _merge_close_stories(con, touched, docs)
    return fresh


def terms_in_docs(features: dict[str, Counter]) -> list[str]:
    """Each term once per document that holds it (for the df upsert)."""
    return [t for f in features.values() for t in f]


def _centroid_weighted(old: dict[str, float], old_n: int, new: dict[str, float], new_n: int) -> dict[str, float]:
    total: Counter = Counter()
    for t, w in old.items():
        total[t] += w * old_n
    for t, w in new.items():
        total[t] += w * new_n
    top = dict(total.most_common(CENTROID_TERMS))
    norm = math.sqrt(sum(v * v for v in top.values())) or 1.0
    return {t: v / norm for t, v in top.items()}


def _candidates(con: duckdb.DuckDBPyConnection, centroid: dict[str, float]) -> list[str]:
    """Stored stories whose centroids share the most weight with ``centroid`` (cheap, indexed)."""
    if not centroid:
        return []
    rows = con.execute(
        """SELECT s.story, sum(s.weight * q.weight) AS score
           FROM story_terms s JOIN (SELECT unnest(?::VARCHAR[]) AS term, unnest(?::DOUBLE[]) AS weight) q
             ON s.term = q.term
           GROUP BY s.story ORDER BY score DESC, s.story LIMIT ?""",
        [list(centroid), list(centroid.values()), CANDIDATES]).fetchall()
    return [story for story, _ in rows]


def _match_stories(con: duckdb.DuckDBPyConnection, clusters: list[list[Vector]],
                   centroids: list[dict[str, float]], docs: int) -> list[Optional[str]]:
    """For each new cluster, the stored story it joins (mean logit >= the merge cut), or None.

    Stories are those stored before this chunk: the clusters of one chunk
    were already kept apart by :func:`cluster`, with the same cut.
    """
    candidates = [_candidates(con, c) for c in centroids]
    members = _story_vectors(con, sorted({s for c in candidates for s in c}), docs)
    matches: list[Optional[str]] = []
    for vectors, options in zip(clusters, candidates):
        best, best_score = None, merge_cut()
        for story in options:
            others = members.get(story, [])
            if not others:
                continue
            score = float(similarity_matrix(vectors, others).mean())
            if score >= best_score:
                best, best_score = story, score
        matches.append(best)
    return matches


def _story_vectors(con: duckdb.DuckDBPyConnection, stories: list[str], docs: int) -> dict[str, list[Vector]]:
    """Vectors of the latest :data:`STORY_MEMBERS` originals of each story (a bounded sample)."""
    if not stories:
        return {}
    members: dict[str, list[str]] = {}
    for story, article_id in con.execute(
            """SELECT story, id FROM (
                   SELECT story, id, row_number() OVER (PARTITION BY story ORDER BY seq DESC) AS k
                   FROM articles WHERE story IN (SELECT unnest(?::VARCHAR[])) AND duplicate_of IS NULL)
               WHERE k <= ?""", [stories, STORY_MEMBERS]).fetchall():
        members.setdefault(story, []).append(article_id)
    features = article_features(con, [i for ids in members.values() for i in ids])
    df = dict(con.execute("SELECT term, df FROM term_df WHERE term IN (SELECT unnest(?::VARCHAR[]))",
                          [sorted({t for f in features.values() for t in f})]).fetchall())
    return {story: [vectorise(features[i], df, docs) for i in ids if i in features]
            for story, ids in members.items()}


def _merge_close_stories(con: duckdb.DuckDBPyConnection, touched: list[str], docs: int) -> None:
    """Bounded local re-check: a story this chunk touched absorbs, or is absorbed by, a close neighbour.

    Articles arriving one at a time can start a second story for an event
    before the evidence that links them comes in; once a later article ties
    them, the two stories' average link passes the cut and they become one
    (the later story's articles take the earlier story's id).  Only the
    :data:`CANDIDATES` neighbours of each touched story are examined.
    """
    gone: set[str] = set()
    for story in touched:
        if story in gone:
            continue
        centroid = dict(con.execute("SELECT term, weight FROM story_terms WHERE story = ?", [story]).fetchall())
        neighbours = [c for c in _candidates(con, centroid) if c != story and c not in gone]
        if not neighbours:
            continue
        vectors = _story_vectors(con, [story] + neighbours, docs)
        mine = vectors.get(story, [])
        best, best_score = None, merge_cut()
        for other in neighbours:
            theirs = vectors.get(other, [])
            if mine and theirs:
                score = float(similarity_matrix(mine, theirs).mean())
                if score >= best_score:
                    best, best_score = other, score
        if best is None:
            continue
        first = dict(con.execute("SELECT story, first_seq FROM stories WHERE story IN (?, ?)",
                                 [story, best]).fetchall())
        keep, drop = sorted((story, best), key=lambda s_: (first.get(s_, 0), s_))
        _absorb(con, keep, drop)
        gone.add(drop)


def _absorb(con: duckdb.DuckDBPyConnection, keep: str, drop: str) -> None:
    """Move every article of story ``drop`` (copies too) into ``keep`` and merge their centroids."""
    sizes = dict(con.execute("SELECT story, count(*) FROM articles WHERE story IN (?, ?) GROUP BY story",
                             [keep, drop]).fetchall())
    old = dict(con.execute("SELECT term, weight FROM story_terms WHERE story = ?", [keep]).fetchall())
    new = dict(con.execute("SELECT term, weight FROM story_terms WHERE story = ?", [drop]).fetchall())
    merged = _centroid_weighted(old, sizes.get(keep, 0), new, sizes.get(drop, 0))
    con.execute("UPDATE articles SET story = ? WHERE story = ?", [keep, drop])
    con.execute("DELETE FROM story_terms WHERE story IN (?, ?)", [keep, drop])
    con.execute("INSERT INTO story_terms SELECT ?, unnest(?::VARCHAR[]), unnest(?::DOUBLE[])",
                [keep, list(merged), list(merged.values())])
    con.execute("DELETE FROM stories WHERE story = ?", [drop])
    _refresh_story(con, keep)


def _refresh_story(con: duckdb.DuckDBPyConnection, story: str) -> None:
    con.execute("DELETE FROM stories WHERE story = ?", [story])
    con.execute("""INSERT INTO stories
                   SELECT story, min(seq), count(*), arg_min(coalesce(title, left(text, 80)), seq),
                          min(published), max(published)
                   FROM articles WHERE story = ? GROUP BY story""", [story])
