"""Export: the graph as Turtle, JSON-LD, N-Triples, N-Quads or TriG.

Every format is made from the graph's N-Quads text, sorted and without repeats
(kg.assemble.merge), so the same corpus gives the same bytes. Oxigraph writes
N-Quads, N-Triples, Turtle and TriG; in sorted N-Quads the copies of one triple in
several named graphs are neighbours, so the union is made by dropping repeats as
they stream past. JSON-LD is compacted with the context shipped in ontology/,
streaming, by kg.jsonld.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg import vocab
from kg.assemble import merge
from kg.errors import InputError, UsageError
from kg.jsonld import write_jsonld
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


def load_context(path: Path = JSONLD_CONTEXT) -> dict[str, object]:
    """The JSON-LD context shipped in ontology/."""
    try:
        ctx = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the JSON-LD context: {exc}") from exc
    return ctx.get("@context", ctx)


def _union(data: bytes) -> bytes:
    """The distinct triples of a sorted N-Quads text as N-Triples, in its order: each line
    without its graph name (every line of the build names one), repeats dropped. Line by
    line, so no list of every line is made beside the text."""
    out, last = io.BytesIO(), None
    for line in io.BytesIO(data):
        triple = line.rstrip(b"\n").rsplit(b" ", 2)[0]  # '<s> <p> <o>' of '<s> <p> <o> <g> .'
        if triple and triple != last:
            out.write(triple + b" .\n")
        last = triple
    return out.getvalue()


#: Prefixes for Turtle and TriG. Instance IRIs stay whole: as 'id:' names their slashes
#: would need escaping.
_PREFIXES = {prefix: str(ns) for prefix, ns in vocab.PREFIXES.items() if prefix != "id"}


def write_nquads_as(data: bytes, fmt: str, out: BinaryIO) -> None:
    """Write a sorted N-Quads text without repeats (kg.assemble.merge) to ``out`` in one of
    FORMATS, streaming: no second copy of the graph is made as text."""
    if fmt == "nq":
        out.write(data)
    elif fmt == "nt":
        out.write(_union(data))
    elif fmt == "turtle":
        triples = ox.parse(_union(data), format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False)
        ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=_PREFIXES)
    elif fmt == "trig":
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        quads.sort(key=lambda q: str(q.graph_name))  # stable: each graph's quads stay sorted
        ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=_PREFIXES)
    elif fmt == "jsonld":
        write_jsonld(data, load_context(), out)
    else:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def serialise_nquads(data: bytes, fmt: str) -> str:
    """A sorted N-Quads text without repeats (kg.assemble.merge) in one of FORMATS, as text."""
    buffer = io.BytesIO()
    write_nquads_as(data, fmt, buffer)
    return buffer.getvalue().decode("utf-8")


def serialise(ds: Dataset, fmt: str) -> str:
    """An rdflib Dataset in one of FORMATS, as text."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return serialise_nquads(merge([ds.serialize(format="nquads", encoding="utf-8")]), fmt)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    with pending(path) as (fh, tmp):
        fh.write(text.encode("utf-8"))
    os.replace(tmp, path)


@contextmanager
def pending(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary file beside ``path`` to write (binary) and its name, for the caller
    to rename into place once everything it belongs with is written; removed if the block
    fails. It has the permissions a file made with open() would have."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
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
