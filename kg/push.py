"""Publishing: load a built graph into a running SPARQL server through the SPARQL 1.1
Graph Store Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/), one named graph
of the build at a time, then check what the server holds.

Each named graph is sent whole by HTTP PUT, which replaces that graph on the server: a
rebuild pushed again replaces every graph it has (a graph the new build no longer has
stays on the server until removed there). Afterwards each graph's triple count on the
server, asked through the query endpoint, must equal the file's; a difference is a
StoreError naming the graph and both counts.

The graph store is ``graph_store``, else $PEEL_KG_GRAPH_STORE, else, for an endpoint whose
URL ends in ``/query`` (Oxigraph's layout), the same URL ending in ``/store``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import StoreError, UsageError
from kg.remote import GRAPH_STORE_ENV, SparqlStore, check_url, put_graph
from kg.stores import open_files

if TYPE_CHECKING:
    from kg.pipeline import Progress


@dataclass
class PushResult:
    """What a push did: the graph store written to, each named graph's triple count (as
    the file has it and the server has it after), and the seconds it took."""

    endpoint: str
    graph_store: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the CLI."""
        triples = sum(self.counts.values())
        return (
            f"pushed {len(self.counts)} named graphs ({triples} triples) to "
            f"{self.graph_store} in {self.seconds:.1f} s; the counts on {self.endpoint} match"
        )


def graph_store_url(endpoint: str, graph_store: str | None = None) -> str:
    """The graph store to write to: ``graph_store``, else $PEEL_KG_GRAPH_STORE, else the
    endpoint's URL with its final ``/query`` made ``/store`` (Oxigraph's).

    :raises UsageError: none is given and the endpoint's URL does not end in /query.
    """
    url = graph_store or os.environ.get(GRAPH_STORE_ENV, "").strip() or None
    if url is None:
        base, sep, rest = endpoint.partition("?")
        if not base.rstrip("/").endswith("/query"):
            raise UsageError(
                f"cannot tell the graph store of {endpoint}: give --graph-store URL "
                f"(or set {GRAPH_STORE_ENV}); Fuseki's is …/DATASET/data, GraphDB's "
                "…/repositories/ID/rdf-graphs/service"
            )
        url = base.rstrip("/").removesuffix("/query") + "/store"
    check_url(url, "the graph store")
    return url


def push(
    data: Path,
    endpoint: str,
    graph_store: str | None = None,
    progress: Progress | None = None,
) -> PushResult:
    """Load the built graph ``data`` (a graph file, or a folder holding peel.nq) into the
    server whose SPARQL query endpoint is ``endpoint``: each named graph PUT to the graph
    store (see :func:`graph_store_url`), then each graph's triple count on the server
    checked against the file's.

    :param progress: told of each graph sent, and of the check.
    :raises UsageError: there is no built graph at ``data``, it holds triples outside a
        named graph (the protocol's default graph is not written), or no graph store.
    :raises StoreError: the server cannot be reached or refuses a graph, or a graph's
        count on the server differs from the file's (each named with both counts).
    """
    check_url(endpoint, "the SPARQL endpoint")
    target = graph_store_url(endpoint, graph_store)
    tell = progress or (lambda step, done, total: None)
    started = time.perf_counter()
    local = open_files(data).oxigraph
    if next(local.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        raise UsageError(f"{data}: holds triples outside a named graph; push writes named graphs")
    graphs = sorted(g.value for g in local.named_graphs() if isinstance(g, ox.NamedNode))
    counts: dict[str, int] = {}
    for n, graph in enumerate(graphs):
        tell(f"pushing {graph}", n, len(graphs) + 1)
        triples = [q.triple for q in local.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        counts[graph] = len(triples)
        put_graph(target, graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    tell(f"checking the counts on {endpoint}", len(graphs), len(graphs) + 1)
    check_counts(endpoint, counts)
    tell("pushed", len(graphs) + 1, len(graphs) + 1)
    return PushResult(endpoint, target, counts, time.perf_counter() - started)


def check_counts(endpoint: str, counts: dict[str, int]) -> None:
    """Ask ``endpoint`` how many triples each named graph of ``counts`` holds; StoreError
    naming every graph whose count differs, with both counts."""
    if not counts:
        return
    values = " ".join(f"<{g}>" for g in counts)
    query = (
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
        "GROUP BY ?g"
    )
    server = {str(r["g"]): int(str(r["n"])) for r in SparqlStore(endpoint).rows(query)}
    wrong = [
        f"<{g}>: {n} triples in the file, {server.get(g, 0)} on the server"
        for g, n in counts.items()
        if server.get(g, 0) != n
    ]
    if wrong:
        raise StoreError(
            f"{endpoint}: the pushed graph does not match the file in {len(wrong)} named "
            "graph(s): " + "; ".join(wrong)
        )


__all__ = ["PushResult", "check_counts", "graph_store_url", "push"]
