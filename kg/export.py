"""Export: the dataset as Turtle, JSON-LD, N-Triples, N-Quads or TriG.

N-Triples and N-Quads are written sorted, so the same corpus gives the same
bytes. JSON-LD is compacted with the context shipped in ontology/, with
only the project's prefixes bound.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg import vocab
from kg.errors import InputError, UsageError
from kg.paths import JSONLD_CONTEXT

FORMATS = ("turtle", "jsonld", "nt", "nq", "trig")
SUFFIXES = {"turtle": ".ttl", "jsonld": ".jsonld", "nt": ".nt", "nq": ".nq", "trig": ".trig"}


def union(ds: Dataset) -> Graph:
    """Every triple of every named graph in one graph (named graphs dropped)."""
    g = Graph()
    for prefix, ns in vocab.PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _sorted_lines(data: str) -> str:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def load_context(path: Path = JSONLD_CONTEXT) -> dict[str, object]:
    """The JSON-LD context shipped in ontology/."""
    try:
        ctx = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the JSON-LD context: {exc}") from exc
    return ctx.get("@context", ctx)


def _turtle(ds: Dataset) -> str:
    """The union of all graphs as Turtle, written by Oxigraph (far faster than rdflib).

    Triples are deduplicated and sorted first, so the same dataset gives the same text.
    """
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    ordered = sorted(triples, key=str)
    # Instance IRIs stay whole: as 'id:' names their slashes would need escaping.
    prefixes = {prefix: str(ns) for prefix, ns in vocab.PREFIXES.items() if prefix != "id"}
    data = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert data is not None  # serialize() returns the bytes when given no output
    return data.decode("utf-8")


def serialise(ds: Dataset, fmt: str) -> str:
    """The dataset in one of FORMATS, as text."""
    if fmt == "nq":
        return _sorted_lines(ds.serialize(format="nquads"))
    if fmt == "nt":
        return _sorted_lines(union(ds).serialize(format="nt"))
    if fmt == "turtle":
        return _turtle(ds)
    if fmt == "trig":
        return ds.serialize(format="trig")
    if fmt == "jsonld":
        return ds.serialize(format="json-ld", context=load_context(), indent=2)
    raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


READABLE = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def load_dataset(path: Path) -> Dataset:
    """Read a built graph back in: .nq or .trig keep named graphs; .ttl, .nt, .jsonld too."""
    fmt = READABLE.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: expected one of {', '.join(READABLE)} (a built graph)")
    if not path.exists():
        raise InputError(f"{path}: no built graph here; run `peel-kg build` first")
    ds = Dataset()
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises several parser exception types
        raise InputError(f"{path}: cannot parse: {exc}") from exc
    return ds
