"""The server's HTML pages: home, the query editor, the canned query gallery (each query
with a form for its parameters, its results as a table with CSV and JSON downloads), the
page of each node of the graph under ``/id/…`` (HTML, or Turtle and JSON-LD for RDF
clients), a force's briefing (kg.brief) and a passage of a source text. Templates are
files in ``templates/`` (Jinja2, autoescaped).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from rapidfuzz import process
from rdflib import Literal, URIRef
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from kg import brief as briefing
from kg import vocab
from kg.queries import CannedQuery, bound_text
from kg.server.http import RequestError, negotiate
from kg.server.protocol import GRAPH_TYPES, media_header, serialize
from kg.server.resource import Term, curie, local_link, node_iri, passage, view_node
from kg.server.runner import Answer, Runner, answer
from kg.sparql import PREFIXES
from kg.store import GraphStore, from_ox

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
_DESCRIBE = "CONSTRUCT { ?node ?p ?o } WHERE { ?node ?p ?o }"
_FORCES = """PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?force ?label WHERE {
  ?inspection a peel:Inspection ; peel:force ?force . ?force rdfs:label ?label
} ORDER BY ?label"""
T = TypeVar("T")
#: The downloads of a canned query's results: file extension -> media type.
DOWNLOADS = {"csv": "text/csv", "json": "application/sparql-results+json"}


@dataclass(frozen=True)
class Site:
    """What the pages need: the graph, the runner of its queries, the canned queries and
    the folder of the source texts."""

    store: GraphStore
    runner: Runner
    queries: tuple[CannedQuery, ...]
    root: Path


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """The template ``name`` filled with ``context``."""
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


async def home(request: Request, site: Site) -> Response:
    rows = await site.runner.call(lambda: site.store.rows(_FORCES))
    forces = [Term(str(r["label"]), local_link(str(r["force"]))) for r in rows]
    return render(request, "home.html", forces=forces, queries=site.queries)


async def editor(request: Request, site: Site) -> Response:
    return render(request, "editor.html")


async def prefixes(request: Request) -> Response:
    """The project's prefixes in prefix.cc's JSON form, for the editor's autocompletion."""
    return Response(json.dumps(PREFIXES, sort_keys=True), media_type="application/json")


async def gallery(request: Request, site: Site) -> Response:
    return render(request, "gallery.html", queries=site.queries)


def _params(request: Request) -> dict[str, list[str]]:
    """The parameters given in the query string, empty fields left out (an unknown one is
    refused when the query is bound, kg.queries.bound_text)."""
    given = {
        key: [v for v in request.query_params.getlist(key) if v.strip()]
        for key in request.query_params
        if key != "run"
    }
    return {k: v for k, v in given.items() if v}


async def _run_canned(
    site: Site,
    query: CannedQuery,
    params: dict[str, list[str]],
    kind: str,
    then: Callable[[Answer], T],
    size: Callable[[T], int],
) -> T:
    """``then(answer)`` of the canned query bound to ``params``, in a query thread, kept
    in the answer cache under the query's name, its parameters and ``kind``."""
    limit = site.runner.limits.max_rows
    key = ("canned", kind, query.name, tuple(sorted((k, tuple(v)) for k, v in params.items())))
    try:
        return await site.runner.cached(
            key,
            lambda: then(answer(site.store, bound_text(query, params, store=site.store), limit)),
            size,
        )
    except RequestError as exc:
        if exc.status != 422:
            raise
        raise RequestError(
            422,
            f"query '{query.name}' returns more than {limit} rows, the server's cap "
            f"(--max-rows); narrow it with its parameters, or run "
            f"`peel-kg query run {query.name}` on your own machine",
        ) from None


