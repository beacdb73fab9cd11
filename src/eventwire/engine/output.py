"""The output directory: Parquet tables partitioned by day, written atomically, plus a manifest.

Layout::

    OUTPUT/<table>/published=<YYYY-MM-DD>/part-<shard>.parquet
    OUTPUT/<table>/published=__HIVE_DEFAULT_PARTITION__/part-<shard>.parquet   (no date)
    OUTPUT/errors/part-<shard>.parquet
    OUTPUT/_manifest/<shard>.json     one entry per finished shard, written last
    OUTPUT/_tmp/                      files being written

Every file is written under ``_tmp`` and renamed into place, and its name
depends only on the shard and the day, so writing a shard again replaces its
files instead of adding to them: nothing is ever written twice.  A shard is
finished when its manifest entry exists, names the same input (size and
modification time) and all of its files exist; a rerun skips exactly those.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import date, datetime, timezone
from typing import Any, Iterable, Optional

from .rows import ERRORS_TABLE, OUTPUT_TABLES, ShardRows
from .shards import Shard

MANIFEST = "_manifest"
TMP = "_tmp"
#: The partition name Hive, Spark, pyarrow and DuckDB read as NULL.
NO_DATE = "__HIVE_DEFAULT_PARTITION__"


def part_path(table: str, day: Optional[date], shard_id: str) -> str:
    """A shard's file of one table and day, relative to the output directory."""
    if table == ERRORS_TABLE:
        return f"{table}/part-{shard_id}.parquet"
    return f"{table}/published={day.isoformat() if day else NO_DATE}/part-{shard_id}.parquet"


class OutputDir:
    """A local directory or any pyarrow filesystem URI (``s3://bucket/run``)."""

    def __init__(self, uri: str):
        import pyarrow.fs as pafs

        self.uri = uri
        if "://" in uri:
            self.fs, self.base = pafs.FileSystem.from_uri(uri)
        else:
            self.fs, self.base = pafs.LocalFileSystem(), os.path.abspath(os.path.expanduser(uri))
        self.base = self.base.rstrip("/")

    @property
    def location(self) -> str:
        """Where the output is, valid in any process: a URI or an absolute local path."""
        return self.uri if "://" in self.uri else self.base

    def path(self, relative: str) -> str:
        return f"{self.base}/{relative}"

    def prepare(self) -> None:
        """Create the layout and drop temporary files an interrupted run left behind.

        One run per output directory at a time: a second concurrent run's
        temporary files would be removed here.
        """
        for sub in ("", MANIFEST, TMP):
            self.fs.create_dir(self.path(sub) if sub else self.base, recursive=True)
        self.fs.delete_dir_contents(self.path(TMP), missing_dir_ok=True)

    # ------------------------------------------------------------ the manifest

    def entries(self) -> dict[str, dict[str, Any]]:
        """Manifest entries of finished shards, by shard id."""
        import pyarrow.fs as pafs

        found: dict[str, dict[str, Any]] = {}
        infos = self.fs.get_file_info(pafs.FileSelector(self.path(MANIFEST), allow_not_found=True))
        for info in infos:
            if info.type != pafs.FileType.File or not info.base_name.endswith(".json"):
                continue
            try:
                with self.fs.open_input_stream(info.path) as handle:
                    entry = json.loads(handle.read())
                found[entry["shard"]] = entry
            except (OSError, ValueError, KeyError):
                continue  # an unreadable entry means the shard is redone
        return found

    def finished(self, shards: Iterable[Shard]) -> set[str]:
        """Ids of the shards whose complete output is already here."""
        import pyarrow.fs as pafs

        entries = self.entries()
        done = set()
        for shard in shards:
            entry = entries.get(shard.id)
            if not entry or entry.get("uri") != shard.uri or entry.get("size") != shard.size \
                    or entry.get("mtime_ns") != shard.mtime_ns:
                continue
            files = [self.path(f) for f in entry.get("files", [])]
            if all(info.type == pafs.FileType.File for info in self.fs.get_file_info(files)):
                done.add(shard.id)
        return done

    def forget(self, shard_ids: set[str]) -> int:
        """Delete every file and manifest entry of shards about to be (re)written.

        Removes what an interrupted run left (some days renamed, no manifest)
        and the output of an input file that has changed since.  Returns how
        many files were deleted.
        """
        import pyarrow.fs as pafs

        if not shard_ids:
            return 0
        removed = 0
        for table in OUTPUT_TABLES + (MANIFEST,):
            infos = self.fs.get_file_info(pafs.FileSelector(self.path(table), recursive=True,
                                                            allow_not_found=True))
            for info in infos:
                name = info.base_name
                shard = (name[5:-8] if name.startswith("part-") and name.endswith(".parquet")
                         else name[:-5] if table == MANIFEST and name.endswith(".json") else None)
                if info.type == pafs.FileType.File and shard in shard_ids:
                    self.fs.delete_file(info.path)
                    removed += 1
        return removed

    # ------------------------------------------------------------ writing

    def _publish(self, write, relative: str) -> None:
        """Write to a unique temporary file, then rename it into place."""
        tmp = self.path(f"{TMP}/{uuid.uuid4().hex}.tmp")
        write(tmp)
        final = self.path(relative)
        self.fs.create_dir(final.rsplit("/", 1)[0], recursive=True)
        self.fs.move(tmp, final)

    def write_shard(self, shard: Shard, rows: ShardRows, seconds: float) -> dict[str, Any]:
        """Write one shard's tables, then its manifest entry; returns the entry."""
        import pyarrow.parquet as pq

        files = []
        for table, day, arrow in rows.tables():
            relative = part_path(table, day, shard.id)
            self._publish(lambda tmp, arrow=arrow: pq.write_table(arrow, tmp, filesystem=self.fs,
                                                                 compression="zstd"), relative)
            files.append(relative)
        entry = {
            "shard": shard.id, "uri": shard.uri, "size": shard.size, "mtime_ns": shard.mtime_ns,
            "articles": rows.articles, "errors": dict(rows.errors), "events": rows.events,
            "files": files, "seconds": round(seconds, 3),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        payload = json.dumps(entry, indent=1).encode("utf-8")

        def write_entry(tmp: str) -> None:
            with self.fs.open_output_stream(tmp) as handle:
                handle.write(payload)

        self._publish(write_entry, f"{MANIFEST}/{shard.id}.json")
        return entry
