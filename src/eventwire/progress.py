"""A progress bar on standard error that costs nothing when disabled."""

from __future__ import annotations

from typing import Optional


class Progress:
    """Counts articles as they finish; the total is unknown while streaming."""

    def __init__(self, enabled: bool, label: str, total: Optional[int] = None):
        self.enabled = enabled
        self.label = label
        self.total = total
        self._progress = None
        self._task = None

    def __enter__(self) -> "Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                       SpinnerColumn, TextColumn, TimeElapsedColumn)

            columns = [SpinnerColumn(), TextColumn("{task.description}"),
                       BarColumn() if self.total else TextColumn(""),
                       MofNCompleteColumn() if self.total else TextColumn("{task.completed} articles"),
                       TextColumn("{task.fields[errors]} errors"), TimeElapsedColumn()]
            self._progress = RichProgress(*columns, console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total, errors=0)
        return self

    def advance(self, errors: int = 0, step: int = 1) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=step, errors=errors)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
