"""A progress bar for long commands on a terminal (rich), and silence anywhere else; a
clock for the stages of long work."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kg.pipeline is heavy to import; the CLI imports this module at start
    from kg.pipeline import Progress


class Clock:
    """Times the stages of long work: each lap adds the seconds since the last one."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Add the seconds since the last lap (or the start) to ``stage``."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now


@contextmanager
def terminal_progress() -> Iterator[Progress]:
    """Yield a progress callback: a bar on standard error when it is a terminal, else one
    that says nothing (so piped or logged output stays as it was)."""
    if not sys.stderr.isatty():
        yield lambda step, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update


@contextmanager
def terminal_status(message: str) -> Iterator[None]:
    """Show ``message`` with a spinner on standard error while the block runs (loading a
    national graph takes seconds), when it is a terminal; else say nothing."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


__all__ = ["terminal_progress", "terminal_status"]
