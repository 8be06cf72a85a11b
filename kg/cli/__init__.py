"""The peel-kg command line: each command parses its arguments, calls one library
function and turns a KgError into a message and an exit code.

Exit codes: 0 ok (the graph conforms); 1 the graph does not conform to the
shapes; 2 bad input or usage (a query over its ``--timeout`` too); 3 an internal error
(a bug: one line, the traceback only with ``--debug``); 130 interrupted (Ctrl-C).

The group and the options its commands share are in kg.cli.base; the commands, by what
they do, in kg.cli.building, querying, exploring and serving.
"""

from __future__ import annotations

from kg.cli import building, exploring, querying, serving  # noqa: F401  (they add the commands)
from kg.cli.base import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NONCONFORMING,
    EXIT_OK,
    cli,
)
from kg.paths import DEFAULT_GRAPH

__all__ = [
    "DEFAULT_GRAPH",
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_NONCONFORMING",
    "EXIT_OK",
    "cli",
    "main",
]


def main() -> None:
    """Entry point of the ``peel-kg`` console script."""
    cli(prog_name="peel-kg")
