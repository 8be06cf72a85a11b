"""The peel-kg command line: each command parses its arguments, calls one library
function and turns a KgError into a message and an exit code.

Exit codes: 0 ok (the graph conforms); 1 the graph does not conform to the
shapes; 2 bad input or usage (a query over its ``--timeout`` too); 3 an internal error
(a bug: one line, the traceback only with ``--debug``); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg import __version__
from kg.errors import KgError
from kg.paths import DEFAULT_GRAPH, DEFAULT_MANIFEST, DEFAULT_OUT, DEFAULT_PAGE
from kg.progress import terminal_status

if TYPE_CHECKING:  # kg.store imports pyoxigraph and rdflib: each command imports it when run
    from kg.store import GraphStore
    from kg.stores import StoreSpec

EXIT_OK, EXIT_NONCONFORMING, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _fail(exc: KgError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


class _Commands(click.Group):
    """The command group: whatever a command raises that is not a KgError reaches the
    user as an exit code and a message, never as a traceback (unless --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KgError as exc:
            _fail(exc)
        except KeyboardInterrupt:  # Ctrl-C: a query still running is abandoned (kg.deadline)
            click.echo("\ninterrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as exc:  # a file the user named: a folder, unreadable, a full disk
            _trace(ctx)
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(
                f"error: {where}{exc.strerror or exc}; check the path and its permissions",
                err=True,
            )
            sys.exit(EXIT_BAD_INPUT)
        except Exception as exc:
            _trace(ctx)
            click.echo(
                f"error: internal error (a bug in peel-kg): {type(exc).__name__}: {exc}. "
                "Run the command again with --debug for the traceback, and report it.",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)


def _trace(ctx: click.Context) -> None:
    """Print the traceback of the exception being handled, with --debug."""
    if ctx.meta.get("kg.debug"):
        click.echo(traceback.format_exc(), err=True, nl=False)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peel-kg")
@click.option("--debug", is_flag=True, help="On an internal error, print its traceback.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """peel-kg: a knowledge graph of HMICFRS PEEL inspection results.

    Exit codes: 0 ok / conforms, 1 the graph does not conform to the shapes,
    2 bad input or usage, 3 an internal error (a bug; --debug prints its traceback),
    130 interrupted (Ctrl-C).
    """
    ctx.meta["kg.debug"] = debug


def _store_options(help_text: str = "The built graph (.nq or .trig).") -> Callable[[F], F]:
    """--store SPEC and --data FILE: the store a command reads (kg.stores.chosen_spec)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--data",
            type=click.Path(path_type=Path),
            default=None,
            help=f"{help_text} Same as --store FILE.  [default: $PEEL_KG_STORE, "
            f"else {DEFAULT_GRAPH}]",
        )(func)
        return click.option(
            "--store",
            "store",
            metavar="SPEC",
            default=None,
            help="The store to read: FILE (the built files), oxigraph:PATH (an on-disk "
            "store filled by `build --store`) or sparql:URL (any SPARQL 1.1 endpoint; "
            "credentials from $PEEL_KG_SPARQL_USER and $PEEL_KG_SPARQL_PASSWORD).",
        )(func)

    return decorate


def _data_option(help_text: str = "The built graph (.nq or .trig).") -> Callable[[F], F]:
    """--data FILE alone (default out/peel.nq), for a command that reads only the built
    files; one that reads any store takes _store_options."""
    return click.option(
        "--data",
        type=click.Path(path_type=Path),
        default=DEFAULT_GRAPH,
        show_default=True,
        help=help_text,
    )


def _open_graph(
    data: Path | None = None, store: str | None = None, timeout: float | None = None
) -> GraphStore:
    """The store named by --store or --data (else $PEEL_KG_STORE, else out/peel.nq), open
    for queries (an endpoint waited for at most ``timeout`` seconds an answer); UsageError
    when there is none. Loading the built files stops at once on Ctrl-C."""
    from kg import deadline
    from kg.stores import open_graph

    return deadline.run(lambda: open_graph(store, data, timeout=timeout))


#: --timeout SECONDS, for the commands that run queries (kg.deadline).
_timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop a query that runs longer than this (exit 2); 0 for no limit.  "
    "[default: $PEEL_KG_TIMEOUT, else 60]",
)


def _limit(timeout: float | None) -> float | None:
    """The time limit of a query: --timeout, else $PEEL_KG_TIMEOUT, else 60 s; None for
    none."""
    from kg.deadline import default_timeout

    return default_timeout() if timeout is None else timeout or None


def _within(timeout: float | None, work: Callable[[], T]) -> T:
    """``work()`` (which runs queries) stopped at ``timeout`` seconds, and at once on
    Ctrl-C (kg.deadline)."""
    from kg import deadline

    return deadline.run(work, timeout, hint="--timeout SECONDS, or $PEEL_KG_TIMEOUT")


def _where(store: str | None, data: Path | None) -> str:
    """The store a command reads, for its status line."""
    from kg.stores import chosen_spec

    return str(chosen_spec(store, data))


def _manifest_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--manifest",
        type=click.Path(path_type=Path),
        default=DEFAULT_MANIFEST,
        show_default=True,
        help=help_text,
    )


