"""``eventwire run``: a corpus of input shards to date-partitioned Parquet tables (see docs/SCALING.md)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

EPILOG = (
    "Examples:\n\n"
    "  eventwire run --input 'crawl/*.warc.gz' --output out/ --workers 2\n\n"
    "  eventwire run --engine ray --input 'shards/*.jsonl.gz' --output out/ --workers 8\n\n"
    "  eventwire run --engine ray --address auto --input 's3://bucket/news/*.parquet' --output s3://bucket/run1\n\n"
    "  eventwire ingest --from-parquet out/ --db corpus.duckdb\n\n"
    "Rerunning the same command skips shards already written completely.  "
    "Exit status: 0 when every article was analysed, 1 when any had an error "
    "(kept in the 'errors' table) or the run stopped, 2 on a usage error."
)


def run_command(
    inputs: list[str] = typer.Option(
        ..., "--input", "-i", metavar="GLOB",
        help="Input shards: a glob, directory, file or URI (s3://, gs://, hdfs://) of .jsonl, "
             ".warc, .parquet (and .gz of the first two); repeat for more."),
    output: str = typer.Option(..., "--output", "-o", metavar="DIR",
                               help="Output directory (or URI) for the Parquet tables."),
    engine: str = typer.Option("local", "--engine", "-e", metavar="local|ray",
                               help="local: worker processes on this machine; ray: a Ray cluster."),
    address: Optional[str] = typer.Option(
        None, "--address", metavar="auto|ray://HOST:PORT|HOST:PORT",
        help="Ray cluster to join (default: start a private one on this machine)."),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-w", min=1,
        help="Worker processes (local, default 1) or Ray actors, one CPU each "
             "(ray, default: every CPU of the cluster); each loads the model once."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=4096,
                                   help="Articles handed to the model at a time."),
    published: Optional[str] = typer.Option(
        None, "--published", metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none."),
    progress: Optional[bool] = typer.Option(
        None, "--progress/--no-progress",
        help="Show a progress bar (default: only when standard error is a terminal)."),
) -> None:
    """Analyse a corpus of shards into Parquet tables partitioned by publication day.

    Tables: articles, entities, mentions, quotes, events, times, places (the
    columns of the DuckDB store) and errors.  Each shard's files appear
    atomically and a manifest records finished shards, so an interrupted run
    is completed by running the same command again, without duplicates.
    """
    from .cli import _check_date
    from .engine.run import ENGINES, run
    from .parallel import WorkerCrashed
    from .progress import Progress

    if engine not in ENGINES:
        raise typer.BadParameter(f"{engine!r} is not one of {', '.join(ENGINES)}", param_hint="--engine")
    if address and engine != "ray":
        raise typer.BadParameter("--address needs --engine ray", param_hint="--address")
    published = _check_date(published)
    from .engine.shards import list_shards

    if not list_shards(inputs):
        raise typer.BadParameter(f"no input files match {', '.join(inputs)}", param_hint="--input")
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with Progress(enabled=show, label=f"Analysing ({engine})") as bar:
            errors = [0]

            def on_article(code: Optional[str]) -> None:
                errors[0] += code is not None
                bar.advance(errors=errors[0])

            def on_shard(entry: dict) -> None:
                if engine == "ray":  # the local engine counts article by article
                    errors[0] += sum((entry.get("errors") or {}).values())
                    bar.advance(errors=errors[0],
                                step=entry.get("articles", 0) + sum((entry.get("errors") or {}).values()))

            summary = run(inputs, output, engine, workers, address, batch_size, published,
                          on_shard=on_shard, on_article=on_article)
    except WorkerCrashed as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("eventwire: interrupted; finished shards are kept, rerun to finish", err=True)
        raise typer.Exit(130)
    typer.echo(f"{summary.line()} -> {output}", err=True)
    if summary.errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``eventwire run`` to the command line."""
    app.command("run", epilog=EPILOG)(run_command)


def ingest_parquet(directory: Optional[str], paths: Optional[list[str]], db, show: bool) -> None:
    """``eventwire ingest --from-parquet DIR --db FILE`` (called by the ingest command)."""
    from .parquet_io import ParquetError, load_parquet
    from .progress import Progress
    from .store import StoreError, connect

    if directory is None:
        raise typer.BadParameter("give article PATHs or --from-parquet DIR", param_hint="PATH...")
    if paths:
        raise typer.BadParameter("give either article PATHs or --from-parquet, not both",
                                 param_hint="--from-parquet")
    try:
        con = connect(db, timeout=10.0)
    except StoreError as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(2)
    done = [0]
    try:
        with Progress(enabled=show, label="Loading") as bar:
            def advance(summary) -> None:
                handled = summary.read
                bar.advance(errors=sum(summary.errors.values()), step=handled - done[0])
                done[0] = handled

            summary = load_parquet(con, directory, on_shard=advance)
    except ParquetError as exc:
        typer.echo(f"eventwire: {exc}", err=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        typer.echo("eventwire: interrupted; loaded shards are kept, rerun to finish", err=True)
        raise typer.Exit(130)
    finally:
        con.close()
    typer.echo(f"{summary.line()} -> {db}", err=True)
    if summary.errors:
        raise typer.Exit(1)
