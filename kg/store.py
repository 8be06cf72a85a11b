"""The graph store, behind one small interface (:class:`GraphStore`).

:class:`Store` is Oxigraph (pyoxigraph), in memory (the built files, loaded for each
command) or on disk (``oxigraph:PATH``, filled once by ``peel-kg build --store`` and
opened at once after); kg.remote's ``SparqlStore`` is any SPARQL 1.1 endpoint. kg.stores
chooses one from a ``--store`` spec. Every backend gives the same things: SELECT results
in a standard SPARQL results format (bytes), rows of rdflib terms, ASK as a bool,
CONSTRUCT and DESCRIBE as pyoxigraph triples, and ``run`` gives any query's results as
pyoxigraph's result objects (a remote store parses the server's standard results into
them), so callers never ask which backend they hold.

The default graph of every query is the union of the store's named graphs: Oxigraph's
``use_default_graph_as_union`` here, the protocol's dataset parameters in kg.remote. A
triple stated in two graphs matches twice (SELECT DISTINCT where that matters).

The canned queries' parameters are bound by kg.queries, in the query text as VALUES
blocks of serialised terms; ``bindings`` here are Oxigraph's substitutions (SEP-0007),
for callers that hold terms (a remote store binds them in a trailing VALUES clause).
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError, UsageError

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}

_FILE_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
}
#: The suffixes of the graph files a Store loads (Store.from_file).
LOADABLE = frozenset(_FILE_FORMATS)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


def from_ox(term: Any) -> Node | None:
    """Convert a pyoxigraph term (or None) to an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING:  # a simple literal: rdflib keeps it untyped
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


