"""Corpus-scale runs: input shards in, date-partitioned Parquet tables out.

``eventwire run`` splits its input into shards (one input file each), analyses
every shard on an engine (``local``: this machine's worker processes;
``ray``: a Ray cluster through Ray Data), and writes each shard's rows as
Parquet files under ``OUTPUT/<table>/published=<day>/part-<shard>.parquet``.
A shard's files are renamed into place only when complete and a manifest
entry is written last, so a rerun skips finished shards and redoes the rest.

Modules: :mod:`.shards` (finding and reading inputs), :mod:`.rows` (analysis
to table rows, the same rows the DuckDB store holds), :mod:`.output` (atomic
writes and the manifest), :mod:`.local` and :mod:`.ray_engine` (the engines),
:mod:`.run` (the run itself and its summary).  Only :mod:`.ray_engine` imports
``ray``, and only when the Ray engine is chosen.
"""
