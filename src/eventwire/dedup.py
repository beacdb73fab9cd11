"""Near-duplicate articles: MinHash LSH over word shingles of the cleaned text.

The same wire story republished by many sites differs in headlines, bylines
and trailers but shares most of its word 5-grams.  Each article gets a
datasketch MinHash; its LSH band keys (the banding datasketch's ``MinHashLSH``
would choose for the threshold) are stored in the ``minhash_bands`` table, so
candidate lookup is an indexed SQL join and memory stays flat however large
the corpus grows.  A candidate counts as a copy when the estimated Jaccard
similarity of the two signatures reaches :data:`THRESHOLD`.

``duplicate_of`` always names the group's earliest copy: the lowest
(published date, ingest order), with undated articles after dated ones.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Optional, Sequence

import duckdb
import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 5

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> list[bytes]:
    """Lower-cased word ``size``-grams (the words themselves for very short texts)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return [" ".join(words).encode("utf-8", "surrogatepass")] if words else []
    return [" ".join(words[i:i + size]).encode("utf-8", "surrogatepass")
            for i in range(len(words) - size + 1)]


@lru_cache(maxsize=1)
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1)


@lru_cache(maxsize=1)
def bands() -> tuple[int, int]:
    """(bands, rows) minimising false positives + negatives at THRESHOLD (as MinHashLSH)."""
    return _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)


def signature(text: str) -> np.ndarray:
    """The MinHash values (uint32) of a text's shingles."""
    template = _template()
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=template.permutations,
                      scheme=template.scheme)
    grams = shingles(text)
    if grams:
        minhash.update_batch(grams)
    return minhash.hashvalues.astype(np.uint32)


def band_keys(values: np.ndarray) -> list[int]:
    """One 64-bit key per LSH band: a hash of that band's rows."""
    count, rows = bands()
    keys = []
    for band in range(count):
        chunk = values[band * rows:(band + 1) * rows].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little"))
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def _order(published: Optional[object], seq: int) -> tuple:
    return (published is None, str(published) if published is not None else "", seq)


def mark_duplicates(con: duckdb.DuckDBPyConnection, articles: Sequence[tuple[int, str, Optional[str], str]]) -> int:
    """Store signatures of new ``(seq, id, published, text)`` articles and set ``duplicate_of``.

    Runs inside the caller's transaction.  Returns how many of the new
    articles are copies of another.
    """
    found = 0
    for seq, article_id, published, text in articles:
        values = signature(text)
        keys = band_keys(values)
        empty = not shingles(text)
        con.execute("INSERT INTO minhash VALUES (?, ?)", [seq, values.tobytes()])
        if not empty:
            con.execute("INSERT INTO minhash_bands SELECT unnest(range(?)) :: SMALLINT, unnest(?::UBIGINT[]), ?",
                        [len(keys), keys, seq])
        if empty:
            continue
        candidates = con.execute(
            """SELECT DISTINCT m.seq, m.signature FROM minhash_bands b
               JOIN (SELECT unnest(range(?)) AS band, unnest(?::UBIGINT[]) AS key) q
                 ON b.band = q.band AND b.key = q.key
               JOIN minhash m ON m.seq = b.seq
               WHERE b.seq <> ?""", [len(keys), keys, seq]).fetchall()
        matched = [cand for cand, blob in candidates
                   if jaccard(values, np.frombuffer(blob, dtype=np.uint32)) >= THRESHOLD]
        if not matched:
            continue
        found += 1
        roots = con.execute(
            f"""SELECT DISTINCT coalesce(duplicate_of, id) FROM articles
                WHERE seq IN ({','.join('?' * len(matched))})""", matched).fetchall()
        root_ids = [r[0] for r in roots] + [article_id]
        members = con.execute(
            f"""SELECT id, published, seq FROM articles
                WHERE id IN ({','.join('?' * len(root_ids))})
                   OR duplicate_of IN ({','.join('?' * len(root_ids))})""",
            root_ids + root_ids).fetchall()
        earliest = min(members, key=lambda row: _order(row[1], row[2]))[0]
        ids = [row[0] for row in members]
        con.execute(f"""UPDATE articles SET duplicate_of = CASE WHEN id = ? THEN NULL ELSE ? END
                        WHERE id IN ({','.join('?' * len(ids))})""", [earliest, earliest] + ids)
    return found
