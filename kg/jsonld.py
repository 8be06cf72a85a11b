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
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import BinaryIO, NamedTuple

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: A term's coercion: ("@id", None), ("@type", datatype IRI), ("@language", tag) or None.
Coercion = tuple[str, str | None] | None
#: A value's kind: ("@id", None) for a node, ("@type", datatype IRI) or ("@language", tag).
Kind = tuple[str, str | None]


class Compactor:
    """Compacts IRIs and values with one JSON-LD context (its prefixes and terms)."""

    def __init__(self, context: dict[str, object]) -> None:
        self.prefixes = {
            k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))
        }
        self.terms: dict[str, list[tuple[str, Coercion]]] = defaultdict(list)
        self.classes: dict[str, str] = {}
        self._compacted: dict[str, str] = {}
        self._keys: dict[tuple[str, frozenset[Kind]], tuple[str, Coercion]] = {}
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

    def node(self, subject: bytes, pairs: list[tuple[bytes, bytes]]) -> str:
        """One node object as JSON text: ``@id``, ``@type``, then its properties by key;
        from the predicate and object of each of its N-Quads lines."""
        fields = [f'"@id": {_json(_token_ref(subject))}']
        by_predicate: dict[bytes, list[Value]] = {}
        for p, o in pairs:
            by_predicate.setdefault(p, []).append(_value(o))
        types = by_predicate.pop(_RDF_TYPE_TOKEN, [])
        if types:
            names = [_json(self.classes.get(t.text, self.compact(t.text))) for t in types]
            fields.append('"@type": ' + (names[0] if len(names) == 1 else _list(names)))
        props = []
        for p, values in by_predicate.items():
            key, coercion = self.key(p[1:-1].decode("utf-8"), values)
            written = [self.value(v, coercion) for v in values]
            props.append((key, written[0] if len(written) == 1 else _list(written)))
        props.sort()
        fields += [f"{_json(k)}: {v}" for k, v in props]
        return "{" + ", ".join(fields) + "}"

    def key(self, predicate: str, values: list[Value]) -> tuple[str, Coercion]:
        """The key for ``predicate``: the term whose coercion fits every value, else one
        without coercion, else any term for it, else a compact IRI."""
        kinds = frozenset(v.kind for v in values)
        found = self._keys.get((predicate, kinds))
        if found is None:
            found = self._keys[(predicate, kinds)] = self._key_of(predicate, values)
        return found

    def _key_of(self, predicate: str, values: list[Value]) -> tuple[str, Coercion]:
        candidates = self.terms.get(predicate, [])
        for term, coercion in candidates:
            if coercion is not None and all(_fits_kind(coercion, v.kind) for v in values):
                return term, coercion
        for term, coercion in candidates:
            if coercion is None:
                return term, None
        if candidates:
            return candidates[0]
        return self.compact(predicate), None

    def value(self, v: Value, coercion: Coercion) -> str:
        """One value as JSON text: a bare string where the coercion fits, else explicit."""
        if v.kind[0] == "@id":
            ref = _json(v.text)
            return ref if coercion == ("@id", None) else '{"@id": ' + ref + "}"
        if _fits_kind(coercion, v.kind) or (coercion is None and v.kind == _PLAIN):
            return v.quoted
        kind, arg = v.kind
        if kind == "@language":
            return '{"@value": ' + v.quoted + ', "@language": ' + _json(arg or "") + "}"
        if arg == _XSD_STRING:
            return '{"@value": ' + v.quoted + "}"
        return '{"@value": ' + v.quoted + ', "@type": ' + _json(self.compact(arg or "")) + "}"


class Value(NamedTuple):
    """An object of an N-Quads line: its kind (("@id", None), ("@language", tag) or
    ("@type", datatype IRI)), its IRI or blank node reference, or, for a literal, its
    value as a quoted JSON string."""

    kind: Kind
    text: str = ""
    quoted: str = ""


_PLAIN = ("@type", "http://www.w3.org/2001/XMLSchema#string")
_RDF_TYPE_TOKEN = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


#: What a literal in N-Quads may hold that a JSON string may not: control characters
#: (Oxigraph escapes them; other writers may not) and the escapes \\U and \\'.
_NOT_JSON = re.compile(rb"[\x00-\x1f]|\\[U']")


def _value(token: bytes) -> Value:
    """One object token of an N-Quads line as a :class:`Value`."""
    if token.startswith(b"<"):
        return Value(("@id", None), token[1:-1].decode("utf-8"))
    if token.startswith(b"_:"):
        return Value(("@id", None), token.decode("utf-8"))
    end = token.rindex(b'"')
    raw, suffix = token[1:end], token[end + 1 :]
    if _NOT_JSON.search(raw):  # written by another tool: read the literal
        literal = next(ox.parse(b"<x:s> <x:p> " + token + b" .", format=ox.RdfFormat.N_TRIPLES))
        quoted = json.dumps(literal.object.value, ensure_ascii=False)  # type: ignore[union-attr]
    else:
        quoted = '"' + raw.decode("utf-8") + '"'
    if suffix.startswith(b"@"):
        return Value(("@language", suffix[1:].decode("utf-8")), quoted=quoted)
    if suffix.startswith(b"^^<"):
        return Value(("@type", suffix[3:-1].decode("utf-8")), quoted=quoted)
    return Value(_PLAIN, quoted=quoted)


def _fits_kind(coercion: Coercion, kind: Kind) -> bool:
    """True when ``coercion`` turns a bare string back into a value of ``kind``."""
    return coercion is not None and coercion == kind


