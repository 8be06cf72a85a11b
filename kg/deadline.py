"""Queries that stop: within a time limit, and at once on Ctrl-C.

pyoxigraph cannot interrupt a running query (0.5 has no cancellation), and while it runs
in Rust the interpreter's signal handler does not get control, so Ctrl-C waited for the
query to end. :func:`run` runs the work in a daemon thread instead and waits for it in
short steps: the calling thread stays in Python, so Ctrl-C raises KeyboardInterrupt at
once, and a query over ``timeout`` seconds raises :class:`~kg.errors.QueryTimeout`. The
thread is *abandoned*, not stopped: it runs on until the process exits, which it does not
delay (it is a daemon, and holds no lock the interpreter's shutdown waits for). The
server (kg.server.runner) abandons its queries the same way.

The work must return plain values (text, bytes, rows): pyoxigraph's result iterators
may only be dropped in the thread that made them.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from kg.errors import QueryTimeout, UsageError

T = TypeVar("T")

#: Seconds a query of the CLI may run by default, and the variable that sets another.
DEFAULT_TIMEOUT = 60.0
TIMEOUT_ENV = "PEEL_KG_TIMEOUT"
#: How often the waiting thread looks up (and so how soon Ctrl-C is seen), in seconds.
_STEP = 0.1


def default_timeout() -> float | None:
    """The time limit of $PEEL_KG_TIMEOUT (seconds; 0 for none), else DEFAULT_TIMEOUT.

    :raises UsageError: the variable is not a number of seconds.
    """
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise UsageError(f"${TIMEOUT_ENV}={text!r}: give a number of seconds (0 for no limit)")
    return seconds or None


def run(work: Callable[[], T], timeout: float | None = None, *, hint: str = "--timeout") -> T:
    """``work()`` run in a daemon thread, waited for at most ``timeout`` seconds (None or 0:
    no limit); what it returns, or the exception it raised.

    :param hint: how the caller sets the limit, for the message (an option, an argument).
    :raises QueryTimeout: ``work`` ran longer than ``timeout`` (it is left to run on).
    :raises KeyboardInterrupt: Ctrl-C while waiting (in the main thread): at once.
    """
    done: list[T] = []
    failed: list[BaseException] = []

    def target() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # handed to the waiting thread
            # the frames' locals (pyoxigraph objects) die here; their lines stay for --debug
            traceback.clear_frames(exc.__traceback__)
            failed.append(exc)

    thread = threading.Thread(target=target, daemon=True, name="peel-kg-query")
    start = time.monotonic()
    thread.start()
    while thread.is_alive():
        left = None if not timeout else timeout - (time.monotonic() - start)
        if left is not None and left <= 0:
            raise QueryTimeout(
                f"the query ran longer than {timeout:g} s, the time limit ({hint}); narrow it "
                "(a LIMIT, a more selective pattern) or allow it longer (0 for no limit)"
            )
        thread.join(_STEP if left is None else min(_STEP, left))
    if failed:
        raise failed[0]
    return done[0]
