"""What the page of one node of the graph shows: its facts, its links to and from other
nodes, and the quotes it is pinned to, each in its paragraph of the source text.

A fact's source span is an oa:SpecificResource (``peel:span``, ``peel:bodySpan`` …) with
an oa:TextQuoteSelector (``oa:exact``) and an oa:TextPositionSelector (``oa:start``,
``oa:end``: character offsets) in the source file whose ``peel:path`` is relative to the
project folder (kg.paths.ROOT). The paragraph is the line of the source text holding the
span (the readers keep one paragraph per line), cut at CONTEXT characters each side of
the span; where the file is missing, or its text at the offsets is not the quote, the
quote is shown alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from kg import vocab
from kg.resolve import IRI
from kg.sparql import PREFIXES
from kg.store import GraphStore

#: How many facts and incoming links a page lists, at most.
MAX_FACTS = 500
MAX_INCOMING = 300
#: How many characters of a paragraph are shown on each side of a quote, at most.
CONTEXT = 1500

_HEAD = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
_OUT = (
    _HEAD
    + f"""SELECT DISTINCT ?node ?p ?o ?label WHERE {{
  ?node ?p ?o .
  OPTIONAL {{ ?o rdfs:label|skos:prefLabel|peel:headline ?label }}
}} ORDER BY ?p ?o ?label LIMIT {MAX_FACTS}"""
)
_IN = (
    _HEAD
    + f"""SELECT DISTINCT ?node ?s ?p ?label WHERE {{
  ?s ?p ?node . FILTER(isIRI(?s))
  OPTIONAL {{ ?s rdfs:label|skos:prefLabel|peel:headline ?label }}
}} ORDER BY ?p ?s ?label LIMIT {MAX_INCOMING}"""
)
_QUOTES = (
    _HEAD
    + """SELECT DISTINCT ?node ?prop ?span ?exact ?start ?end ?path WHERE {
  ?node ?prop ?span . ?span oa:hasSelector ?quote . ?quote oa:exact ?exact .
  OPTIONAL { ?span oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }
  OPTIONAL { ?span oa:hasSource/peel:path ?path }
} ORDER BY ?prop ?span"""
)
_TITLES = ("rdfs:label", "skos:prefLabel", "peel:headline", "dcterms:title")


@dataclass(frozen=True)
class Term:
    """A term as a page shows it: its text, and the page it links to (None: not a node
    of this graph, shown as text)."""

    text: str
    link: str | None = None
    iri: str | None = None


@dataclass(frozen=True)
class Quote:
    """A span of source text: the paragraph around it, cut in three."""

    property: str
    exact: str
    before: str = ""
    after: str = ""
    path: str | None = None
    found: bool = False  # whether the source file holds the quote at its offsets


@dataclass(frozen=True)
class NodeView:
    """One node's page."""

    iri: str
    title: str
    types: tuple[Term, ...]
    facts: tuple[tuple[Term, Term], ...]  # (predicate, value)
    incoming: tuple[tuple[Term, Term], ...]  # (subject, predicate)
    quotes: tuple[Quote, ...] = field(default=())


def local_link(iri: str) -> str | None:
    """The server's page of an IRI under the project's base (``/id/…``), else None."""
    base = str(vocab.ID)
    return "/id/" + iri[len(base) :] if iri.startswith(base) and len(iri) > len(base) else None


def node_iri(path: str) -> str | None:
    """The IRI of the page at ``/id/{path}``; None where it cannot be one."""
    iri = str(vocab.ID) + path
    return iri if path and IRI.match(iri) else None


def curie(iri: str) -> str:
    """``iri`` shortened with the project's prefixes (the longest namespace that fits)."""
    best = max(
        ((p, ns) for p, ns in {"rdf": str(RDF), **PREFIXES}.items() if iri.startswith(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def _term(node: Node, label: Node | None = None) -> Term:
    if isinstance(node, URIRef):
        iri = str(node)
        return Term(str(label) if label is not None else curie(iri), local_link(iri), iri)
    if isinstance(node, Literal):
        return Term(str(node))
    return Term(f"_:{node}")


def view_node(store: GraphStore, iri: str, root: Path) -> NodeView | None:
    """The page of the node ``iri`` of ``store`` (None where the graph does not mention
    it); source files are read under ``root``."""
    bind = {"node": URIRef(iri)}
    facts: dict[tuple[str, str], tuple[Term, Term]] = {}
    types: list[Term] = []
    titles: dict[str, str] = {}
    for row in store.rows(_OUT, bind):
        p, o = row["p"], row["o"]
        key = (str(p), o.n3())
        if key in facts:
            continue  # another label of the same value
        value = _term(o, row.get("label"))
        facts[key] = (_term(p), value)
        if str(p) == str(RDF.type):
            types.append(value)
        titles.setdefault(curie(str(p)), str(o))
    incoming: dict[tuple[str, str], tuple[Term, Term]] = {}
    for row in store.rows(_IN, bind):
        key = (str(row["s"]), str(row["p"]))
        incoming.setdefault(key, (_term(row["s"], row.get("label")), _term(row["p"])))
    if not facts and not incoming:
        return None
    title = next((titles[t] for t in _TITLES if t in titles), iri.rsplit("/", 1)[-1])
    quotes = tuple(_quote(row, root) for row in store.rows(_QUOTES, bind))
    return NodeView(
        iri, title, tuple(types), tuple(facts.values()), tuple(incoming.values()), quotes
    )


def _quote(row: dict[str, Node], root: Path) -> Quote:
    exact, prop = str(row["exact"]), curie(str(row["prop"]))
    path = str(row["path"]) if "path" in row else None
    if path is None or "start" not in row or "end" not in row:
        return Quote(prop, exact, path=path)
    start, end = int(str(row["start"])), int(str(row["end"]))
    found = passage(root, path, start, end)
    if found is None or found.exact != exact:
        return Quote(prop, exact, path=path)
    return Quote(prop, exact, found.before, found.after, path, True)


def passage(root: Path, path: str, start: int, end: int, label: str = "") -> Quote | None:
    """Characters ``start`` to ``end`` of the source file ``path`` (under ``root``) in
    their paragraph; None where the file is not a text file under ``root`` or holds no
    such range."""
    text = _source_text(root.resolve(), path)
    if text is None or not 0 <= start < end <= len(text):
        return None
    before = text[_opening(text, start) : start]
    after = text[end : _closing(text, end)]
    return Quote(label, text[start:end], before, after, path, True)


def _opening(text: str, start: int) -> int:
    """Where the paragraph holding ``start`` begins: after the line break before it, at
    most CONTEXT characters before it."""
    return max(text.rfind("\n", 0, start) + 1, start - CONTEXT)


def _closing(text: str, end: int) -> int:
    """Where the paragraph holding ``end`` ends: at the line break after it, at most
    CONTEXT characters after it."""
    found = text.find("\n", end)
    return min(len(text) if found < 0 else found, end + CONTEXT)


@lru_cache(maxsize=64)
def _source_text(root: Path, path: str) -> str | None:
    """The text of the source file ``path`` under ``root``; None if it is not a text file
    inside ``root``."""
    file = (root / path).resolve()
    if not file.is_relative_to(root) or file.suffix != ".txt" or not file.is_file():
        return None
    return file.read_text(encoding="utf-8")
