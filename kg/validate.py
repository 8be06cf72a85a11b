"""Validate a graph against the SHACL shapes in ``shapes/*.ttl``.

Data that does not conform is a result, not an exception: :func:`validate`
returns a :class:`ValidationResult` whose :class:`Problem` list names, for
each violation, the focus node, the property path, the shape's message and,
when the focus node has one, the source span it was read from (for a selector,
the span it belongs to). The data graph must hold the reference data (grades,
cycles, areas) next to the facts. pySHACL runs without inference (see
/work/shared/PEEL.md) and with its advanced features on, for the SPARQL-based
targets of the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg import paths, vocab
from kg.errors import InputError
from kg.vocab import OA

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


def validate(data: Graph, shapes: Graph | None = None) -> ValidationResult:
    """Validate ``data`` against ``shapes`` (default: :func:`load_shapes`).

    :param data: the facts together with the reference data they point to.
    :param shapes: a SHACL shapes graph; SHACL-SPARQL constraints and SPARQL-based
        targets (``sh:SPARQLTarget``, SHACL Advanced Features) are allowed.
    :returns: the result; ``conforms`` is False when any shape is violated.
    :raises InputError: when pySHACL cannot run the shapes at all.
    """
    shacl = load_shapes() if shapes is None else shapes
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shacl, inference="none", advanced=True, allow_warnings=True
    )
    if not isinstance(report, Graph):
        raise InputError(f"SHACL validation could not run (check the shapes in shapes/): {text}")
    results = report.subjects(RDF.type, SH.ValidationResult)
    problems = [_problem(report, result, data) for result in results]
    problems.sort(key=lambda p: (p.focus, p.path or "", p.message))
    return ValidationResult(bool(conforms), report, str(text), problems)


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


def _problem(report: Graph, result: Node, data: Graph) -> Problem:
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
        span=None if focus is None else describe_span(data, focus),
    )


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
