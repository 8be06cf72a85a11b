"""The canned query catalogue as RDF (not yet loaded into the built graph).

Each query of queries/ is an ``sh:SPARQLExecutable`` and ``sh:SPARQLSelectExecutable``
(as the SIB sparql-examples describe theirs) at ``id:query/NAME``: its name
(``rdfs:label``), summary (``rdfs:comment``), description (``dcterms:description``),
SPARQL text (``sh:select``) and tags (``schema:keywords``), and an ``sh:parameter`` per
parameter (an ``sh:Parameter`` at ``id:query/NAME/parameter/P``): its name
(``sh:name``), description, type (``dcterms:type``, a kg.queries parameter type),
whether it may be left out (``sh:optional``) or given once only (``sh:maxCount 1``), its
default (``sh:defaultValue``), example
(``skos:example``), the values it takes where they are few (``sh:in``) and the variable
it binds. shapes/catalogue-shapes.ttl validates it.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
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
            values = URIRef(f"{p}/values")
            Collection(graph, values, [Literal(v) for v in param.values])
            graph.add((p, SH["in"], values))
