"""The ``eventwire`` command line."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="eventwire: news articles in; who did what to whom, who said what, where and when out.",
)


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _check_paths(paths: Optional[list[str]]) -> list[str]:
    paths = paths or []
    missing = [p for p in paths if p != "-" and not os.path.exists(p)]
    if missing:
        raise typer.BadParameter(f"no such file or directory: {', '.join(missing)}")
    return paths


@app.command(
    epilog=(
        "Examples:\n\n"
        "  eventwire analyze article.txt\n\n"
        "  eventwire analyze news/ -o analyses.jsonl --workers 2\n\n"
        "  cat articles.jsonl | eventwire analyze --published 2019-01-10 > out.jsonl\n\n"
        "Exit status: 0 when every article was analysed, 1 when any had an error "
        "(its output line carries \"error\"), 2 on a usage error."
    )
)
def analyze(
    paths: Optional[list[str]] = typer.Argument(
        None, metavar="[PATH]...",
        help="Articles: .txt, .html, .jsonl (one article per line), .gz of those, a directory "
             "of them, or - for standard input (the default).",
        callback=_check_paths),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="Write JSON Lines here instead of standard output.",
        dir_okay=False),
    published: Optional[str] = typer.Option(
        None, "--published", metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none; anchors 'Thursday' or 'last March'.",
        callback=_check_date),
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, max=max(1, (os.cpu_count() or 1) * 2),
        help="Worker processes; each loads the model once (about 400 MB each)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=4096,
                                   help="Articles handed to the model at a time."),
    progress: Optional[bool] = typer.Option(
        None, "--progress/--no-progress",
        help="Show a progress bar (default: only when standard error is a terminal)."),
) -> None:
    """Analyse articles and print one JSON object per article (see CONTRACT.md).

    Output lines follow the input order.  An article that cannot be analysed
    (empty, binary, not_english, too_large, no_text, bad_json) gets a line
    with its id and an "error" object, and the run goes on.
    """
    from .parallel import WorkerCrashed, run_batches
    from .progress import Progress
    from .readers import read_paths

    show = sys.stderr.isatty() if progress is None else progress
    errors: Counter[str] = Counter()
    count = 0
    started = time.perf_counter()
    try:
        sink = open(output, "w", encoding="utf-8", newline="\n") if output else sys.stdout
    except OSError as exc:  # a missing directory or no permission: a usage error (exit 2)
        raise typer.BadParameter(f"cannot write {output}: {exc.strerror}",
                                 param_hint="'-o' / '--output'") from None
    try:
        with Progress(enabled=show, label="Analysing") as bar:
            for item in run_batches(read_paths(paths or []), published, workers, batch_size):
                sink.write(item.line + "\n")
                count += 1
                if item.error:
                    errors[item.error] += 1
                bar.advance(errors=sum(errors.values()))
                if count % batch_size == 0:
                    sink.flush()
    except WorkerCrashed as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo(f"eventwire: interrupted after {count} articles", err=True)
        raise typer.Exit(130)
    finally:
        sink.flush()
        if output:
            sink.close()
    seconds = time.perf_counter() - started
    if show or output:
        detail = ", ".join(f"{n} {code}" for code, n in errors.most_common())
        typer.echo(
            f"{count} articles in {seconds:.1f} s ({count / max(seconds, 1e-9):.1f}/s); "
            f"{sum(errors.values())} errors{' (' + detail + ')' if detail else ''}"
            + (f" -> {output}" if output else ""),
            err=True,
        )
    if errors:
        raise typer.Exit(1)


@app.command()
def show(
    path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="A JSON Lines file written by 'eventwire analyze'."),
    limit: int = typer.Option(8, "--entities", help="Entities listed per article."),
) -> None:
    """Print a readable summary of analysed articles.

    Example: eventwire show analyses.jsonl
    """
    from .summary import summarise_file

    try:
        typer.echo(summarise_file(path, limit))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        typer.echo(f"eventwire: {path} is not 'eventwire analyze' output ({exc})", err=True)
        raise typer.Exit(1)


@app.command()
def quotes(
    path: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False,
                                          help="A JSON Lines file written by 'eventwire analyze'."),
    speaker: Optional[str] = typer.Option(
        None, "--speaker", help="Only quotes whose speaker's name contains this (case ignored)."),
    db: Optional[Path] = typer.Option(None, "--db", dir_okay=False,
                                      help="Read the quotes of a corpus database instead of a file."),
    limit: int = typer.Option(50, "--limit", "-n", help="With --db: quotes to show."),
    as_json: bool = typer.Option(False, "--json", help="With --db: JSON Lines, one quote per line."),
) -> None:
    """Print each article's quotes grouped by speaker.

    Example: eventwire quotes analyses.jsonl --speaker Macron
    Example: eventwire quotes --db corpus.duckdb --speaker "Moon Jae-in"
    """
    if db is not None or path is None:
        from .cli_queries import quotes_from_db

        quotes_from_db(db or Path("eventwire.duckdb"), speaker, limit, as_json)
        return
    from .quotes_view import format_quotes
    from .summary import iter_jsonl

    wanted = speaker.casefold() if speaker else None
    try:
        for record in iter_jsonl(path):
            if wanted:
                names = {e.get("id"): e.get("name") or "" for e in record.get("entities") or []}
                record = dict(record, quotes=[
                    q for q in record.get("quotes") or []
                    if wanted in (names.get(q.get("speaker")) or q.get("speaker_name") or "").casefold()])
                if not record["quotes"]:
                    continue
            typer.echo(format_quotes(record) + "\n")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        typer.echo(f"eventwire: {path} is not 'eventwire analyze' output ({exc})", err=True)
        raise typer.Exit(1)


@app.command(epilog="Example: eventwire bench --articles 2000 --workers 1,2 --rss 1000,10000")
def bench(
    articles: int = typer.Option(2000, "--articles", min=10,
                                 help="Articles in the corpus (generated unless --corpus is given)."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", exists=True,
                                          help="Benchmark these articles instead of a synthetic corpus."),
    workers: str = typer.Option("1,2", "--workers", help="Worker counts to measure, comma-separated."),
    rss: str = typer.Option("", "--rss", metavar="N,M",
                            help="Also measure peak RSS of analyze on synthetic corpora of these sizes."),
) -> None:
    """Measure analyze against bare spaCy nlp.pipe on the same texts.

    Prints words/s, articles/s, peak RSS and the analyze/spaCy ratio for each
    worker count, as a Markdown table for BENCHMARKS.md.
    """
    from .bench import format_table, run_benchmark

    try:
        counts = [int(n) for n in workers.split(",") if n.strip()]
        sizes = [int(n) for n in rss.split(",") if n.strip()]
    except ValueError:
        raise typer.BadParameter("--workers and --rss take comma-separated whole numbers") from None
    results = run_benchmark(articles, corpus, counts, sizes,
                            echo=lambda msg: typer.echo(msg, err=True))
    typer.echo(format_table(results))


@app.command()
def version() -> None:
    """Print eventwire's version."""
    typer.echo(__version__)


