"""What the related-findings graph (kg.related) is read from: a force's part of a store,
or every triple of it.

A force's related graph needs only that force's part of the store: the named graphs of
its sources, the graphs no other force owns (the reference data, the entities) and its
part of the links graph. :func:`force_part` asks the store for exactly those triples by
one CONSTRUCT, so ``peel-kg related --force``, ``peel-kg viz --force`` and the server's
``/related?force=`` read seconds of Oxigraph, not the whole graph into rdflib (over two
minutes and 4 GB on the national graph of the benchmark). tests/test_related_source.py
checks that a force's related graph made from its part is the one made from the whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg import vocab
from kg.errors import InputError

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from kg.store import GraphStore
    from kg.stores import StoreSpec

#: Each named graph stating a peel:force, the number of forces it names and one of them.
_GRAPH_FORCES = f"""SELECT ?g (COUNT(DISTINCT ?f) AS ?forces) (SAMPLE(?f) AS ?force) WHERE {{
  GRAPH ?g {{ ?x <{vocab.force}> ?f }}
}} GROUP BY ?g"""
#: A force's part of the links graph, the subjects of which are: what states the force,
#: in any graph (follow-ups: an explicit one states it in its report's graph, only its
#: earlier finding in the links graph; a finding, whose themes are stated here), the
#: nodes the force's nodes point to here and those nodes' nodes (a span), the nodes
#: pointing to the force's nodes here (a finding's theme tag), and the initiatives and
#: their theme tags (an initiative several forces name is no force's: its themes are
#: needed wherever it is named). tests/test_related_source.py checks that a force's
#: related graph made from its part is the one made from the whole graph.
_LINKS_PART = """{{ SELECT DISTINCT ?s WHERE {{
    {{ ?s <{has_force}> <{force}> }}
    UNION {{ ?up <{has_force}> <{force}> . GRAPH <{graph}> {{ ?up ?p1 ?s }} FILTER(isIRI(?s)) }}
    UNION {{
      ?up <{has_force}> <{force}> . GRAPH <{graph}> {{ ?up ?p1 ?n . ?n ?p2 ?s }}
      FILTER(isIRI(?s))
    }}
    UNION {{ ?x <{has_force}> <{force}> . GRAPH <{graph}> {{ ?s ?p0 ?x }} }}
    UNION {{ ?s a <{initiative}> }}
    UNION {{ ?i a <{initiative}> . GRAPH <{graph}> {{ ?s <{tagged}> ?i }} }}
  }} }}
  GRAPH <{graph}> {{ ?s ?p ?o }}"""


def force_part(store: GraphStore, force: str) -> tuple[Graph, str]:
    """The triples a force's related graph is made from, in one rdflib graph, and the
    force's IRI: the named graphs of its sources and of no other force (the reference
    data, the entities), and of the links graph the force's part (its follow-ups and what
    they point to, two steps on, its findings' themes and theme tags, and the initiatives'
    themes). A store without named graphs (a .ttl or .nt file) gives every triple.

    :param store: any store (kg.store.GraphStore); one CONSTRUCT query is asked of it.
    :param force: any of the force's names (ontology/forces.ttl or the graph's) or its IRI.
    :raises InputError: ``force`` names no force of the graph or the reference data.
    """
    from kg.resolve import to_force
    from kg.sparql import to_graph

    try:
        iri = to_force(force, store)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    names = store.graph_names()
    if not names:  # a graph file without named graphs (.ttl, .nt): no force's part to take
        return to_graph(store.construct("CONSTRUCT WHERE { ?s ?p ?o }")), str(iri)
    others = {
        str(r["g"])
        for r in store.rows(_GRAPH_FORCES)
        if str(r["forces"]) == "1" and r["force"] != iri
    }
    links = str(vocab.LINKS_GRAPH)
    graphs = " ".join(f"<{g}>" for g in names if g not in others and g != links)
    whole = f"VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }}"
    part = _LINKS_PART.format(
        graph=links,
        has_force=vocab.force,
        force=iri,
        initiative=vocab.Initiative,
        tagged=vocab.tagged,
    )
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {whole} }} UNION {{ {part} }} }}"
    return to_graph(store.construct(query)), str(iri)


def read_related(spec: StoreSpec, filters: dict[str, str | None]) -> nx.MultiDiGraph:
    """The related graph (kg.related.related_graph) of the store ``spec`` names, filtered
    by ``filters`` (its keyword arguments). With a force, only the force's part of the
    store is read (:func:`force_part`; built files are loaded into an in-memory Oxigraph
    store); without one, or from a .jsonld file, which Oxigraph does not load, every
    triple (kg.stores.union_graph).

    :raises InputError: a filter names nothing in the graph; the graph cannot be read.
    :raises UsageError: there is no built graph or store there.
    """
    from kg.related import related_graph
    from kg.stores import open_spec, union_graph

    force = filters.get("force")
    if not force or not _oxigraph_loads(spec):
        return related_graph(union_graph(spec), **filters)
    part, iri = force_part(open_spec(spec), force)
    return related_graph(part, **(filters | {"force": iri}))


def _oxigraph_loads(spec: StoreSpec) -> bool:
    """Whether the store ``spec`` names is opened as a GraphStore (not a .jsonld file)."""
    from kg.store import LOADABLE
    from kg.stores import graph_file

    if spec.kind != "files":
        return True
    return graph_file(Path(spec.target)).suffix.lower() in LOADABLE


__all__ = ["force_part", "read_related"]
