"""kg.resolve: a name is taken when it names one thing (exactly, by an alias, by a part of
a name or by a close spelling), refused with the candidates when it fits several, and
refused with 'did you mean' when it fits none; never 0 rows in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Literal, URIRef

from kg import vocab
from kg.cli import cli
from kg.errors import InputError, QueryError
from kg.names import list_names
from kg.pipeline import BuildResult
from kg.queries import bind_parameters, bound_text, get_query, run_query
from kg.resolve import (
    Names,
    resolve_force,
    to_area,
    to_assessment,
    to_force,
    to_initiative,
    to_metric,
    to_theme,
)
from kg.store import Store


def force(label: str) -> URIRef:
    """The IRI of a force of ontology/forces.ttl."""
    return vocab.mint("force", label)


NORTHANTS = force("Northamptonshire Police")
AREA_2025 = vocab.ID["area/peel-2025-27/investigating-crime"]

#: A force the reference data does not know, in a graph of its own (a fixture of this file).
BORSETSHIRE_GRAPH = f"""
<{force("Borsetshire Police")}> <{RDF.type}> <{vocab.Force}> .
<{force("Borsetshire Police")}> <{RDFS.label}> "Borsetshire Police" .
"""


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Northamptonshire Police", "Northamptonshire Police"),
        # aliases (skos:altLabel of ontology/forces.ttl)
        ("GMP", "Greater Manchester Police"),
        ("the Met", "Metropolitan Police Service"),
        ("MPS", "Metropolitan Police Service"),
        ("Northants", "Northamptonshire Police"),
        ("TVP", "Thames Valley Police"),
        ("Herts", "Hertfordshire Constabulary"),
        # case, punctuation, '&', a leading 'the', the words Police and Constabulary
        ("NORTHAMPTONSHIRE POLICE.", "Northamptonshire Police"),
        ("northamptonshire-police", "Northamptonshire Police"),
        ("  The   Metropolitan Police Service ", "Metropolitan Police Service"),
        ("Avon & Somerset Police", "Avon and Somerset Constabulary"),
        ("Kent Constabulary", "Kent Police"),
        ("Met", "Metropolitan Police Service"),
        ("Durham", "Durham Constabulary"),
        # a part of one force's names only
        ("Manchester", "Greater Manchester Police"),
        ("Isle of Wight", "Hampshire and Isle of Wight Constabulary"),
        # a close spelling, clearly closer to one force than to any other
        ("Northamptonshre", "Northamptonshire Police"),
        ("Northamptonshre Constabulary", "Northamptonshire Police"),
        ("Cumbira", "Cumbria Constabulary"),
        ("Greater Manchster Police", "Greater Manchester Police"),
    ],
)
def test_a_force_by_any_of_its_names(name: str, label: str) -> None:
    assert to_force(name) == force(label)


@pytest.mark.parametrize(
    ("name", "several"),
    [
        ("West", ["West Mercia Police", "West Midlands Police", "West Yorkshire Police"]),
        (
            "Yorkshire",
            ["North Yorkshire Police", "South Yorkshire Police", "West Yorkshire Police"],
        ),
        ("Wales", ["North Wales Police", "South Wales Police"]),
    ],
)
def test_a_name_of_several_forces_is_refused_with_them(name: str, several: list[str]) -> None:
    listed = ", ".join(f"'{f}'" for f in several)
    with pytest.raises(ValueError) as refused:
        to_force(name)
    assert str(refused.value) == (f"{name!r} could name several forces: {listed}; give one of them")


def test_police_alone_names_every_force_so_none() -> None:
    with pytest.raises(ValueError, match=r"'Police' could name several forces: 'Bedfordshire"):
        to_force("Police")


def test_an_unknown_force_is_refused_with_close_names() -> None:
    with pytest.raises(ValueError, match=r"'Atlantis' names no force; did you mean '.*' or '"):
        to_force("Atlantis")
    # close, but not close enough to be taken: a guess is worse than a refusal
    with pytest.raises(ValueError, match=r"'Dorest' names no force; did you mean 'Dorset Police'"):
        to_force("Dorest")


def test_a_force_iri_must_be_a_force() -> None:
    assert to_force(str(NORTHANTS)) == NORTHANTS
    with pytest.raises(ValueError, match="not the IRI of a force"):
        to_force(str(AREA_2025))


def test_a_force_of_the_graph_that_the_reference_data_does_not_know() -> None:
    graph = Store.from_nquads(BORSETSHIRE_GRAPH.encode())
    borsetshire = force("Borsetshire Police")
    for name in ("Borsetshire Police", "Borsetshire", "borsetshre police", str(borsetshire)):
        assert to_force(name, graph) == borsetshire
    assert to_force("GMP", graph) == force("Greater Manchester Police")
    with pytest.raises(ValueError, match="'Borsetshire' names no force"):
        to_force("Borsetshire")
    with pytest.raises(InputError, match="'Borsetshire' names no force"):
        resolve_force("Borsetshire")


def test_two_close_names_are_not_guessed_between() -> None:
    names = Names(
        "widget",
        "widgets",
        "widgets",
        {"northshire police": "N", "southshire police": "S"},
        {"N": "Northshire Police", "S": "Southshire Police"},
    )
    assert names.resolve("Northshire Polise") == "N"
    with pytest.raises(ValueError, match="could name several widgets: 'Northshire Police', 'S"):
        names.resolve("Nouthshire Police")


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("Investigating crime", AREA_2025),
        ("investigating  CRIME", AREA_2025),
        ("Investigatng crime", AREA_2025),
        ("fraud", vocab.ID["area/peel-2025-27/managing-fraud"]),
        (str(AREA_2025), AREA_2025),
    ],
)
def test_an_area_by_its_label_a_part_or_a_close_spelling(name: str, area: URIRef) -> None:
    assert to_area(name) == area


def test_an_ambiguous_or_unknown_area_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'investigating' could name several assessment areas"):
        to_area("investigating")
    with pytest.raises(ValueError, match="'knitting' names no assessment area; did you mean"):
        to_area("knitting")


@pytest.mark.parametrize(
    ("name", "notation"),
    [
        ("999 calls answered within 10 seconds", "999-answered-within-10-seconds"),
        ("999-answered-within-10-seconds", "999-answered-within-10-seconds"),
        ("999 call answering", "999-answered-within-10-seconds"),
        ("Stop and search find rat", "stop-search-find-rate"),
        ("PDR completions", "pdr-completion"),
    ],
)
def test_a_metric_by_its_label_notation_or_a_close_spelling(name: str, notation: str) -> None:
    assert to_metric(name) == vocab.mint("metric", notation)


def test_999_names_two_metrics_and_is_refused_with_both() -> None:
    with pytest.raises(ValueError) as refused:
        to_metric("999")
    assert str(refused.value) == (
        "'999' could name several metrics: '999 calls answered within 10 seconds', "
        "'999 calls received per 1,000 population'; give one of them"
    )
    with pytest.raises(ValueError, match="'number of unicorns' names no metric; did you mean"):
        to_metric("number of unicorns")


def test_a_theme_by_a_term_or_a_close_spelling() -> None:
    assert to_theme("custdy") == to_theme("custody") == vocab.mint("theme", "custody")
    assert to_theme("IDVA") == to_theme("domestic abuses") == vocab.mint("theme", "domestic-abuse")
    with pytest.raises(ValueError, match="'abuse' could name several themes: .*'domestic abuse'"):
        to_theme("abuse")


@pytest.mark.parametrize(
    ("spelling", "label"),
    [
        ("2016", "2016"),
        ("2018-19", "2018/19"),
        ("2023-2025", "2023–25"),
        ("PEEL 2025–27", "2025–27"),
    ],
)
def test_an_assessment_in_any_spelling(spelling: str, label: str) -> None:
    assert to_assessment(spelling) == Literal(label)


def test_a_year_inside_an_assessment_is_not_guessed_but_named() -> None:
    with pytest.raises(ValueError, match=r"unknown PEEL assessment '2024' \(did you mean 2023–25"):
        to_assessment("2024")
    with pytest.raises(ValueError, match="name the assessment year instead: 2015, 2016, 2017"):
        to_assessment("2015-17")


# --- initiatives: those of the built graph ------------------------------------------------


def test_an_initiative_by_its_name_an_alias_or_a_close_spelling(store: Store) -> None:
    assert to_initiative("Operation Alloy", store) == Literal("Operation Alloy")
    assert to_initiative("YVIU", store) == Literal("YVIU")  # an alias, as given
    assert to_initiative("right care right person", store) == Literal("right care right person")
    assert to_initiative("Operation Aloy", store) == Literal("Operation Alloy")
    with pytest.raises(ValueError, match="'Operation Nothing' names no initiative; did you mean"):
        to_initiative("Operation Nothing", store)
    with pytest.raises(ValueError, match="resolved against the graph"):
        to_initiative("Operation Alloy")


def test_every_initiative_listed_names_itself(store: Store) -> None:
    listed = [row[0] for row in list_names("initiatives", store)]
    assert "Operation Alloy" in listed
    for name in listed:
        assert to_initiative(name, store) == Literal(name)


def test_initiative_mentions_by_a_misspelt_name(store: Store) -> None:
    def quotes(name: str) -> list[tuple[str, str]]:
        doc = json.loads(run_query(store, "initiative-mentions", {"initiative": name}, "json"))
        return [(b["initiative"]["value"], b["quote"]["value"]) for b in doc["results"]["bindings"]]

    assert quotes("Operation Aloy") == quotes("Operation Alloy") != []
    with pytest.raises(QueryError, match="parameter 'initiative' \\(initiative\\): .*built graph"):
        bound_text(get_query("initiative-mentions"), {"initiative": "Operation Alloy"})


def test_the_force_parameter_refuses_a_name_of_no_force(store: Store) -> None:
    findings = get_query("findings")
    assert bind_parameters(findings, {"force": "Northants"}, store=store) == {"force": NORTHANTS}
    with pytest.raises(QueryError, match="'Atlantis' names no force; did you mean"):
        run_query(store, "findings", {"force": "Atlantis"})


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    path = tmp_path_factory.mktemp("resolve") / "peel.nq"
    path.write_bytes(built.nquads)
    return path


def test_query_run_with_an_unknown_force_exits_2_with_did_you_mean(graph: Path) -> None:
    runner = CliRunner()
    args = ["query", "run", "findings", "--data", str(graph), "--format", "csv"]
    by_alias = runner.invoke(cli, [*args, "--param", "force=Northants"])
    by_label = runner.invoke(cli, [*args, "--param", "force=Northamptonshire Police"])
    assert by_alias.exit_code == 0 and by_alias.stdout == by_label.stdout
    assert len(by_alias.stdout.splitlines()) > 10
    unknown = runner.invoke(cli, [*args, "--param", "force=Atlantis"])
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert "'Atlantis' names no force; did you mean" in unknown.stderr


def test_query_run_with_an_ambiguous_metric_exits_2_naming_both(graph: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", "run", "metric-series", "--param", "metric=999", "--data", str(graph)]
    )
    assert result.exit_code == 2
    assert "'999' could name several metrics: '999 calls answered within 10 seconds'" in (
        result.stderr
    )


def test_related_takes_a_force_by_an_alias_and_refuses_an_unknown_one(graph: Path) -> None:
    runner = CliRunner()
    args = ["related", "central", "--data", str(graph)]
    by_alias = runner.invoke(cli, [*args, "--force", "Northants"])
    by_label = runner.invoke(cli, [*args, "--force", "Northamptonshire Police"])
    assert by_alias.exit_code == 0 and by_alias.stdout == by_label.stdout
    unknown = runner.invoke(cli, [*args, "--force", "Atlantis"])
    assert unknown.exit_code == 2 and "'Atlantis' names no force; did you mean" in unknown.stderr
    elsewhere = runner.invoke(cli, [*args, "--force", "GMP"])  # a force without findings
    assert elsewhere.exit_code == 0 and elsewhere.stdout.splitlines()[-1] == "(0 rows)"


def test_related_refuses_a_force_the_graph_has_not() -> None:
    from rdflib import Graph

    from kg.related import related_graph

    data = Graph().parse(data=BORSETSHIRE_GRAPH, format="nt")
    assert related_graph(data, force="Borsetshre").number_of_nodes() == 0
    with pytest.raises(InputError, match="'GMP' names .*greater-manchester-police, a force the"):
        related_graph(data, force="GMP")
