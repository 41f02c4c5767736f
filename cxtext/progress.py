"""Stage timing for run.json and, in the terminal, rich progress bars for the long stages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class RunProgress:
    """Times each stage; shows a progress bar per stage when `show` is true."""

    def __init__(self, show: bool = False, console: Console | None = None) -> None:
        self.seconds: dict[str, float] = {}
        console = console or Console(stderr=True)
        show = show and console.is_terminal  # bars only for people; logs and pipes stay clean
        self._progress = (
            Progress(
                TextColumn("{task.description:<12}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=False,
            )
            if show
            else None
        )

    def __enter__(self) -> RunProgress:
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress:
            self._progress.stop()

    @contextmanager
    def stage(self, name: str, total: int = 1) -> Iterator[StageProgress]:
        """Time a stage; the yielded `StageProgress` advances its bar by n items."""
        start = time.perf_counter()
        task = self._progress.add_task(name, total=max(total, 1)) if self._progress else None
        bar = StageProgress(self._progress, task, total)
        try:
            yield bar
        finally:
            if self._progress is not None and task is not None:
                self._progress.update(task, completed=max(bar.total, 1))
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


class StageProgress:
    """The running stage's bar: call it with the number of items done; `expect` sets how many
    items the stage has, once it knows."""

    def __init__(self, progress: Progress | None, task: TaskID | None, total: int) -> None:
        self._progress, self._task, self.total = progress, task, total

    def __call__(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def expect(self, total: int) -> None:
        self.total = total
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=max(total, 1))
