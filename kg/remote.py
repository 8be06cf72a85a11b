"""Any SPARQL 1.1 endpoint as a store (``sparql:URL``), and the SPARQL 1.1 Graph Store
Protocol client that ``peel-kg push`` loads a server with.

Queries go through SPARQLWrapper (https://www.w3.org/TR/sparql11-protocol/#query-operation):
always by POST as an URL-encoded form (the canned queries are long: a GET would meet
HTTP 414), results asked for by content negotiation alone (no ``format=`` parameters,
which some servers refuse), and the answer's Content-Type checked: something else than
SPARQL results (or RDF, for CONSTRUCT) is a StoreError naming the URL, as is an endpoint
that cannot be reached or refuses the request. Results are parsed with pyoxigraph and
written again as the store writes them, so every backend gives the same bytes.

**The dataset is stated in every request.** All the data sit in named graphs, and
servers differ in their default graph: Oxigraph's is the unnamed graph alone unless it
runs with ``--union-default-graph``; Fuseki's depends on ``tdb2:unionDefaultGraph``.
So each query is sent with a ``default-graph-uri`` and a ``named-graph-uri`` parameter
for every named graph the server holds (asked once per store with ``SELECT DISTINCT ?g
WHERE { GRAPH ?g { } }``): the queries see the union of the graphs, on any setting, with
queries/*.rq unchanged. On Oxigraph a dataset of several default graphs keeps each
graph's triples, so a triple stated in two graphs matches twice, exactly as the
in-memory store's union does (measured on the shipped corpus: 25,853 solutions of
``?s ?p ?o`` on both, 25,832 distinct); a server that merges the graphs instead
matches such a triple once. A server holding no named graph is asked without a dataset.

Credentials come from the environment, never the command line: ``PEEL_KG_SPARQL_USER``
and ``PEEL_KG_SPARQL_PASSWORD`` (HTTP Basic), for queries and for the graph store.
"""

from __future__ import annotations

import base64
import math
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as errors

from kg.errors import QueryError, StoreError, UsageError
from kg.store import RESULT_FORMATS, GraphStore, query_form

#: The environment variables of the credentials, and of a separate graph store URL.
USER_ENV, PASSWORD_ENV = "PEEL_KG_SPARQL_USER", "PEEL_KG_SPARQL_PASSWORD"
GRAPH_STORE_ENV = "PEEL_KG_GRAPH_STORE"
#: Seconds to wait for an answer (the socket's: a server's own query timeout is its own).
TIMEOUT = 300

_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_RDF = (
    "application/n-triples, text/turtle;q=0.9, application/n-quads;q=0.8, application/rdf+xml;q=0.5"
)


