"""The command that serves the graph on the web: serve."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.base import (
    _fail,
    _open_graph,
    _store_options,
    _where,
    cli,
)
from kg.errors import KgError
from kg.progress import terminal_status

if TYPE_CHECKING:
    from kg.stores import StoreSpec


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
    from kg.stores import graph_file, open_spec

    if spec.kind != "files":
        open_spec(spec)  # dropped at once: the workers open it
        return
    path = Path(spec.target)
    if not graph_file(path).is_file():
        raise UsageError(f"{path}: no built graph here; run `peel-kg build` first")
