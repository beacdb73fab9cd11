"""``eventwire serve``: the read-only web interface and JSON API over a corpus."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from .serve.analyzer import DEFAULT_MAX_BODY


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``eventwire`` CLI."""

    @app.command(
        epilog=(
            "Examples:\n\n"
            "  eventwire serve --db corpus.duckdb            # http://127.0.0.1:8000\n\n"
            "  eventwire serve --db corpus.duckdb --port 9000\n\n"
            "The database is opened read-only: the server never writes it. API reference at /api, "
            "OpenAPI schema at /openapi.json."
        )
    )
    def serve(
        db: Path = typer.Option(Path("eventwire.duckdb"), "--db", dir_okay=False,
                                help="The corpus database written by 'eventwire ingest'."),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="Address to listen on (loopback by default; anything else exposes "
                                      "the corpus to the network)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        max_body: int = typer.Option(DEFAULT_MAX_BODY, "--max-body", min=1024, metavar="BYTES",
                                     help="Largest request body POST /analyze accepts (larger: 413)."),
    ) -> None:
        """Browse a corpus in the web browser: articles, events, map, quotes; plus a JSON API."""
        import uvicorn

        from .serve import create_app
        from .store import StoreError

        if not db.exists():
            typer.echo(f"eventwire: {db}: no such database (run 'eventwire ingest' first)", err=True)
            raise typer.Exit(2)
        try:
            application = create_app(db, max_body=max_body)
        except StoreError as exc:
            typer.echo(f"eventwire: {exc}", err=True)
            raise typer.Exit(2)
        if not _is_loopback(host):
            typer.echo(f"eventwire: warning: listening on {host}, not loopback: anyone who can reach "
                       "this machine can read the corpus", err=True)
        typer.echo(f"eventwire: serving {db} (read-only) at http://{host}:{port}/", err=True)
        # limit_concurrency: beyond it new connections get 503 instead of piling up; idle
        # keep-alive connections are closed after 5 s.
        uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False,
                    limit_concurrency=256, timeout_keep_alive=5)
