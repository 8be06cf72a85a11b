"""The command group of the peel-kg command line, how it turns errors into exit codes,
and the options and helpers its commands share (kg.cli's modules add the commands)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg import __version__
from kg.errors import KgError
from kg.paths import DEFAULT_GRAPH, DEFAULT_MANIFEST

if TYPE_CHECKING:  # kg.store imports pyoxigraph and rdflib: each command imports it when run
    from kg.store import GraphStore

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
