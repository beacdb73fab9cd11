"""``eventwire run``: shards to Parquet tables, resumption, and the Ray engine on a real cluster.

The local engine runs in this process (the session's spaCy pipeline).  The
Ray tests share one two-node cluster on 127.0.0.1 (``ray start --head`` plus
a second ``ray start`` node), started and stopped here by process group.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.cli import app
from eventwire.engine.output import MANIFEST, NO_DATE, OutputDir
from eventwire.engine.rows import ANALYSIS_TABLES, arrow_schema
from eventwire.engine.run import run

BIN = Path(sys.executable).parent
ARTICLES = [
    {"id": "kenya-tanzania", "published": "2019-01-08",
     "text": "Kenya and Tanzania agreed on Monday to reopen the Namanga border post after a "
             "week of talks in Arusha, officials from both governments said.\n\nTraders had "
             "complained that the closure cost them millions of shillings."},
    {"id": "santiago-march", "published": "2019-01-08",
     "text": "Thousands of students marched in Santiago on Tuesday to protest against a rise in "
             "university fees, and police used water cannon to clear the main avenue."},
    {"id": "blank", "text": "   "},
]
PARQUET_ARTICLES = [
    {"id": "brazil-argentina", "published": "2019-01-09",
     "text": "Brazil's foreign minister met his Argentine counterpart in Buenos Aires on "
             "Wednesday to discuss trade, and the two men promised to cut tariffs on steel."},
    {"id": "undated-talks", "published": None,
     "text": "Japan and South Korea held talks in Seoul about fishing rights, and the Japanese "
             "envoy said Tokyo would send a new proposal next month."},
]
PAGE = ("<html><head><title>Ghana recalls envoy from Togo</title></head><body><article>"
        "<h1>Ghana recalls envoy from Togo</h1><p>Ghana recalled its ambassador from Togo on "
        "Wednesday after a dispute over a shared electricity line, the foreign ministry in Accra "
        "said.</p><p>Officials in Lome said they regretted the decision.</p></article></body></html>")
PAGE_URL = "https://news.example.org/ghana-togo-envoy"
IDS = {"kenya-tanzania", "santiago-march", "brazil-argentina", "undated-talks"}  # + the WARC page


def write_corpus(root: Path, copies: int = 1) -> Path:
    """Three shards (JSON Lines, WARC.gz, Parquet); ``copies`` > 1 repeats them under new ids."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        tag = f"-{n}" if copies > 1 else ""
        with open(root / f"feed{tag}.jsonl", "w", encoding="utf-8") as handle:
            for article in ARTICLES:
                handle.write(json.dumps(dict(article, id=article["id"] + tag)) + "\n")
        with open(root / f"crawl{tag}.warc.gz", "wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                               ("Date", "Wed, 09 Jan 2019 12:00:00 GMT")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                PAGE_URL + tag, "response", payload=io.BytesIO(PAGE.encode()), http_headers=http,
                warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-00000000000{n}>"}))
        rows = [dict(a, id=a["id"] + tag) for a in PARQUET_ARTICLES]
        pq.write_table(pa.Table.from_pylist(rows), root / f"table{tag}.parquet")
    return root


def table(out: Path, name: str) -> list[dict]:
    files = sorted(str(p) for p in (out / name).rglob("*.parquet"))
    if not files:
        return []
    return pa.concat_tables([pq.read_table(f) for f in files]).to_pylist()


def fingerprint(out: Path) -> dict:
    """What two runs must agree on: article ids, rows per table, events per article."""
    articles = table(out, "articles")
    events = Counter(row["article_id"] for row in table(out, "events"))
    return {"ids": sorted(row["id"] for row in articles),
            "rows": {name: len(table(out, name)) for name in ANALYSIS_TABLES + ("errors",)},
            "events": dict(sorted(events.items()))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory, nlp):
    out = tmp_path_factory.mktemp("local") / "out"
    summary = run([str(corpus / "*")], str(out))
    return out, summary


def test_local_engine_writes_store_tables_by_day(local_run) -> None:
    out, summary = local_run
    assert summary.written == 3 and summary.articles == 5 and summary.errors == {"empty": 1}
    warc_ids = {row["id"] for row in table(out, "articles")} - IDS
    assert len(warc_ids) == 1 and {row["url"] for row in table(out, "articles")} >= {PAGE_URL}
    # Every table has exactly the DuckDB store's columns and types.
    for name in ANALYSIS_TABLES + ("errors",):
        for file in (out / name).rglob("*.parquet"):
            assert pq.read_schema(file).remove_metadata() == arrow_schema(name), file
    days = {p.name for p in (out / "articles").iterdir()}
    assert days == {"published=2019-01-08", "published=2019-01-09", f"published={NO_DATE}"}
    by_day = duckdb.sql(f"""SELECT CAST(published AS VARCHAR), count(*) FROM read_parquet(
        '{out}/events/*/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1""").fetchall()
    assert by_day and all(n > 0 for _, n in by_day)
    assert summary.events == len(table(out, "events")) > 0
    [error] = table(out, "errors")
    assert error["id"] == "blank" and error["code"] == "empty"


def test_rerun_skips_finished_shards(local_run, corpus) -> None:
    out, _ = local_run
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    summary = run([str(corpus / "*")], str(out))
    assert (summary.written, summary.skipped, summary.articles) == (0, 3, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == before


def test_lost_shard_is_redone_without_duplicates(local_run, corpus, tmp_path) -> None:
    reference, _ = local_run
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    entry = next((out / MANIFEST).glob("feed-*.json"))
    first = json.loads(entry.read_text())["files"][0]
    entry.unlink()
    (out / first).unlink()
    summary = run([str(corpus / "*")], str(out))
    assert (summary.written, summary.skipped) == (1, 2)
    assert fingerprint(out) == fingerprint(reference)


def test_crash_mid_shard_then_rerun_completes(local_run, corpus, tmp_path, monkeypatch) -> None:
    reference, _ = local_run
    out = tmp_path / "out"
    real = OutputDir._publish
    calls = []

    def crashing(self, write, relative):
        calls.append(relative)
        if len(calls) == 12:  # inside the second shard, after some of its days were renamed
            raise RuntimeError("simulated crash")
        return real(self, write, relative)

    monkeypatch.setattr(OutputDir, "_publish", crashing)
    with pytest.raises(RuntimeError):
        run([str(corpus / "*")], str(out))
    monkeypatch.setattr(OutputDir, "_publish", real)
    assert len(list((out / MANIFEST).glob("*.json"))) == 1
    summary = run([str(corpus / "*")], str(out))
    assert (summary.written, summary.skipped) == (2, 1)
    assert fingerprint(out) == fingerprint(reference)


def test_ingest_from_parquet_matches_direct_ingest(local_run, corpus, tmp_path) -> None:
    out, _ = local_run
    runner = CliRunner()
    loaded, direct = tmp_path / "loaded.duckdb", tmp_path / "direct.duckdb"
    result = runner.invoke(app, ["ingest", "--from-parquet", str(out), "--db", str(loaded)])
    assert result.exit_code == 1 and "1 empty" in result.output  # the blank article is an error
    again = runner.invoke(app, ["ingest", "--from-parquet", str(out), "--db", str(loaded)])
    assert "0 stored" in again.output
    same = tmp_path / "table.jsonl"  # ingest reads no Parquet: the same rows as JSON Lines
    same.write_text("".join(json.dumps(a) + "\n" for a in PARQUET_ARTICLES), encoding="utf-8")
    files = sorted(str(p) for p in corpus.iterdir() if p.suffix != ".parquet") + [str(same)]
    runner.invoke(app, ["ingest", *files, "--db", str(direct)])

    def counts(db: Path) -> dict:
        con = duckdb.connect(str(db), read_only=True)
        try:
            found = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                     for name in ANALYSIS_TABLES + ("errors", "event_records", "search_docs")}
            found["stories"] = con.execute("SELECT count(DISTINCT story) FROM articles").fetchone()[0]
            found["unassigned"] = con.execute(
                "SELECT count(*) FROM events WHERE record_id IS NULL").fetchone()[0]
            return found
        finally:
            con.close()

    assert counts(loaded) == counts(direct)
    assert counts(loaded)["articles"] == 5 and counts(loaded)["unassigned"] == 0


# ------------------------------------------------------------------ Ray


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _node_ports() -> list[str]:
    names = ("node-manager-port", "object-manager-port", "dashboard-agent-listen-port",
             "dashboard-agent-grpc-port", "metrics-export-port", "runtime-env-agent-port")
    return [f"--{name}={_free_port()}" for name in names]


def _group_pids(groups: set[int]) -> list[int]:
    """Processes of the cluster, read from /proc: the node process groups we started and
    their descendants (Ray workers run in sessions of their own under the raylet)."""
    parent, group = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(entry)], group[int(entry)] = int(fields[1]), int(fields[2])
    ours = {pid for pid, pgid in group.items() if pgid in groups}
    while True:
        more = {pid for pid, ppid in parent.items() if ppid in ours} - ours
        if not more:
            return sorted(ours)
        ours |= more


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.fixture(scope="module")
def cluster():
    """A head node and a second worker node on 127.0.0.1, one CPU each; yields the address."""
    import ray

    temp = tempfile.mkdtemp(prefix="ewray", dir="/tmp")  # short: Ray's socket paths are limited
    port = _free_port()
    address = f"127.0.0.1:{port}"
    # A throwaway cluster on 127.0.0.1 only: no token authentication (this process and the
    # `eventwire run` subprocesses inherit the setting through the environment).
    saved_mode = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    env.pop("RAY_ADDRESS", None)
    common = ["--num-cpus=1", "--object-store-memory=78643200", "--node-ip-address=127.0.0.1",
              "--disable-usage-stats", "--block"]
    log = open(Path(temp) / "cluster.log", "wb")
    procs = [subprocess.Popen([str(BIN / "ray"), "start", "--head", f"--port={port}",
                               "--include-dashboard=false", f"--temp-dir={temp}", *_node_ports(), *common],
                              env=env, stdout=log, stderr=log, start_new_session=True)]
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert procs[0].poll() is None and time.monotonic() < deadline, "head node did not start"
            time.sleep(0.2)
        procs.append(subprocess.Popen([str(BIN / "ray"), "start", f"--address={address}", *_node_ports(),
                                       *common], env=env, stdout=log, stderr=log, start_new_session=True))
        ray.init(address=address, logging_level="ERROR", log_to_driver=False)
        while len([n for n in ray.nodes() if n["Alive"]]) < 2:
            assert procs[1].poll() is None and time.monotonic() < deadline, "worker node did not join"
            time.sleep(0.2)
        yield {"address": address, "groups": {p.pid for p in procs}}
    finally:
        ray.shutdown()
        groups = {p.pid for p in procs}
        workers = [pid for pid in _group_pids(groups) if pid not in groups]
        for proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        stop = time.monotonic() + 5
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, stop - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for pid in set(_group_pids(groups)) | set(workers):  # anything of ours still running
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
        shutil.rmtree(temp, ignore_errors=True)
        if saved_mode is None:
            os.environ.pop("RAY_AUTH_MODE", None)
        else:
            os.environ["RAY_AUTH_MODE"] = saved_mode