#: A separate graph store URL, for build --store sparql:URL and push.
_graph_store_option = click.option(
    "--graph-store",
    "graph_store",
    metavar="URL",
    help="The SPARQL 1.1 Graph Store Protocol URL to load through  [default: "
    "$PEEL_KG_GRAPH_STORE, else the endpoint's URL with /query made /store, as Oxigraph's]",
)

#: The SHACL engine, for build and validate (kg.validate.VALIDATORS).
_validator_option = click.option(
    "--validator",
    type=click.Choice(["turbo", "pyshacl"]),
    default="turbo",
    show_default=True,
    help="The SHACL engine: pyshacl-turbo (Rust) or pySHACL; both run shapes/ alike.",
)


@cli.command()
@_manifest_option("The corpus manifest (TOML).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for peel.ttl, peel.jsonld, peel.nq and validation.txt.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for the sources and the forces  [default: one per core]",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Redo every source and force, ignoring and not writing OUT/.cache.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the outputs even when the new graph does not conform and they do.",
)
@_validator_option
@click.option(
    "--store",
    "store",
    metavar="SPEC",
    help="Also load the graph into this store, replacing what it held: oxigraph:PATH (an "
    "on-disk Oxigraph store, bulk loaded) or sparql:URL (a server, through the Graph "
    "Store Protocol, as `push`).",
)
@_graph_store_option
def build(
    manifest: Path,
    out: Path,
    jobs: int | None,
    no_cache: bool,
    force: bool,
    validator: str,
    store: str | None,
    graph_store: str | None,
) -> None:
    """Read, extract, build and validate the graph; write it to OUT.

    The outputs are replaced as one set: a failed or killed build leaves the
    previous ones whole, and a graph that does not conform is kept aside in
    OUT/rejected rather than replace one that does (unless --force). A second
    build into OUT while one runs stops at once (exit 2). Each source's result is
    cached in OUT/.cache, so a rebuild reads again only the sources that changed
    (or the code or ontology/ did).
    """
    from kg.pipeline import build as run_build
    from kg.progress import terminal_progress
    from kg.push import PushResult
    from kg.stores import fill, fillable

    try:
        if store is not None:
            fillable(store)  # a bad spec is refused before the build, not after
        with terminal_progress() as progress:
            result = run_build(
                manifest,
                out,
                progress,
                cache=not no_cache,
                jobs=jobs,
                validator=validator,
                force=force,
            )
            filled = None
            if store is not None and result.replaced:  # never a graph kept aside
                filled = fill(store, result.outputs["nq"], graph_store, progress)
    except KgError as exc:
        _fail(exc)
    click.echo(result.summary())
    if isinstance(filled, PushResult):
        click.echo(filled.summary())
    elif filled is not None:
        click.echo(f"loaded {len(filled)} quads into {store}")
    if not result.conforms:
        click.echo(f"See {result.outputs['validation']} for every problem.", err=True)
        sys.exit(EXIT_NONCONFORMING)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@_manifest_option("The manifest to add the document to.")