class SparqlStore(GraphStore):
    """A SPARQL 1.1 query endpoint at ``url`` (http or https).

    :raises UsageError: ``url`` is not an http(s) URL.
    """

    def __init__(self, url: str, *, timeout: float = TIMEOUT) -> None:
        check_url(url, "the SPARQL endpoint")
        self.url = self.where = url
        self.timeout = timeout
        self._graphs: list[str] | None = None

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs the server holds, sorted (asked once)."""
        if self._graphs is None:
            data = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", dataset=False)
            self._graphs = sorted(
                s["g"].value for s in _solutions(data, self.url) if isinstance(s["g"], ox.NamedNode)
            )
        return self._graphs

    def __len__(self) -> int:
        data = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        (solution,) = list(_solutions(data, self.url))
        return int(solution["n"].value)

    def run(self, query: str, prefixes: Mapping[str, str] | None = None) -> Any:
        """Run any query, ``prefixes`` predeclared (as PREFIX lines before the text: the
        query's own win); its results as pyoxigraph's objects, as the local store's."""
        form, body, media = self._send(query, prefixes=prefixes)
        if form == "CONSTRUCT":
            return _triples(body, media, self.url)
        return _parse_results(body, media, self.url)

    def select(
        self, query: str, bindings: Mapping[str, Node] | None = None, fmt: str = "json"
    ) -> bytes:
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown results format {fmt!r}; use one of {sorted(RESULT_FORMATS)}")
        solutions = _solutions(self._select(_bound(query, bindings)), self.url)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries return a results table")
        data = solutions.serialize(format=RESULT_FORMATS[fmt])
        assert data is not None  # serialize() returns the bytes when given no output
        return data

    def construct(
        self, query: str, bindings: Mapping[str, Node] | None = None
    ) -> Iterable[ox.Triple]:
        form, body, media = self._send(_bound(query, bindings))
        if form != "CONSTRUCT":
            raise QueryError("only CONSTRUCT and DESCRIBE queries return triples")
        return _triples(body, media, self.url)

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        form, body, media = self._send(_bound(query, bindings))
        results = _parse_results(body, media, self.url)
        if not isinstance(results, ox.QueryBoolean):
            raise QueryError("only ASK queries return true or false")
        return bool(results)

    def _select(self, query: str, *, dataset: bool = True) -> tuple[bytes, str]:
        form, body, media = self._send(query, dataset=dataset)
        return body, media

    def _send(
        self,
        query: str,
        *,
        dataset: bool = True,
        prefixes: Mapping[str, str] | None = None,
    ) -> tuple[str, bytes, str]:
        """Send ``query`` (``prefixes`` predeclared as PREFIX lines before it: its own
        win); its form (SELECT, ASK or CONSTRUCT), the answer's body and media type.

        The query is read by Oxigraph's parser first, so a syntax error is reported as the
        local store reports it, and an update is refused before it is sent.
        """
        form = query_form(query, prefixes)
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        wrapper = SPARQLWrapper(self.url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(math.ceil(self.timeout))
        wrapper.setQuery(head + query)
        # SPARQLWrapper guesses the form with a regular expression, which a word such as
        # ADD in a literal misleads (and an 'update' goes to another URL): say it
        wrapper.queryType = form
        graph = form == "CONSTRUCT"
        wrapper.setReturnFormat(TURTLE if graph else JSON)
        wrapper.addCustomHttpHeader("Accept", _RDF if graph else _RESULTS)
        user, password = credentials()
        if user:
            wrapper.setCredentials(user, password)
        for name in self.graph_names() if dataset else []:
            wrapper.addDefaultGraph(name)
            wrapper.addNamedGraph(name)
        try:
            response = wrapper.query().response
            body = response.read()
        except errors.QueryBadFormed as exc:
            raise QueryError(f"{self.url} refused the query: {_said(exc)}") from exc
        except errors.Unauthorized as exc:
            raise StoreError(
                f"{self.url}: not authorised (HTTP 401); set {USER_ENV} and {PASSWORD_ENV}"
            ) from exc
        except errors.EndPointNotFound as exc:
            raise StoreError(f"{self.url}: no SPARQL endpoint here (HTTP 404)") from exc
        except errors.SPARQLWrapperException as exc:
            raise StoreError(f"{self.url}: the SPARQL endpoint failed: {_said(exc)}") from exc
        except urllib.error.HTTPError as exc:
            hint = f"; set {USER_ENV} and {PASSWORD_ENV}" if exc.code == 403 else ""
            raise StoreError(
                f"{self.url} refused the query (HTTP {exc.code} {exc.reason}){hint}"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(unreachable(self.url, exc, self.timeout)) from exc
        if response.headers.get("X-SQL-State"):  # Virtuoso's partial ('anytime') results
            raise StoreError(
                f"{self.url} answered with partial results "
                f"({response.headers.get('X-SQL-Message', 'a timeout or a row cap')})"
            )
        return form, body, response.headers.get("Content-Type", "")


def check_url(url: str, what: str) -> None:
    """UsageError unless ``url`` is an absolute http or https URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{url!r} is not an http(s) URL of {what}")


def credentials() -> tuple[str | None, str]:
    """The user and password of $PEEL_KG_SPARQL_USER and $PEEL_KG_SPARQL_PASSWORD."""
    return os.environ.get(USER_ENV) or None, os.environ.get(PASSWORD_ENV, "")


def unreachable(url: str, exc: Exception, timeout: float = TIMEOUT) -> str:
    """The message for an endpoint that does not answer (within ``timeout`` seconds)."""
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"{url}: no answer within {timeout:g} s"
    return f"{url}: cannot reach the server ({reason}); is it running, and is the URL right?"


def put_graph(graph_store: str, graph: str, ntriples: bytes, timeout: float = TIMEOUT) -> None:
    """Replace the named graph ``graph`` of the graph store at ``graph_store`` with the
    N-Triples ``ntriples`` (HTTP PUT, https://www.w3.org/TR/sparql11-http-rdf-update/#http-put).

    :raises StoreError: the graph store cannot be reached or refuses the graph.
    """
    target = f"{graph_store}{'&' if '?' in graph_store else '?'}"
    target += urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(target, data=ntriples, method="PUT")
    request.add_header("Content-Type", "application/n-triples")
    user, password = credentials()
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        said = exc.read().decode("utf-8", "replace").strip()[:300]
        hint = f"; set {USER_ENV} and {PASSWORD_ENV}" if exc.code in (401, 403) else ""
        raise StoreError(
            f"{graph_store}: the graph store refused graph <{graph}> "
            f"(HTTP {exc.code} {exc.reason}{': ' + said if said else ''}){hint}"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(unreachable(graph_store, exc, timeout)) from exc


def _bound(query: str, bindings: Mapping[str, Node] | None) -> str:
    """``query`` with ``bindings`` as a trailing VALUES clause (SPARQL 1.1 §10.2.2)."""
    if not bindings:
        return query
    if any(isinstance(v, BNode) for v in bindings.values()):
        raise QueryError("a blank node cannot be bound in a query sent to an endpoint")
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    return f"{query}\nVALUES ({names}) {{ ({terms}) }}"


def _solutions(answer: tuple[bytes, str], url: str) -> Any:
    """The solutions of an answer to a SELECT query."""
    return _parse_results(*answer, url)


def _parse_results(body: bytes, media: str, url: str) -> Any:
    """SPARQL results (JSON, XML or TSV) as pyoxigraph's QuerySolutions or QueryBoolean."""
    fmt = ox.QueryResultsFormat.from_media_type(media) if media else None
    if fmt is None or fmt == ox.QueryResultsFormat.CSV:  # CSV loses the terms' kinds
        raise StoreError(_not_results(url, media, body, "SPARQL results (JSON or XML)"))
    try:
        return ox.parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"{url} answered with {media} that does not parse: {exc}") from exc


def _triples(body: bytes, media: str, url: str) -> list[ox.Triple]:
    """The triples of an answer to a CONSTRUCT or DESCRIBE query."""
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt is None:
        raise StoreError(_not_results(url, media, body, "RDF (N-Triples, Turtle, RDF/XML)"))
    try:
        return [q.triple for q in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise StoreError(f"{url} answered with {media} that does not parse: {exc}") from exc


def _not_results(url: str, media: str, body: bytes, wanted: str) -> str:
    start = body[:120].decode("utf-8", "replace").strip().replace("\n", " ")
    return (
        f"{url} answered with {media or 'no Content-Type'}, not {wanted}: is it a SPARQL "
        f"endpoint? (it began: {start!r})"
    )


def _said(exc: Exception) -> str:
    """What SPARQLWrapper's exception holds of the server's answer, on one line."""
    text = " ".join(str(exc).split())
    return text[:400]


__all__ = [
    "GRAPH_STORE_ENV",
    "PASSWORD_ENV",
    "USER_ENV",
    "SparqlStore",
    "check_url",
    "credentials",
    "put_graph",
]
