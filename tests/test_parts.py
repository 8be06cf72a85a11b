"""The graph made force by force (kg.parts) is the graph made whole.

A corpus of three forces from bench/corpus.py is built in parts, and checked against
one validation and one count of the joined graph: the same results on the clean graph
and with faults planted on shared and on own nodes, the same counts, every quad once,
and Turtle and JSON-LD that read back as the N-Quads.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import vocab
from kg.assemble import merge, reference_nquads, settle_initiatives
from kg.export import load_context, turtle_head
from kg.jsonld import JSONLD_TAIL, jsonld_head
from kg.parts import COUNTED, KNOWN_ONLY, Part, Shared, add_tallies, make_all, make_shared, plan
from kg.pipeline import _force
from kg.process import process_all
from kg.reference import load_reference
from kg.sources import load_manifest
from kg.store import Store
from kg.validate import combine, validate
from tests.benches import load_bench

MENTION = f"<{vocab.mention}>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
INITIATIVE = f"<{vocab.Initiative}>"


@dataclass
class Inputs:
    reference: bytes
    forces: dict[str, tuple[list[bytes | Path], bytes]]
    entities: bytes


@dataclass
class Made:
    parts: list[Part]
    common: Shared
    shared: set[str]

    @property
    def nquads(self) -> bytes:
        return b"".join([self.common.nquads, *(p.nquads for p in self.parts)])

    def validation(self):  # type: ignore[no-untyped-def]
        return combine([self.common.validation, *(p.validation() for p in self.parts)])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    corpus = load_bench("corpus")
    manifest = corpus.write_national_corpus(tmp_path_factory.mktemp("three"), 3)
    ref = load_reference()
    sources = [s for s in load_manifest(manifest) if s.build]
    done = process_all(sources, ref, None, 2, lambda *_: None)
    ordered = sorted(done, key=lambda p: (p.source.published, p.source.relpath))
    settled = settle_initiatives([p.entities for p in ordered])
    groups: dict[str, tuple[list[bytes], list[bytes]]] = defaultdict(lambda: ([], []))
    for p, entities in zip(ordered, settled, strict=True):
        groups[_force(p.source, ref)][0].append(p.graph)
        groups[_force(p.source, ref)][1].append(entities)
    forces = {f: (g, merge(e)) for f, (g, e) in groups.items()}
    return Inputs(reference_nquads(ref), forces, merge(settled))


def _make(inputs: Inputs) -> Made:
    ref = load_reference()
    jobs, shared = plan(inputs.reference, {f: (g, e, ()) for f, (g, e) in inputs.forces.items()})
    parts, shared = make_all(jobs, shared, ref, None, 2, lambda _: None)
    return Made(parts, make_shared(inputs.reference, inputs.entities, parts, shared, ref), shared)


@pytest.fixture(scope="module")
def made(inputs: Inputs) -> Made:
    return _make(inputs)


def _results(result) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(p.focus, p.path or "", p.message) for p in result.problems}


def test_the_corpus_has_shared_initiatives(made: Made, inputs: Inputs) -> None:
    """Without initiatives that several forces name, this test would test little."""
    assert len(made.parts) == 3
    is_initiative = f" {RDF_TYPE} {INITIATIVE} ".encode()
    initiatives = {_subject(line) for line in inputs.entities.splitlines() if is_initiative in line}
    assert initiatives & made.shared
    assert initiatives - made.shared  # and initiatives of one force only


def test_every_quad_once(made: Made) -> None:
    lines = made.nquads.splitlines()
    assert len(lines) == len(set(lines))


def test_the_counts_are_those_of_the_joined_graph(made: Made) -> None:
    store = Store.from_nquads(made.nquads)
    tally = add_tallies([made.common.tally, *(p.tally for p in made.parts)])
    for cls in COUNTED:
        (row,) = store.rows(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
        assert tally[str(cls)] == int(str(row["n"])), cls
    (row,) = store.rows("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert tally["triples"] == int(str(row["n"]))
    types = " ".join(f"<{c}>" for c in vocab.FINDING_TYPES.values())
    (row,) = store.rows(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {types} }} "
        f"?s <{vocab.knownOnlyThrough}> ?d ; a ?c }}"
    )
    assert tally[KNOWN_ONLY] == int(str(row["n"]))
    assert tally[str(vocab.ThemeTag)] > 0 and tally[str(vocab.FollowUp)] > 0


def test_the_parts_conform_as_the_whole_graph_does(made: Made) -> None:
    whole = validate(made.nquads)
    assert whole.conforms and made.validation().conforms
    assert _results(whole) == _results(made.validation())


def _subject(line: bytes) -> str:
    return line.split(b" ")[0].decode().strip("<>")


def _without(text: bytes, drop: bytes) -> bytes:
    """``text`` without its lines that start with ``drop``."""
    return b"".join(line + b"\n" for line in text.splitlines() if not line.startswith(drop))


def _plant(inputs: Inputs, made: Made) -> tuple[Inputs, set[str]]:
    """Three faults: a second name for an initiative several forces name (a shared node),
    and, in one force, a mention that no initiative has and an initiative without a name
    (own nodes). Returns the inputs and the nodes the faults are on."""
    is_initiative = f" {RDF_TYPE} {INITIATIVE} ".encode()
    initiatives = {_subject(line) for line in inputs.entities.splitlines() if is_initiative in line}
    national = sorted(initiatives & made.shared)[0]
    extra = f'<{national}> {LABEL} "A second name" <{vocab.ENTITY_GRAPH}> .\n'
    first = sorted(inputs.forces)[0]
    graphs, own = inputs.forces[first]
    local = sorted(i for i in initiatives - made.shared if f"<{i}>".encode() in own)[0]
    unnamed = f"<{local}> {LABEL}".encode()
    mention = next(
        line for graph in graphs for line in graph.splitlines() if f" {MENTION} ".encode() in line
    )
    forces = dict(inputs.forces)
    forces[first] = ([g.replace(mention + b"\n", b"") for g in graphs], _without(own, unnamed))
    entities = _without(inputs.entities, unnamed) + extra.encode()
    dropped = mention.split(b" ")[2].decode().strip("<>")
    return Inputs(inputs.reference, forces, entities), {national, dropped, local}


def test_faults_are_found_as_the_whole_graph_finds_them(inputs: Inputs, made: Made) -> None:
    faulty, where = _plant(inputs, made)
    parts = _make(faulty)
    whole = validate(parts.nquads)
    assert not whole.conforms and not parts.validation().conforms
    assert _results(whole) == _results(parts.validation())
    assert where <= {p.focus for p in whole.problems}


def test_a_node_two_forces_describe_is_made_shared(inputs: Inputs) -> None:
    """A node that is in no entity triples but that two forces' graphs describe (it
    should not happen; if it does, the parts are made again with it shared)."""
    forces = {f: inputs.forces[f] for f in sorted(inputs.forces)[:2]}
    node = f"{vocab.BASE}id/test/described-twice"
    for n, force in enumerate(sorted(forces)):
        graphs, entities = forces[force]
        extra = f'<{node}> {LABEL} "named by force {n}" <{vocab.graph_for(f"x{n}")}> .\n'
        forces[force] = ([*graphs, extra.encode()], entities)
    entities = merge([e for _, e in forces.values()])
    parts = _make(Inputs(inputs.reference, forces, entities))
    assert node in parts.shared
    tally = add_tallies([parts.common.tally, *(p.tally for p in parts.parts)])
    store = Store.from_nquads(parts.nquads)
    (row,) = store.rows("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert tally["triples"] == int(str(row["n"]))


def _set(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str, str]]:
    """The quads of a text as strings (blank nodes keep their labels)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in ox.parse(data, format=fmt, rename_blank_nodes=False)
    }


