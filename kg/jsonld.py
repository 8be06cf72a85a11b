"""JSON-LD: a sorted N-Quads text written as compacted JSON-LD, streaming, graph by graph.

rdflib's JSON-LD serialiser builds the whole document in memory and takes minutes at
national scale; Oxigraph's writes expanded JSON-LD only. This writer uses the context
shipped in ontology/ the way JSON-LD compaction does, one node at a time:

- a predicate becomes the context's term for it; a value the term's coercion fits
  (``"@type": "@id"`` for an IRI, ``"@type": "xsd:decimal"`` for a decimal,
  ``"@language": "en"`` for English, none for a plain string) is written as a bare
  string, any other as an explicit value object (``{"@value": …, "@type": …}``), which
  no coercion touches; a predicate without a term becomes a compact IRI (``peel:x``);
- rdf:type becomes ``@type`` with the context's class names;
- each named graph is one ``{"@id": graph, "@graph": [...]}`` object.

So the document reads back as the same graph (tests/test_export.py checks it against
the N-Quads), and the same graph always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from array import array
from collections import defaultdict
from collections.abc import Iterator
from typing import BinaryIO

import pyoxigraph as ox

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: A term's coercion: ("@id", None), ("@type", datatype IRI), ("@language", tag) or None.
Coercion = tuple[str, str | None] | None


class Compactor:
    """Compacts IRIs and values with one JSON-LD context (its prefixes and terms)."""

    def __init__(self, context: dict[str, object]) -> None:
        self.prefixes = {
            k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))
        }
        self.terms: dict[str, list[tuple[str, Coercion]]] = defaultdict(list)
        self.classes: dict[str, str] = {}
        self._compacted: dict[str, str] = {}
        for term, definition in sorted(context.items()):
            if term.startswith("@") or term in self.prefixes:
                continue
            if isinstance(definition, str):
                self.classes.setdefault(self.expand(definition), term)
                self.terms[self.expand(definition)].append((term, None))
            elif isinstance(definition, dict) and "@id" in definition:
                self.terms[self.expand(definition["@id"])].append(
                    (term, _coercion(self, definition))
                )

    def expand(self, value: str) -> str:
        """A compact IRI ('peel:Area') as a full IRI; anything else as it is."""
        prefix, sep, local = value.partition(":")
        return self.prefixes[prefix] + local if sep and prefix in self.prefixes else value

    def compact(self, iri: str) -> str:
        """A full IRI as a compact IRI with the longest matching prefix, else as it is."""
        if iri not in self._compacted:
            found = [(len(ns), k) for k, ns in self.prefixes.items() if iri.startswith(ns)]
            size, name = max(found, default=(0, ""))
            self._compacted[iri] = f"{name}:{iri[size:]}" if name else iri
        return self._compacted[iri]

    def key(self, predicate: str, values: list[object]) -> tuple[str, Coercion]:
        """The key for ``predicate``: the term whose coercion fits every value, else one
        without coercion, else any term for it, else a compact IRI."""
        candidates = self.terms.get(predicate, [])
        for term, coercion in candidates:
            if coercion is not None and all(_fits(coercion, v) for v in values):
                return term, coercion
        for term, coercion in candidates:
            if coercion is None:
                return term, None
        if candidates:
            return candidates[0]
        return self.compact(predicate), None

    def value(self, term: object, coercion: Coercion) -> object:
        """One object term as JSON: a bare string where the coercion fits, else explicit."""
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            ref = _ref(term)
            return ref if coercion == ("@id", None) else {"@id": ref}
        assert isinstance(term, ox.Literal)
        if _fits(coercion, term) or (coercion is None and _plain(term)):
            return term.value
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": self.compact(term.datatype.value)}

    def node(self, subject: object, triples: list[ox.Quad]) -> dict[str, object]:
        """One node object: ``@id``, ``@type``, then its properties by key."""
        out: dict[str, object] = {"@id": _ref(subject)}
        by_predicate: dict[str, list[object]] = defaultdict(list)
        for q in triples:
            by_predicate[q.predicate.value].append(q.object)
        types = by_predicate.pop(_RDF_TYPE, [])
        if types:
            names = [self.classes.get(t.value, self.compact(t.value)) for t in types]  # type: ignore[attr-defined]
            out["@type"] = names[0] if len(names) == 1 else names
        props = {}
        for predicate, values in by_predicate.items():
            key, coercion = self.key(predicate, values)
            written = [self.value(v, coercion) for v in values]
            props[key] = written[0] if len(written) == 1 else written
        out.update(sorted(props.items()))
        return out


def _coercion(c: Compactor, definition: dict[str, str]) -> Coercion:
    if definition.get("@type") == "@id":
        return ("@id", None)
    if "@type" in definition:
        return ("@type", c.expand(definition["@type"]))
    if "@language" in definition:
        return ("@language", definition["@language"])
    return None


def _fits(coercion: Coercion, term: object) -> bool:
    """True when ``coercion`` turns a bare string back into exactly ``term``."""
    if coercion is None:
        return False
    kind, arg = coercion
    if kind == "@id":
        return isinstance(term, ox.NamedNode | ox.BlankNode)
    if not isinstance(term, ox.Literal):
        return False
    if kind == "@language":
        return term.language == arg
    return not term.language and term.datatype.value == arg


def _plain(term: ox.Literal) -> bool:
    return not term.language and term.datatype.value == _XSD_STRING


def _ref(term: object) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value  # type: ignore[attr-defined]


def _by_graph(data: bytes) -> dict[bytes, array[int]]:
    """Where the lines of each graph are in an N-Quads text (every line of the build names
    one): start and end offsets, not copies of the lines."""
    graphs: dict[bytes, array[int]] = defaultdict(lambda: array("q"))
    for m in _LINE.finditer(data):
        graphs[m.group().rsplit(b" ", 2)[-2]].extend(m.span())
    return graphs


_LINE = re.compile(rb"[^\n]+")


def _lines(data: bytes, spans: array[int]) -> bytes:
    """The lines at ``spans`` (start, end, start, end …) of ``data``, as one text."""
    return b"\n".join(data[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2))


def _nodes(c: Compactor, lines: bytes) -> Iterator[dict[str, object]]:
    """The node objects of one graph's sorted lines (a subject's lines are neighbours)."""
    subject: object = None
    triples: list[ox.Quad] = []
    for q in ox.parse(lines, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False):
        if q.subject != subject and triples:
            yield c.node(subject, triples)
            triples = []
        subject = q.subject
        triples.append(q)
    if triples:
        yield c.node(subject, triples)


def jsonld_head(context: dict[str, object]) -> bytes:
    """The start of a JSON-LD document: its context, and the opening of its graph list."""
    head = json.dumps(context, ensure_ascii=False, indent=2)
    return ('{\n  "@context": ' + head + ',\n  "@graph": [').encode("utf-8")


#: The end of a JSON-LD document begun with :func:`jsonld_head`.
JSONLD_TAIL = b"\n  ]\n}\n"


def jsonld_graphs(data: bytes, context: dict[str, object], out: BinaryIO) -> None:
    """Write the named graphs of a sorted N-Quads text (kg.assemble.merge) to ``out`` as
    graph objects of a JSON-LD document's graph list, separated by commas, node by node.
    The graph lists of several texts (kg.parts) join with a comma between them."""
    c = Compactor(context)

    def put(text: str) -> None:
        out.write(text.encode("utf-8"))

    graphs = _by_graph(data)
    for n, name in enumerate(sorted(graphs)):
        graph_id = json.dumps(name.decode("utf-8").strip("<>"), ensure_ascii=False)
        put(("," if n else "") + f'\n    {{"@id": {graph_id}, "@graph": [')
        for i, node in enumerate(_nodes(c, _lines(data, graphs.pop(name)))):
            put(("," if i else "") + "\n      " + json.dumps(node, ensure_ascii=False))
        put("\n    ]}")


def write_jsonld(data: bytes, context: dict[str, object], out: BinaryIO) -> None:
    """Write a sorted N-Quads text (kg.assemble.merge) to ``out`` as a compacted JSON-LD
    document, node by node."""
    out.write(jsonld_head(context))
    jsonld_graphs(data, context, out)
    out.write(JSONLD_TAIL)


__all__ = ["JSONLD_TAIL", "Compactor", "jsonld_graphs", "jsonld_head", "write_jsonld"]
