"""peel-kg sparql: any SPARQL 1.1 query on the built graph, with the project's prefixes
predeclared; every kind of query in its formats; syntax errors with line and column."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.cli import cli
from kg.errors import QueryError, UsageError
from kg.pipeline import BuildResult
from kg.sparql import run_sparql
from kg.store import Store
from tests.test_results import squeezed, table_columns

NORTHANTS = URIRef("https://w3id.org/peel-kg/id/force/northamptonshire-police")
FORCES = "SELECT ?force WHERE { ?f a peel:Force ; rdfs:label ?force } ORDER BY ?force"


def test_select_uses_the_predeclared_prefixes(store: Store) -> None:
    doc = json.loads(run_sparql(store, FORCES, "json"))
    assert "Northamptonshire Police" in {b["force"]["value"] for b in doc["results"]["bindings"]}
    table = run_sparql(store, FORCES)
    assert table.startswith("force\n") and "Northamptonshire Police" in table
    assert run_sparql(store, FORCES, "csv").startswith("force\r\n")


def test_select_is_written_as_query_run_writes_it(store: Store) -> None:
    query = "SELECT ?f ?force WHERE { ?f a peel:Force ; rdfs:label ?force } ORDER BY ?force"
    doc = json.loads(run_sparql(store, query, "json"))
    expected = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    assert [json.loads(line) for line in run_sparql(store, query, "jsonl").splitlines()] == (
        expected
    )
    markdown = run_sparql(store, query, "markdown").splitlines()
    assert markdown[:2] == ["| f | force |", "|---|---|"] and len(markdown) == len(expected) + 2
    assert f"| {expected[0]['f']} | {expected[0]['force']} |" == markdown[2]
    table = run_sparql(store, query, width=40)
    assert all(len(line) <= 40 for line in table.splitlines())
    assert table.endswith(f"\n({len(expected)} rows)\n")
    # an IRI wider than its column is folded onto the next lines, never cut
    iris, labels = table_columns(table)[1]
    assert squeezed(iris) == "".join(row["f"] for row in expected)
    assert squeezed(labels) == "".join(squeezed(row["force"]) for row in expected)


def test_a_query_s_own_prefix_wins(store: Store) -> None:
    own = "PREFIX peel: <http://example.org/other#>\n" + FORCES
    assert json.loads(run_sparql(store, own, "json"))["results"]["bindings"] == []


def test_ask_is_true_or_false_in_each_format(store: Store) -> None:
    yes = f"ASK {{ ?j a peel:Judgment ; peel:force <{NORTHANTS}> }}"
    no = "ASK { ?j a peel:Judgment ; peel:force <https://w3id.org/peel-kg/id/force/nowhere> }"
    assert run_sparql(store, yes) == "true\n" and run_sparql(store, no) == "false\n"
    assert json.loads(run_sparql(store, yes, "json")) == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in run_sparql(store, no, "xml")


def test_construct_writes_turtle_and_json_ld_that_read_back(store: Store) -> None:
    query = "CONSTRUCT { ?f rdfs:label ?l } WHERE { ?f a peel:Force ; rdfs:label ?l }"
    turtle = Graph().parse(data=run_sparql(store, query), format="turtle")
    assert (NORTHANTS, RDFS.label, Literal("Northamptonshire Police")) in turtle
    jsonld = Graph().parse(data=run_sparql(store, query, "jsonld"), format="json-ld")
    assert isomorphic(turtle, jsonld)


def test_describe_writes_a_resource_s_triples(store: Store) -> None:
    graph = Graph().parse(data=run_sparql(store, f"DESCRIBE <{NORTHANTS}>"), format="turtle")
    assert (NORTHANTS, RDFS.label, Literal("Northamptonshire Police")) in graph


@pytest.mark.parametrize(
    ("query", "fmt", "message"),
    [
        ("ASK { ?s ?p ?o }", "csv", "an ASK query cannot be written as 'csv'"),
        (FORCES, "turtle", "a SELECT query cannot be written as 'turtle'"),
        ("CONSTRUCT WHERE { ?s a peel:Force }", "json", "cannot be written as 'json'"),
        ("  \n", None, "no query given"),
    ],
)
def test_a_format_that_does_not_suit_the_query_is_refused(
    store: Store, query: str, fmt: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        run_sparql(store, query, fmt)


def test_a_syntax_error_names_its_line_and_column(store: Store) -> None:
    with pytest.raises(QueryError) as caught:
        run_sparql(store, "SELECT ?s\nWHERE {\n  ?s ?p\n}")
    message = str(caught.value)
    assert message.startswith("not valid SPARQL 1.1 at line 4, column 2:")
    assert "\n  }\n   ^\n" in message
    with pytest.raises(QueryError, match=r"(?s)line 1, .*a prefix that is not declared.*peel:"):
        run_sparql(store, "SELECT ?s WHERE { ?s nope:x ?o }")
    # every query the store runs says where it is wrong, not only those of this command
    with pytest.raises(
        QueryError, match=r"(?s)^not valid SPARQL 1.1 at line 2, column \d+:\n  \?s"
    ):
        store.select("SELECT ?s WHERE {\n?s ?p")
    with pytest.raises(QueryError, match="a prefix that is not declared; declare it with PREFIX$"):
        store.select("SELECT ?s WHERE { ?s nope:x ?o }")


# --- the command ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    path = tmp_path_factory.mktemp("sparql") / "peel.nq"
    path.write_bytes(built.nquads)
    return path


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["sparql", *args], input=stdin, env=env)
    return result.exit_code, result.stdout_bytes.decode(), result.stderr  # line ends as written


def test_the_command_reads_the_query_from_an_argument_a_file_or_stdin(
    graph: Path, tmp_path: Path
) -> None:
    data = ["--data", str(graph)]
    code, by_argument, _ = run(FORCES, *data)
    assert code == 0 and "Northamptonshire Police" in by_argument
    query_file = tmp_path / "forces.rq"
    query_file.write_text(FORCES, encoding="utf-8")
    assert run("-f", str(query_file), *data)[:2] == (0, by_argument)
    assert run("-", *data, stdin=FORCES)[:2] == (0, by_argument)
    code, turtle, _ = run(f"DESCRIBE <{NORTHANTS}>", "--format", "turtle", *data)
    assert code == 0 and "Northamptonshire Police" in turtle


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELECT ?x WHERE {"], "not valid SPARQL 1.1 at line 1"),
        (["ASK {}", "--format", "turtle"], "cannot be written as 'turtle'"),
        ([FORCES, "-f", "also.rq"], "give the query once"),
        (["-f", "missing.rq"], "missing.rq: cannot read the query"),
    ],
)
def test_bad_queries_exit_2_with_a_message(graph: Path, args: list[str], message: str) -> None:
    code, _, stderr = run(*args, "--data", str(graph))
    assert code == 2 and message in stderr and "Traceback" not in stderr


def test_a_missing_graph_exits_2(tmp_path: Path) -> None:
    code, _, stderr = run(FORCES, "--data", str(tmp_path / "none.nq"))
    assert code == 2 and "no built graph here" in stderr


def test_the_table_fits_columns_when_output_is_not_a_terminal(graph: Path) -> None:
    query = "SELECT ?f ?force WHERE { ?f a peel:Force ; rdfs:label ?force }"
    for width in (60, 80, 200):
        code, table, _ = run(query, "--data", str(graph), env={"COLUMNS": str(width)})
        lines = table.splitlines()
        assert code == 0 and max(len(line) for line in lines) <= width
        assert lines[-1].startswith("(") and lines[-1].endswith(" rows)")
    code, wide, _ = run(query, "--data", str(graph), env={"COLUMNS": "200"})
    assert max(len(line) for line in wide.splitlines()) > 80  # the IRIs are not folded


@pytest.mark.parametrize(
    "args",
    [
        [FORCES],
        [FORCES, "--format", "markdown"],
        [FORCES, "--format", "jsonl"],
        [FORCES, "--format", "csv", "--excel"],
        [f"ASK {{ <{NORTHANTS}> ?p ?o }}"],
        [f"DESCRIBE <{NORTHANTS}>", "--format", "jsonld"],
    ],
)
def test_out_writes_what_stdout_would_show_atomically(
    graph: Path, tmp_path: Path, args: list[str]
) -> None:
    data = ["--data", str(graph)]
    code, shown, _ = run(*args, *data)
    assert code == 0 and shown
    target = tmp_path / "new" / "results.txt"
    code, stdout, _ = run(*args, *data, "-o", str(target))
    assert code == 0 and stdout == ""
    assert target.read_bytes() == shown.encode()
    assert [p.name for p in target.parent.iterdir()] == ["results.txt"]  # no temporary file


def test_excel_csv_begins_with_a_byte_order_mark(graph: Path) -> None:
    code, csv_text, _ = run(FORCES, "--format", "csv", "--excel", "--data", str(graph))
    assert code == 0 and csv_text.startswith("\ufeffforce\r\n")
    code, _, stderr = run(FORCES, "--excel", "--data", str(graph))
    assert code == 2 and "--excel goes with --format csv" in stderr


def test_xlsx_is_a_workbook_of_a_select_s_results(graph: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook  # the xlsx extra, in the test extra

    data = ["--data", str(graph)]
    query = "SELECT ?force (COUNT(*) AS ?judgments) WHERE { ?j a peel:Judgment ; \
peel:force/rdfs:label ?force } GROUP BY ?force ORDER BY ?force"
    target = tmp_path / "judgments.xlsx"
    assert run(query, "--format", "xlsx", "-o", str(target), *data)[0] == 0
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    doc = json.loads(run(query, "--format", "json", *data)[1])
    expected = [
        (b["force"]["value"], int(b["judgments"]["value"])) for b in doc["results"]["bindings"]
    ]
    assert rows[0] == ("force", "judgments") and rows[1:] == expected
    code, _, stderr = run(query, "--format", "xlsx", *data)
    assert code == 2 and "give -o FILE.xlsx" in stderr
    code, _, stderr = run("ASK { ?s ?p ?o }", "--format", "xlsx", "-o", str(target), *data)
    assert code == 2 and "only a SELECT query's results" in stderr