def test_ray_cluster_gives_the_same_rows_as_local(cluster, local_run, corpus, tmp_path) -> None:
    reference, _ = local_run
    out = tmp_path / "ray"
    summary = run([str(corpus / "*")], str(out), engine="ray", address=cluster["address"], workers=2)
    assert (summary.written, summary.articles, dict(summary.errors)) == (3, 5, {"empty": 1})
    assert fingerprint(out) == fingerprint(reference)
    # Actors on both nodes did the work, each loading the model once (one pid per actor).
    pids = {json.loads(p.read_text()).get("pid") for p in (out / MANIFEST).glob("*.json")}
    assert 1 <= len(pids) <= 2


def _copied(reference: dict, copies: int) -> dict:
    """The fingerprint of ``write_corpus(copies=n)`` from that of one copy (ids get ``-n``)."""
    def renamed(article_id: str, n: int) -> str:
        return article_id + f"-{n}" if article_id in IDS else article_id[:-1] + str(n)  # WARC UUIDs

    return {"ids": sorted(renamed(i, n) for i in reference["ids"] for n in range(copies)),
            "rows": {name: count * copies for name, count in reference["rows"].items()},
            "events": dict(sorted((renamed(i, n), c) for i, c in reference["events"].items()
                                  for n in range(copies)))}