def _query(site: Site, name: str) -> CannedQuery:
    """The canned query called ``name``; RequestError 404 naming the closest names."""
    for query in site.queries:
        if query.name == name:
            return query
    names = [q.name for q in site.queries]
    close = [f"'{n}'" for n, _, _ in process.extract(name, names, limit=3, score_cutoff=60)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise RequestError(404, f"no query named {name!r}{hint} (/queries lists them all)")


async def canned(request: Request, site: Site) -> Response:
    """A canned query's page: its form, and its results once asked for."""
    query = _query(site, request.path_params["name"])
    params = _params(request)
    table = None
    if params or "run" in request.query_params:
        table = await _run_canned(site, query, params, "table", _table, _table_size)
    links = {
        fmt: f"/queries/{query.name}/results.{fmt}?{urlencode(params, doseq=True)}"
        for fmt in DOWNLOADS
    }
    return render(request, "query.html", query=query, params=params, table=table, links=links)


async def download(request: Request, site: Site) -> Response:
    """A canned query's results as a CSV or SPARQL results JSON file."""
    query = _query(site, request.path_params["name"])
    fmt = request.path_params["fmt"]
    if fmt not in DOWNLOADS:
        raise RequestError(404, f"no download as {fmt!r}; use one of {', '.join(DOWNLOADS)}")
    data, media = await _run_canned(
        site,
        query,
        _params(request),
        fmt,
        lambda result: serialize(result, DOWNLOADS[fmt]),
        lambda made: len(made[0]),
    )
    disposition = f'attachment; filename="{query.name}.{fmt}"'
    return Response(
        data, headers={"content-type": media_header(media), "content-disposition": disposition}
    )


def _table(result: Answer) -> dict[str, Any]:
    """A SELECT answer as columns and rows of Terms (None where unbound)."""
    rows = [
        [None if s[v] is None else _cell(from_ox(s[v])) for v in result.variables]
        for s in result.solutions
    ]
    return {"columns": result.variables, "rows": rows}


def _table_size(table: dict[str, Any]) -> int:
    """What a table is counted as in the answer cache: about 200 bytes a cell."""
    return 200 * (1 + len(table["columns"]) * len(table["rows"]))


def _cell(node: Any) -> Term:
    if isinstance(node, URIRef):
        return Term(curie(str(node)), local_link(str(node)), str(node))
    return Term(str(node))


async def node(request: Request, site: Site) -> Response:
    """The page of a node under the project's base, or its triples for an RDF client."""
    path = request.path_params["path"]
    iri = node_iri(path)
    missing = RequestError(404, f"the graph says nothing about {vocab.ID}{path}")
    if iri is None:
        raise missing
    media = negotiate(request.headers.get("accept"), ("text/html", *GRAPH_TYPES))
    if media is None:
        offered = ", ".join(("text/html", *GRAPH_TYPES))
        raise RequestError(406, f"a node's page is one of {offered}")
    if media != "text/html":

        def describe() -> tuple[bytes, str]:
            triples = tuple(site.store.construct(_DESCRIBE, {"node": URIRef(iri)}))
            if not triples:
                raise missing
            return serialize(Answer("triples", triples=triples), media)

        data, answered = await site.runner.call(describe)
        return Response(data, headers={"content-type": media_header(answered), "vary": "Accept"})
    view = await site.runner.call(lambda: view_node(site.store, iri, site.root))
    if view is None:
        raise missing
    force = iri.startswith(f"{vocab.ID}force/")
    brief = f"/brief?{urlencode({'force': view.title})}" if force else None
    response = render(request, "node.html", view=view, brief=brief)
    response.headers["vary"] = "Accept"
    return response


async def brief(request: Request, site: Site) -> Response:
    """A force's briefing (kg.brief): what changed since its previous inspection; a form
    to choose the force without one."""
    force = request.query_params.get("force", "").strip()
    assessment = request.query_params.get("assessment", "").strip() or None
    rows = await site.runner.call(lambda: site.store.rows(_FORCES))
    forces = [str(r["label"]) for r in rows]
    context: dict[str, Any] = {"forces": forces, "force": force, "assessment": assessment}
    if force:
        made = await site.runner.call(
            lambda: briefing.build_briefing(site.store, force, assessment)
        )
        context |= {"title": briefing.title(made), "sections": briefing.sections(made)}
    return render(request, "brief.html", **context)


_SOURCE = """SELECT ?source ?path WHERE {
  ?source <https://w3id.org/peel-kg/ontology#path> ?path
} LIMIT 1"""


async def source_passage(request: Request, site: Site) -> Response:
    """Characters ``start`` to ``end`` of a source file of the graph, in their paragraph."""
    path = request.query_params.get("file", "")
    try:
        start, end = int(request.query_params["start"]), int(request.query_params["end"])
    except (KeyError, ValueError):
        raise RequestError(400, "give file=, start= and end= (character offsets)") from None
    rows = await site.runner.call(lambda: site.store.rows(_SOURCE, {"path": Literal(path)}))
    found = passage(site.root, path, start, end) if rows else None
    if found is None:
        raise RequestError(404, f"no source file {path!r} of the graph holds {start}–{end}")
    source = local_link(str(rows[0]["source"]))
    return render(request, "passage.html", quote=found, start=start, end=end, source=source)
