"""``eventwire bench-corpus``: query latency and memory on synthetic stores, and ingest overhead.

(a) A store of N event rows is generated directly in DuckDB SQL (no analysis:
10 events per article, 2 mentions per event record, 5 % of articles
near-duplicate copies, ~250 actor codes, every CAMEO root).  A fresh
subprocess opens it read-only and times the corpus queries of
:mod:`eventwire.queries` (each ``runs`` times: p50 and p95 of the query
alone, connection already open) and reports its peak RSS.
(b) Ingest against bare analyze on the same synthetic articles, both in one
process with the model loaded: the storage overhead is the extra time ingest
takes over analysis alone.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

#: Event queries timed on every store: (label, keyword arguments of queries.events).
EVENT_QUERIES: list[tuple[str, dict]] = [
    ("events (no filter, newest 50)", {}),
    ("events --actor PRK --target USA", {"actor": "PRK", "target": "USA"}),
    ("events --root 04 --since 2019-06-01 --until 2019-06-30", {"root": "04", "since": "2019-06-01",
                                                                 "until": "2019-06-30"}),
    ("events --plover CONSULT --factuality asserted", {"plover": "CONSULT", "factuality": "asserted"}),
    ("events --code 042 --actor CHNGOV", {"code": "042", "actor": "CHNGOV"}),
]

_COUNTRIES = ["PRK", "KOR", "USA", "CHN", "JPN", "RUS", "GBR", "FRA", "DEU", "IND", "PAK", "IRN", "ISR",
              "EGY", "TUR", "UKR", "POL", "BRA", "ARG", "MEX", "NGA", "KEN", "ETH", "ZAF", "AUS"]
_ROLES = ["", "GOV", "MIL", "BUS", "OPP", "CVL", "MED", "JUD", "LEG", "COP"]
_CAMEO = ["010", "020", "030", "036", "040", "042", "043", "046", "051", "057", "061", "071", "080",
          "090", "100", "111", "112", "120", "130", "138", "141", "150", "163", "172", "173", "181",
          "190", "193", "200"]
_PLOVER = {"01": None, "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE",
           "07": "AID", "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT",
           "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE",
           "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT"}


def build_store(path: Path, events: int) -> float:
    """Fill a new store with ``events`` synthetic event rows; returns seconds taken."""
    from . import store

    started = time.perf_counter()
    actors = [c + r for c in _COUNTRIES for r in _ROLES]
    con = store.connect(path)
    try:
        con.execute("SET enable_progress_bar = false")
        articles = max(1, events // 10)
        con.execute("BEGIN")
        con.execute(
            """INSERT INTO articles (seq, id, text_hash, title, published, source, url, text, words, batch,
                                     ingested_at, duplicate_of, story)
               SELECT i, 'a' || i, md5(i::VARCHAR), 'Synthetic article ' || i,
                      DATE '2018-01-01' + CAST(i * 730 // ? AS INTEGER),
                      'outlet' || (hash(i) % 50), NULL, 'Synthetic text of article ' || i, 5, i // 32,
                      TIMESTAMP '2024-01-01' + to_seconds(i),
                      CASE WHEN hash(i * 7) % 20 = 0 AND i > 1 THEN 'a' || (i - 1) END,
                      'S' || (i // 6)
               FROM range(1, ? + 1) t(i)""", [articles, articles])
        con.execute(
            """INSERT INTO event_records
               SELECT r, NULL, NULL, NULL, NULL, DATE '2018-01-01' + CAST(r * 2 * 730 // ? AS INTEGER),
                      DATE '2018-01-01' + CAST(r * 2 * 730 // ? AS INTEGER) + CAST(hash(r) % 2 AS INTEGER)
               FROM range(0, ? // 2 + 1) t(r)""", [events, events, events])
        con.execute(
            """INSERT INTO events (article_id, event_no, source_entity, source_text, source_actor,
                                   target_entity, target_text, target_actor, cameo, root, quad_class,
                                   goldstein, plover, plover_mode, factuality, date, sentence_start,
                                   sentence_end, confidence, record_id)
               SELECT 'a' || (i // 10 + 1), i % 10, 'E1', 'someone', s, 'E2', 'someone else', t,
                      c, c[1:2], 1, 1.0, json_extract_string(?::JSON, c[1:2]), NULL,
                      ['asserted', 'asserted', 'asserted', 'negated', 'future', 'hypothetical'][CAST(hash(i * 3) % 6 AS BIGINT) + 1],
                      NULL, 0, 10, 0.8, i // 2
               FROM (SELECT i, (?::VARCHAR[])[CAST(hash(i) % ? AS BIGINT) + 1] AS s, (?::VARCHAR[])[CAST(hash(i * 5) % ? AS BIGINT) + 1] AS t,
                            (?::VARCHAR[])[CAST(hash(i * 11) % ? AS BIGINT) + 1] AS c
                     FROM range(0, ?) r(i))""",
            [json.dumps(_PLOVER), actors, len(actors), actors, len(actors), _CAMEO, len(_CAMEO), events])
        con.execute("""UPDATE event_records SET source_actor = e.source_actor, target_actor = e.target_actor,
                              root = e.root, cameo = e.cameo
                       FROM (SELECT record_id, first(source_actor) AS source_actor, first(target_actor) AS target_actor,
                                    first(root) AS root, first(cameo) AS cameo FROM events GROUP BY record_id) e
                       WHERE event_records.record_id = e.record_id""")
        con.execute("""INSERT INTO entities (article_id, entity_id, name, type, actor, country, mentions)
                       SELECT 'a' || i, 'E1', 'Actor ' || a, 'ORG', a, a[1:3], 1
                       FROM (SELECT unnest(?::VARCHAR[]) AS a, unnest(range(1, ? + 1)) AS i)""",
                    [actors, len(actors)])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return time.perf_counter() - started


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def _peak_rss_mb() -> float:
    """This process's peak RSS since exec (VmHWM; ru_maxrss would include the forking parent's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_queries(path: Path, runs: int) -> dict:
    """Time every query ``runs`` times on an open read-only connection (runs in a child process)."""
    from . import queries, store

    started = time.perf_counter()
    con = store.open_readonly(path)
    open_ms = (time.perf_counter() - started) * 1000
    results = {}
    jobs: list[tuple[str, Callable[[], object]]] = [
        (label, (lambda kw=kw: queries.events(con, **kw))) for label, kw in EVENT_QUERIES]
    jobs.append(("actors (top 20, source/target counts)", lambda: queries.actors(con, 20)))
    jobs.append(("stories (top 20)", lambda: queries.stories(con, 20)))
    for label, job in jobs:
        job()  # warm: first touch of the columns
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            job()
            samples.append((time.perf_counter() - t0) * 1000)
        p50, p95 = _percentiles(samples)
        results[label] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    rss = _peak_rss_mb()
    return {"events": events, "open_ms": round(open_ms, 1), "queries": results, "peak_rss_mb": round(rss, 1)}


def _child(path: Path, runs: int) -> dict:
    proc = subprocess.run([sys.executable, "-m", "eventwire.bench_corpus", str(path), str(runs)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"query benchmark failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ingest_overhead(count: int, echo: Callable[[str], None]) -> dict:
    """Seconds of bare analyze and of ingest on the same ``count`` synthetic articles."""
    from .analyze import warm_up
    from .ingest import ingest
    from .parallel import run_batches
    from .synthetic import generate_articles

    warm_up()
    articles = list(generate_articles(count))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        with open(corpus, "w", encoding="utf-8") as out:
            for a in articles:
                out.write(json.dumps({"id": a.id, "text": a.text, "title": a.title, "published": a.published}) + "\n")
        from .readers import read_paths

        echo(f"analyze: {count} articles")
        t0 = time.perf_counter()
        for _ in run_batches(read_paths([str(corpus)])):
            pass
        analyze_s = time.perf_counter() - t0
        echo(f"ingest: {count} articles")
        t0 = time.perf_counter()
        summary = ingest([str(corpus)], Path(tmp) / "c.duckdb")
        ingest_s = time.perf_counter() - t0
    return {"articles": count, "stored": summary.stored, "analyze_s": round(analyze_s, 2),
            "ingest_s": round(ingest_s, 2), "overhead_pct": round(100 * (ingest_s - analyze_s) / analyze_s, 1)}


def run(sizes: list[int], runs: int, ingest_articles: int = 0, workdir: Optional[Path] = None,
        echo: Callable[[str], None] = print) -> str:
    """Build each store, time it in a child process; return a Markdown report."""
    lines = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        measured = []
        for size in sizes:
            path = Path(tmp) / f"bench-{size}.duckdb"
            echo(f"building a store of {size} event rows")
            build_s = build_store(path, size)
            echo(f"  built in {build_s:.1f} s ({path.stat().st_size / 1e6:.0f} MB); timing {runs} runs per query")
            result = _child(path, runs)
            result["build_s"] = round(build_s, 1)
            result["file_mb"] = round(path.stat().st_size / 1e6, 1)
            measured.append(result)
            path.unlink()
    labels = list(measured[0]["queries"]) if measured else []
    header = "| query | " + " | ".join(f"{m['events']:,} events p50 / p95 (ms)" for m in measured) + " |"
    lines += [header, "|---|" + "---|" * len(measured)]
    for label in labels:
        cells = [f"{m['queries'][label]['p50_ms']} / {m['queries'][label]['p95_ms']}" for m in measured]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| open_readonly (ms, once) | " + " | ".join(str(m["open_ms"]) for m in measured) + " |")
    lines.append("| peak RSS of the query process (MB) | " + " | ".join(str(m["peak_rss_mb"]) for m in measured) + " |")
    lines.append("| store file (MB) / build (s) | " + " | ".join(f"{m['file_mb']} / {m['build_s']}" for m in measured) + " |")
    if ingest_articles:
        result = ingest_overhead(ingest_articles, echo)
        lines += ["", "| articles | analyze (s) | ingest (s) | storage overhead |", "|---|---|---|---|",
                  f"| {result['articles']} | {result['analyze_s']} | {result['ingest_s']} | "
                  f"{result['overhead_pct']} % |"]
    return "\n".join(lines)


if __name__ == "__main__":  # the timed child: python -m eventwire.bench_corpus DB RUNS
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(json.dumps(time_queries(Path(sys.argv[1]), int(sys.argv[2]))))
