"""Validate a graph against the SHACL shapes in ``shapes/*.ttl``.

Data that does not conform is a result, not an exception: :func:`validate`
returns a :class:`ValidationResult` whose :class:`Problem` list names, for
each violation, the focus node, the property path, the shape's message and,
when the focus node has one, the source span it was read from (for a selector,
the span it belongs to). The data must hold the reference data (grades,
cycles, areas) next to the facts.

Two engines run the same shapes: ``turbo`` (the default: pyshacl-turbo, a Rust
engine with pySHACL's API) and ``pyshacl``.
Both run without inference (see /work/shared/PEEL.md) and with SHACL's advanced
features on, for the SPARQL-based targets of the shapes; tests/test_shapes.py runs
both on every fixture and expects the same results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import pyshacl
import pyshacl_turbo
from pyshacl_turbo.rdf import Input
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg import paths, vocab
from kg.errors import InputError, UsageError
from kg.export import union
from kg.store import Store, from_ox
from kg.vocab import OA

#: The SHACL engines :func:`validate` can run.
VALIDATORS = ("turbo", "pyshacl")

#: Quotes longer than this are cut short in :attr:`Problem.span`.
MAX_QUOTE = 120


@dataclass(frozen=True)
class Problem:
    """One SHACL result, in words: what is wrong, where in the graph and in the source."""

    focus: str
    path: str | None
    message: str
    severity: str
    span: str | None


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of :func:`validate`: pySHACL's report plus readable problems."""

    conforms: bool
    report_graph: Graph
    report_text: str
    problems: list[Problem]


def load_shapes() -> Graph:
    """Parse every ``*.ttl`` file in :data:`kg.paths.SHAPES_DIR` into one graph."""
    shapes = Graph()
    for file in sorted(paths.SHAPES_DIR.glob("*.ttl")):
        shapes.parse(file, format="turtle")
    return shapes


@lru_cache(maxsize=1)
def _compiled() -> pyshacl_turbo.CompiledShapes:
    """The shapes of shapes/, compiled once per process for pyshacl-turbo."""
    return pyshacl_turbo.compile_shapes(load_shapes(), advanced=True)


def validate(
    data: Graph | Store | bytes,
    shapes: Graph | None = None,
    validator: str = "turbo",
    spans: Store | None = None,
    keep: Callable[[str], bool] | None = None,
    focus: list[str] | None = None,
) -> ValidationResult:
    """Validate ``data`` against ``shapes`` (default: :func:`load_shapes`).

    :param data: the facts together with the reference data they point to: an rdflib
        graph, a :class:`kg.store.Store` or an N-Quads text (for a store or a text, the
        union of the named graphs is validated).
    :param shapes: a SHACL shapes graph; SHACL-SPARQL constraints and SPARQL-based
        targets (``sh:SPARQLTarget``, SHACL Advanced Features) are allowed.
    :param validator: ``turbo`` (pyshacl-turbo) or ``pyshacl``; pySHACL reads rdflib
        graphs only, so a store or a text is copied into one first (slow at national scale).
    :param spans: where to look up the source spans of the problems of a text (default: a
        store made from the text when there are problems).
    :param keep: when given, only the results whose focus node (its IRI or blank node
        label) it accepts count (kg.parts validates each part of a graph for its own nodes).
    :param focus: when given, only these nodes (IRIs) are validated, each against the
        shapes that target it (SHACL engines' ``focus_nodes``).
    :returns: the result; ``conforms`` is False when any shape is violated.
    :raises InputError: when the engine cannot run the shapes at all.
    """
    if validator not in VALIDATORS:
        raise UsageError(f"unknown validator {validator!r}; use one of {', '.join(VALIDATORS)}")
    options: dict[str, Any] = {"inference": "none", "allow_warnings": True}
    if focus is not None:
        options["focus_nodes"] = [URIRef(node) for node in focus]
    if validator == "pyshacl":
        graph = data if isinstance(data, Graph) else _rdflib(data)
        shacl = load_shapes() if shapes is None else shapes
        conforms, report, text = pyshacl.validate(
            graph, shacl_graph=shacl, advanced=True, **options
        )
    else:
        target = data if isinstance(data, Graph) else _native(data)
        if shapes is None:
            conforms, report, text = _compiled().validate(target, **options)
        else:
            conforms, report, text = pyshacl_turbo.validate(
                target, shacl_graph=shapes, advanced=True, **options
            )
    if not isinstance(report, Graph):
        raise InputError(f"SHACL validation could not run (check the shapes in shapes/): {text}")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    if keep is not None:
        results = [r for r in results if keep(str(report.value(r, SH.focusNode)))]
        conforms = not any(report.value(r, SH.resultSeverity) == SH.Violation for r in results)
        report = _report(report, results, bool(conforms))
        text = _text(bool(conforms), len(results))
    lookup = spans or data
    if isinstance(lookup, bytes) and results:
        lookup = Store.from_nquads(lookup)
    problems = [_problem(report, result, lookup) for result in results]
    problems.sort(key=lambda p: (p.focus, p.path or "", p.message))
    return ValidationResult(bool(conforms), report, str(text), problems)


