"""Every CLI command against hostile inputs: the documented exit codes (0 ok, 1 does not
conform, 2 bad input or usage, 3 an internal error), and never a traceback but with
--debug (issue 12, item 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

QUAD = (
    "<https://w3id.org/peel-kg/id/force/x> <http://www.w3.org/2000/01/rdf-schema#label> "
    '"X Police" <https://w3id.org/peel-kg/id/graph/x> .\n'
)


def hostile(folder: Path) -> dict[str, Path]:
    """Bad files a user may pass where a graph or a manifest is expected, each named .nq."""
    files = {
        "missing": folder / "missing.nq",
        "empty": folder / "empty.nq",
        "binary": folder / "binary.nq",
        "folder": folder / "folder.nq",
        "not-rdf": folder / "not-rdf.nq",
        "truncated": folder / "truncated.nq",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 4)
    files["folder"].mkdir()
    files["not-rdf"].write_text("Northamptonshire Police is good at preventing crime.\n")
    files["truncated"].write_text(QUAD * 3 + QUAD[:60])
    return files


#: Each command, given a hostile file and a scratch folder, as CLI arguments.
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "build --manifest": lambda f, t: ["build", "--manifest", str(f), "--out", str(t / "o")],
    "build --out": lambda f, t: ["build", "--manifest", str(t / "none.toml"), "--out", str(f)],
    "add": lambda f, t: ["add", str(f), "--manifest", str(t / "m.toml"), "--dry-run"],
    "validate": lambda f, t: ["validate", str(f)],
    "export": lambda f, t: ["export", "--format", "turtle", "--input", str(f)],
    "query list": lambda f, t: ["query", "list", "--tag", f.name],
    "query show": lambda f, t: ["query", "show", str(f)],
    "query run": lambda f, t: ["query", "run", "grades", "--data", str(f)],
    "list": lambda f, t: ["list", "initiatives", "--data", str(f)],
    "sparql": lambda f, t: ["sparql", "ASK { ?s ?p ?o }", "--data", str(f)],
    "sparql -f": lambda f, t: ["sparql", "-f", str(f), "--data", str(t / "none.nq")],
    "brief": lambda f, t: ["brief", "--force", "Northants", "--data", str(f)],
    "viz": lambda f, t: ["viz", "--data", str(f), "--out", str(t / "page.html")],
    "related central": lambda f, t: ["related", "central", "--data", str(f)],
    # with a force, the file is loaded into Oxigraph (kg.related_source), not rdflib
    "related central --force": lambda f, t: [
        "related",
        "central",
        "--data",
        str(f),
        "--force",
        "Kent",
    ],  # fmt: skip
    "related clusters": lambda f, t: ["related", "clusters", "--data", str(f)],
    "related chain": lambda f, t: ["related", "chain", "x", "--data", str(f)],
    # a bad graph must stop serve before it listens, and push before it sends
    "serve": lambda f, t: ["serve", "--data", str(f), "--port", "0"],
    "push": lambda f, t: ["push", "--endpoint", "http://127.0.0.1:9/query", "--data", str(f)],
    "query run --store": lambda f, t: ["query", "run", "grades", "--store", f"oxigraph:{f}"],
}


def test_every_command_is_covered() -> None:
    """A command added to the CLI is added here too."""
    names = set()
    for name, command in cli.commands.items():
        sub = getattr(command, "commands", None)
        names |= {f"{name} {s}" for s in sub} if sub else {name}
    covered = {" ".join(c.split()[:2]) if c.split()[0] in ("query", "related") else c.split()[0]
               for c in COMMANDS}  # fmt: skip
    assert names <= covered, names - covered


@pytest.mark.parametrize("command", list(COMMANDS))
def test_hostile_inputs_exit_0_1_or_2_without_a_traceback(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.server

    # serve opens the graph, then listens until stopped: here it returns instead of
    # listening (a graph it can open, such as an empty file, is served: exit 0)
    monkeypatch.setattr(kg.server, "serve", lambda *args, **kwargs: None)
    for kind, path in hostile(tmp_path).items():
        result = CliRunner().invoke(cli, COMMANDS[command](path, tmp_path))
        said = result.output + (result.stderr or "")
        assert result.exit_code in (0, 1, 2), (kind, result.exit_code, said, result.exception)
        assert "Traceback" not in said, (kind, said)
        if not isinstance(result.exception, SystemExit | None):
            pytest.fail(f"{kind}: {result.exception!r} reached the user")


@pytest.mark.parametrize("kind", ["binary", "not-rdf", "truncated"])
@pytest.mark.parametrize(
    "command", ["query run", "validate", "related central", "related central --force", "sparql"]
)
def test_a_graph_that_is_not_rdf_is_exit_2_naming_the_file_and_line(
    command: str, kind: str, tmp_path: Path
) -> None:
    path = hostile(tmp_path)[kind]
    result = CliRunner().invoke(cli, COMMANDS[command](path, tmp_path))
    assert result.exit_code == 2, result.output
    line = 4 if kind == "truncated" else 1
    assert f"{path}:{line}: not valid nq" in result.stderr, result.stderr


def test_an_internal_error_is_exit_3_with_a_short_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug (here: a query listing that raises KeyError) is exit 3, one line without
    --debug, the traceback with it."""
    import kg.listing

    def broken(fmt: str, tag: str | None) -> str:
        raise KeyError("no such column")

    monkeypatch.setattr(kg.listing, "query_listing", broken)
    result = CliRunner().invoke(cli, ["query", "list"])
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert "internal error" in result.stderr and "KeyError" in result.stderr
    assert "--debug" in result.stderr
    result = CliRunner().invoke(cli, ["--debug", "query", "list"])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "no such column" in result.stderr