def test_turtle_and_jsonld_chunks_join_into_the_graph(made: Made) -> None:
    chunks = [made.common, *made.parts]
    turtle = turtle_head() + b"".join(p.turtle for p in chunks)
    jsonld = (
        jsonld_head(load_context()) + b",".join(p.jsonld for p in chunks if p.jsonld) + JSONLD_TAIL
    )
    json.loads(jsonld)  # one JSON document
    quads = _set(made.nquads, ox.RdfFormat.N_QUADS)
    union = {(s, p, o, str(ox.DefaultGraph())) for s, p, o, _ in quads}
    assert _set(turtle, ox.RdfFormat.TURTLE) == union
    assert _set(jsonld, ox.RdfFormat.JSON_LD) == quads


def test_both_engines_find_the_same_faults_in_parts(tmp_path: Path) -> None:
    """A fault a reader leaves (a grade table disagreeing with the text) fails validation
    alike with pyshacl-turbo and pySHACL, each run part by part."""
    from kg.pipeline import build_dataset
    from tests.reportgen import REPORT_2025, write_corpus

    wrong = REPORT_2025.replace("\tCustody\tResponding", "\tResponding to the public\tCustody")
    manifest = write_corpus(tmp_path, {"b.txt": (wrong, "2025-27", "peel-report")})
    turbo = build_dataset(manifest, validator="turbo")
    pyshacl = build_dataset(manifest, validator="pyshacl")
    assert not turbo.conforms and not pyshacl.conforms
    assert _results(turbo.validation) == _results(pyshacl.validation)
