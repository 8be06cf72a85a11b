"""The commands that ask the graph: query list|show|run, list and sparql."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from kg.cli.base import (
    _fail,
    _limit,
    _open_graph,
    _store_options,
    _timeout_option,
    _where,
    _within,
    cli,
)
from kg.errors import KgError
from kg.progress import terminal_status


@cli.group()
def query() -> None:
    """List, show and run the canned SPARQL queries in queries/."""


@query.command("list")
@click.option("--tag", help="Only the queries with this tag (among any of theirs).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
    help="A table per tag fitting the terminal, Markdown tables (the README's), or JSON.",
)
def query_list(tag: str | None, fmt: str) -> None:
    """List the canned queries grouped by tag (each under its first), with their
    summaries and parameters."""
    from kg.listing import query_listing

    try:
        text = query_listing(fmt, tag)
    except KgError as exc:
        _fail(exc)
    click.echo(text, nl=False)


@query.command("show")
@click.argument("name")
def query_show(name: str) -> None:
    """Show a canned query: its metadata and SPARQL."""
    from kg.queries import get_query

    try:
        q = get_query(name)
    except KgError as exc:
        _fail(exc)
    click.echo(q.path.read_text(encoding="utf-8"), nl=False)


#: --excel and -o FILE, for the commands that write a query's results.
_excel_option = click.option(
    "--excel",
    is_flag=True,
    help="With csv: begin with a byte order mark, so that Excel reads the text as UTF-8.",
)
_out_option = click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="Write the results to FILE (whole, then renamed into place) instead of stdout.",
)


@query.command("run")
@click.argument("name")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter; repeat for several, or to give one parameter several values "
    "where its query allows (any of them matches).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "tsv", "jsonl", "markdown", "xlsx"]),
    default="table",
    show_default=True,
    help="table (fits the terminal, else $COLUMNS, else 120 characters); the standard "
    "SPARQL 1.1 results formats csv, tsv, json; jsonl (a JSON object per row); markdown; "
    "xlsx (an Excel workbook, with -o FILE; needs openpyxl).",
)
@_excel_option
@_out_option
@_store_options("The built graph to query (.nq or .trig).")
@_timeout_option
def query_run(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    excel: bool,
    out: Path | None,
    store: str | None,
    data: Path | None,
    timeout: float | None,
) -> None:
    """Run a canned query against a built graph."""
    from kg.errors import UsageError
    from kg.queries import get_query, run_query
    from kg.results import output_width, render_xlsx

    try:
        pairs: dict[str, list[str]] = {}
        for p in params:
            key, sep, value = p.partition("=")
            if not sep or not key:
                raise UsageError(f"--param {p!r}: expected KEY=VALUE")
            pairs.setdefault(key.strip(), []).append(value)
        _check_output(fmt, excel, out)
        query = get_query(name)
        limit = _limit(timeout)
        with terminal_status(f"opening {_where(store, data)} and running {name}"):
            graph = _open_graph(data, store, limit)
            if fmt == "xlsx":
                results: str | bytes = render_xlsx(
                    _within(limit, lambda: run_query(graph, query, pairs, "json"))
                )
            else:
                width = output_width(file=out is not None)
                results = _within(limit, lambda: run_query(graph, query, pairs, fmt, width=width))
        _write_results(results, excel, out)
    except KgError as exc:
        _fail(exc)


def _check_output(fmt: str | None, excel: bool, out: Path | None) -> None:
    """--excel goes with csv, and an xlsx workbook with -o FILE."""
    from kg.errors import UsageError

    if excel and fmt != "csv":
        raise UsageError("--excel goes with --format csv")
    if fmt == "xlsx" and out is None:
        raise UsageError("--format xlsx writes a workbook, not text: give -o FILE.xlsx")


def _write_results(results: str | bytes, excel: bool, out: Path | None) -> None:
    """Write a query's results to stdout or, whole then renamed into place, to ``out``;
    text ending with a line break (none added to no text: JSON lines of no rows), and with a
    byte order mark first for ``excel``."""
    from kg.errors import UsageError
    from kg.export import write_atomic

    if isinstance(results, str):
        results = ("\ufeff" if excel else "") + results
        results += "" if not results or results.endswith("\n") else "\n"
    if out is None:
        assert isinstance(results, str)  # _check_output: a workbook goes to a file
        click.echo(results, nl=False)
        return
    try:
        write_atomic(out, results)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write the results: {exc.strerror or exc}") from exc


@cli.command("list")
@click.argument(
    "kind",
    type=click.Choice(["forces", "areas", "metrics", "assessments", "themes", "initiatives"]),
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@_store_options("The built graph, for initiatives (.nq or .trig).")
@_timeout_option
def list_command(
    kind: str, fmt: str, store: str | None, data: Path | None, timeout: float | None
) -> None:
    """List the names a query parameter takes: the forces, areas, metrics, assessments and
    themes of the reference data, or the initiatives of a built graph, each with its other
    names."""
    import csv

    from kg.names import COLUMNS, list_names

    try:
        limit = _limit(timeout)
        graph = _open_graph(data, store, limit) if kind == "initiatives" else None
        rows = _within(limit, lambda: list_names(kind, graph))
    except KgError as exc:
        _fail(exc)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([COLUMNS[kind], *rows])
        click.echo(buffer.getvalue(), nl=False)
        return
    from kg.results import format_table

    click.echo(format_table(COLUMNS[kind], rows), nl=False)


@cli.command()
@click.argument("text", metavar="[QUERY | -]", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from FILE."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(
        ["table", "csv", "tsv", "json", "xml", "jsonl", "markdown", "xlsx", "turtle", "jsonld"]
    ),
    help="SELECT: table (default; fits the terminal, else $COLUMNS, else 120 characters), "
    "csv, tsv, json, xml, jsonl (a JSON object per row), markdown or xlsx (an Excel "
    "workbook, with -o FILE; needs openpyxl); ASK: table, json or xml; CONSTRUCT and "
    "DESCRIBE: turtle (default) or jsonld.",
)
@_excel_option
@_out_option
@_store_options("The built graph to query (.nq or .trig).")
@_timeout_option
def sparql(
    text: str | None,
    query_file: Path | None,
    fmt: str | None,
    excel: bool,
    out: Path | None,
    store: str | None,
    data: Path | None,
    timeout: float | None,
) -> None:
    """Run any SPARQL 1.1 query on a built graph: QUERY as an argument, from -f FILE, or
    from standard input ('-', or nothing when input is piped). The project's prefixes
    (peel:, skos:, oa:, prov:, rdfs: …) are predeclared."""
    from kg.errors import UsageError
    from kg.results import output_width
    from kg.sparql import run_sparql, sparql_workbook

    try:
        _check_output(fmt, excel, out)
        if query_file is not None and text is not None:
            raise UsageError("give the query once: as an argument, with -f FILE, or on stdin")
        if query_file is not None:
            try:
                text = query_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{query_file}: cannot read the query: {exc}") from exc
        elif text == "-" or (text is None and not sys.stdin.isatty()):
            text = sys.stdin.read()
        if text is None:
            raise UsageError("no query given: pass it as an argument, with -f FILE, or on stdin")
        query, limit = text, _limit(timeout)
        with terminal_status(f"opening {_where(store, data)} and running the query"):
            graph = _open_graph(data, store, limit)
            if fmt == "xlsx":
                results: str | bytes = _within(limit, lambda: sparql_workbook(graph, query))
            else:
                width = output_width(file=out is not None)
                results = _within(limit, lambda: run_sparql(graph, query, fmt, width=width))
        _write_results(results, excel, out)
    except KgError as exc:
        _fail(exc)
