"""The canned query catalogue as RDF, built into the graph as ``graph:queries``.

Each query of queries/ is an ``sh:SPARQLExecutable`` and ``sh:SPARQLSelectExecutable``
(as the SIB sparql-examples describe theirs) at ``id:query/NAME``: its name
(``rdfs:label``), summary (``rdfs:comment``), description (``dcterms:description``),
SPARQL text (``sh:select``), its file (``dcterms:source``) and tags
(``schema:keywords``), and an ``sh:parameter`` per parameter (an ``sh:Parameter`` at
``id:query/NAME/parameter/P``): its name (``sh:name``), description, type
(``dcterms:type``, a kg.queries parameter type), whether it may be left out
(``sh:optional``) or given once only (``sh:maxCount 1``), its default
(``sh:defaultValue``), example (``skos:example``), the values it takes where they are
few (``sh:in``) and the variable it binds. shapes/catalogue-shapes.ttl validates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from kg import vocab
from kg.queries import CannedQuery, list_queries

SH, SCHEMA = vocab.SH, vocab.SCHEMA


def query_iri(name: str) -> URIRef:
    """The IRI of a canned query."""
    return vocab.ID[f"query/{name}"]


def catalogue_graph(directory: Path | None = None) -> Graph:
    """The catalogue of the queries in ``directory`` (default: the project's queries/)."""
    graph = Graph()
    for query in list_queries(directory):
        _describe(graph, query)
    return graph


def _describe(graph: Graph, query: CannedQuery) -> None:
    node = query_iri(query.name)
    graph.add((node, RDF.type, SH.SPARQLExecutable))
    graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
    graph.add((node, RDFS.label, Literal(query.name)))
    graph.add((node, RDFS.comment, Literal(query.summary, lang="en")))
    if query.description:
        graph.add((node, DCTERMS.description, Literal(query.description, lang="en")))
    graph.add((node, SH.select, Literal(query.text)))
    graph.add((node, DCTERMS.source, Literal(f"queries/{query.path.name}")))  # its file
    for tag in query.tags:
        graph.add((node, SCHEMA.keywords, Literal(tag)))
    for order, param in enumerate(query.parameters, 1):
        p = URIRef(f"{node}/parameter/{param.name}")
        graph.add((node, SH.parameter, p))
        graph.add((p, RDF.type, SH.Parameter))
        graph.add((p, SH.path, p))
        graph.add((p, SH.name, Literal(param.name)))
        graph.add((p, SH.order, Literal(order, datatype=XSD.integer)))
        graph.add((p, SH.description, Literal(param.description, lang="en")))
        graph.add((p, DCTERMS.type, Literal(param.type)))
        graph.add((p, SH.optional, Literal(not param.required)))
        graph.add((p, SH.varName, Literal(param.binds)))
        if not param.repeat:
            graph.add((p, SH.maxCount, Literal(1, datatype=XSD.integer)))
        if param.default is not None:
            graph.add((p, SH.defaultValue, Literal(param.default)))
        if param.example is not None:
            graph.add((p, SKOS.example, Literal(param.example)))
        if param.values:
            graph.add((p, SH["in"], _list(graph, f"{p}/values", param.values)))


def _list(graph: Graph, base: str, items: Sequence[str]) -> URIRef:
    """An RDF list of ``items`` whose nodes are IRIs under ``base`` (``base``, ``base/2``
    …), not blank nodes: the same catalogue gives the same triples in every build."""
    nodes = [URIRef(base if i == 1 else f"{base}/{i}") for i in range(1, len(items) + 1)]
    for node, item, rest in zip(nodes, items, [*nodes[1:], RDF.nil], strict=True):
        graph.add((node, RDF.first, Literal(item)))
        graph.add((node, RDF.rest, rest))
    return nodes[0]
