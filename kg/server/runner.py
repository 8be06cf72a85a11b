"""Queries run for the web server: off the event loop, within a time limit and a row cap.

A query runs in a daemon thread of its own, at most :attr:`Limits.workers` at a time;
the request waits for its answer up to :attr:`Limits.timeout` seconds (queueing for a
slot included), then gets a 503 naming the limit. pyoxigraph cannot interrupt a query
from another thread, so a query over time is *abandoned*, not stopped: it keeps its slot
(and a core) until it ends on its own, and while every slot is held, new queries wait and
time out in turn. The server stays responsive to everything else, and the number of
runaway queries is bounded by the slots; putting a worker process that could be killed
in their place is the way to stop them for good (see README, ``peel-kg serve``).

A SELECT answer with more than :attr:`Limits.max_rows` rows (or a CONSTRUCT with more
triples) is refused (422) rather than cut short: solutions are read one by one and the
query is dropped at the first row over the cap.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.errors import QueryError
from kg.server.cache import AnswerCache
from kg.server.http import RequestError
from kg.sparql import PREFIXES
from kg.store import GraphStore

T = TypeVar("T")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Limits:
    """What one request may cost.

    :param timeout: seconds a query may run (and wait for a slot) before a 503.
    :param max_rows: rows of a SELECT (triples of a CONSTRUCT) above which the answer is
        refused with a 422.
    :param max_query_length: characters of query text above which it is refused (413).
    :param max_body: bytes of request body above which it is refused (413).
    :param workers: queries that may run at once.
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    max_query_length: int = 20_000
    max_body: int = 64 * 1024
    workers: int = 4


@dataclass(frozen=True)
class Answer:
    """A query's answer read in full: ``kind`` is 'solutions', 'boolean' or 'triples'."""

    kind: str
    variables: tuple[str, ...] = ()
    solutions: tuple[Any, ...] = ()  # pyoxigraph QuerySolution
    boolean: bool = False
    triples: tuple[Any, ...] = ()  # pyoxigraph Triple

    def results_json(self) -> bytes:
        """SELECT or ASK results as SPARQL 1.1 Query Results JSON."""
        if self.kind == "boolean":
            return json.dumps({"head": {}, "boolean": self.boolean}).encode()
        bindings = [
            {v: _term_json(s[v]) for v in self.variables if s[v] is not None}
            for s in self.solutions
        ]
        doc = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _term_json(term: Any) -> dict[str, Any]:
    """One RDF term as SPARQL 1.1 Query Results JSON writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {  # an RDF-star quoted triple
        "type": "triple",
        "value": {
            "subject": _term_json(term.subject),
            "predicate": _term_json(term.predicate),
            "object": _term_json(term.object),
        },
    }


def answer(store: GraphStore, text: str, max_rows: int) -> Answer:
    """Run ``text`` (the project's prefixes predeclared) and read its answer, refusing one
    of more than ``max_rows`` rows or triples (RequestError 422); QueryError where the
    query is not valid or fails while its solutions are read."""
    results = store.run(text, PREFIXES)
    if isinstance(results, ox.QueryBoolean):
        return Answer("boolean", boolean=bool(results))
    try:
        variables = (
            tuple(v.value for v in results.variables)
            if isinstance(results, ox.QuerySolutions)
            else None
        )
        read = tuple(islice(results, max_rows + 1))
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"cannot run the query: {exc}") from None
    finally:
        del results  # pyoxigraph's iterator may only be dropped by the thread that made it
    if variables is None:
        _cap(len(read), max_rows, "triples")
        return Answer("triples", triples=read)
    _cap(len(read), max_rows, "rows")
    return Answer("solutions", variables, read)


def _cap(count: int, max_rows: int, what: str) -> None:
    if count > max_rows:
        raise RequestError(
            422,
            f"the query returns more than {max_rows} {what}, the server's cap (--max-rows); "
            f"add LIMIT {max_rows} (and OFFSET to page through the rest)",
        )


class Runner:
    """Runs blocking work (queries) in daemon threads, ``limits.workers`` at a time, each
    answered within ``limits.timeout`` seconds or refused with a 503; :meth:`cached` keeps
    answers in ``cache`` (kg.server.cache) for the next request that asks the same."""

    def __init__(self, limits: Limits, cache: AnswerCache | None = None) -> None:
        self.limits = limits
        self.cache = cache if cache is not None else AnswerCache(0)
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}

    async def cached(self, key: Hashable, work: Callable[[], T], size: Callable[[T], int]) -> T:
        """The answer kept under ``key``; else ``work()`` run by :meth:`call` and kept,
        counted as ``size(answer)`` bytes. Requests that ask for the same while it runs
        wait for that answer (or error) rather than run it again. An error is not kept; an
        answer that came after the timeout (the request got a 503) is, for the next
        request that asks."""
        found = self.cache.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        running = self._pending.get(key)
        if running is not None:
            try:
                return await asyncio.shield(running)  # type: ignore[no-any-return]
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not running.cancelled() or (task is not None and task.cancelling()):
                    raise
                # the request that ran it went away: run it for this one

        def work_and_keep() -> T:
            made = work()
            self.cache.put(key, made, size(made))
            return made

        shared: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = shared
        try:
            made = await self.call(work_and_keep)
        except asyncio.CancelledError:
            shared.cancel()
            raise
        except BaseException as exc:
            shared.set_exception(exc)
            shared.exception()  # retrieved here, whether or not another request waits
            raise
        else:
            shared.set_result(made)
            return made
        finally:
            if self._pending.get(key) is shared:
                del self._pending[key]

    async def call(self, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread; RequestError 503 when it takes too long."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            with self._slots:
                if not future.set_running_or_notify_cancel():
                    return  # timed out while waiting for a slot
                try:
                    future.set_result(work())
                except BaseException as exc:  # handed to the request that asked
                    # without its frames, whose pyoxigraph objects must die in this thread
                    future.set_exception(exc.with_traceback(None))

        threading.Thread(target=run, daemon=True, name="peel-kg-query").start()
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.timeout)
        except TimeoutError:
            future.cancel()
            timeout = f"{self.limits.timeout:g} s"
            if future.cancelled():
                raise RequestError(
                    503,
                    f"the server is busy: no query slot came free within {timeout} "
                    "(--timeout); try again later",
                ) from None
            raise RequestError(
                503,
                f"the query ran longer than the server's timeout of {timeout} (--timeout); "
                "narrow it (a LIMIT, a more selective pattern) or run it with "
                "`peel-kg sparql` on your own machine",
            ) from None
