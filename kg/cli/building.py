"""The commands that make the graph: build, add, validate, export and push."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from kg.cli.base import (
    EXIT_NONCONFORMING,
    EXIT_OK,
    _data_option,
    _fail,
    _graph_store_option,
    _manifest_option,
    _validator_option,
    cli,
)
from kg.errors import KgError
from kg.paths import DEFAULT_GRAPH, DEFAULT_OUT
from kg.progress import terminal_status


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
