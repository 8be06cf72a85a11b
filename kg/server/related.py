"""The related-findings graph as a page of the server: ``/related?force=F`` (and theme,
area, initiative, assessment: the filters of ``peel-kg viz``, kg.related.related_graph).

The page is ``peel-kg viz``'s (kg.viz.page) with its scripts and style served as files of
``kg/viz/assets/`` under ``/static/viz/``, so it runs under the server's
Content-Security-Policy, which allows no inline script or style. Each node's IRI links to
its page (``/id/…``) and each quote to its passage (``/passage?…``).

A force's page is made from that force's part of the store only (the named graphs of its
sources, the shared ones, reference data and entities, and its part of the links graph;
kg.related_source.force_part), read into rdflib for the request; a page without a force
from an rdflib graph of every triple of the store, made at the first such request and
kept (minutes and gigabytes on the national graph of the benchmark: give a force there).
Each page is kept in the answer cache under its filters.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kg.server.resource import local_link
from kg.server.runner import Runner
from kg.store import GraphStore

#: Where the page's scripts and style are served: the folder kg/viz/assets.
ASSETS_URL = "/static/viz"
VIZ_ASSETS = Path(__file__).parents[1] / "viz" / "assets"
#: The filters a request may give, as ``peel-kg viz`` takes them.
FILTERS = ("force", "theme", "area", "initiative", "assessment")


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
        force's IRI (kg.related_source.force_part).

        :raises InputError: ``force`` names no force of the graph or the reference data.
        """
        from kg.related_source import force_part

        return force_part(self.store, force)

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
