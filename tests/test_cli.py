"""The command line, run as users run it: in a subprocess.

Each analysing run loads the model (a few seconds), so the scenarios are
few and each run's output is checked by several tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"
ENTRY_POINT = Path(sys.executable).parent / "eventwire"

FIRST = ("Leaders of Ghana and Togo met in Accra on Monday and agreed to patrol their border "
         "together, officials said.\n")
LAST = ("Nigeria recalled its ambassador from Niger on Friday after a dispute over a pipeline, "
        "the foreign ministry in Abuja said.\n")
FEED = [
    {"id": "feed-a", "text": "Senegal and Mali signed a trade deal in Dakar on Tuesday."},
    {"id": "feed-empty", "text": "   "},
    {"id": "feed-c", "text": "Benin protested to Burkina Faso over an attack near the border.",
     "published": "2024-01-05"},
]
EXPECTED_IDS = ["01-first", "feed-a", "feed-empty", "feed-c", "03-last"]


def eventwire(*args: str, stdin: str | None = None, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run ``python -m eventwire.cli ARGS`` and capture its output."""
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    (root / "01-first.txt").write_text(FIRST, encoding="utf-8")
    (root / "02-feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in FEED), encoding="utf-8")
    (root / "03-last.txt").write_text(LAST, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("w1") / "out.jsonl"
    result = eventwire("analyze", str(corpus), "-o", str(out), "--published", "2024-03-14",
                       "--workers", "1")
    return result, out


@pytest.fixture(scope="module")
def two_workers(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("w2") / "out.jsonl"
    result = eventwire("analyze", str(corpus), "--output", str(out), "--published", "2024-03-14",
                       "--workers", "2", "--batch-size", "1")
    return result, out


def test_directory_gives_one_line_per_article_in_input_order(one_worker):
    result, out = one_worker
    records = read_lines(out)
    assert [r["id"] for r in records] == EXPECTED_IDS
    assert result.stdout == ""  # everything went to the -o file


def test_error_article_exits_1_and_the_others_are_still_written(one_worker):
    result, out = one_worker
    assert result.returncode == 1, result.stderr
    records = {r["id"]: r for r in read_lines(out)}
    assert records["feed-empty"] == {"id": "feed-empty", "error": {
        "code": "empty", "message": records["feed-empty"]["error"]["message"]}}
    analysed = [r for r in records.values() if "error" not in r]
    assert len(analysed) == 4 and all(r["text"] for r in analysed)
    assert "1 empty" in result.stderr  # the closing summary names the error


def test_published_option_fills_only_articles_without_a_date(one_worker):
    records = {r["id"]: r for r in read_lines(one_worker[1])}
    assert records["01-first"]["published"] == "2024-03-14"
    assert records["feed-c"]["published"] == "2024-01-05"


def test_two_workers_write_exactly_what_one_worker_writes(one_worker, two_workers):
    result, out = two_workers
    assert result.returncode == 1, result.stderr
    assert out.read_bytes() == one_worker[1].read_bytes()


def test_show_prints_a_readable_summary(one_worker):
    # The installed entry point, as a user would type it.
    result = subprocess.run([str(ENTRY_POINT), "show", str(one_worker[1])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "[01-first]" in result.stdout and "published 2024-03-14" in result.stdout
    assert "[feed-empty] ERROR empty" in result.stdout
    assert "5 articles, 4 analysed, errors: 1 empty" in result.stdout


def test_show_on_a_file_that_is_not_output_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": ""}\n{broken\n', encoding="utf-8")
    result = subprocess.run([str(ENTRY_POINT), "show", str(bad)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "is not 'eventwire analyze' output" in result.stderr
    assert "Traceback" not in result.stderr


def test_stdin_article_goes_to_stdout_and_exits_0():
    result = eventwire("analyze", "--published", "2024-03-14", stdin=FIRST)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert record["id"] == "stdin" and record["published"] == "2024-03-14"
    assert record["text"] == FIRST.strip()
    assert result.stderr == ""  # silent when piped: no progress bar, no summary


def test_example_articles_all_analyse(tmp_path):
    out = tmp_path / "demo.jsonl"
    result = eventwire("analyze", str(EXAMPLES), "-o", str(out), "--published", "2024-03-14")
    assert result.returncode == 0, result.stderr
    records = read_lines(out)
    assert len(records) == len(list(EXAMPLES.glob("*.txt"))) + 1 + 3  # .html + 3 JSONL lines
    assert all("error" not in r and r["entities"] for r in records)


@pytest.mark.parametrize("args, message", [
    (["analyze", "--published", "2024-02-30", "-"], "--published"),
    (["analyze", "--published", "March 14", "-"], "YYYY-MM-DD"),
    (["analyze", "no/such/file.txt"], "no such file or directory"),
    (["analyze", "--workers", "0", "-"], "--workers"),
    (["analyze", "--no-such-option"], "No such option"),
    (["analyze", "-o", "/nonexistent-dir/sub/out.jsonl", "-"], "cannot write"),
])
def test_usage_errors_exit_2(args, message):
    result = eventwire(*args, stdin="")
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_help_explains_every_option():
    result = eventwire("analyze", "--help")
    assert result.returncode == 0
    for option in ("-o, --output", "--published", "--workers", "--batch-size",
                   "--progress / --no-progress", "PATH", "Examples:", "eventwire analyze",
                   "Exit status"):
        assert option in result.stdout, option
    top = eventwire("--help")
    assert top.returncode == 0
    for command in ("analyze", "show", "bench", "version"):
        assert command in top.stdout
