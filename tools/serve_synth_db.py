"""Build a large corpus database quickly, to measure ``eventwire serve`` on it.

Analysing 10,000 articles takes ~10 minutes of both cores, so this ingests a
few hundred synthetic articles (eventwire.synthetic) for real, then copies
their rows (articles and every child table) with new ids, shifted dates and
story ids until the corpus has ``--articles`` articles.  The copies are real
analyses, so pages do the same work as on a real corpus of that size; only
the variety of actors and texts is smaller.

    python tools/serve_synth_db.py --db /tmp/big.duckdb --articles 10000 --seed-articles 200
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from eventwire import store
from eventwire.ingest import ingest
from eventwire.synthetic import generate_articles

#: Child tables copied per replica: their article id column.
CHILDREN = {"entities": "article_id", "mentions": "article_id", "quotes": "article_id",
            "events": "article_id", "times": "article_id", "places": "article_id"}


def seed(db: Path, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seed.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            for article in generate_articles(count, seed=29):
                out.write(json.dumps({"id": article.id, "text": article.text, "published": article.published,
                                      "source": article.source}) + "\n")
        summary = ingest([str(path)], db, batch_size=32)
        print(summary.line())


def replicate(db: Path, target: int) -> None:
    con = store.connect(db)
    base = con.execute("SELECT count(*), max(seq) FROM articles").fetchone()
    n, max_seq = base
    max_record = con.execute("SELECT coalesce(max(record_id), 0) FROM event_records").fetchone()[0]
    copies = max(0, -(-target // n) - 1)
    columns = {t: list(store.TABLES[t]) for t in ["articles", *CHILDREN, "event_records", "stories"]}
    con.execute("BEGIN")
    for k in range(1, copies + 1):
        left = target - n * k
        if left <= 0:
            break
        suffix, shift = f"-r{k}", (k * 37) % 700
        limit = min(n, left)
        article_cols = ", ".join({
            "seq": f"seq + {k * max_seq}", "id": f"id || '{suffix}'", "text_hash": f"text_hash || '{suffix}'",
            "published": f"published + {shift}",
            "duplicate_of": f"CASE WHEN duplicate_of IS NULL THEN NULL ELSE duplicate_of || '{suffix}' END",
            "story": f"story || '{suffix}'",
        }.get(c, f'"{c}"') for c in columns["articles"])
        con.execute(f"CREATE OR REPLACE TEMP TABLE chosen AS SELECT id FROM articles "
                    f"WHERE NOT contains(id, '-r') ORDER BY seq LIMIT {limit}")
        con.execute(f"INSERT INTO articles SELECT {article_cols} FROM articles WHERE id IN (SELECT id FROM chosen)")
        for table, key in CHILDREN.items():
            cols = ", ".join({
                key: f"{key} || '{suffix}'",
                "date": f"coalesce(strftime(try_cast(date AS DATE) + {shift}, '%Y-%m-%d'), date)",
                "record_id": f"record_id + {k * max_record}",
            }.get(c, f'"{c}"') for c in columns[table])
            con.execute(f"INSERT INTO {table} SELECT {cols} FROM {table} WHERE {key} IN (SELECT id FROM chosen)")
        rec_cols = ", ".join({"record_id": f"record_id + {k * max_record}", "first_date": f"first_date + {shift}",
                              "last_date": f"last_date + {shift}"}.get(c, f'"{c}"') for c in columns["event_records"])
        con.execute(f"INSERT INTO event_records SELECT {rec_cols} FROM event_records WHERE record_id <= {max_record}")
        story_cols = ", ".join({"story": f"story || '{suffix}'", "first_seq": f"first_seq + {k * max_seq}",
                                "first_date": f"first_date + {shift}", "last_date": f"last_date + {shift}"}
                               .get(c, f'"{c}"') for c in columns["stories"])
        con.execute(f"INSERT INTO stories SELECT {story_cols} FROM stories WHERE NOT contains(story, '-r')")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    totals = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
                         "(SELECT count(*) FROM quotes), (SELECT count(*) FROM mentions)").fetchone()
    con.close()
    print(f"articles {totals[0]:,}, events {totals[1]:,}, quotes {totals[2]:,}, mentions {totals[3]:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed-articles", type=int, default=200)
    args = parser.parse_args()
    if args.db.exists():
        parser.error(f"{args.db} exists; choose a new file")
    started = time.perf_counter()
    seed(args.db, args.seed_articles)
    replicate(args.db, args.articles)
    print(f"{args.db}: {args.db.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
