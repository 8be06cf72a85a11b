"""The Python API: open a built graph, run the canned queries and any SPARQL, get rows of
Python values (and a pandas DataFrame where pandas is installed).

::

    import kg

    graph = kg.open("out")  # what `peel-kg build` wrote; or a .nq/.trig file, a store
    # spec ("oxigraph:PATH", "sparql:URL", as --store takes), or a kg.store.GraphStore
    rows = graph.query("grades", force="Northamptonshire Police", assessment="2025-27")
    rows.columns  # ('force', 'assessment', 'area', 'grade', 'status')
    rows[0]["grade"]  # each row a dict: column -> value
    graph.sparql("ASK { ?f a peel:Force }")  # True
    rows.to_pandas()  # pip install 'peel-kg[pandas]'

A row is a plain dict with every column of the query as a key. Its values are those of
:func:`kg.results.plain_value`: None where unbound; int, Decimal, float, bool,
datetime.date and datetime.datetime for literals of the numeric, boolean and date XML
Schema types; the text of anything else, IRIs included (an IRI is a str, as in the
``jsonl`` output of ``peel-kg query run``).

Everything runs on what the rest of the package does: a built graph is opened as the CLI
opens one (kg.stores), a canned query runs through :func:`kg.queries.run_query` and any
other query through :meth:`kg.store.GraphStore.run` with kg.sparql's prefixes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import pyoxigraph as ox
from rdflib import Graph

from kg import deadline
from kg.errors import MissingExtraError, UsageError
from kg.queries import CannedQuery, Values, list_queries, run_query
from kg.results import plain_value
from kg.sparql import PREFIXES, to_graph
from kg.store import GraphStore, Store
from kg.stores import KINDS, chosen_spec, open_files, open_graph, open_spec

if TYPE_CHECKING:
    import pandas

#: The graph file a build writes in its output folder (kg.pipeline.OUTPUTS["nq"]).
GRAPH_FILE = "peel.nq"
#: The graph opened when none is named: the CLI's ``--data`` default.
DEFAULT_GRAPH = Path("out") / GRAPH_FILE


class Rows(Sequence[dict[str, Any]]):
    """The rows of a SELECT query, in order: each a dict of column -> Python value (see
    the module's docstring), with every column a key; ``columns`` names them in order."""

    def __init__(self, columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> None:
        self._columns = tuple(columns)
        self._rows = list(rows)

    @classmethod
    def from_json(cls, results_json: bytes | str) -> Rows:
        """The rows of a SPARQL 1.1 Query Results JSON document."""
        doc = json.loads(results_json)
        names: list[str] = doc["head"]["vars"]
        return cls(
            names, ({n: plain_value(b.get(n)) for n in names} for b in doc["results"]["bindings"])
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """The query's result variables, in order (without '?')."""
        return self._columns

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | Rows:
        if isinstance(index, slice):
            return Rows(self._columns, self._rows[index])
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rows):
            return NotImplemented
        return (self._columns, self._rows) == (other._columns, other._rows)

    def __repr__(self) -> str:
        return f"<Rows: {len(self)} row(s) of {', '.join(self._columns) or 'no columns'}>"

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame with one column per query column, in order.

        :raises MissingExtraError: pandas is not installed (``pip install
            'peel-kg[pandas]'``).
        """
        try:
            import pandas
        except ImportError as exc:
            raise MissingExtraError(
                "Rows.to_pandas needs pandas, which is not installed; "
                "install it with: pip install 'peel-kg[pandas]'"
            ) from exc
        return pandas.DataFrame.from_records(self._rows, columns=list(self._columns))


class PeelGraph:
    """A built PEEL graph in a query store: canned queries, any SPARQL, the catalogue.

    Made by :func:`open`; ``store`` is the kg.store.GraphStore it queries, ``path`` the
    file it was loaded from (None when opened from a store).
    """

    def __init__(self, store: GraphStore, path: Path | None = None) -> None:
        self.store = store
        self.path = path

    def query(
        self, name: str | CannedQuery, /, *, timeout: float | None = None, **params: Any
    ) -> Rows:
        """Run the canned query ``name`` (see :meth:`queries`) with its parameters as
        keyword arguments: ``graph.query("findings", force="Northants Police",
        type=["cause-of-concern", "recommendation"])``.

        A value is text as ``peel-kg query run --param`` takes it (a number or a date is
        written as text first); a list or tuple gives a repeatable parameter several values
        (a row matches any of them); None leaves the parameter out.

        :raises QueryError: no query of that name, a parameter it does not declare, a
            missing required one, or a value that does not fit its type.
        :raises QueryTimeout: the query ran longer than ``timeout`` seconds (default: no
            limit); Ctrl-C stops it at once (KeyboardInterrupt), see kg.deadline.
        """
        given = {k: _values(v) for k, v in params.items() if v is not None}
        return deadline.run(
            lambda: Rows.from_json(run_query(self.store, name, given, fmt="json")),
            timeout,
            hint="timeout=",
        )

    def sparql(self, text: str, *, timeout: float | None = None) -> Rows | bool | Graph:
        """Run any SPARQL 1.1 query, with the project's prefixes (peel:, skos:, oa:, prov:,
        rdfs: … as ``peel-kg sparql``) predeclared: a SELECT query gives :class:`Rows`, an
        ASK query a bool, a CONSTRUCT or DESCRIBE query an rdflib Graph.

        The default graph is the union of the named graphs: a triple stated in two graphs
        matches twice (use SELECT DISTINCT where that matters).

        :raises QueryError: the text is not valid SPARQL 1.1 (naming the line and column),
            or the query cannot run.
        :raises UsageError: the text is empty.
        :raises QueryTimeout: as :meth:`query`.
        """
        if not text.strip():
            raise UsageError("no query given: pass the text of a SPARQL 1.1 query")
        return deadline.run(lambda: self._sparql(text), timeout, hint="timeout=")

    def _sparql(self, text: str) -> Rows | bool | Graph:
        """The results of ``text`` as :meth:`sparql` gives them (in the query's thread)."""
        results = self.store.run(text, PREFIXES)
        if isinstance(results, ox.QuerySolutions):
            data = results.serialize(format=ox.QueryResultsFormat.JSON)
            assert data is not None  # serialize() returns the bytes when given no output
            return Rows.from_json(data)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        graph = to_graph(results)
        for prefix, namespace in PREFIXES.items():
            if prefix != "id":  # its local names would need their slashes escaped
                graph.bind(prefix, namespace)
        return graph

    def queries(self) -> list[CannedQuery]:
        """The canned queries (queries/*.rq), by name: each with its ``summary``,
        ``parameters`` (name, type, whether required, repeatable) and result
        ``variables``."""
        return list_queries()

    def __len__(self) -> int:
        """The number of quads in the store."""
        return len(self.store)

    def __repr__(self) -> str:
        where = f" {self.path}" if self.path is not None else ""
        return f"<PeelGraph{where}: {len(self)} quads>"


def open(source: str | os.PathLike[str] | GraphStore | None = None) -> PeelGraph:
    """Open a built graph for queries.

    :param source: a graph file (``.nq`` or ``.trig`` as ``peel-kg build`` writes them,
        or ``.ttl``, ``.nt``), a folder holding ``peel.nq`` (a build's output folder), a
        store spec as ``--store`` takes it (``oxigraph:PATH``, ``sparql:URL``), or a
        :class:`kg.store.GraphStore`; by default the store $PEEL_KG_STORE names, else
        ``out/peel.nq``, as the CLI's.
    :raises UsageError: there is no built graph there (run ``peel-kg build`` first).
    :raises QueryError: the file cannot be read or is not valid RDF of its format.
    :raises StoreError: an Oxigraph store cannot be opened.
    """
    if isinstance(source, GraphStore):
        return PeelGraph(source)
    if isinstance(source, str) and source.partition(":")[0] in KINDS[1:]:
        return PeelGraph(open_graph(source))
    if source is None:
        spec = chosen_spec()
        if spec.kind != "files":
            return PeelGraph(open_spec(spec))
        source = spec.target
    path = Path(source)
    return PeelGraph(open_store(path), path / GRAPH_FILE if path.is_dir() else path)


def open_store(data: Path) -> Store:
    """The built graph at ``data`` (a graph file, or a folder holding peel.nq) in a query
    store, as every command with ``--data`` opens it; UsageError when there is none."""
    return open_files(data)


def _values(value: Any) -> Values:
    """A parameter's value(s) as text: a list or tuple gives several."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


__all__ = ["DEFAULT_GRAPH", "GRAPH_FILE", "PeelGraph", "Rows", "open", "open_store"]