@app.command(
    epilog=(
        "Examples:\n\n"
        "  eventwire ingest news/ --db corpus.duckdb\n\n"
        "  eventwire ingest more.jsonl --db corpus.duckdb --workers 2   # adds only new articles\n\n"
        "Exit status: 0 when every new article was stored, 1 when any had an error "
        "(kept in the 'errors' table), 2 on a usage error or an unusable --db file."
    )
)
def ingest(
    paths: Optional[list[str]] = typer.Argument(
        None, metavar="PATH...",
        help="Articles: .txt, .html, .jsonl, .gz of those, directories, or - for standard input.",
        callback=_check_paths),
    db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False,
                            help="The corpus database (DuckDB); created when missing."),
    published: Optional[str] = typer.Option(
        None, "--published", metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none.", callback=_check_date),
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, max=max(1, (os.cpu_count() or 1) * 2),
        help="Worker processes for the analysis; each loads the model once."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=4096,
                                   help="Articles per batch; each batch is stored in one transaction."),
    progress: Optional[bool] = typer.Option(
        None, "--progress/--no-progress",
        help="Show a progress bar (default: only when standard error is a terminal)."),
    from_parquet: Optional[str] = typer.Option(
        None, "--from-parquet", metavar="DIR",
        help="Instead of PATHs, load the Parquet tables written by 'eventwire run' (docs/SCALING.md)."),
) -> None:
    """Analyse articles and store them in a DuckDB corpus (see docs/STORAGE.md).

    Idempotent: an article already stored (same id, or the same text once
    whitespace and case are normalised) is skipped.  Each batch is written in
    one transaction, so an interrupted run loses at most one batch and
    rerunning the same command completes it.  Near-duplicates, merged event
    records and stories are updated as articles arrive.
    """
    from .ingest import ingest as run_ingest
    from .parallel import WorkerCrashed
    from .progress import Progress
    from .store import StoreError, connect

    show = sys.stderr.isatty() if progress is None else progress
    if from_parquet is not None or not paths:
        from .cli_run import ingest_parquet

        return ingest_parquet(from_parquet, paths, db, show)
    try:
        connect(db, timeout=10.0).close()  # refuse a foreign file unchanged; create the schema; reopened per batch
    except StoreError as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(2)
    done = [0]
    try:
        with Progress(enabled=show, label="Ingesting") as bar:
            def advance(summary) -> None:
                handled = summary.stored + sum(summary.errors.values())
                bar.advance(errors=sum(summary.errors.values()), step=handled - done[0])
                done[0] = handled

            summary = run_ingest(paths, db, published, workers, batch_size, on_article=advance)
    except WorkerCrashed as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("eventwire: interrupted; stored batches are kept, rerun to finish", err=True)
        raise typer.Exit(130)
    except StoreError as exc:  # e.g. a reader kept the file locked past the timeout
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{summary.line()} -> {db}", err=True)
    if summary.errors:
        raise typer.Exit(1)


