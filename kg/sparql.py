"""Any SPARQL 1.1 query a user writes, on the built graph: the project's prefixes are
predeclared (peel:, skos:, oa: … as kg.vocab.PREFIXES lists them), so a query may use them
without PREFIX lines; a query's own PREFIX lines win.

SELECT results are written as kg.results writes a canned query's: a table fitting the
terminal, a standard SPARQL 1.1 results format (csv, tsv, json, xml), JSON Lines or
Markdown, or an Excel workbook (``sparql_workbook``); ASK as true or false (or a results
document in json and xml); CONSTRUCT and DESCRIBE as Turtle or JSON-LD (compacted with
ontology/context.jsonld). A syntax error is a QueryError naming the line and column of
the fault in the text as given.

The default graph is the union of the named graphs as Oxigraph makes it: a triple stated
in two graphs matches twice (SELECT DISTINCT where that matters).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg import vocab
from kg.errors import UsageError
from kg.results import SELECT_FORMATS, render_select, render_xlsx, results_format
from kg.store import RESULT_FORMATS, GraphStore

#: The prefixes every query may use without declaring them.
#: kg.vocab's prefixes, the named graphs' (graph:queries …), and those of the query
#: catalogue (kg.catalogue).
PREFIXES = {
    **{prefix: str(ns) for prefix, ns in vocab.PREFIXES.items()},
    "graph": str(vocab.GRAPH),
    "sh": str(vocab.SH),
    "schema": str(vocab.SCHEMA),
}
#: The formats of each kind of result; the first is the default.
SOLUTION_FORMATS = SELECT_FORMATS
BOOLEAN_FORMATS = ("table", "json", "xml")
GRAPH_FORMATS = ("turtle", "jsonld")


def run_sparql(
    store: GraphStore, text: str, fmt: str | None = None, width: int | None = None
) -> str:
    """Run ``text`` on ``store``; its results as text in ``fmt`` (default: a table for
    SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE); a table fits ``width`` (default:
    the terminal's, kg.results.output_width).

    :raises QueryError: the query is not valid SPARQL 1.1 (with its line and column), or
        cannot run.
    :raises UsageError: ``fmt`` does not suit the kind of query.
    """
    results = _results(store, text)
    if isinstance(results, ox.QuerySolutions):
        fmt = _format(fmt, SOLUTION_FORMATS, "a SELECT query")
        data = results.serialize(format=RESULT_FORMATS[results_format(fmt)])
        assert data is not None  # serialize() returns the bytes when given no output
        return render_select(data, fmt, width)
    if isinstance(results, ox.QueryBoolean):
        return _boolean(bool(results), _format(fmt, BOOLEAN_FORMATS, "an ASK query"))
    return _triples(results, _format(fmt, GRAPH_FORMATS, "a CONSTRUCT or DESCRIBE query"))


def sparql_workbook(store: GraphStore, text: str) -> bytes:
    """Run the SELECT query ``text`` on ``store``; its results as an Excel workbook
    (kg.results.render_xlsx).

    :raises QueryError: as run_sparql.
    :raises UsageError: the query is not a SELECT query, or openpyxl is not installed.
    """
    results = _results(store, text)
    if not isinstance(results, ox.QuerySolutions):
        raise UsageError("only a SELECT query's results can be written as xlsx")
    data = results.serialize(format=ox.QueryResultsFormat.JSON)
    assert data is not None  # serialize() returns the bytes when given no output
    return render_xlsx(data)


def _results(store: GraphStore, text: str) -> Any:
    """The results of the query ``text``, the project's prefixes predeclared."""
    if not text.strip():
        raise UsageError("no query given: pass it as an argument, with -f FILE, or on stdin")
    return store.run(text, PREFIXES)


def _format(fmt: str | None, allowed: tuple[str, ...], kind: str) -> str:
    if fmt is None:
        return allowed[0]
    if fmt not in allowed:
        raise UsageError(f"{kind} cannot be written as {fmt!r}; use one of {', '.join(allowed)}")
    return fmt


def _boolean(value: bool, fmt: str) -> str:
    if fmt == "table":
        return f"{str(value).lower()}\n"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
    )


def _triples(results: Any, fmt: str) -> str:
    triples = list(results)
    if fmt == "turtle":
        # without id:, whose local names would need their slashes escaped
        shown = {k: v for k, v in PREFIXES.items() if k != "id"}
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=shown) or b""
        return data.decode("utf-8")
    from kg.export import load_context  # the JSON-LD context of every export

    return to_graph(triples).serialize(format="json-ld", context=load_context(), indent=2)


def to_graph(triples: Iterable[ox.Triple]) -> Graph:
    """The triples of a CONSTRUCT or DESCRIBE query as an rdflib Graph."""
    graph = Graph()
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=nt.decode("utf-8"), format="nt")
    return graph


__all__ = [
    "BOOLEAN_FORMATS",
    "GRAPH_FORMATS",
    "PREFIXES",
    "SOLUTION_FORMATS",
    "run_sparql",
    "to_graph",
    "sparql_workbook",
]