@click.option("--layout", help="The layout, instead of the one detected (see README).")
@click.option("--force", "force_name", help="The force, instead of the one the text names.")
@click.option("--assessment", help="The assessment (2016, 2023-25 …), instead of the detected.")
@click.option("--published", help="Publication date YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "--kind",
    type=click.Choice(["inspection-report", "web-summary", "news-article", "press-release"]),
    help="The kind of document, instead of the layout's.",
)
@click.option("--publisher", help="Who published it (needed for a news item).")
@click.option("--source", help="What the document is and where it came from.")
@click.option("--licence", help="The licence of its text.")
@click.option("--rights", help="Who holds the rights.")
@click.option("--dry-run", is_flag=True, help="Print the entry without adding it.")
def add(
    file: Path,
    manifest: Path,
    layout: str | None,
    force_name: str | None,
    assessment: str | None,
    published: str | None,
    kind: str | None,
    publisher: str | None,
    source: str | None,
    licence: str | None,
    rights: str | None,
    dry_run: bool,
) -> None:
    """Add FILE to the manifest: detect its layout, force, assessment and publication date,
    compute its sha256, print what was found and append the entry."""
    from kg.sources import add_document

    given = {
        "layout": layout,
        "force": force_name,
        "assessment": assessment,
        "published": published,
        "kind": kind,
        "publisher": publisher,
        "source": source,
        "licence": licence,
        "rights": rights,
    }
    try:
        entry = add_document(
            file, manifest, {k: v for k, v in given.items() if v}, write=not dry_run
        )
    except KgError as exc:
        _fail(exc)
    for key, how in sorted(entry.how.items()):
        click.echo(f"{key:<12} {entry.fields[key]!s:<60} ({how})", err=True)
    click.echo(entry.toml(), nl=False)
    click.echo(
        f"{'would add' if dry_run else 'added'} {entry.fields['file']} to {manifest}", err=True
    )


@cli.command()
@click.argument("file", type=click.Path(path_type=Path), default=DEFAULT_GRAPH)
@_validator_option
def validate(file: Path, validator: str) -> None:
    """Validate a built graph (.nq, .trig, .ttl, .nt or .jsonld) against the SHACL shapes."""
    from kg.export import load_dataset, union
    from kg.pipeline import validation_report
    from kg.store import Store
    from kg.validate import validate as run_validate

    try:
        # Oxigraph reads every built format but JSON-LD
        jsonld = file.suffix.lower() == ".jsonld"
        with terminal_status(f"validating {file}"):
            data = union(load_dataset(file)) if jsonld else Store.from_file(file)
            result = run_validate(data, validator=validator)
    except KgError as exc:
        _fail(exc)
    click.echo(validation_report(result), nl=False)
    sys.exit(EXIT_OK if result.conforms else EXIT_NONCONFORMING)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "jsonld", "nt", "nq", "trig"]),
    required=True,
    help="Output format.",
)
@click.option(
    "--input",
    "source",
    type=click.Path(path_type=Path),
    default=DEFAULT_GRAPH,
    show_default=True,
    help="The built graph to export.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write here (atomically) instead of to standard output.",
)
def export(fmt: str, source: Path, out: Path | None) -> None:
    """Export a built graph as Turtle, JSON-LD, N-Triples, N-Quads or TriG."""
    from kg.export import export_file, pending

    try:
        with terminal_status(f"exporting {source}"):
            if out is None:
                buffer = io.BytesIO()
                export_file(source, fmt, buffer)
            else:
                with pending(out) as (fh, tmp):
                    export_file(source, fmt, fh)
                os.replace(tmp, out)
    except KgError as exc:
        _fail(exc)
    if out is None:
        click.echo(buffer.getvalue(), nl=False)  # bytes: written as they are
    else:
        click.echo(f"wrote {out}", err=True)


@cli.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The server's SPARQL 1.1 query endpoint, where the counts are checked.",
)
@_data_option("The built graph to push (.nq or .trig, or a build's folder).")
@_graph_store_option
def push(endpoint: str, data: Path, graph_store: str | None) -> None:
    """Load the built graph into a running SPARQL server, one named graph at a time (HTTP
    PUT through the Graph Store Protocol: each replaces the graph of that name), then check
    each graph's triple count on the server against the file's. Credentials come from
    $PEEL_KG_SPARQL_USER and $PEEL_KG_SPARQL_PASSWORD."""
    from kg.progress import terminal_progress
    from kg.push import push as run_push

    try:
        with terminal_progress() as progress:
            result = run_push(data, endpoint, graph_store, progress)
    except KgError as exc:
        _fail(exc)
    click.echo(result.summary())


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