@app.command(
    epilog=(
        "Examples:\n\n"
        "  eventwire export articles --db corpus.duckdb -o articles.jsonl\n\n"
        "  eventwire export events --db corpus.duckdb -o events.parquet\n\n"
        "  eventwire export quotes --db corpus.duckdb -o quotes.csv --format csv"
    )
)
def export(
    kind: str = typer.Argument(..., metavar="articles|events|quotes|mentions",
                               help="What to export."),
    db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False,
                            help="The corpus database written by 'eventwire ingest'."),
    output: Path = typer.Option(..., "-o", "--output", dir_okay=False, help="The file to write."),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", metavar="jsonl|csv|parquet|gdelt|plover",
        help="Output format (default: from the -o suffix, else jsonl). gdelt (GDELT 2.0 event table, "
             "tab-separated) and plover (PLOVER JSON Lines) export merged event records."),
    header: bool = typer.Option(False, "--header", help="With --format gdelt: first line holds the column names."),
) -> None:
    """Export articles, events, quotes or entity mentions of a corpus.

    Article lines carry id, duplicate_of (the earliest copy of a
    near-duplicate, or null) and story (the id of the story the article
    reports), plus title, date, source, counts and text.
    """
    from .export import FORMATS, KINDS, export as run_export, format_for
    from .store import StoreError, connect

    if kind not in KINDS:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}", param_hint="KIND")
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    if not db.exists():
        typer.echo(f"eventwire: {db}: no such database (run 'eventwire ingest' first)", err=True)
        raise typer.Exit(2)
    try:
        con = connect(db, read_only=True, timeout=10.0)
    except StoreError as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(2)
    try:
        chosen = format_for(output, fmt)
        rows = run_export(con, kind, output, chosen, header)
    except ValueError as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        con.close()
    typer.echo(f"{rows} {kind} -> {output} ({chosen})", err=True)


# Command groups that live in their own modules register themselves here,
# one line each: `from .cli_xxx import register as _register_xxx; _register_xxx(app)`.
from .cli_serve import register as _register_serve; _register_serve(app)  # noqa: E402
from .cli_queries import register as _register_queries; _register_queries(app)  # noqa: E402,E702
from .cli_run import register as _register_run; _register_run(app)  # noqa: E402,E702


def main() -> None:
    app()


if __name__ == "__main__":
    main()
