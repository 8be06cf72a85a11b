"""Exports hold the same graph as the build: Turtle, JSON-LD and N-Quads read back equal."""

from __future__ import annotations

import json

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import serialise, union
from kg.pipeline import BuildResult


def test_turtle_is_the_union_of_all_graphs(built: BuildResult) -> None:
    text = serialise(built.dataset, "turtle")
    assert "@prefix peel: <https://w3id.org/peel-kg/ontology#>" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), union(built.dataset))


def test_jsonld_uses_the_shipped_context_and_reads_back(built: BuildResult) -> None:
    text = serialise(built.dataset, "jsonld")
    doc = json.loads(text)
    assert set(doc["@context"]) >= {"peel", "oa", "prov", "headline", "span"}
    again = Dataset()
    again.parse(data=text, format="json-ld")
    assert isomorphic(union(again), union(built.dataset))


def test_nquads_keep_every_named_graph(built: BuildResult) -> None:
    again = Dataset()
    again.parse(data=serialise(built.dataset, "nq"), format="nquads")
    names = {str(g.identifier) for g in again.graphs() if len(g)}
    assert names == {str(g.identifier) for g in built.dataset.graphs() if len(g)}
    assert isomorphic(union(again), union(built.dataset))
