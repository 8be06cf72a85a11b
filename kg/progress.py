"""A progress bar for long commands on a terminal (rich), and silence anywhere else."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kg.pipeline import Progress


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


__all__ = ["terminal_progress"]
