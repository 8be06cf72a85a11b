"""The related-findings graph as a page of the server: ``/related?force=F`` (and theme,
area, initiative, assessment: the filters of ``peel-kg viz``, kg.related.related_graph).

The page is ``peel-kg viz``'s (kg.viz.page) with its scripts and style served as files of
``kg/viz/assets/`` under ``/static/viz/``, so it runs under the server's
Content-Security-Policy, which allows no inline script or style. Each node's IRI links to
its page (``/id/…``) and each quote to its passage (``/passage?…``).

A force's page is made from that force's part of the store only (the named graphs of its
sources, the shared ones, reference data and entities, and its part of the links graph),
read into rdflib for the request; a page without a force from an rdflib graph of every
triple of the store, made at the first such request and kept (minutes and gigabytes on
the national graph of the benchmark: give a force there). Each page is kept in the
answer cache under its filters.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kg import vocab
from kg.server.resource import local_link
from kg.server.runner import Runner
from kg.store import GraphStore

#: Where the page's scripts and style are served: the folder kg/viz/assets.
ASSETS_URL = "/static/viz"
VIZ_ASSETS = Path(__file__).parents[1] / "viz" / "assets"
#: The filters a request may give, as ``peel-kg viz`` takes them.
FILTERS = ("force", "theme", "area", "initiative", "assessment")
#: Each named graph stating a peel:force, the number of forces it names and one of them.
_GRAPH_FORCES = f"""SELECT ?g (COUNT(DISTINCT ?f) AS ?forces) (SAMPLE(?f) AS ?force) WHERE {{
  GRAPH ?g {{ ?x <{vocab.force}> ?f }}
}} GROUP BY ?g"""
#: A force's part of the links graph: what states the force (``peel:force``: follow-ups,
#: an earlier finding known only through a later report), the nodes they point to and
#: those nodes' nodes (a span), the nodes pointing to them (a report's follow-up, a theme
#: tag), and the theme tags of its findings (fragments of the findings' IRIs, which
#: kg.vocab.mint makes from the force's name). tests/test_server_related.py checks that a
#: force's page is the one made from the whole graph.
_LINKS_PART = """GRAPH <{graph}> {{
  {{ SELECT DISTINCT ?s WHERE {{
    {{ ?s <{has_force}> <{force}> }}
    UNION {{ ?up <{has_force}> <{force}> ; ?p1 ?s . FILTER(isIRI(?s)) }}
    UNION {{ ?up <{has_force}> <{force}> ; ?p1 ?n . ?n ?p2 ?s . FILTER(isIRI(?s)) }}
    UNION {{ ?s ?p0 ?x . ?x <{has_force}> <{force}> }}
    UNION {{ ?s a <{tag}> . FILTER(STRSTARTS(STR(?s), "{findings}")) }}
  }} }}
  ?s ?p ?o
}}"""


class RelatedPages:
    """The ``/related`` route: the store's related-findings graph, filtered, as a page."""

    def __init__(self, store: GraphStore, runner: Runner, root: Path) -> None:
        self.store = store
        self.runner = runner
        self.root = root
        self._union: Graph | None = None
        self._lock = threading.Lock()

    def union(self) -> Graph:
        """Every triple of the store in one rdflib graph, read once."""
        with self._lock:
            if self._union is None:
                from kg.sparql import to_graph

                self._union = to_graph(self.store.construct("CONSTRUCT WHERE { ?s ?p ?o }"))
            return self._union

    def force_union(self, force: str) -> tuple[Graph, str]:
        """The triples a force's related graph is made from, in one rdflib graph, and the
        force's IRI: the named graphs of its sources and of no other force (the reference
        data, the entities), and of the links graph the force's part (its follow-ups and
        what they point to, two steps on, and its findings' theme tags).

        :raises InputError: ``force`` names no force of the graph or the reference data.
        """
        from kg.errors import InputError
        from kg.resolve import to_force
        from kg.sparql import to_graph

        try:
            iri = to_force(force, self.store)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        others = {
            str(r["g"])
            for r in self.store.rows(_GRAPH_FORCES)
            if str(r["forces"]) == "1" and r["force"] != iri
        }
        links = str(vocab.LINKS_GRAPH)
        graphs = " ".join(
            f"<{g}>" for g in self.store.graph_names() if g not in others and g != links
        )
        whole = f"VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }}"
        findings = f"{vocab.ID}finding/{str(iri).rsplit('/', 1)[-1]}/"
        part = _LINKS_PART.format(
            graph=links, has_force=vocab.force, force=iri, tag=vocab.ThemeTag, findings=findings
        )
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {whole} }} UNION {{ {part} }} }}"
        return to_graph(self.store.construct(query)), str(iri)

    async def page(self, request: Request) -> Response:
        """The page for the filters of the query string (none: the whole graph)."""
        filters = {k: request.query_params.get(k, "").strip() or None for k in FILTERS}
        key = ("related", tuple((k, v) for k, v in filters.items() if v))
        text = await self.runner.cached(key, lambda: self.render(filters), len)
        return HTMLResponse(text)

    def render(self, filters: dict[str, str | None]) -> str:
        """The page's HTML (blocking: run it in a query thread).

        :raises InputError: a filter names nothing in the graph (kg.related).
        """
        from kg.related import related_graph
        from kg.viz.page import page_data, render_page

        if filters.get("force"):  # read that force's part of the graph only
            part, force = self.force_union(str(filters["force"]))
            graph = related_graph(part, **(filters | {"force": force}))
        else:
            graph = related_graph(self.union(), **filters)
        data = page_data(graph, out_dir=self.root, source_root=self.root)
        for node in data["nodes"]:
            served_links(node)
        given = ", ".join(f"{k} {v}" for k, v in filters.items() if v)
        title = "PEEL related findings" + (f": {given}" if given else "")
        return render_page(data, title=title, assets=ASSETS_URL)


def served_links(node: dict[str, Any]) -> None:
    """Point a node of the page's data at the server: ``page`` its page (``/id/…``), and
    ``href`` its quote's passage, in place of the file beside an offline page."""
    node.pop("href", None)
    page = local_link(node["id"])
    if page:
        node["page"] = page
    if node.get("source") and node.get("start") is not None and node.get("end") is not None:
        query = {"file": node["source"], "start": node["start"], "end": node["end"]}
        node["href"] = "/passage?" + urlencode(query)
