"""The commands that explore the graph: brief, viz and related."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
from kg.paths import DEFAULT_PAGE
from kg.progress import terminal_status


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


#: The filters of the related graph (kg.related.related_graph's keyword arguments).
FILTERS = ("force", "theme", "area", "initiative", "assessment")


def _filter_options(func: Callable[..., None]) -> Callable[..., None]:
    """The options that select part of the related graph, handed to ``func`` as one
    ``filters`` dict (FILTERS, each None where not given), and --store/--data."""

    @functools.wraps(func)
    def gathered(**kwargs: Any) -> None:
        func(filters={name: kwargs.pop(name) for name in FILTERS}, **kwargs)

    options = [
        click.option("--force", help="Only this force's findings (any of its names, or IRI)."),
        click.option("--theme", help="Only findings about this theme, e.g. 'domestic abuse'."),
        click.option("--area", help="Only findings in this assessment area (a label or IRI)."),
        click.option("--initiative", help="Only findings that mention this initiative."),
        click.option("--assessment", help="Only this assessment, in any spelling: 2016, 2023-25."),
        _store_options("The built graph (.nq, .trig, .ttl, .nt or .jsonld)."),
    ]
    command: Callable[..., None] = gathered
    for option in reversed(options):
        command = option(command)
    return command


def _related(store: str | None, data: Path | None, filters: dict[str, str | None]) -> Any:
    """The related graph of the built graph (a file, or a store), filtered: with a force,
    read from that force's part of the store only (kg.related_source)."""
    from kg.related_source import read_related
    from kg.stores import chosen_spec

    spec = chosen_spec(store, data)
    with terminal_status(f"loading {spec}"):
        return read_related(spec, filters)


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
    filters: dict[str, str | None],
    store: str | None,
    data: Path | None,
    out: Path,
) -> None:
    """Write the related-findings graph as one offline HTML page and a static image."""
    from kg.viz import write_viz

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
    filters: dict[str, str | None],
    store: str | None,
    data: Path | None,
    count: int,
) -> None:
    """The most connected problem findings (areas for improvement, causes of concern,
    recommendations), by degree centrality."""
    from kg.analyse import most_connected
    from kg.results import format_table

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
    filters: dict[str, str | None],
    store: str | None,
    data: Path | None,
) -> None:
    """Clusters of related findings (Louvain communities, fixed seed)."""
    from kg.analyse import clusters
    from kg.results import format_table

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
