"""Queries are safe to run (issue 12, item 5): a query name is never a path, a value
never breaks out of its parameter, and a query stops at its time limit, and at once on
Ctrl-C (kg.deadline)."""

from __future__ import annotations

import _thread
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal

import kg
from kg import deadline
from kg.cli import EXIT_INTERRUPTED, cli
from kg.errors import QueryError, QueryTimeout, UsageError
from kg.paths import ROOT
from kg.pipeline import BuildResult
from kg.queries import bind_parameters, get_query, load_query, run_query
from kg.store import Store

#: Every pair of triples: about a second on a graph of 2,000 (4 million solutions).
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
#: Every triple of triples: it never ends on 2,000 (8 billion solutions).
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def slow_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph of 2,000 triples, on which a cross product takes its time."""
    path = tmp_path_factory.mktemp("slow") / "slow.nt"
    path.write_text("".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(2000)))
    return path


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    path = tmp_path_factory.mktemp("safety") / "peel.nq"
    path.write_bytes(built.nquads)
    return path


def cli_run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


# --- a query name is a name, never a path ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "close"),
    [
        ("../../x", None),
        ("/etc/passwd", None),
        ("../queries/grades", "grades"),
        ("grades.rq", "grades"),
        ("queries/grades", "grades"),
        (".grades", "grades"),
        ("grades/", "grades"),
    ],
)
@pytest.mark.parametrize("command", ["run", "show"])
def test_a_query_name_that_is_a_path_is_refused_naming_close_names(
    graph: Path, command: str, name: str, close: str | None
) -> None:
    extra = ["--data", str(graph)] if command == "run" else []
    code, out, err = cli_run("query", command, name, *extra)
    assert code == 2 and out == ""
    assert f"error: {name!r} is not a query name" in err
    assert "a name, not a path" in err and "known queries: " in err
    assert (f"did you mean '{close}'" in err) == (close is not None)
    assert "Traceback" not in err


def test_a_query_file_outside_the_folder_is_never_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "inside.rq").write_text("#+ summary: s\nSELECT ?s WHERE { ?s ?p ?o }\n")
    (tmp_path / "outside.rq").write_text("#+ summary: s\nSELECT ?s WHERE { ?s ?p ?o }\n")
    assert get_query("inside", folder).name == "inside"
    for name in ("../outside", str(tmp_path / "outside"), "inside.rq"):
        with pytest.raises(QueryError, match="is not a query name"):
            get_query(name, folder)


def test_an_unknown_query_name_suggests_the_closest(graph: Path) -> None:
    code, _, err = cli_run("query", "run", "grads", "--data", str(graph))
    assert code == 2
    assert "error: no query named 'grads' in " in err and "did you mean 'grades'" in err


# --- a value never breaks out of its parameter ----------------------------------------

BREAKOUT = 'x" } ; DROP ALL ; #'


def test_a_force_breaking_out_of_its_literal_is_refused(graph: Path) -> None:
    code, out, err = cli_run("query", "run", "grades", "--data", str(graph), "--param",
                             f"force={BREAKOUT}")  # fmt: skip
    assert code == 2 and out == ""
    assert err.startswith(f"error: query 'grades': parameter 'force' (force): {BREAKOUT!r}")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "value",
    [
        "https://w3id.org/peel-kg/id/x> } ; DROP ALL ; #",
        "https://w3id.org/peel-kg/id/x>",
        "https://w3id.org/peel-kg/id/x\n} ; DROP ALL",
        "https://w3id.org/peel-kg/id/x\\u003E",
    ],
)
def test_an_iri_breaking_out_of_its_brackets_is_refused(tmp_path: Path, value: str) -> None:
    (tmp_path / "q.rq").write_text(
        "#+ summary: s\n#+ parameters:\n#+   thing: {type: iri}\n"
        "SELECT ?p WHERE { VALUES ?thing { UNDEF } ?thing ?p ?o }\n"
    )
    with pytest.raises(QueryError, match="parameter 'thing' \\(iri\\): .* is not an absolute IRI"):
        bind_parameters(load_query(tmp_path / "q.rq"), {"thing": value})


@pytest.mark.parametrize(
    "value",
    [
        'a "quoted" } ; DROP ALL ; #',
        "two\nlines } ; DROP ALL ; #",
        'back\\slash\\" } #',
        "a\r\ttab and a \\u0022 escape",
        "'''single''' \"\"\"triple\"\"\"",
    ],
    ids=["quote", "newline", "backslash", "control", "long-quotes"],
)
def test_a_string_is_bound_as_one_literal_matching_itself_only(tmp_path: Path, value: str) -> None:
    """The value finds exactly the literal equal to it: never a change to the query."""
    (tmp_path / "q.rq").write_text(
        "#+ summary: s\n#+ parameters:\n#+   name: {type: string}\n"
        "SELECT ?s WHERE { VALUES ?name { UNDEF } ?s <urn:name> ?name }\n"
    )
    store = Store()
    for node, text in [("it", value), ("prefix", value[:3]), ("other", "x")]:
        store.oxigraph.add(ox.Quad(ox.NamedNode(f"urn:{node}"), ox.NamedNode("urn:name"),
                                   ox.Literal(text), ox.NamedNode("urn:g")))  # fmt: skip
    query = load_query(tmp_path / "q.rq")
    doc = json.loads(run_query(store, query, {"name": value}, "json"))
    assert [b["s"]["value"] for b in doc["results"]["bindings"]] == ["urn:it"]
    assert bind_parameters(query, {"name": value}) == {"name": Literal(value)}


def test_a_parameter_of_the_wrong_type_is_refused_by_the_command(graph: Path) -> None:
    code, _, err = cli_run("query", "run", "area-history", "--data", str(graph),
                           "--param", "start=knitting")  # fmt: skip
    assert code == 2 and "parameter 'start'" in err and "'knitting'" in err


def test_an_unknown_parameter_is_refused_by_the_command(graph: Path) -> None:
    code, _, err = cli_run("query", "run", "grades", "--data", str(graph), "--param", "colour=red")
    assert code == 2
    assert "query 'grades' has no parameter colour; its parameters: " in err


# --- a query stops at its time limit ----------------------------------------------------


def test_a_sparql_query_over_its_timeout_stops_with_a_message(slow_graph: Path) -> None:
    started = time.monotonic()
    code, out, err = cli_run("sparql", "--data", str(slow_graph), "--timeout", "0.2", PAIRS)
    assert time.monotonic() - started < 0.9  # the query alone takes about a second
    assert code == 2 and out == ""
    assert err.startswith("error: the query ran longer than 0.2 s, the time limit (--timeout")
    assert "$PEEL_KG_TIMEOUT" in err and "Traceback" not in err


def test_the_timeout_comes_from_the_environment(slow_graph: Path) -> None:
    env = {"PEEL_KG_TIMEOUT": "0.2"}
    code, _, err = cli_run("sparql", "--data", str(slow_graph), PAIRS, env=env)
    assert code == 2 and "longer than 0.2 s" in err
    # --timeout wins, and 0 is no limit
    code, out, _ = cli_run("sparql", "--data", str(slow_graph), "--timeout", "0", "--format",
                           "csv", PAIRS, env=env)  # fmt: skip
    assert code == 0 and out.splitlines() == ["n", "4000000"]


def test_a_bad_timeout_in_the_environment_is_a_usage_error(graph: Path) -> None:
    code, _, err = cli_run("query", "run", "grades", "--data", str(graph),
                           env={"PEEL_KG_TIMEOUT": "soon"})  # fmt: skip
    assert code == 2
    assert "error: $PEEL_KG_TIMEOUT='soon': give a number of seconds (0 for no limit)" in err


def test_the_default_timeout_is_sixty_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEEL_KG_TIMEOUT", raising=False)
    assert deadline.default_timeout() == 60.0
    monkeypatch.setenv("PEEL_KG_TIMEOUT", "0")
    assert deadline.default_timeout() is None
    monkeypatch.setenv("PEEL_KG_TIMEOUT", "-1")
    with pytest.raises(UsageError):
        deadline.default_timeout()


@pytest.mark.parametrize(
    "args",
    [
        ["query", "run", "grades"],
        ["brief", "--force", "Northamptonshire Police"],
        ["list", "initiatives"],
        ["sparql", "ASK { ?s ?p ?o }"],
    ],
    ids=lambda a: a[0],
)
def test_every_command_that_queries_the_graph_takes_a_timeout(
    graph: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    waited: list[float | None] = []
    real = deadline.run

    def spy(work: object, timeout: float | None = None, **kw: str) -> object:
        waited.append(timeout)
        return real(work, timeout, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(deadline, "run", spy)
    code, out, err = cli_run(*args, "--data", str(graph), "--timeout", "42")
    assert code == 0, err
    assert out and 42.0 in waited  # the query; opening the graph has no limit


def test_the_api_takes_a_timeout(slow_graph: Path) -> None:
    graph = kg.open(slow_graph)
    with pytest.raises(QueryTimeout, match=r"longer than 0\.2 s, the time limit \(timeout=\)"):
        graph.sparql(PAIRS, timeout=0.2)
    assert graph.sparql("ASK { ?s ?p ?o }", timeout=5) is True
    assert len(graph.query("grades", timeout=5, force=None)) == 0


def test_an_error_in_the_query_thread_reaches_the_caller(store: Store) -> None:
    with pytest.raises(QueryError, match="not valid SPARQL 1.1 at line 1"):
        deadline.run(lambda: store.select("SELECT ?s WHERE {"), 5)


def test_ctrl_c_stops_the_wait_at_once(slow_graph: Path) -> None:
    store = Store.from_file(slow_graph)
    timer = threading.Timer(0.2, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        deadline.run(lambda: store.select(PAIRS), None)
    assert time.monotonic() - started < 0.6  # the query alone takes about a second


# --- for real, in a process of its own --------------------------------------------------


def _start(*args: str) -> subprocess.Popen[str]:
    """`python -m kg ARGS` with SIGINT handled as from a terminal (not ignored as a
    background job's)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PEEL_KG_TIMEOUT", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_a_process_stops_at_its_timeout_while_the_query_runs_on(slow_graph: Path) -> None:
    started = time.monotonic()
    process = _start("sparql", "--data", str(slow_graph), "--timeout", "1", FOREVER)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert out == "" and "the query ran longer than 1 s" in err and "Traceback" not in err
    # Python starts in a second or two; the query would never end
    assert time.monotonic() - started < 15


def test_ctrl_c_stops_a_process_at_once(slow_graph: Path) -> None:
    process = _start("sparql", "--data", str(slow_graph), FOREVER)
    time.sleep(3)  # started, loaded, and in the query
    assert process.poll() is None
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - sent < 2
    assert process.returncode == EXIT_INTERRUPTED == 130
    assert err.strip().endswith("interrupted") and "Traceback" not in err and out == ""
