"""Stories: articles that report the same real-world event, clustered incrementally.

Each article becomes a sparse, typed feature vector built only from what the
store holds, whatever the extraction stages managed to fill:

* ``w:`` content words of the cleaned text (TF-IDF);
* ``e:`` named participants (entity names, with their mention counts);
* ``p:`` resolved places, ``t:`` resolved dates, ``v:`` coded events
  (root with source and target actors), ``n:`` numbers (scores, tolls, ages).

Participants, places, dates and numbers are what separate two events of the
same kind (two earthquakes share "magnitude" and "epicentre", not the town,
the toll and the day), so they weigh more than words; see :data:`WEIGHTS`.

Articles without a story are clustered among themselves by average-link
agglomerative clustering on cosine similarity (so one odd article cannot
chain two stories together), then each new cluster joins the existing story
whose stored centroid it matches best, or starts a new story.  Existing
stories are never merged or renumbered: story ids are stable as the corpus
grows.  Near-duplicate copies take their original's story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Optional

import duckdb
import numpy as np

#: Weight of each feature family in the article vector.
WEIGHTS = {"w": 1.0, "e": 2.0, "p": 2.0, "t": 2.0, "v": 1.0, "n": 1.0}
#: Average-link cut: clusters merge while their mean cosine similarity is at least this.
MERGE_SIMILARITY = 0.16
#: A new cluster joins an existing story when their centroids' cosine is at least this.
ATTACH_SIMILARITY = 0.3
#: Terms kept per story centroid (enough to match, small enough to index).
CENTROID_TERMS = 60
#: New articles clustered together at a time (bounds memory and the O(n^2) step).
CHUNK = 2000
#: Entity types that are not participants (their values are dates or amounts).
_NOT_PARTICIPANTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}

_TOKEN = re.compile(r"[^\W\d_][\w'\-]*|\d+(?:[.,]\d+)*", re.UNICODE)


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_STOP: Optional[frozenset[str]] = None


def word_terms(text: str) -> Counter:
    """Content words (crudely singularised) and numbers of a text."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    terms: Counter = Counter()
    for token in _TOKEN.findall(text):
        low = token.casefold()
        if low[0].isdigit():
            if len(low) > 1 or "." in low:
                terms["n:" + low] += 1
            continue
        if len(low) < 3 or low in _STOP:
            continue
        if low.endswith("s") and len(low) > 4 and not low.endswith("ss"):
            low = low[:-1]
        terms["w:" + low] += 1
    return terms


def article_features(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Counter]:
    """Typed term counts of the given articles, from every table that has rows for them."""
    features: dict[str, Counter] = {}
    for article_id, text in con.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall():
        features[article_id] = word_terms(text or "")
    queries = {
        "e": """SELECT article_id, lower(name), greatest(mentions, 1), type FROM entities
                WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND name IS NOT NULL""",
        "p": """SELECT article_id, coalesce(CAST(geonames_id AS VARCHAR), lower(name) || '/' || coalesce(country, '')),
                       1, NULL FROM places WHERE article_id IN (SELECT unnest(?::VARCHAR[]))""",
        "t": """SELECT article_id, value, 1, NULL FROM times
                WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND type = 'DATE' AND value IS NOT NULL
                  AND regexp_matches(value, '^\\d{4}(-\\d{2})?(-\\d{2})?$')""",
        "v": """SELECT article_id, root || ':' || coalesce(source_actor, '') || ':' || coalesce(target_actor, ''),
                       1, NULL FROM events
                WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND root IS NOT NULL""",
    }
    for family, sql in queries.items():
        for article_id, term, count, kind in con.execute(sql, [ids]).fetchall():
            if article_id not in features or not term or kind in _NOT_PARTICIPANTS:
                continue
            features[article_id][f"{family}:{term}"] += int(count)
    return features


def _vector(terms: Counter, df: dict[str, int], docs: int) -> dict[str, float]:
    """TF-IDF weights (log tf, smoothed idf, family weight), L2-normalised.

    A term seen in only one document so far still counts (it may be shared
    by the next article), but less than one shared by a few.
    """
    vector = {}
    for term, count in terms.items():
        idf = math.log((docs + 1) / (df.get(term, 0) + 1)) + 1.0
        vector[term] = (1.0 + math.log(count)) * idf * WEIGHTS.get(term[0], 1.0)
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _matrix(vectors: list[dict[str, float]]):
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, vector in enumerate(vectors):
        for term, weight in vector.items():
            rows.append(r)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(weight)
    return csr_matrix((vals, (rows, cols)), shape=(len(vectors), max(1, len(vocab)))), vocab


def cluster(vectors: list[dict[str, float]], threshold: float = MERGE_SIMILARITY) -> list[int]:
    """Average-link clusters of unit vectors; a label per vector."""
    if len(vectors) <= 1:
        return [0] * len(vectors)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    matrix, _ = _matrix(vectors)
    similarity = (matrix @ matrix.T).toarray()
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    return [int(label) - 1 for label in fcluster(tree, 1.0 - threshold, "distance")]


def _centroid(vectors: Iterable[dict[str, float]]) -> dict[str, float]:
    total: Counter = Counter()
    count = 0
    for vector in vectors:
        total.update(vector)
        count += 1
    top = dict(sorted(((t, w / max(count, 1)) for t, w in total.items()), key=lambda kv: -kv[1])[:CENTROID_TERMS])
    norm = math.sqrt(sum(v * v for v in top.values())) or 1.0
    return {t: v / norm for t, v in top.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


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
    vectors = [_vector(features[i], df, docs) for i in order]
    labels = cluster(vectors)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    fresh: list[str] = []  # stories started by this chunk: the clustering kept them apart
    for members in sorted(groups.values(), key=lambda m: m[0]):
        centroid = _centroid(vectors[i] for i in members)
        story = _best_story(con, centroid, fresh)
        if story is None:
            story = _new_story_id(con)
            fresh.append(story)
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
    return len(fresh)


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


def _best_story(con: duckdb.DuckDBPyConnection, centroid: dict[str, float],
                exclude: list[str]) -> Optional[str]:
    """The stored story most similar to ``centroid`` (not in ``exclude``), if similar enough."""
    if not centroid:
        return None
    rows = con.execute(
        """SELECT s.story, sum(s.weight * q.weight) AS score
           FROM story_terms s JOIN (SELECT unnest(?::VARCHAR[]) AS term, unnest(?::DOUBLE[]) AS weight) q
             ON s.term = q.term
           WHERE s.story NOT IN (SELECT unnest(?::VARCHAR[]))
           GROUP BY s.story ORDER BY score DESC, s.story LIMIT 1""",
        [list(centroid), list(centroid.values()), exclude]).fetchall()
    if rows and rows[0][1] >= ATTACH_SIMILARITY:
        return rows[0][0]
    return None


def _refresh_story(con: duckdb.DuckDBPyConnection, story: str) -> None:
    con.execute("DELETE FROM stories WHERE story = ?", [story])
    con.execute("""INSERT INTO stories
                   SELECT story, min(seq), count(*), arg_min(coalesce(title, left(text, 80)), seq),
                          min(published), max(published)
                   FROM articles WHERE story = ? GROUP BY story""", [story])