def _report(report: Graph, results: list[Node], conforms: bool) -> Graph:
    """A validation report of ``results`` only: their triples, and those of the blank
    nodes they point to (property paths), under one sh:ValidationReport."""
    out, node = Graph(), BNode()
    out.add((node, RDF.type, SH.ValidationReport))
    out.add((node, SH.conforms, Literal(conforms)))
    for r in results:
        out.add((node, SH.result, r))
    return copy_nodes(report, results, out)


def copy_nodes(source: Graph, nodes: list[Node], into: Graph) -> Graph:
    """Add to ``into`` the triples of ``nodes`` in ``source``, and those of every blank
    node they point to, at any depth (a shape's or a result's whole description)."""
    todo, seen = list(nodes), set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for p, o in source.predicate_objects(subject):
            into.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return into


def _text(conforms: bool, results: int) -> str:
    return f"Validation Report\nConforms: {conforms}\nResults ({results}):\n"


def combine(results: list[ValidationResult]) -> ValidationResult:
    """Validation results of the parts of one graph (kg.parts) as one: it conforms when
    every part does; one report holds every part's results."""
    conforms = all(r.conforms for r in results)
    merged, found = Graph(), list[Node]()
    for r in results:
        reports = set(r.report_graph.subjects(RDF.type, SH.ValidationReport))
        found += r.report_graph.subjects(RDF.type, SH.ValidationResult)
        for t in r.report_graph:
            if t[0] not in reports:
                merged.add(t)
    problems = sorted(
        {p for r in results for p in r.problems}, key=lambda p: (p.focus, p.path or "", p.message)
    )
    report = _report(merged, found, conforms)
    text = _text(conforms, len(found)) + format_problems(
        ValidationResult(conforms, report, "", problems)
    )
    return ValidationResult(conforms, report, text, problems)


def _native(data: Store | bytes) -> Input:
    """A store or an N-Quads text as pyshacl-turbo's native input.

    pyshacl-turbo 0.6 reads N-Quads text natively only through this input; given bytes it
    builds an rdflib graph first (slow), and given a pyoxigraph store it reads simple
    literals as typed xsd:string ones, so that '"explicit"' no longer matches
    'sh:in ( "explicit" … )' (tests/test_shapes.py runs both engines on every fixture).
    """
    raw = data if isinstance(data, bytes) else _dump(data)
    text = _ascii(raw) if len(raw) > LARGE else raw.decode("utf-8")
    return Input(text, "nquads", None, {}, preserve_ids=True)


#: A text larger than this (bytes) goes to pyshacl-turbo ASCII-escaped: slower to make,
#: but a str of ASCII only takes half the memory of one that holds a curly quote.
LARGE = 64 * 1024 * 1024


_NON_ASCII = re.compile(rb"[\x80-\xff]+")


def _ascii(data: bytes) -> str:
    """An N-Quads text as a str of ASCII only, every other character written as an N-Quads
    escape (\\uXXXX): the same quads, in half the memory of a str holding curly quotes."""

    def escape(m: re.Match[bytes]) -> bytes:
        return "".join(
            f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}"
            for c in m.group().decode("utf-8")
        ).encode("ascii")

    return _NON_ASCII.sub(escape, data).decode("ascii")


def _dump(store: Store) -> bytes:
    return store.oxigraph.dump(format=ox.RdfFormat.N_QUADS) or b""


def _rdflib(data: Store | bytes) -> Graph:
    """A store or an N-Quads text as one rdflib graph, the union of its named graphs."""
    ds = Dataset()
    ds.parse(data=data if isinstance(data, bytes) else _dump(data), format="nquads")
    return union(ds)