def _token_ref(token: bytes) -> str:
    return token[1:-1].decode("utf-8") if token.startswith(b"<") else token.decode("utf-8")


#: A str as a JSON string, as json.dumps(text, ensure_ascii=False) writes it (its C
#: function, without json.dumps's checks: called for every IRI and key).
_json = encode_basestring


def _list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _coercion(c: Compactor, definition: dict[str, str]) -> Coercion:
    if definition.get("@type") == "@id":
        return ("@id", None)
    if "@type" in definition:
        return ("@type", c.expand(definition["@type"]))
    if "@language" in definition:
        return ("@language", definition["@language"])
    return None


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


def _nodes(c: Compactor, lines: bytes) -> Iterator[str]:
    """The node objects of one graph's sorted lines (a subject's lines are neighbours), as
    JSON text. The lines are read as text, not parsed into terms: a literal's quoted form
    in N-Quads is already a JSON string (its escapes are JSON's), unless it holds what
    a JSON string may not (_NOT_JSON): that literal is parsed."""
    subject, group = b"", list[tuple[bytes, bytes]]()
    for line in lines.split(b"\n"):
        s, p, rest = line.split(b" ", 2)
        if s != subject and group:
            yield c.node(subject, group)
            group = []
        subject = s
        group.append((p, rest.rsplit(b" ", 2)[0]))
    if group:
        yield c.node(subject, group)


def jsonld_head(context: dict[str, object]) -> bytes:
    """The start of a JSON-LD document: its context, and the opening of its graph list."""
    head = json.dumps(context, ensure_ascii=False, indent=2)
    return ('{\n  "@context": ' + head + ',\n  "@graph": [').encode("utf-8")


#: The end of a JSON-LD document begun with :func:`jsonld_head`.
JSONLD_TAIL = b"\n  ]\n}\n"


def jsonld_graphs(
    data: bytes,
    context: dict[str, object],
    out: BinaryIO,
    workers: int = 1,
    *,
    merged: bool = True,
) -> None:
    """Write the named graphs of an N-Quads text to ``out`` as graph objects of a JSON-LD
    document's graph list, separated by commas, node by node. The graph lists of several
    texts (kg.parts) join with a comma between them.

    :param workers: processes to share the graphs among (in runs of neighbouring graphs,
        of about the same number of lines), for a large text; the bytes are the same.
    :param merged: the text is sorted, every line once (kg.assemble.merge); else each
        graph's lines are sorted and their repeats dropped, in the workers, which gives
        the same bytes as merging the whole text first.
    """
    graphs = _by_graph(data)
    names = sorted(graphs)
    runs = _runs(names, [len(graphs[n]) // 2 for n in names], workers)
    if len(runs) <= 1:
        out.write(_graph_objects(data, graphs, names, context, merged))
        return
    from kg.process import fork_pool  # workers fork: they read the text this one holds

    global _SHARED
    _SHARED = (data, graphs, context, merged)
    try:
        with fork_pool(len(runs)) as pool:
            done = list(pool.map(_graph_objects_shared, runs))
    finally:
        _SHARED = None
    out.write(b",".join(done))


_SHARED: tuple[bytes, dict[bytes, array[int]], dict[str, object], bool] | None = None


def _graph_objects_shared(names: list[bytes]) -> bytes:
    assert _SHARED is not None
    data, graphs, context, merged = _SHARED
    return _graph_objects(data, graphs, names, context, merged)


def _runs(names: list[bytes], sizes: list[int], workers: int) -> list[list[bytes]]:
    """``names`` in at most ``workers`` runs of neighbours of about equal total size."""
    total, filled = sum(sizes), 0
    runs: list[list[bytes]] = []
    run: list[bytes] = []
    for name, size in zip(names, sizes, strict=True):
        run.append(name)
        filled += size
        if filled >= total * (len(runs) + 1) / max(workers, 1) and len(runs) < workers - 1:
            runs.append(run)
            run = []
    return [r for r in [*runs, run] if r]


def _graph_objects(
    data: bytes,
    graphs: dict[bytes, array[int]],
    names: list[bytes],
    context: dict[str, object],
    merged: bool = True,
) -> bytes:
    """The graph objects of the graphs ``names`` of ``data``, separated by commas (each
    graph's lines sorted first, without repeats, unless the text is ``merged``)."""
    c, parts = Compactor(context), []
    for n, name in enumerate(names):
        graph_id = json.dumps(name.decode("utf-8").strip("<>"), ensure_ascii=False)
        parts.append(("," if n else "") + f'\n    {{"@id": {graph_id}, "@graph": [')
        lines = _lines(data, graphs[name])
        if not merged:
            lines = b"\n".join(sorted(set(lines.split(b"\n"))))
        for i, node in enumerate(_nodes(c, lines)):
            parts.append(("," if i else "") + "\n      " + node)
        parts.append("\n    ]}")
    return "".join(parts).encode("utf-8")


def write_jsonld(
    data: bytes, context: dict[str, object], out: BinaryIO, workers: int = 1, *, merged: bool = True
) -> None:
    """Write an N-Quads text to ``out`` as a compacted JSON-LD document, node by node (on
    ``workers`` processes, ``merged`` or not: :func:`jsonld_graphs`)."""
    out.write(jsonld_head(context))
    jsonld_graphs(data, context, out, workers, merged=merged)
    out.write(JSONLD_TAIL)


__all__ = ["JSONLD_TAIL", "Compactor", "jsonld_graphs", "jsonld_head", "write_jsonld"]
