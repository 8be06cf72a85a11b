"""The canned query catalogue as RDF (kg.catalogue)."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SKOS

from kg import vocab
from kg.catalogue import catalogue_graph, query_iri
from kg.pipeline import BuildResult
from kg.queries import list_queries
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SH = vocab.SH
PREFIXES = "".join(
    f"PREFIX {p}: <{ns}>\n"
    for p, ns in {**vocab.PREFIXES, "rdf": RDF, "sh": SH, "graph": vocab.GRAPH}.items()
)


def test_every_query_is_an_executable_with_its_text_tags_and_parameters() -> None:
    graph = catalogue_graph()
    queries = list_queries()
    assert set(graph.subjects(RDF.type, SH.SPARQLExecutable)) == {
        query_iri(q.name) for q in queries
    }
    for q in queries:
        node = query_iri(q.name)
        assert graph.value(node, SH.select) == Literal(q.text)
        assert set(graph.objects(node, vocab.SCHEMA.keywords)) == {Literal(t) for t in q.tags}
        params = {str(graph.value(p, SH.name)): p for p in graph.objects(node, SH.parameter)}
        assert sorted(params) == sorted(p.name for p in q.parameters)
        for p in q.parameters:
            assert graph.value(params[p.name], DCTERMS.type) == Literal(p.type)
            assert graph.value(params[p.name], SH.optional) == Literal(not p.required)
            example = graph.value(params[p.name], SKOS.example)
            assert example == (None if p.example is None else Literal(p.example))


def test_the_built_graph_holds_the_catalogue_in_its_own_named_graph(built: BuildResult) -> None:
    held = built.dataset.graph(vocab.QUERIES_GRAPH)
    assert len(held) > 0
    assert isomorphic(held, catalogue_graph())


def test_the_catalogue_can_be_queried_and_conforms_to_its_shape(store: Store) -> None:
    """Which queries take a force, found by SPARQL on the built graph; the allowed values
    of findings' type read back; the catalogue satisfies its shape."""
    rows = store.rows(
        PREFIXES
        + """SELECT ?name WHERE { GRAPH graph:queries {
          ?q a sh:SPARQLExecutable ; rdfs:label ?name ; sh:parameter/sh:name "force" } }"""
    )
    takes_force = {q.name for q in list_queries() if any(p.name == "force" for p in q.parameters)}
    assert {str(r["name"]) for r in rows} == takes_force
    values = store.rows(
        PREFIXES
        + """SELECT ?value WHERE { GRAPH graph:queries {
          ?q rdfs:label "findings" ; sh:parameter ?p . ?p sh:name "type" ;
             sh:in/rdf:rest*/rdf:first ?value } }"""
    )
    findings = next(q for q in list_queries() if q.name == "findings")
    kind = next(p for p in findings.parameters if p.name == "type")
    assert sorted(str(r["value"]) for r in values) == sorted(kind.values)
    shapes = Graph().parse(ROOT / "shapes" / "catalogue-shapes.ttl")
    conforms, _, report = pyshacl.validate(catalogue_graph(), shacl_graph=shapes)
    assert conforms, report
