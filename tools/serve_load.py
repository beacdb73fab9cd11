"""Measure ``eventwire serve``: page render times, then a bounded concurrent load on 127.0.0.1.

Starts ``eventwire serve`` as a subprocess on a free loopback port, then

1. ``pages``: fetches every page (and the heavier API calls) ``--repeat`` times
   one after another and reports the median and worst time of each;
2. ``load``: ``--clients`` concurrent clients (asyncio + httpx) loop over a
   fixed request mix for ``--seconds`` seconds and the script reports requests,
   errors, throughput and p50/p95/p99 latency, overall and per kind, and the
   server's resident memory before and after;
3. ``analyze`` (with ``--analyze N``): N sequential ``POST /api/analyze`` of a
   large body, with latency and memory.

Only 127.0.0.1 is ever contacted, and every loop is bounded in time and count.

    python tools/serve_load.py --db /tmp/big.duckdb --clients 50 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

PAGES = ["/", "/?q=minister", "/events", "/events?quad=4", "/map", "/quotes", "/actors", "/stories",
         "/analyze", "/api"]
API = ["/api/articles", "/api/events", "/api/events?root=04&per_page=100", "/api/events?format=csv&quad=4",
       "/api/quotes?speaker=minister", "/api/actors", "/api/stories", "/api/search?q=talks+minister",
       "/api/events/timeline", "/api/events/network"]

#: The load mix: (kind, weight).  Article pages and API reads use ids from the database.
MIX = [("page:articles", 3), ("page:reader", 6), ("page:events", 3), ("page:map", 1), ("page:quotes", 1),
       ("api:articles", 3), ("api:article", 6), ("api:events", 5), ("api:events-filtered", 3),
       ("api:quotes", 2), ("api:search", 2), ("api:actors", 1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def start_server(db: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("eventwire")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "eventwire.cli"]
    proc = subprocess.Popen(command + ["serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start in 60 s")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def measure_pages(base: str, repeat: int, article_ids: list[str]) -> None:
    print(f"\n## Render times, sequential, {repeat} runs each (ms)\n")
    print("| path | bytes | median | max |\n|---|---:|---:|---:|")
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in PAGES[:2] + [f"/articles/{article_ids[0]}"] + PAGES[2:] + API:
            times, size = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                size = len(response.content)
                if response.status_code != 200:
                    print(f"| {path} | HTTP {response.status_code} | | |")
                    break
            else:
                print(f"| `{path}` | {size:,} | {statistics.median(times):.0f} | {max(times):.0f} |")


def request_for(kind: str, rng: random.Random, ids: list[str], actors: list[str]) -> str:
    if kind == "page:articles":
        return f"/?page={rng.randint(1, 150)}"
    if kind == "page:reader":
        return f"/articles/{rng.choice(ids)}"
    if kind == "page:events":
        return rng.choice(["/events", f"/events?actor={rng.choice(actors)}", "/events?quad=3&page=2"])
    if kind == "page:map":
        return "/map"
    if kind == "page:quotes":
        return rng.choice(["/quotes", "/quotes?speaker=minister"])
    if kind == "api:articles":
        return f"/api/articles?page={rng.randint(1, 150)}"
    if kind == "api:article":
        return f"/api/articles/{rng.choice(ids)}"
    if kind == "api:events":
        return f"/api/events?page={rng.randint(1, 200)}"
    if kind == "api:events-filtered":
        return f"/api/events?actor={rng.choice(actors)}&quad={rng.randint(1, 4)}"
    if kind == "api:quotes":
        return f"/api/quotes?q={rng.choice(['will', 'said', 'talks', 'security'])}"
    if kind == "api:search":
        return f"/api/search?q={rng.choice(['minister', 'border talks', 'police', 'ceasefire'])}"
    return "/api/actors"


async def load(base: str, clients: int, seconds: float, ids: list[str], actors: list[str], pid: int) -> None:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    kinds = [k for k, w in MIX for _ in range(w)]
    stop_at = time.monotonic() + seconds
    rss_before = rss_mb(pid)

    async def client_loop(number: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(number)
        while time.monotonic() < stop_at:
            kind = rng.choice(kinds)
            url = request_for(kind, rng, ids, actors)
            started = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies[kind].append((time.perf_counter() - started) * 1000)
            if not ok:
                errors[kind] += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(n, client) for n in range(clients)))
        elapsed = time.perf_counter() - started
    every = [v for values in latencies.values() for v in values]
    print(f"\n## Load: {clients} concurrent clients for {seconds:.0f} s on 127.0.0.1 (ms)\n")
    print(f"{len(every):,} requests in {elapsed:.1f} s = {len(every) / elapsed:.0f} req/s; "
          f"errors: {sum(errors.values())}; server RSS {rss_before:.0f} MB -> {rss_mb(pid):.0f} MB\n")
    print("| kind | requests | errors | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|---:|")
    for kind in sorted(latencies):
        values = latencies[kind]
        print(f"| {kind} | {len(values):,} | {errors[kind]} | {pct(values, 50):.0f} | {pct(values, 95):.0f} | "
              f"{pct(values, 99):.0f} |")
    print(f"| **all** | {len(every):,} | {sum(errors.values())} | {pct(every, 50):.0f} | {pct(every, 95):.0f} | "
          f"{pct(every, 99):.0f} |")


def analyze_phase(base: str, count: int, pid: int, size: int = 100_000) -> None:
    from eventwire.synthetic import generate_articles

    # Varied prose paragraphs: repeated lines, headlines and trailers would be dropped by the cleaner.
    body = ""
    for article in generate_articles(400, seed=71):
        prose = [p for p in article.text.split("\n\n")[1:]
                 if len(p.split()) >= 15 and p.rstrip().endswith((".", '"', "\u201d"))]
        body += "\n\n".join(prose) + "\n\n"
        if len(body) >= size:
            break
    body = body[:size]
    times, kept, events = [], 0, 0
    before = rss_mb(pid)
    with httpx.Client(base_url=base, timeout=300) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.post("/api/analyze", json={"text": body})
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"analyze: HTTP {response.status_code} {response.text[:200]}")
            else:
                kept, events = len(response.json()["text"]), len(response.json()["events"])
        too_big = client.post("/api/analyze", content=b"x" * 2_000_000, headers={"content-type": "text/plain"})
    print(f"\n## POST /api/analyze, {len(body):,}-character body ({kept:,} after cleaning, {events} events), "
          f"{count} sequential (the first loads the pipeline)\n")
    print(f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms; server RSS {before:.0f} MB -> "
          f"{rss_mb(pid):.0f} MB; 2 MB body -> HTTP {too_big.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--analyze", type=int, default=0, metavar="N", help="also N large POST /api/analyze")
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 300:
        parser.error("--clients 1..200 and --seconds 1..300 (the loop must stay bounded)")
    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        ids = [a["id"] for page in (1, 7, 40, 90) for a in
               httpx.get(f"{base}/api/articles", params={"page": page, "per_page": 50}).json()["items"]]
        actors = [a["actor"] for a in httpx.get(f"{base}/api/actors", params={"per_page": 30}).json()["items"]]
        stats = httpx.get(f"{base}/api/stats").json()
        print(f"database: {args.db} ({stats['articles']:,} articles, {stats['events']:,} events, "
              f"{stats['quotes']:,} quotes); server pid {server.pid}, cpus {os.cpu_count()}")
        if not args.skip_pages:
            measure_pages(base, args.repeat, ids)
        asyncio.run(load(base, args.clients, args.seconds, ids, actors, server.pid))
        if args.analyze:
            analyze_phase(base, args.analyze, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
