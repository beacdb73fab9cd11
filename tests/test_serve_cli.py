"""`eventwire serve` refuses unusable databases before starting a server."""

from __future__ import annotations

from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.cli_serve import _is_loopback

runner = CliRunner()


def test_missing_database_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no such database" in result.output


def test_foreign_file_is_refused_and_left_unchanged(tmp_path):
    foreign = tmp_path / "notes.duckdb"
    foreign.write_bytes(b"these are my notes, not a database\n" * 10)
    before = foreign.read_bytes()
    result = runner.invoke(app, ["serve", "--db", str(foreign)])
    assert result.exit_code == 2
    assert "not a DuckDB database" in result.output
    assert foreign.read_bytes() == before


def test_loopback_detection():
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.0.2.7") and not _is_loopback("example.org")


def test_serve_is_listed_in_help():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output and "--host" in result.output and "read-only" in result.output
