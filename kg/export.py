"""Export: the graph as Turtle, JSON-LD, N-Triples, N-Quads or TriG.

Every format is made from the graph's N-Quads text, sorted and without repeats
(kg.assemble.merge), so the same corpus gives the same bytes; a build writes its
outputs from the sorted chunks of its parts (kg.parts), joined. Oxigraph writes
N-Quads, N-Triples, Turtle and TriG; in sorted N-Quads the copies of one triple in
several named graphs are neighbours, so the union is made by dropping repeats as
they stream past. JSON-LD is compacted with the context shipped in ontology/,
streaming, by kg.jsonld.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
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


def turtle_head() -> bytes:
    """The prefix lines that begin the Turtle and TriG this module writes."""
    return "".join(f"@prefix {k}: <{v}> .\n" for k, v in _PREFIXES.items()).encode("utf-8")


def turtle_body(data: bytes) -> bytes:
    """The union of a sorted N-Quads text's named graphs as Turtle, without the prefix
    lines (:func:`turtle_head`): Turtle texts of several parts of a graph (kg.parts) join
    after one head. A subject described in several parts is described in each."""
    triples = ox.parse(_union(data), format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False)
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) or b""
    # Oxigraph writes a line per prefix first, in an order of its own
    at = 0
    while text.startswith(b"@prefix ", at):
        at = text.index(b"\n", at) + 1
    return text[at:]


def write_nquads_as(data: bytes, fmt: str, out: BinaryIO) -> None:
    """Write an N-Quads text to ``out`` in one of FORMATS: its lines sorted and without
    repeats first (kg.assemble.merge; for JSON-LD, graph by graph in its workers), so the
    same graph always gives the same bytes."""
    if fmt == "jsonld":
        write_jsonld(data, load_context(), out, _workers(data), merged=False)
        return
    data = merge([data])
    if fmt == "nq":
        out.write(data)
    elif fmt == "nt":
        out.write(_union(data))
    elif fmt == "turtle":
        out.write(turtle_head())
        out.write(turtle_body(data))
    elif fmt == "trig":
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        quads.sort(key=lambda q: str(q.graph_name))  # stable: each graph's quads stay sorted
        ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=_PREFIXES)
    else:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _workers(data: bytes) -> int:
    """Processes for a text's JSON-LD: one per core for a large one (a national graph)."""
    from kg.process import default_jobs

    return default_jobs() if len(data) > 32 * 1024 * 1024 else 1


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


def read_chunk(chunk: bytes | Path) -> bytes:
    """A chunk of an output (kg.parts), in memory or in a file."""
    return chunk.read_bytes() if isinstance(chunk, Path) else chunk


def write_chunks(out: BinaryIO, chunks: list[bytes | Path]) -> None:
    """Write ``chunks`` one after another to ``out``: texts as they are, files copied by
    the operating system (no copy of them is read into memory)."""
    for chunk in chunks:
        if not isinstance(chunk, Path):
            out.write(chunk)
            continue
        out.flush()
        start = out.tell()
        with chunk.open("rb") as src:
            size = os.fstat(src.fileno()).st_size
            try:
                done = 0
                while done < size:
                    sent = os.sendfile(out.fileno(), src.fileno(), done, size - done)
                    if not sent:
                        raise OSError(f"{chunk}: shorter than it was")
                    done += sent
            except OSError:  # no sendfile between these two files here: copy through memory
                out.seek(start)
                out.truncate()
                src.seek(0)
                shutil.copyfileobj(src, out)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to a temporary file beside ``path``, then rename it
    into place."""
    with pending(path) as (fh, tmp):
        fh.write(text.encode("utf-8") if isinstance(text, str) else text)
    os.replace(tmp, path)


_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@contextmanager
def pending(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary file beside ``path`` to write (binary) and its name, for the caller
    to rename into place once everything it belongs with is written; removed if the block
    fails. It is made as open() makes a file, 0666 less the umask (0644 under 022), not
    tempfile's 0600: every file a command writes, and renames into place, is made here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
            break
        except FileExistsError:  # another writer's name: draw again
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


READABLE = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def export_file(source: Path, fmt: str, out: BinaryIO) -> None:
    """Write a built graph file to ``out`` in one of FORMATS. An N-Quads file (what a
    build writes) is read as text and written by the streaming writers here: seconds
    at national scale, where rdflib takes minutes; any other goes through rdflib.

    :raises InputError: when the file is missing or not valid RDF.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if source.suffix.lower() != ".nq":
        out.write(serialise(load_dataset(source), fmt).encode("utf-8"))
        return
    try:
        data = source.read_bytes()
        for _ in ox.parse(data, format=ox.RdfFormat.N_QUADS):  # refuse a damaged file whole
            pass
    except FileNotFoundError as exc:
        raise InputError(f"{source}: no built graph here; run `peel-kg build` first") from exc
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    except SyntaxError as exc:
        raise InputError(f"{source}: not valid N-Quads: {exc}") from exc
    write_nquads_as(data, fmt, out)


def load_dataset(path: Path) -> Dataset:
    """Read a built graph back in: .nq or .trig keep named graphs; .ttl, .nt, .jsonld too."""
    fmt = READABLE.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: expected one of {', '.join(READABLE)} (a built graph)")
    if not path.exists():
        raise InputError(f"{path}: no built graph here; run `peel-kg build` first")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the graph file in it (peel.nq)")
    ds = Dataset()
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises several parser exception types
        said = " ".join(str(exc).split())
        raise InputError(
            f"{_fault(path) or f'{path}: {said}'}; give a graph that `peel-kg build` wrote, "
            "or build it again"
        ) from exc
    return ds


def _fault(path: Path) -> str | None:
    """Where and how ``path`` is not valid RDF ('out/peel.nq:4: not valid nq: …'), by
    Oxigraph's parser, which (unlike rdflib's) tells the line; None for a format it does
    not read, or a fault it does not find."""
    import pyoxigraph as ox

    formats = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES}
    formats |= {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG}
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        return None
    try:
        for _ in ox.parse(path=str(path), format=fmt):
            pass
    except SyntaxError as exc:
        return f"{path}:{exc.lineno}: not valid {path.suffix[1:]}: {exc.msg}"
    except (OSError, ValueError):
        pass
    return None
