"""A force's part of the store (kg.related_source.force_part) makes the related graph the
whole graph makes for that force: the same nodes and edges with the same attributes, on
the shipped corpus and on a corpus of two forces from bench/corpus.py, where the other
force's part is left out; and the CLI (`related`, `viz` with --force) reads only it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg import vocab
from kg.cli import cli
from kg.errors import InputError
from kg.export import load_dataset, union
from kg.pipeline import BuildResult, build
from kg.related import related_graph
from kg.related_source import force_part
from kg.resolve import to_force
from kg.store import Store
from tests.benches import load_bench

#: The forces of the two-force corpus (bench/corpus.py's first two), by a short name.
FORCES = ("Avon and Somerset", "Bedfordshire")
#: Filters given with the force; each selects some of each force's findings (both forces
#: name Ask for Angela).
FILTERS = [
    {},
    {"assessment": "2023-25"},
    {"theme": "partnerships"},
    {"initiative": "Ask for Angela"},
]


@dataclass
class Two:
    out: Path
    store: Store
    whole: Graph
    parts: dict[str, tuple[Graph, str]] = field(default_factory=dict)

    def part(self, force: str) -> tuple[Graph, str]:
        """The force's part of the store (kg.related_source.force_part), asked once."""
        if force not in self.parts:
            self.parts[force] = force_part(self.store, force)
        return self.parts[force]


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Two:
    """The corpus of two forces, built into a folder, in a store and as one rdflib graph."""
    corpus = load_bench("corpus")
    folder = tmp_path_factory.mktemp("two")
    out = folder / "out"
    build(corpus.write_national_corpus(folder / "src", 2), out, cache=False)
    whole = union(load_dataset(out / "peel.nq"))
    return Two(out, Store.from_file(out / "peel.nq"), whole)


def _edges(graph: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
    return Counter((u, v, json.dumps(d, sort_keys=True)) for u, v, d in graph.edges(data=True))


def _assert_same(part: nx.MultiDiGraph, whole: nx.MultiDiGraph) -> None:
    assert dict(part.nodes(data=True)) == dict(whole.nodes(data=True))
    assert _edges(part) == _edges(whole)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f.values()) or "force")
@pytest.mark.parametrize("name", FORCES)
def test_a_forces_part_makes_the_related_graph_of_the_whole_graph(
    two: Two, name: str, filters: dict[str, str]
) -> None:
    part, iri = two.part(name)
    assert iri == str(to_force(name))
    other = to_force(next(f for f in FORCES if f != name))
    theirs = {  # the other force's findings and follow-ups: none is in the part
        s
        for s in two.whole.subjects(vocab.force, other)
        if str(s).startswith(f"{vocab.ID}finding/") or (s, RDF.type, vocab.FollowUp) in two.whole
    }
    assert theirs and not any((s, None, None) in part for s in theirs)
    assert len(part) < len(two.whole)
    made = related_graph(part, force=iri, **filters)
    expected = related_graph(two.whole, force=iri, **filters)
    label = str(part.value(URIRef(iri), RDFS.label))
    assert any(a.get("force") == label for _, a in expected.nodes(data=True))
    _assert_same(made, expected)


def test_the_shipped_forces_part_makes_its_related_graph(store: Store, built: BuildResult) -> None:
    part, iri = force_part(store, "Northants")
    whole = union(built.dataset)
    for filters in ({}, {"assessment": "2025-27"}):
        expected = related_graph(whole, force=iri, **filters)
        assert expected.number_of_edges() > 0
        _assert_same(related_graph(part, force=iri, **filters), expected)
    with pytest.raises(InputError, match="'Atlantis Constabulary' names no force"):
        force_part(store, "Atlantis Constabulary")


def test_a_store_without_named_graphs_gives_every_triple(two: Two) -> None:
    flat = Store.from_file(two.out / "peel.ttl")
    part, iri = force_part(flat, "Bedfordshire")
    assert iri == str(to_force("Bedfordshire"))
    assert len(part) == len(two.whole) and (None, vocab.force, to_force("Avon")) in part


def test_related_and_viz_with_a_force_answer_as_the_whole_graph_does(
    two: Two, tmp_path: Path
) -> None:
    """.nq is read as the force's part; .ttl (no named graphs) whole through Oxigraph;
    .jsonld whole through rdflib, as without a force."""
    runner = CliRunner()
    central = ["related", "central", "--force", "Avon", "--n", "5"]
    said = {
        name: runner.invoke(cli, [*central, "--data", str(two.out / name)])
        for name in ("peel.nq", "peel.ttl", "peel.jsonld")
    }
    assert all(r.exit_code == 0 for r in said.values()), {k: r.output for k, r in said.items()}
    assert said["peel.nq"].stdout.endswith("(5 rows)\n")
    assert said["peel.nq"].stdout == said["peel.ttl"].stdout == said["peel.jsonld"].stdout
    expected = related_graph(two.whole, force=str(to_force("Avon")))
    page = tmp_path / "avon.html"
    drawn = runner.invoke(
        cli, ["viz", "--force", "Avon", "--data", str(two.out), "--out", str(page)]
    )
    assert drawn.exit_code == 0, drawn.output
    assert f"{expected.number_of_nodes()} nodes, {expected.number_of_edges()} links" in drawn.stdout
    assert page.exists()
