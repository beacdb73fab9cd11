"""Corpus query commands: ``eventwire events``, ``actors``, ``stories``, ``search``, ``bench-corpus``.

Each prints a table on a terminal, or with ``--json`` JSON Lines: one JSON
object per row, nothing else on standard output (messages go to standard
error).  A bad filter value or an unusable ``--db`` exits 2 with a one-line
message.  The query logic lives in :mod:`eventwire.queries` and
:mod:`eventwire.search`; this module only parses options and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import typer

DB_HELP = "The corpus database written by 'eventwire ingest'."
JSON_HELP = "Print JSON Lines (one object per row) instead of a table."
LOCK_TIMEOUT = 10.0


def _fail(message: str) -> None:
    typer.echo(f"eventwire: {message}", err=True)
    raise typer.Exit(2)


def run_query(db: Path, query: Callable[[Any], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Open ``db`` read-only (waiting for an ingest batch to finish), run ``query``, close."""
    import duckdb

    from .queries import QueryError
    from .store import StoreError, open_readonly

    try:
        con = open_readonly(db, LOCK_TIMEOUT)
    except StoreError as exc:
        _fail(str(exc))
    try:
        return query(con)
    except QueryError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc))
    except duckdb.CatalogException as exc:
        _fail(f"{db} lacks a table this command needs ({str(exc).splitlines()[0]}); "
              "run 'eventwire ingest' on it once to upgrade it")
    except duckdb.Error as exc:
        _fail(f"{db}: the query failed ({str(exc).splitlines()[0]}); the file may be damaged")
    finally:
        con.close()
    return []  # not reached


def emit(rows: list[dict[str, Any]], columns: Sequence[tuple[str, str]], as_json: bool, title: str,
         empty: str = "nothing matched") -> None:
    """Rows as JSON Lines, or as a rich table of ``columns`` (key, header)."""
    if as_json:
        out = sys.stdout
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        out.flush()
        return
    if not rows:
        typer.echo(empty, err=True)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for key, header in columns:
        numeric = isinstance(rows[0].get(key), (int, float)) and not isinstance(rows[0].get(key), bool)
        table.add_column(header, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*[escape(_cell(row.get(key))) for key, _ in columns])
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _short(text: Optional[str], size: int) -> Optional[str]:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def quotes_from_db(db: Path, speaker: Optional[str], limit: int, as_json: bool) -> None:
    """``eventwire quotes --db F``: quotes stored in a corpus (cli.py delegates here)."""
    from . import queries

    rows = run_query(db, lambda con: queries.quotes(con, speaker, limit))
    if not as_json:
        for row in rows:
            row["text"] = _short(row["text"], 200)
    emit(rows, [("published", "date"), ("speaker", "speaker"), ("text", "quote"), ("cue", "cue"),
                ("article_id", "article")], as_json, f"Quotes{' by ' + speaker if speaker else ''}")


