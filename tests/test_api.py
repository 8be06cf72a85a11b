"""The Python API (kg.api): open a built graph from a file, a folder or a store; canned
queries and any SPARQL as rows of Python values; to_pandas; the README's example, run."""

from __future__ import annotations

import datetime
import doctest
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pandas
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

import kg
from kg import api
from kg.cli import DEFAULT_GRAPH, cli
from kg.errors import MissingExtraError, QueryError, UsageError
from kg.paths import ROOT
from kg.pipeline import OUTPUTS, BuildResult
from kg.results import plain_value
from kg.store import Store

NORTHANTS = "Northamptonshire Police"
NORTHANTS_IRI = URIRef("https://w3id.org/peel-kg/id/force/northamptonshire-police")
REPORT_2025 = "data/001_440047dec6ca2f53.txt"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    """A build's output folder holding the built graph as peel.nq."""
    out = tmp_path_factory.mktemp("api")
    (out / "peel.nq").write_bytes(built.nquads)
    return out


@pytest.fixture(scope="module")
def graph(store: Store) -> kg.PeelGraph:
    return kg.open(store)


def cli_rows(folder: Path, *args: str) -> list[dict[str, object]]:
    """The rows `peel-kg query run ... --format jsonl` prints."""
    result = CliRunner().invoke(
        cli, ["query", "run", *args, "--format", "jsonl", "--data", str(folder / "peel.nq")]
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- opening ---------------------------------------------------------------------------


def test_import_kg_offers_open_and_its_classes() -> None:
    assert kg.open is api.open and kg.Rows is api.Rows and kg.PeelGraph is api.PeelGraph
    assert set(kg.__all__) >= {"open", "Rows", "PeelGraph"}
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = kg.nothing  # type: ignore[attr-defined]


def test_the_default_graph_is_the_cli_s() -> None:
    assert api.DEFAULT_GRAPH == DEFAULT_GRAPH
    assert OUTPUTS["nq"] == api.GRAPH_FILE


def test_a_graph_opens_from_a_file_a_folder_a_store_or_the_default(
    folder: Path, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from_file = kg.open(folder / "peel.nq")
    from_text = kg.open(str(folder / "peel.nq"))
    from_folder = kg.open(folder)
    assert from_file.path == from_folder.path == folder / "peel.nq"
    assert len(from_file) == len(from_text) == len(from_folder) == len(store) > 0
    assert kg.open(store).store is store and kg.open(store).path is None
    rows = from_folder.query("grades", force=NORTHANTS)
    assert rows == kg.open(store).query("grades", force=NORTHANTS) and len(rows) > 0
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "peel.nq").write_bytes((folder / "peel.nq").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert len(kg.open()) == len(store)
    assert f"{len(store)} quads" in repr(kg.open())


def test_a_trig_file_opens_too(tmp_path: Path, built: BuildResult) -> None:
    path = tmp_path / "peel.trig"
    built.dataset.serialize(path, format="trig")
    assert kg.open(path).sparql(f"ASK {{ <{NORTHANTS_IRI}> a peel:Force }}") is True


def test_no_built_graph_is_the_cli_s_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.nq"
    with pytest.raises(UsageError, match="no built graph here; run `peel-kg build` first"):
        kg.open(missing)
    code = CliRunner().invoke(cli, ["query", "run", "grades", "--data", str(missing)])
    assert code.exit_code == 2 and f"{missing}: no built graph here" in code.stderr
    with pytest.raises(UsageError, match=rf"no peel.nq\); run `peel-kg build --out {tmp_path}`"):
        kg.open(tmp_path)
    with pytest.raises(QueryError, match="cannot load a '.csv' file"):
        (tmp_path / "x.csv").write_text("a,b\n")
        kg.open(tmp_path / "x.csv")


def test_the_commands_data_option_takes_a_folder_too(folder: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "run", "grades", "--data", str(folder)])
    assert result.exit_code == 0 and NORTHANTS in result.stdout


# --- canned queries --------------------------------------------------------------------


def test_a_query_gives_the_cli_s_rows_with_its_columns(graph: kg.PeelGraph, folder: Path) -> None:
    rows = graph.query("grades", force="Northants Police", assessment="2025-27")
    assert rows.columns == ("force", "assessment", "area", "grade", "status")
    expected = cli_rows(folder, "grades", "--param", "force=Northants Police",
                        "--param", "assessment=2025-27")  # fmt: skip
    assert list(rows) == expected and len(rows) == 9
    assert {r["force"] for r in rows} == {NORTHANTS}
    assert {r["assessment"] for r in rows} == {"2025–27"}
    assert [r["area"] for r in rows if r["grade"] == "Inadequate"] == ["Investigating crime"]


def test_a_repeatable_parameter_takes_a_list(graph: kg.PeelGraph) -> None:
    concerns = graph.query("findings", type="cause-of-concern")
    recommendations = graph.query("findings", type=("recommendation",))
    both = graph.query("findings", type=["cause-of-concern", "recommendation"])
    assert len(concerns) > 0 and len(recommendations) > 0
    assert len(both) == len(concerns) + len(recommendations)
    assert {r["type"] for r in both} == {r["type"] for r in [*concerns, *recommendations]}
    assert graph.query("findings", type=None) == graph.query("findings")  # None: left out


def test_values_are_python_values(graph: kg.PeelGraph) -> None:
    span = graph.query("provenance", file=REPORT_2025)[0]
    assert isinstance(span["start"], int) and isinstance(span["end"], int)
    text = (ROOT / REPORT_2025).read_text(encoding="utf-8")
    assert text[span["start"] : span["end"]] == span["quote"]
    figure = graph.query("figures", force=NORTHANTS)[0]
    assert isinstance(figure["value"], Decimal) and isinstance(figure["periodEnd"], datetime.date)
    assert str(figure["value"]) in figure["quote"]
    assert figure["periodEnd"].strftime("%-d %B %Y") in figure["quote"]
    samples = graph.query("audit-samples", maxRatio=0.2)  # a number is written as text
    assert samples and all(r["ratio"] <= Decimal("0.2") for r in samples)
    assert all(
        r["numerator"] / r["denominator"] == pytest.approx(float(r["ratio"])) for r in samples
    )


def test_unbound_is_none(graph: kg.PeelGraph, folder: Path) -> None:
    rows = graph.query("inspections", force=NORTHANTS)
    unbound = [r for r in rows if r["inspector"] is None]
    assert unbound and all(r["force"] == NORTHANTS for r in rows)
    # the same rows have no inspector in the standard results: nothing was dropped
    assert [r["inspector"] for r in rows] == [
        r["inspector"] for r in cli_rows(folder, "inspections", "--param", f"force={NORTHANTS}")
    ]


def test_plain_value_converts_each_datatype() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def lit(value: str, datatype: str) -> dict[str, str]:
        return {"type": "literal", "value": value, "datatype": xsd + datatype}

    assert plain_value(lit("41", "integer")) == 41
    assert plain_value(lit("7", "nonNegativeInteger")) == 7
    assert plain_value(lit("0.73", "decimal")) == Decimal("0.73")
    assert plain_value(lit("1.5E0", "double")) == 1.5
    assert plain_value(lit("true", "boolean")) is True
    assert plain_value(lit("2025-11-30", "date")) == datetime.date(2025, 11, 30)
    assert plain_value(lit("2025-11-30T10:00:00", "dateTime")) == datetime.datetime(
        2025, 11, 30, 10
    )
    assert plain_value(lit("2014", "gYear")) == "2014"  # no Python type: its text
    assert plain_value(lit("many", "integer")) == "many"  # not fitting its type: its text
    assert plain_value({"type": "uri", "value": str(NORTHANTS_IRI)}) == str(NORTHANTS_IRI)
    assert plain_value({"type": "literal", "value": "Good", "xml:lang": "en"}) == "Good"
    assert plain_value(None) is None


def test_the_catalogue_lists_every_query_with_its_parameters(graph: kg.PeelGraph) -> None:
    catalogue = {q.name: q for q in graph.queries()}
    assert set(catalogue) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    grades = catalogue["grades"]
    assert [p.name for p in grades.parameters] == ["force", "assessment"]
    assert grades.variables == graph.query("grades").columns


def test_an_unknown_query_or_parameter_is_the_cli_s_query_error(graph: kg.PeelGraph) -> None:
    with pytest.raises(QueryError, match="no query named 'gardes'.*known queries: .*grades"):
        graph.query("gardes")
    with pytest.raises(QueryError, match="query 'grades' has no parameter colour"):
        graph.query("grades", colour="blue")
    with pytest.raises(QueryError, match="'area-history' needs the parameter 'start'"):
        graph.query("area-history")
    with pytest.raises(QueryError, match="parameter 'start' takes one value; 2 were given"):
        graph.query("area-history", start=["Investigating crime", "Leadership"])


# --- any SPARQL ------------------------------------------------------------------------


def test_sparql_select_gives_rows(graph: kg.PeelGraph, built: BuildResult) -> None:
    rows = graph.sparql(
        "SELECT ?force (COUNT(DISTINCT ?j) AS ?judgments) "
        "WHERE { ?j a peel:Judgment ; peel:force/rdfs:label ?force } GROUP BY ?force"
    )
    assert isinstance(rows, kg.Rows) and rows.columns == ("force", "judgments")
    assert list(rows) == [{"force": NORTHANTS, "judgments": built.counts()["Judgment"]}]
    assert isinstance(rows[:1], kg.Rows) and rows[:1].columns == rows.columns


def test_sparql_ask_gives_a_bool(graph: kg.PeelGraph) -> None:
    assert graph.sparql(f"ASK {{ <{NORTHANTS_IRI}> a peel:Force }}") is True
    assert graph.sparql("ASK { ?f a peel:Force ; rdfs:label 'No Such Police' }") is False


def test_sparql_construct_and_describe_give_an_rdflib_graph(graph: kg.PeelGraph) -> None:
    built = graph.sparql("CONSTRUCT { ?f rdfs:label ?l } WHERE { ?f a peel:Force ; rdfs:label ?l }")
    assert isinstance(built, Graph)
    assert (NORTHANTS_IRI, RDFS.label, Literal(NORTHANTS)) in built
    forces = graph.sparql("SELECT DISTINCT ?f WHERE { ?f a peel:Force }")
    assert isinstance(forces, kg.Rows) and len(set(built.subjects())) == len(forces)
    described = graph.sparql(f"DESCRIBE <{NORTHANTS_IRI}>")
    assert isinstance(described, Graph) and set(described.subjects()) == {NORTHANTS_IRI}
    assert "rdfs:label" in described.serialize(format="turtle")  # the prefixes are bound


def test_bad_sparql_is_a_query_error_with_its_line(graph: kg.PeelGraph) -> None:
    with pytest.raises(QueryError, match="not valid SPARQL 1.1 at line 2"):
        graph.sparql("SELECT ?s\nWHERE { ?s ?p")
    with pytest.raises(UsageError, match="no query given"):
        graph.sparql("  \n")


# --- pandas ----------------------------------------------------------------------------


def test_to_pandas_has_the_cli_s_columns_and_rows(graph: kg.PeelGraph, folder: Path) -> None:
    for name, params in [("grades", {}), ("findings", {"type": "recommendation"})]:
        expected = cli_rows(folder, name, *(f"--param={k}={v}" for k, v in params.items()))
        rows = graph.query(name, **params)
        frame = rows.to_pandas()
        assert isinstance(frame, pandas.DataFrame)
        assert list(frame.columns) == list(rows.columns) == list(expected[0])
        assert len(frame) == len(expected) > 0
        assert frame.to_dict("records") == expected  # every value a string here


def test_to_pandas_of_no_rows_keeps_the_columns(graph: kg.PeelGraph) -> None:
    frame = graph.query("grades", force="Avon and Somerset Constabulary").to_pandas()
    assert len(frame) == 0 and list(frame.columns) == list(graph.query("grades").columns)


def test_to_pandas_without_pandas_says_what_to_install(
    graph: kg.PeelGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = graph.query("grades", force=NORTHANTS)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(MissingExtraError, match=re.escape("pip install 'peel-kg[pandas]'")) as err:
        rows.to_pandas()
    assert isinstance(err.value, ImportError) and err.value.exit_code == 2


# --- the README's example --------------------------------------------------------------


def readme_example() -> str:
    """The code of the README's 'Python API' section: its pycon and python blocks."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:pycon|python)\n(.*?)```", section, re.DOTALL)
    assert blocks, "the README's Python API section has no example"
    return "\n".join(blocks)


def test_the_readme_example_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the example builds into out/ here
    text = readme_example()
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md: Python API", None, 0)
    assert len(test.examples) >= 8
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.REPORT_NDIFF
    )
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert (tmp_path / "out" / "peel.nq").stat().st_size > 0