class GraphStore(ABC):
    """An RDF dataset that answers SPARQL 1.1 queries, wherever it is kept.

    The default graph of every query is the union of the named graphs. ``where`` says
    where the data are (a file, a folder, a URL), for messages.
    """

    where: str = "memory"

    @abstractmethod
    def run(self, query: str, prefixes: Mapping[str, str] | None = None) -> Any:
        """Run any query, ``prefixes`` predeclared; its results as pyoxigraph's objects: a
        ``QuerySolutions``, a ``QueryBoolean``, or an iterable of ``Triple``."""

    @abstractmethod
    def select(
        self, query: str, bindings: Mapping[str, Node] | None = None, fmt: str = "json"
    ) -> bytes:
        """Run a SELECT query; return its results in a standard SPARQL results format.

        ``fmt`` is one of json (SPARQL 1.1 Query Results JSON), csv, tsv, xml.
        """

    @abstractmethod
    def construct(
        self, query: str, bindings: Mapping[str, Node] | None = None
    ) -> Iterable[ox.Triple]:
        """Run a CONSTRUCT (or DESCRIBE) query; return its triples (pyoxigraph terms)."""

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs the store holds, sorted."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the named graphs (and the default graph, where the
        backend can tell)."""

    def rows(self, query: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Node]]:
        """Run a SELECT query; return one dict per solution (unbound variables left out)."""
        doc = json.loads(self.select(query, bindings, "json"))
        return [{k: _json_term(v) for k, v in b.items()} for b in doc["results"]["bindings"]]


class Store(GraphStore):
    """An Oxigraph store: in memory (by default), or on disk at ``path`` (a folder of
    Oxigraph's, made when it does not exist). ``read_only`` opens an on-disk store without
    its write lock (see :meth:`open_disk`).

    The default graph of every query is the union of all named graphs.
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        if path is None:
            self._store = ox.Store()
            return
        self.where = str(path)
        self._store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))

    @classmethod
    def open_disk(cls, path: Path) -> Store:
        """Open the on-disk store at ``path`` for queries, at once (nothing is loaded).

        It is opened for writing when no other process holds it (so no writer can change
        it under the queries); read-only when one does (a running ``peel-kg serve`` or
        another query): Oxigraph allows one writer process, and says a read-only store
        read while another process writes to it behaves undefined, so do not rebuild into
        a store that is being queried.

        :raises UsageError: there is no Oxigraph store at ``path``.
        :raises StoreError: it cannot be opened.
        """
        if not (path / "CURRENT").is_file():
            raise UsageError(
                f"{path}: no Oxigraph store here; fill one with "
                f"`peel-kg build --store oxigraph:{path}`"
            )
        try:
            return cls(path)
        except OSError as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"{path}: cannot open the Oxigraph store: {exc}") from exc
        try:  # another process holds the write lock: read beside it
            return cls(path, read_only=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the Oxigraph store: {exc}") from exc

    @classmethod
    def fill_disk(cls, path: Path, data: Path) -> Store:
        """Replace what the on-disk store at ``path`` holds with the graph file ``data``
        (every named graph), by bulk loading; make the store when there is none.

        :raises UsageError: ``path`` is a file, or a folder of something else than an
            Oxigraph store.
        :raises StoreError: another process holds the store, or it cannot be written.
        :raises QueryError: ``data`` cannot be read or is not valid RDF.
        """
        if path.exists() and (
            not path.is_dir() or (any(path.iterdir()) and not (path / "CURRENT").is_file())
        ):
            raise UsageError(
                f"{path}: not an Oxigraph store (it holds other files); "
                "name an empty or new folder, or a store made by `peel-kg build --store`"
            )
        try:
            store = cls(path)
        except OSError as exc:
            held = "lock" in str(exc).lower()
            why = "another process has it open (a query or `peel-kg serve`?); stop it first"
            raise StoreError(
                f"{path}: cannot write the Oxigraph store: {why if held else exc}"
            ) from exc
        store._store.clear()
        store._load_file(data)
        store._store.flush()
        return store

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Store:
        """Load an rdflib Dataset (all its named graphs) into a new store."""
        store = cls()
        data = dataset.serialize(format="nquads", encoding="utf-8")
        store.load(data, ox.RdfFormat.N_QUADS)
        return store

    @classmethod
    def from_file(cls, path: Path) -> Store:
        """Load a .nq, .trig, .ttl or .nt file into a new store."""
        fmt = _FILE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise QueryError(
                f"{path}: cannot load a '{path.suffix}' file; use .nq, .trig, .ttl or .nt"
            )
        store = cls()
        store._load_file(path)
        store.where = str(path)
        return store

    def _load_file(self, path: Path) -> None:
        """Bulk-load a .nq, .trig, .ttl or .nt file (never held in memory as a whole)."""
        fmt = _FILE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise QueryError(
                f"{path}: cannot load a '{path.suffix}' file; use .nq, .trig, .ttl or .nt"
            )
        try:
            self._store.bulk_load(path=str(path), format=fmt)
        except OSError as exc:
            raise QueryError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        except SyntaxError as exc:
            raise QueryError(
                f"{path}:{exc.lineno}: not valid {path.suffix[1:]}: {exc.msg}; give a graph "
                "that `peel-kg build` wrote, or build it again"
            ) from exc

    @classmethod
    def from_nquads(cls, data: bytes) -> Store:
        """Load an N-Quads text into a new store."""
        store = cls()
        store.load(data, ox.RdfFormat.N_QUADS)
        return store

    def load_nquads(self, data: bytes) -> None:
        """Add an N-Quads text to the store."""
        self.load(data, ox.RdfFormat.N_QUADS)

    def load(self, data: bytes, fmt: ox.RdfFormat) -> None:
        """Add serialised RDF to the store."""
        self._store.bulk_load(data, format=fmt)

    def __len__(self) -> int:
        return len(self._store)

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs the store holds, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def run(self, query: str, prefixes: Mapping[str, str] | None = None) -> Any:
        """Run any query, ``prefixes`` predeclared; its results as pyoxigraph gives them
        (solutions, a boolean or triples)."""
        return self._run(query, None, prefixes)

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None,
        prefixes: Mapping[str, str] | None = None,
    ) -> Any:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()
        }
        try:
            return self._store.query(
                query,
                use_default_graph_as_union=True,
                substitutions=subs,
                prefixes=dict(prefixes or {}),
            )
        except SyntaxError as exc:
            where = _where(query, str(exc), prefixes or {})
            raise QueryError(f"not valid SPARQL 1.1 {where}") from exc
        except (OSError, RuntimeError) as exc:  # e.g. a bound variable not in the projection
            raise QueryError(f"cannot run the query: {exc}") from exc

    def select(
        self, query: str, bindings: Mapping[str, Node] | None = None, fmt: str = "json"
    ) -> bytes:
        """Run a SELECT query; return its results in a standard SPARQL results format.

        ``fmt`` is one of json (SPARQL 1.1 Query Results JSON), csv, tsv, xml.
        """
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown results format {fmt!r}; use one of {sorted(RESULT_FORMATS)}")
        results = self._run(query, bindings)
        if not isinstance(results, ox.QuerySolutions):
            raise QueryError("only SELECT queries return a results table")
        data = results.serialize(format=RESULT_FORMATS[fmt])
        assert data is not None  # serialize() returns the bytes when given no output
        return data

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Any:
        """Run a CONSTRUCT (or DESCRIBE) query; return its triples (pyoxigraph terms)."""
        results = self._run(query, bindings)
        if not isinstance(results, ox.QueryTriples):
            raise QueryError("only CONSTRUCT and DESCRIBE queries return triples")
        return results

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself (for a validator that reads it directly)."""
        return self._store

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""
        return bool(self._run(query, bindings))


def query_form(query: str, prefixes: Mapping[str, str] | None = None) -> str:
    """The form of a SPARQL 1.1 query: SELECT, ASK or CONSTRUCT (DESCRIBE too), read by
    Oxigraph's parser (on an empty store: nothing is evaluated that matters); QueryError,
    naming the line and column, when it is not a valid query."""
    try:
        results = ox.Store().query(query, prefixes=dict(prefixes or {}))
    except SyntaxError as exc:
        where = _where(query, str(exc), prefixes or {})
        raise QueryError(f"not valid SPARQL 1.1 {where}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"cannot run the query: {exc}") from exc
    if isinstance(results, ox.QuerySolutions):
        return "SELECT"
    return "ASK" if isinstance(results, ox.QueryBoolean) else "CONSTRUCT"


_POSITION = re.compile(r"error at (\d+):(\d+): ")


def _where(text: str, message: str, prefixes: Mapping[str, str]) -> str:
    """Oxigraph's syntax error ('error at LINE:COLUMN: …') as the line and column, the line
    of the query with a caret under the place, and what was expected (cut short: Oxigraph
    may list every character a name could hold)."""
    found = _POSITION.match(message)
    if not found:
        return f": {message}"
    line, column = (int(n) for n in found.groups())
    said = message[found.end() :]
    if "Prefix not found" in said:
        said = "a prefix that is not declared; declare it with PREFIX"
        if prefixes:
            said += " or use one of " + ", ".join(f"{p}:" for p in prefixes)
    said = said.splitlines()[0] if said else "?"
    if len(said) > 160:
        said = said[:160].rsplit(",", 1)[0] + ", …"
    lines = text.splitlines() or [""]
    shown = lines[min(line, len(lines)) - 1]
    caret = " " * min(max(column - 1, 0), len(shown)) + "^"
    return f"at line {line}, column {column}:\n  {shown}\n  {caret}\n{said}"


def _json_term(value: dict[str, str]) -> Node:
    """One term of SPARQL JSON results, as an rdflib term."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])