def register(app: typer.Typer) -> None:
    """Add the corpus query commands to ``app``."""

    @app.command(epilog=(
        "Examples:\n\n"
        "  eventwire events --db corpus.duckdb --actor PRK --target USA --root 04 --since 2019-01-01\n\n"
        "  eventwire events --db corpus.duckdb --plover CONSULT --factuality asserted --json\n\n"
        "--json prints JSON Lines, one event record per line."))
    def events(
        db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False, help=DB_HELP),
        actor: Optional[str] = typer.Option(None, "--actor", help="Source actor code prefix (PRK, USAGOV)."),
        target: Optional[str] = typer.Option(None, "--target", help="Target actor code prefix."),
        root: Optional[str] = typer.Option(None, "--root", help="CAMEO root code, 01-20."),
        code: Optional[str] = typer.Option(None, "--code", help="CAMEO event code (and its sub-codes)."),
        plover: Optional[str] = typer.Option(None, "--plover", help="PLOVER event type (CONSULT, ...)."),
        since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD"),
        until: Optional[str] = typer.Option(None, "--until", metavar="YYYY-MM-DD"),
        factuality: Optional[str] = typer.Option(
            None, "--factuality", help="asserted, negated, future or hypothetical."),
        limit: int = typer.Option(50, "--limit", "-n", help="Rows to show."),
        as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    ) -> None:
        """List merged event records (who did what to whom), newest first.

        One row per real-world action: mentions in several articles are merged
        (num_mentions, num_sources, num_articles); near-duplicate copies are
        not counted.  Actor and code filters match prefixes.
        """
        from . import queries

        rows = run_query(db, lambda con: queries.events(
            con, actor=actor, target=target, root=root, code=code, plover=plover, since=since,
            until=until, factuality=factuality, limit=limit))
        if not as_json:
            for row in rows:
                row["who"] = f"{row['source_actor'] or '-'} → {row['target_actor'] or '-'}"
                row["what"] = " ".join(x for x in (row["cameo"], row["plover"]) if x)
                row["sentence"] = _short(row.get("sentence"), 140)
        emit(rows, [("first_date", "date"), ("who", "source → target"), ("what", "cameo/plover"),
                    ("factuality", "factuality"), ("num_mentions", "mentions"), ("num_sources", "sources"),
                    ("sentence", "example")], as_json, "Event records")

    @app.command(epilog="Example: eventwire actors --db corpus.duckdb --limit 15")
    def actors(
        db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False, help=DB_HELP),
        limit: int = typer.Option(20, "--limit", "-n", help="Actors to show."),
        role: str = typer.Option("any", "--role", help="Order by any, source or target counts."),
        as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    ) -> None:
        """The most active actors: event mentions as source and as target (copies not counted)."""
        from . import queries

        rows = run_query(db, lambda con: queries.actors(con, limit, role))
        emit(rows, [("actor", "actor"), ("name", "name"), ("as_source", "as source"),
                    ("as_target", "as target"), ("total", "total")],
             as_json, "Most active actors")

    @app.command(epilog="Example: eventwire stories --db corpus.duckdb --since 2019-01-01")
    def stories(
        db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False, help=DB_HELP),
        limit: int = typer.Option(20, "--limit", "-n", help="Stories to show."),
        since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD"),
        until: Optional[str] = typer.Option(None, "--until", metavar="YYYY-MM-DD"),
        as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    ) -> None:
        """Stories (articles reporting the same real-world event), largest first."""
        from . import queries

        rows = run_query(db, lambda con: queries.stories(con, limit, since, until))
        if not as_json:
            for row in rows:
                row["title"] = _short(row["title"], 70)
        emit(rows, [("story", "story"), ("articles", "articles"), ("copies", "copies"),
                    ("first_date", "first"), ("last_date", "last"), ("event_records", "events"),
                    ("top_actors", "top actors"), ("top_events", "top events"), ("title", "title")],
             as_json, "Stories")

    @app.command(epilog=(
        "Examples:\n\n"
        "  eventwire search Kaesong --db corpus.duckdb\n\n"
        "  eventwire search '\"joint statement\" Pyongyang' --db corpus.duckdb --in quotes --json\n\n"
        "Every word must occur; a \"quoted phrase\" must occur as written. Ranked by BM25."))
    def search(
        query: str = typer.Argument(..., help="Words to find (case and accents ignored)."),
        db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False, help=DB_HELP),
        scope: str = typer.Option("all", "--in", help="Search all, articles or quotes."),
        limit: int = typer.Option(20, "--limit", "-n", help="Results to show."),
        as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    ) -> None:
        """Full-text search over articles and quotes, with snippets."""
        from . import search as fts

        if limit < 1:
            _fail("--limit must be at least 1")
        rows = run_query(db, lambda con: fts.search(con, query, limit, scope))
        if not as_json:
            for row in rows:
                row["where"] = row["article_id"] + (f" q{row['quote_no']}" if row["kind"] == "quote" else "")
        emit(rows, [("score", "score"), ("where", "article"), ("published", "date"), ("speaker", "speaker"),
                    ("snippet", "snippet")], as_json, f"Search: {query}")

    @app.command("bench-corpus", epilog=(
        "Example: eventwire bench-corpus --events 100000,1000000 --runs 50\n\n"
        "Builds synthetic stores in a temporary directory; prints a Markdown table."))
    def bench_corpus(
        events: str = typer.Option("100000,1000000", "--events", help="Event-row counts, comma-separated."),
        runs: int = typer.Option(50, "--runs", min=1, help="Timed runs of each query."),
        ingest_articles: int = typer.Option(
            0, "--ingest", help="Also compare ingest with bare analyze on this many synthetic articles."),
        workdir: Optional[Path] = typer.Option(None, "--dir", file_okay=False,
                                               help="Where to build the stores (default: a temp dir)."),
    ) -> None:
        """Measure corpus queries (p50/p95) and peak RSS on synthetic stores; optionally ingest overhead."""
        from .bench_corpus import run

        try:
            sizes = [int(n) for n in events.split(",") if n.strip()]
        except ValueError:
            _fail("--events takes comma-separated whole numbers")
        typer.echo(run(sizes, runs, ingest_articles, workdir, echo=lambda m: typer.echo(m, err=True)))