def test_killed_ray_worker_then_rerun_has_every_article_once(cluster, local_run, tmp_path) -> None:
    corpus = write_corpus(tmp_path / "corpus", copies=4)  # 12 shards, 20 articles, 4 errors
    out = tmp_path / "ray"
    command = [str(BIN / "eventwire"), "run", "--engine", "ray", "--address", cluster["address"],
               "--workers", "2", "--input", str(corpus / "*"), "--output", str(out), "--no-progress"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed = None
    deadline = time.monotonic() + 120
    while proc.poll() is None and killed is None and time.monotonic() < deadline:
        if list((out / MANIFEST).glob("*.json")):
            actors = [pid for pid in _group_pids(cluster["groups"]) if "ShardAnalyzer" in _cmdline(pid)]
            if actors:
                os.kill(actors[0], signal.SIGKILL)
                killed = actors[0]
        time.sleep(0.02)
    proc.communicate(timeout=180)
    assert killed is not None, "the run ended before a worker could be killed"
    # Ray restarts the actor and retries its shard; whatever that left, a rerun finishes the job.
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert rerun.returncode in (0, 1) and "already done" in rerun.stderr, rerun.stderr
    assert len(list((out / MANIFEST).glob("*.json"))) == 12
    got = fingerprint(out)
    assert len(got["ids"]) == len(set(got["ids"])) == 20
    assert got == _copied(fingerprint(local_run[0]), 4)


def test_cli_ray_engine_starts_a_private_instance(corpus, local_run, tmp_path) -> None:
    out = tmp_path / "private"
    env = dict(os.environ)
    env.pop("RAY_ADDRESS", None)
    result = subprocess.run([str(BIN / "eventwire"), "run", "--engine", "ray", "--workers", "1",
                             "--input", str(corpus / "*"), "--output", str(out), "--no-progress"],
                            capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 1, result.stderr  # the blank article
    assert "5 analysed, 1 errors: 1 empty" in result.stderr and "[ray]" in result.stderr
    assert fingerprint(out) == fingerprint(local_run[0])