@cli.command()
@click.option(
    "--force", "force", required=True, help="The force: any of its names (GMP, Northants) or IRI."
)
@click.option(
    "--assessment",
    default=None,
    help="The later assessment (default: the force's latest with judgments in the graph).",
)
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@_store_options("The built graph (.nq or .trig).")
@_timeout_option
def brief(
    force: str,
    assessment: str | None,
    fmt: str,
    out: Path | None,
    store: str | None,
    data: Path | None,
    timeout: float | None,
) -> None:
    """What changed for a force since its previous inspection, from the graph alone."""
    from kg.brief import build_briefing, render
    from kg.export import write_atomic

    try:
        with terminal_status(f"opening {_where(store, data)} and writing the briefing"):
            limit = _limit(timeout)
            graph = _open_graph(data, store, limit)
            text = _within(limit, lambda: render(build_briefing(graph, force, assessment), fmt))
        if out is not None:
            write_atomic(out, text)
    except KgError as exc:
        _fail(exc)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {out}")


def _filter_options(func: F) -> F:
    """The options that select part of the related graph (see kg.related.related_graph)."""
    options = [
        click.option(
            "--force", "force_name", help="Only this force's findings (any of its names, or IRI)."
        ),
        click.option("--theme", help="Only findings about this theme, e.g. 'domestic abuse'."),
        click.option("--area", help="Only findings in this assessment area (a label or IRI)."),
        click.option("--initiative", help="Only findings that mention this initiative."),
        click.option("--assessment", help="Only this assessment, in any spelling: 2016, 2023-25."),
        _store_options("The built graph (.nq, .trig, .ttl, .nt or .jsonld)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _related(store: str | None, data: Path | None, filters: dict[str, str | None]) -> Any:
    """The related graph of the built graph (a file, or a store), filtered."""
    from kg.related import related_graph
    from kg.stores import chosen_spec, union_graph

    spec = chosen_spec(store, data)
    with terminal_status(f"loading {spec}"):
        return related_graph(union_graph(spec), **filters)


def _title(filters: dict[str, str | None]) -> str:
    given = ", ".join(f"{k} {v}" for k, v in filters.items() if v)
    return "PEEL related findings" + (f": {given}" if given else "")


@cli.command()
@_filter_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_PAGE,
    show_default=True,
    help="The page to write; the image goes beside it (same stem, .png and .svg).",
)
def viz(
    force_name: str | None,
    theme: str | None,
    area: str | None,
    initiative: str | None,
    assessment: str | None,
    store: str | None,
    data: Path | None,
    out: Path,
) -> None:
    """Write the related-findings graph as one offline HTML page and a static image."""
    from kg.viz import write_viz

    filters = {"force": force_name, "theme": theme, "area": area}
    filters |= {"initiative": initiative, "assessment": assessment}
    try:
        result = write_viz(_related(store, data, filters), out, title=_title(filters))
    except KgError as exc:
        _fail(exc)
    click.echo(f"{result.nodes} nodes, {result.edges} links")
    for path in (result.page, *result.images):
        click.echo(f"wrote {path}")


@cli.group()
def related() -> None:
    """Analyse the related-findings graph: central problems, clusters, follow-up chains."""


@related.command("central")
@_filter_options
@click.option("--n", "count", type=int, default=10, show_default=True, help="How many.")
def related_central(
    force_name: str | None,
    theme: str | None,
    area: str | None,
    initiative: str | None,
    assessment: str | None,
    store: str | None,
    data: Path | None,
    count: int,
) -> None:
    """The most connected problem findings (areas for improvement, causes of concern,
    recommendations), by degree centrality."""
    from kg.analyse import most_connected
    from kg.results import format_table

    filters = {"force": force_name, "theme": theme, "area": area}
    filters |= {"initiative": initiative, "assessment": assessment}
    try:
        ranked = most_connected(_related(store, data, filters), count)
    except KgError as exc:
        _fail(exc)
    rows = [
        [f"{r.centrality:.3f}", str(r.degree), r.attrs.get("assessment", ""),
         r.attrs.get("type", ""), r.attrs.get("headline", "")]
        for r in ranked
    ]  # fmt: skip
    header = ["centrality", "links", "assessment", "type", "headline"]
    click.echo(format_table(header, rows), nl=False)


@related.command("clusters")
@_filter_options
def related_clusters(
    force_name: str | None,
    theme: str | None,
    area: str | None,
    initiative: str | None,
    assessment: str | None,
    store: str | None,
    data: Path | None,
) -> None:
    """Clusters of related findings (Louvain communities, fixed seed)."""
    from kg.analyse import clusters
    from kg.results import format_table

    filters = {"force": force_name, "theme": theme, "area": area}
    filters |= {"initiative": initiative, "assessment": assessment}
    try:
        found = clusters(_related(store, data, filters))
    except KgError as exc:
        _fail(exc)
    rows = [
        [str(i), str(c.findings), "; ".join(c.areas), "; ".join(c.themes),
         "; ".join(c.initiatives)]
        for i, c in enumerate(found, 1)
    ]  # fmt: skip
    header = ["cluster", "findings", "areas", "themes", "initiatives"]
    click.echo(format_table(header, rows), nl=False)


@related.command("chain")
@click.argument("finding")
@_store_options("The built graph (.nq, .trig, .ttl, .nt or .jsonld).")
def related_chain(finding: str, store: str | None, data: Path | None) -> None:
    """The follow-up chain of FINDING (its IRI, or words of its headline), earliest first."""
    from kg.analyse import chain, find_finding
    from kg.results import format_table

    try:
        graph = _related(store, data, {})
        nodes = chain(graph, find_finding(graph, finding))
    except KgError as exc:
        _fail(exc)
    rows = []
    for node in nodes:
        attrs = graph.nodes[node]
        rows.append(
            [attrs.get("assessment", ""), attrs.get("type", ""), attrs.get("status") or "",
             attrs.get("outcome") or "", attrs.get("headline", "")]
        )  # fmt: skip
    header = ["assessment", "type", "status", "later", "headline"]
    click.echo(format_table(header, rows), nl=False)


@cli.command()
@_store_options("The built graph to serve (.nq or .trig).")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may take before the client gets a 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rows (or triples) above which an answer is refused with a 422.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes answering requests. Each opens the store: an oxigraph:PATH "
    "store at once, the built files loaded once per worker (time and memory times N).",
)
@click.option(
    "--cache-mb",
    type=click.FloatRange(min=0),
    default=64.0,
    show_default=True,
    help="Megabytes of answers kept (per worker) for the next request that asks the "
    "same; 0 keeps none.",
)
def serve(
    data: Path | None,
    store: str | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    cache_mb: float,
) -> None:
    """Serve the graph on the web, read-only: a SPARQL 1.1 endpoint (/sparql), a query
    editor, the canned query gallery, the related-findings graph, a force's briefing and
    a page per force, judgment, finding, initiative and area. It binds to 127.0.0.1
    unless --host says otherwise."""
    from kg.server import Limits
    from kg.server import serve as run_server
    from kg.server.app import serve_workers, start_message
    from kg.stores import chosen_spec

    limits = Limits(timeout=timeout, max_rows=max_rows)
    try:
        with terminal_status(f"opening {_where(store, data)}"):
            if workers > 1:
                spec = chosen_spec(store, data)
                _check_spec(spec)
            else:
                graph = _open_graph(data, store)
    except KgError as exc:
        _fail(exc)
    click.echo(start_message(host, port), err=True)
    if workers > 1:
        serve_workers(spec, workers, host, port, limits, cache_mb)
    else:
        run_server(graph, host, port, limits, cache_mb)


def _check_spec(spec: StoreSpec) -> None:
    """Fail now, not in every worker, where ``spec`` names no store: an on-disk store or
    an endpoint is opened (and closed), the built files are looked for, not loaded."""
    from kg.errors import UsageError
    from kg.stores import open_spec

    if spec.kind != "files":
        open_spec(spec)  # dropped at once: the workers open it
        return
    path = Path(spec.target)
    if not (path / DEFAULT_GRAPH.name if path.is_dir() else path).is_file():
        raise UsageError(f"{path}: no built graph here; run `peel-kg build` first")


def main() -> None:
    """Entry point of the ``peel-kg`` console script."""
    cli(prog_name="peel-kg")
