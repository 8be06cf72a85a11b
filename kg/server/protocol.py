"""The SPARQL 1.1 Protocol endpoint, read-only: ``/sparql``.

A query comes as ``GET /sparql?query=…``, as a form (``POST``,
application/x-www-form-urlencoded, ``query=…``) or as the body itself (``POST``,
application/sparql-query) — https://www.w3.org/TR/sparql11-protocol/#query-operation.
An update (``update=``, application/sparql-update, or query text that is an update:
INSERT, DELETE, LOAD, CLEAR …) is refused with 403: the server never writes. So is a
Graph Store Protocol write (a POST with ``?graph=`` or ``?default``, or of RDF; PUT,
DELETE and PATCH are 405 on every path). So is a
federated query (SERVICE), which Oxigraph would send to any address from the server's
machine. The dataset
is the built graph (its default graph the union of the named graphs): a request naming
``default-graph-uri`` or ``named-graph-uri`` is refused (400) rather than ignored.

The project's prefixes are predeclared, as for ``peel-kg sparql``. The answer is
negotiated on Accept: SPARQL Results JSON (the default), XML, CSV or TSV for SELECT and
ASK; Turtle (the default), JSON-LD or N-Triples for CONSTRUCT and DESCRIBE; 406 for none
of these. Limits (kg.server.runner.Limits): query length and body size (413), row cap
(422), timeout (503).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from kg.server.http import RequestError, negotiate, read_body
from kg.server.runner import Answer, Limits, Runner, answer
from kg.sparql import PREFIXES, to_graph
from kg.store import GraphStore

#: Media types of SELECT and ASK answers, the first the default, with their format.
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
#: Media types of CONSTRUCT and DESCRIBE answers, the first the default.
GRAPH_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
#: RDF a Graph Store Protocol client would POST.
_RDF = frozenset(
    ["text/turtle", "application/n-triples", "application/n-quads", "application/trig",
     "application/ld+json", "application/rdf+xml", "text/n3"]
)  # fmt: skip
_UPDATE_WORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"]
)
#: What may come before a query's form keyword: space, comments, PREFIX and BASE.
_PROLOGUE = re.compile(
    r"(?:\s+|\#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)*", re.IGNORECASE
)
_WORD = re.compile(r"[A-Za-z]+")
#: What cannot hold a keyword: strings (long ones first), IRIs and comments.
_NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>|\#[^\n]*'
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL 1.1 Update request (its first keyword after the
    prologue is INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY or WITH)."""
    start = _PROLOGUE.match(text)
    word = _WORD.match(text, start.end() if start else 0)
    return word is not None and word.group(0).upper() in _UPDATE_WORDS


def is_federated(text: str) -> bool:
    """Whether ``text`` calls another endpoint (the keyword SERVICE outside its strings,
    IRIs and comments): Oxigraph would send the request, from the server's machine."""
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", text)))


async def query_text(request: Request, limits: Limits) -> str:
    """The query of a SPARQL Protocol request; RequestError for an update (403), a
    request of another kind (400, 415) or one over the limits (413)."""
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and (params.keys() & {"graph", "default"} or kind in _RDF):
        raise RequestError(  # a Graph Store Protocol write, refused before its body is read
            403, "this server is read-only: Graph Store Protocol writes are refused"
        )
    if request.method == "POST":
        body = await read_body(request, limits.max_body)
        if kind == _UPDATE:
            raise _read_only()
        if kind == _FORM:
            for key, values in parse_qs(body.decode("utf-8", "replace")).items():
                params.setdefault(key, []).extend(values)
        elif kind == _QUERY:
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
        else:
            raise RequestError(
                415,
                f"a POST to /sparql must be {_FORM} (query=…) or {_QUERY}; "
                f"not {kind or 'a body without Content-Type'}",
            )
    if "update" in params:
        raise _read_only()
    if params.keys() & {"default-graph-uri", "named-graph-uri"}:
        raise RequestError(
            400,
            "default-graph-uri and named-graph-uri are not supported: the dataset is the "
            "built graph; name graphs with FROM, FROM NAMED or GRAPH in the query",
        )
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise RequestError(
            400, "give one SPARQL query: ?query=… , a form field query=… or the POST body"
        )
    text = queries[0]
    if len(text) > limits.max_query_length:
        raise RequestError(
            413,
            f"the query has {len(text)} characters, over the server's limit of "
            f"{limits.max_query_length}",
        )
    if is_update(text):
        raise _read_only()
    if is_federated(text):
        raise RequestError(
            403, "federated queries (SERVICE) are refused: this server queries its own graph only"
        )
    return text


def _read_only() -> RequestError:
    return RequestError(403, "this endpoint is read-only: SPARQL Update is refused")


def serialize(result: Answer, accept: str | None) -> tuple[bytes, str]:
    """``result`` in the media type ``accept`` prefers; RequestError 406 if none fits."""
    if result.kind == "triples":
        media = negotiate(accept, GRAPH_TYPES)
        if media is None:
            raise _not_acceptable("a CONSTRUCT or DESCRIBE query", accept, GRAPH_TYPES)
        return _graph(result, media), media
    offered = tuple(RESULT_TYPES)
    media = negotiate(accept, offered)
    if media is None:
        raise _not_acceptable("a SELECT or ASK query", accept, offered)
    data = result.results_json()
    fmt = RESULT_TYPES[media]
    if fmt != ox.QueryResultsFormat.JSON:
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        data = parsed.serialize(format=fmt) or b""
    return data, media


def _graph(result: Answer, media: str) -> bytes:
    triples = list(result.triples)
    if media == "text/turtle":
        # without id:, whose local names would need their slashes escaped
        shown = {k: v for k, v in PREFIXES.items() if k != "id"}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=shown) or b""
    if media == "application/n-triples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    from kg.export import load_context  # the JSON-LD context of every export

    text = to_graph(triples).serialize(format="json-ld", context=load_context(), indent=2)
    return text.encode("utf-8")


def _not_acceptable(kind: str, accept: str | None, offered: tuple[str, ...]) -> RequestError:
    return RequestError(
        406, f"{kind} cannot be answered as {accept!r}; accept one of {', '.join(offered)}"
    )


def media_header(media: str) -> str:
    """The Content-Type of an answer (text types in UTF-8)."""
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


async def endpoint(request: Request, store: GraphStore, runner: Runner) -> Response:
    """Answer one SPARQL Protocol request."""
    text = await query_text(request, runner.limits)
    accept = request.headers.get("accept")
    max_rows = runner.limits.max_rows
    data, media = await runner.cached(
        ("sparql", text, accept),
        lambda: serialize(answer(store, text, max_rows), accept),
        lambda made: len(made[0]),
    )
    return Response(data, headers={"content-type": media_header(media), "vary": "Accept"})
