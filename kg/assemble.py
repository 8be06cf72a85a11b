"""Assemble: every source's quads, the reference data and the links into one graph.

The graph is kept in two forms that each do one job, and never copied whole into
rdflib: the sorted N-Quads text (the exact terms as built: what the build writes,
validates, and makes Turtle and JSON-LD from) and an Oxigraph store (what the link
stage reads, and queries). Oxigraph normalises some literals
('"7"^^xsd:nonNegativeInteger' is read back as '"7"^^xsd:integer', '1.50' as '1.5');
the shapes accept both spellings (see shapes/peel-shapes.ttl), so the graph in a
store conforms as the files do.
"""

from __future__ import annotations

import heapq
import io
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg import vocab
from kg.build import Triple
from kg.reference import Reference
from kg.store import Store, from_ox, to_ox

#: The SPARQL CONSTRUCT queries of what the link stage reads (kg.link): findings,
#: inspections, forces, follow-ups, figures and initiatives with the quotes of their spans.
LINK_INPUT = Path(__file__).parent / "link" / "input"

#: What an initiative has one of: the first source (by publication) that names it says it.
SETTLED = (RDFS.label, vocab.initiativeKind, DCTERMS.description)


def nquads(triples: Iterable[Triple], graph: URIRef) -> bytes:
    """``triples`` (rdflib terms) as N-Quads lines in the named graph ``graph``."""
    name = ox.NamedNode(str(graph))
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples]  # type: ignore[arg-type]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def reference_nquads(ref: Reference) -> bytes:
    """The named graph of the reference data (ontology, scales, cycles, area schemes).

    Its blank nodes (RDF lists, OWL unions) get canonical labels, and its lines are
    sorted, so every build makes the same bytes.
    """
    return merge([nquads(to_canonical_graph(ref.graph), vocab.REFERENCE_GRAPH)])


def catalogue_nquads() -> bytes:
    """The named graph of the canned query catalogue (kg.catalogue), sorted."""
    from kg.catalogue import catalogue_graph  # kg.queries: loaded when a build gets here

    return merge([nquads(catalogue_graph(), vocab.QUERIES_GRAPH)])


def settle_initiatives(entities: list[bytes]) -> list[bytes]:
    """Keep one label, kind and description per initiative: those of the earliest source.

    ``entities`` are the sources' entity triples as N-Quads, the earliest published
    first. Sources word an initiative differently ('Super-Wednesdays', 'super
    Wednesdays'), so each later source's own label, kind and description are dropped
    where an earlier one gave them; the union then states each once. Aliases, partners
    and links add up.
    """
    kind, settled_props = to_ox(vocab.Initiative), {to_ox(p) for p in SETTLED}
    settled: set[tuple[object, object]] = set()
    out = []
    for data in entities:
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        initiatives = {q.subject for q in quads if q.predicate == _TYPE and q.object == kind}
        stated = {
            (q.subject, q.predicate)
            for q in quads
            if q.subject in initiatives and q.predicate in settled_props
        }
        kept = [q for q in quads if (q.subject, q.predicate) not in settled]
        settled |= stated
        out.append(ox.serialize(kept, format=ox.RdfFormat.N_QUADS) or b"")
    return out


_TYPE = to_ox(RDF.type)


def merge(parts: Iterable[bytes]) -> bytes:
    """N-Quads texts merged into one: every quad once, lines sorted, so the same corpus
    gives the same bytes."""
    lines = {line for part in parts for line in part.splitlines() if line.strip()}
    return b"\n".join(sorted(lines)) + b"\n" if lines else b""


def merge_sorted(a: bytes, b: bytes) -> bytes:
    """Two texts as :func:`merge` makes them (sorted, no repeats) merged into one, line by
    line: no set or list of every line is made beside them."""
    out, last = io.BytesIO(), None
    for line in heapq.merge(io.BytesIO(a), io.BytesIO(b)):
        if line != last and line.strip():
            out.write(line if line.endswith(b"\n") else line + b"\n")
        last = line
    return out.getvalue()


def link_input(store: Store) -> Graph:
    """What the link stage reads, from ``store``, as an rdflib graph (a small part of the
    whole: no spans but the quotes it tags by, no reference data)."""
    g = Graph(store="SimpleMemory")  # no named graphs: cheaper to fill than the default
    made: dict[object, object] = {}  # each term converted once

    def term(t: object) -> object:
        found = made.get(t)
        if found is None:
            found = made[t] = from_ox(t)
        return found

    for query in sorted(LINK_INPUT.glob("*.rq")):
        for t in store.construct(query.read_text(encoding="utf-8")):
            g.add((term(t.subject), term(t.predicate), term(t.object)))  # type: ignore[arg-type]
    return g


__all__ = [
    "LINK_INPUT",
    "SETTLED",
    "link_input",
    "merge",
    "merge_sorted",
    "nquads",
    "reference_nquads",
    "settle_initiatives",
]
