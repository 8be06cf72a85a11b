"""peel-kg list: the names each parameter takes; every name listed is one a query takes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from kg.cli import cli
from kg.errors import UsageError
from kg.names import COLUMNS, KINDS, list_names
from kg.pipeline import BuildResult
from kg.queries import bind_parameters, get_query
from kg.reference import load_reference
from kg.store import Store
from tests.test_results import squeezed, table_columns


def names(row: tuple[str, ...]) -> list[str]:
    """A row's name and its other names."""
    return [row[0], *filter(None, row[1].split("; "))]


def test_every_force_name_listed_binds_that_force() -> None:
    rows = list_names("forces")
    assert len(rows) == len({f.iri for f in load_reference().forces.values()})
    (northants,) = [r for r in rows if r[0] == "Northamptonshire Police"]
    assert "Northants Police" in names(northants) and northants[2] == "northamptonshire"
    grades = get_query("grades")
    for row in rows:
        iris = {bind_parameters(grades, {"force": n})["force"] for n in names(row)}
        assert iris == {load_reference().force(row[0]).iri}  # type: ignore[union-attr]


def test_every_area_metric_theme_and_assessment_listed_is_taken_by_its_parameter() -> None:
    history, series = get_query("area-history"), get_query("metric-series")
    themes, grades = get_query("theme-findings"), get_query("grades")
    for row in list_names("areas"):
        for name in names(row):
            assert isinstance(bind_parameters(history, {"start": name})["start"], URIRef)
    for row in list_names("metrics"):
        for name in [*names(row), row[2]]:
            assert isinstance(bind_parameters(series, {"metric": name})["metric"], URIRef)
    listed = list_names("themes")
    assert {r[0] for r in listed} >= {"domestic abuse", "custody"}
    for row in listed:
        assert isinstance(bind_parameters(themes, {"theme": row[0]})["theme"], URIRef)
    assessments = list_names("assessments")
    assert [r[0] for r in assessments][-2:] == ["2023–25", "2025–27"]
    for row in assessments:
        assert str(bind_parameters(grades, {"assessment": row[0]})["assessment"]) == row[0]


def test_initiatives_are_those_of_the_graph(store: Store) -> None:
    rows = {r[0]: r for r in list_names("initiatives", store)}
    assert rows["Operation Alloy"][1:] == ("operation", "1")
    with pytest.raises(UsageError, match="built graph"):
        list_names("initiatives")
    with pytest.raises(UsageError, match="cannot list 'colours'"):
        list_names("colours")


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    path = tmp_path_factory.mktemp("names") / "peel.nq"
    path.write_bytes(built.nquads)
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_lists_each_kind_as_a_table_and_as_csv(graph: Path, kind: str) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["list", kind, "--data", str(graph)])
    assert table.exit_code == 0 and table.stdout.split()[0] == COLUMNS[kind][0]
    found = runner.invoke(cli, ["list", kind, "--format", "csv", "--data", str(graph)])
    rows = list(csv.reader(io.StringIO(found.stdout)))
    assert tuple(rows[0]) == COLUMNS[kind] and len(rows) > 1


@pytest.mark.parametrize("kind", KINDS)
def test_the_table_fits_the_width_and_keeps_every_cell_whole(graph: Path, kind: str) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["list", kind, "--data", str(graph)], env={"COLUMNS": "60"})
    assert table.exit_code == 0 and max(len(line) for line in table.stdout.splitlines()) <= 60
    found = runner.invoke(cli, ["list", kind, "--format", "csv", "--data", str(graph)])
    header, *rows = list(csv.reader(io.StringIO(found.stdout)))
    headings, columns = table_columns(table.stdout)
    assert [squeezed(h) for h in headings] == [squeezed(h) for h in header]
    for i, column in enumerate(columns):
        assert squeezed(column) == "".join(squeezed(row[i]) for row in rows)
    assert table.stdout.endswith(f"\n({len(rows)} rows)\n")


def test_the_command_offers_every_kind_and_no_other() -> None:
    (kind,) = [p for p in cli.commands["list"].params if p.name == "kind"]
    assert tuple(kind.type.choices) == KINDS  # type: ignore[attr-defined]


def test_listing_initiatives_without_a_graph_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["list", "initiatives", "--data", str(tmp_path / "x.nq")])
    assert result.exit_code == 2 and "run `peel-kg build` first" in result.stderr
