"""The canned query catalogue as RDF (kg.catalogue)."""

from __future__ import annotations

from rdflib import RDF, Literal
from rdflib.namespace import DCTERMS, SKOS

from kg import vocab
from kg.catalogue import catalogue_graph, query_iri
from kg.queries import list_queries

SH = vocab.SH


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