def format_problems(result: ValidationResult) -> str:
    """Render the problems of ``result`` (violations, and warnings, which a conforming
    graph may have) as readable text, one block per problem."""
    if not result.problems:
        return "The graph conforms to the shapes."
    blocks = []
    for problem in result.problems:
        lines = [f"{problem.severity}: {problem.message}", f"  focus: {problem.focus}"]
        if problem.path:
            lines.append(f"  path:  {problem.path}")
        lines.append(f"  span:  {problem.span or '(no source span recorded)'}")
        blocks.append("\n".join(lines))
    return f"{len(blocks)} problem(s):\n\n" + "\n\n".join(blocks)


def _problem(report: Graph, result: Node, data: Graph | Store | bytes) -> Problem:
    """Turn one ``sh:ValidationResult`` node of ``report`` into a :class:`Problem`."""
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    severity = report.value(result, SH.resultSeverity)
    messages = sorted(report.objects(result, SH.resultMessage), key=_english_first)
    return Problem(
        focus="?" if focus is None else str(focus),
        path=None if path is None else _show_path(report, path),
        message=str(messages[0]) if messages else "(the shape gives no message)",
        severity=severity.fragment if isinstance(severity, URIRef) else str(severity),
        span=None if focus is None else describe_span(_around(data, focus), focus),
    )


#: What describe_span reads about a node, from a store: the node's own triples, its spans'
#: and their selectors' and sources', and the spans that have it as a selector.
_AROUND = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
CONSTRUCT { ?node ?p0 ?o0 . ?span ?p1 ?o1 . ?part ?p2 ?o2 }
WHERE {
  { ?node ?p0 ?o0 }
  UNION { { ?node peel:span ?span } UNION { ?span oa:hasSelector ?node } ?span ?p1 ?o1 }
  UNION {
    { ?node peel:span ?owner } UNION { ?owner oa:hasSelector ?node }
    ?owner oa:hasSelector|oa:hasSource ?part .
    ?part ?p2 ?o2
  }
  UNION { ?node oa:hasSelector|oa:hasSource ?part . ?part ?p2 ?o2 }
}
"""


def _around(data: Graph | Store | bytes, node: Node) -> Graph:
    """``data`` itself, or, from a store or a text, the triples describe_span reads about
    ``node``."""
    if isinstance(data, Graph):
        return data
    if isinstance(data, bytes):
        data = Store.from_nquads(data)
    g = Graph()
    for t in data.construct(_AROUND, {"node": node}):
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
    return g


def describe_span(data: Graph, node: Node) -> str | None:
    """Describe the source span of ``node`` as ``file start-end: “quote”``.

    ``node`` is a fact with a ``peel:span`` (the first in IRI order when it
    has several), a span itself, or a selector of a span (the span that has
    it, the first in IRI order). Returns None when it has no span.
    """
    spans = sorted(data.objects(node, vocab.span), key=str)
    if not spans and (node, OA.hasSelector, None) not in data:
        spans = sorted(data.subjects(OA.hasSelector, node), key=str)
        if not spans:
            return None
    target = spans[0] if spans else node
    source = data.value(target, OA.hasSource)
    file = data.value(source, vocab.path, default=source) if source is not None else "?"
    found: dict[Node, Node] = {}
    for selector in data.objects(target, OA.hasSelector):
        found.update({p: o for p, o in data.predicate_objects(selector) if p != RDF.type})
    start, end = found.get(OA.start, "?"), found.get(OA.end, "?")
    quote = str(found.get(OA.exact, ""))
    if len(quote) > MAX_QUOTE:
        quote = quote[: MAX_QUOTE - 1] + "…"
    return f"{file} {start}-{end}: “{quote}”"


def _english_first(message: Node) -> tuple[int, str]:
    """Sort key putting English (or untagged) messages first."""
    lang = message.language if isinstance(message, Literal) else None
    return (0 if lang in (None, "en") else 1, str(message))


def _show_path(report: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL-like syntax, e.g. ``oa:hasSelector/oa:start``."""
    if isinstance(path, URIRef):
        for prefix, namespace in vocab.PREFIXES.items():
            local = str(path)[len(str(namespace)) :]
            if path.startswith(str(namespace)) and local.isidentifier():
                return f"{prefix}:{local}"
        return str(path)
    if report.value(path, RDF.first) is not None:
        return "/".join(_show_path(report, step) for step in Collection(report, path))
    inverse = report.value(path, SH.inversePath)
    return f"^{_show_path(report, inverse)}" if inverse is not None else str(path)
