"""Answers kept for the next request that asks the same: the graph a server serves does not
change while it runs (the server never writes, and ``build --store`` refuses a store held
open), so an answer stays right until the server stops.

:class:`AnswerCache` keeps the most recently used answers up to a size in bytes. The
SPARQL endpoint keys an answer by the query text and the media type it was written in, the
canned queries by their name, parameters and format, so a second request for a force's
grades skips resolving the force's name, the query and writing the results. Errors are
never kept. Each worker process has its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class AnswerCache:
    """The most recently used answers, at most ``max_bytes`` of them (0 keeps none).

    An answer is stored with the size it is counted as (its bytes, or an estimate for a
    table); one larger than a quarter of the cache is not kept. Safe to use from the
    event loop and the query threads at once.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        """The answer kept under ``key``, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Keep ``value`` under ``key``, counted as ``size`` bytes, dropping the least
        recently used answers to make room."""
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._size -= dropped

    def __len__(self) -> int:
        return len(self._items)
