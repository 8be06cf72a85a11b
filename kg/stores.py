"""Choosing the store a command reads: the built files, an on-disk Oxigraph store, or any
SPARQL 1.1 endpoint, all behind kg.store.GraphStore.

A store is named by a spec:

- ``PATH`` (or ``files:PATH``): the built files, a graph file or a folder holding
  ``peel.nq``, loaded into memory for each command (as ``--data PATH``);
- ``oxigraph:PATH``: an on-disk Oxigraph store, filled by ``peel-kg build --store
  oxigraph:PATH`` and opened at once after (kg.store.Store.open_disk);
- ``sparql:URL``: a SPARQL 1.1 query endpoint (kg.remote.SparqlStore); ``build --store
  sparql:URL`` and ``push`` load it through the Graph Store Protocol (kg.push).

A command takes ``--store SPEC`` or ``--data PATH`` (one of them); without either, the
``PEEL_KG_STORE`` environment variable names the store, and without it the built files
at ``out/peel.nq`` are read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import UsageError
from kg.paths import DEFAULT_GRAPH

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.pipeline import Progress
    from kg.push import PushResult
    from kg.store import GraphStore, Store

#: The environment variable naming the store when a command is given none.
STORE_ENV = "PEEL_KG_STORE"
#: The kinds of store a spec may name.
KINDS = ("files", "oxigraph", "sparql")


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec: its ``kind`` (one of KINDS) and ``target`` (a path or URL)."""

    kind: str
    target: str

    def __str__(self) -> str:
        return self.target if self.kind == "files" else f"{self.kind}:{self.target}"


def parse_spec(spec: str) -> StoreSpec:
    """Parse ``PATH``, ``files:PATH``, ``oxigraph:PATH`` or ``sparql:URL``.

    :raises UsageError: the spec is empty, or names no path or URL after its kind.
    """
    text = spec.strip()
    if not text:
        raise UsageError("an empty store spec; give PATH, oxigraph:PATH or sparql:URL")
    kind, sep, target = text.partition(":")
    if not sep or kind not in KINDS:
        return StoreSpec("files", text)
    if not target:
        what = "URL" if kind == "sparql" else "path"
        raise UsageError(f"store spec {spec!r} names no {what} after '{kind}:'")
    return StoreSpec(kind, target)


def chosen_spec(store: str | None = None, data: Path | None = None) -> StoreSpec:
    """The store a command reads: ``--store``, else ``--data``, else $PEEL_KG_STORE, else
    the built files at out/peel.nq.

    :raises UsageError: both ``store`` and ``data`` are given.
    """
    if store is not None and data is not None:
        raise UsageError("give --store or --data, not both (--data PATH is --store PATH)")
    if store is not None:
        return parse_spec(store)
    if data is not None:
        return StoreSpec("files", str(data))
    env = os.environ.get(STORE_ENV, "").strip()
    return parse_spec(env) if env else StoreSpec("files", str(DEFAULT_GRAPH))


def open_graph(
    store: str | None = None, data: Path | None = None, *, timeout: float | None = None
) -> GraphStore:
    """Open the store a command reads (see :func:`chosen_spec`) for queries; an endpoint
    is waited for at most ``timeout`` seconds an answer (default kg.remote.TIMEOUT).

    :raises UsageError: there is no built graph or Oxigraph store there, or a bad spec.
    :raises QueryError: a graph file cannot be read or is not valid RDF.
    :raises StoreError: an Oxigraph store cannot be opened.
    """
    return open_spec(chosen_spec(store, data), timeout=timeout)


def open_spec(spec: StoreSpec, *, timeout: float | None = None) -> GraphStore:
    """Open the store ``spec`` names (an endpoint is not asked anything yet; it is waited
    for at most ``timeout`` seconds an answer, default kg.remote.TIMEOUT)."""
    from kg.store import Store

    if spec.kind == "oxigraph":
        return Store.open_disk(Path(spec.target))
    if spec.kind == "sparql":
        from kg.remote import TIMEOUT, SparqlStore

        return SparqlStore(spec.target, timeout=timeout or TIMEOUT)
    return open_files(Path(spec.target))


def graph_file(data: Path) -> Path:
    """The graph file ``data`` names: ``data`` itself, or the built graph in the folder
    ``data`` (its peel.nq)."""
    return data / DEFAULT_GRAPH.name if data.is_dir() else data


def open_files(data: Path) -> Store:
    """The built graph at ``data`` (a graph file, or a folder holding peel.nq) in an
    in-memory store; UsageError when there is none."""
    from kg.store import Store

    name = DEFAULT_GRAPH.name
    if data.is_dir():
        if not (data / name).exists():
            raise UsageError(
                f"{data}: no built graph here (no {name}); run `peel-kg build --out {data}` first"
            )
        data = data / name
    if not data.exists():
        raise UsageError(f"{data}: no built graph here; run `peel-kg build` first")
    return Store.from_file(data)


def union_graph(spec: StoreSpec) -> Graph:
    """Every triple of every named graph of the store ``spec`` names, in one rdflib graph:
    read with rdflib from the built files (any format kg.export reads, .jsonld too), or
    asked of a store with ``CONSTRUCT WHERE { ?s ?p ?o }``.

    :raises InputError: a graph file cannot be read.
    """
    if spec.kind == "files":
        from kg.export import load_dataset, union

        return union(load_dataset(graph_file(Path(spec.target))))
    from kg.sparql import to_graph

    return to_graph(open_spec(spec).construct("CONSTRUCT WHERE { ?s ?p ?o }"))


def fill(
    spec: str, data: Path, graph_store: str | None = None, progress: Progress | None = None
) -> Store | PushResult:
    """Load the built graph file ``data`` into the store ``spec`` names, replacing what it
    held: an Oxigraph store by bulk loading, an endpoint by kg.push.push (through the
    graph store ``graph_store``, checked after). What ``peel-kg build --store`` does.

    :raises UsageError: ``spec`` names the built files (there is nothing to fill).
    """
    parsed = fillable(spec)
    if parsed.kind == "oxigraph":
        from kg.store import Store

        if progress:
            progress(f"loading {data} into {parsed}", 0, 1)
        return Store.fill_disk(Path(parsed.target), data)
    from kg.push import push

    return push(data, parsed.target, graph_store, progress)


def fillable(spec: str) -> StoreSpec:
    """Parse ``spec`` as a store a build can fill: ``oxigraph:PATH`` or ``sparql:URL``.

    :raises UsageError: it names the built files, or is no spec.
    """
    parsed = parse_spec(spec)
    if parsed.kind == "files":
        raise UsageError(
            f"--store {spec}: the built files are written by every build (--out); "
            "give oxigraph:PATH or sparql:URL to fill a store as well"
        )
    return parsed


__all__ = [
    "KINDS",
    "STORE_ENV",
    "StoreSpec",
    "chosen_spec",
    "fill",
    "fillable",
    "open_files",
    "open_graph",
    "open_spec",
    "parse_spec",
    "union_graph",
]
