"""The canned queries: every queries/*.rq file loads, parses and runs as documented.

The fixture dataset (tests/fixtures/queries/*.trig plus the ontology/ reference
data) follows ontology/README.md; its Northamptonshire spans quote the real files
in data/.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg import paths, vocab
from kg.errors import QueryError
from kg.queries import (
    CannedQuery,
    bind_parameters,
    bound_text,
    get_query,
    list_queries,
    load_query,
    run_query,
)
from kg.results import render_table
from kg.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
QUERY_FILES = sorted(paths.QUERIES_DIR.glob("*.rq"))
RESULT_VARIABLES = {
    "grades": ["force", "assessment", "area", "grade", "status"],
    "findings": [
        "force",
        "assessment",
        "area",
        "type",
        "headline",
        "body",
        "quote",
        "file",
        "start",
        "end",
        "finding",
    ],
    "provenance": ["fact", "kind", "file", "start", "end", "quote"],
}
NORTHANTS = "Northamptonshire Police"
FILE_2023 = "data/000_82645b4a8ccb79df.txt"
FILE_2025 = "data/001_440047dec6ca2f53.txt"
INJECTION = '2025-27" } ?s ?p ?o {'

# rdflib's TriG parser and N-Quads writer use its own deprecated names.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture(scope="module")
def sample() -> Store:
    """The fixture graphs plus every ontology/ file in graph:reference (not the built corpus)."""
    dataset = Dataset()
    reference = dataset.graph(vocab.REFERENCE_GRAPH)
    for ttl in sorted(paths.ONTOLOGY_DIR.rglob("*.ttl")):
        reference.parse(ttl, format="turtle")
    for trig in sorted(FIXTURES.glob("*.trig")):
        dataset.parse(trig, format="trig")
    return Store.from_dataset(dataset)


def rows(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    """Run a canned query; its JSON results as dicts of text (unbound left out). Its
    columns are the documented ones (RESULT_VARIABLES), else the query's own."""
    doc = json.loads(run_query(store, name, params, "json"))
    assert doc["head"]["vars"] == RESULT_VARIABLES.get(name, list(get_query(name).variables))
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def write_query(folder: Path, text: str, name: str = "sample") -> Path:
    """Write a query file into ``folder``."""
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


# --- the catalogue -----------------------------------------------------------


def test_the_catalogue_holds_the_documented_queries() -> None:
    assert set(RESULT_VARIABLES) <= {q.name for q in list_queries()}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_loads_with_a_summary(path: Path) -> None:
    query = load_query(path)
    assert query.summary.strip()
    assert query.name == path.stem


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_parses_as_sparql(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert isinstance(ox.Store().query(text), ox.QuerySolutions)
    prepareQuery(text)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_declared_parameters_appear_in_the_query(path: Path) -> None:
    query = load_query(path)
    body = "\n".join(li for li in query.text.splitlines() if not li.startswith("#"))
    for param in query.parameters:
        assert re.search(rf"VALUES\s+\?{param.binds}\s*\{{\s*UNDEF", body), param.name
        # a parameter bound to an IRI never adds an IRI column where a label is meant
        if param.type in {"force", "area", "metric", "theme", "iri"}:
            assert param.binds not in query.variables, param.name


@pytest.mark.parametrize("name", sorted(RESULT_VARIABLES))
def test_result_variables_are_exactly_the_documented_ones(sample: Store, name: str) -> None:
    assert list(get_query(name).variables) == RESULT_VARIABLES[name]
    assert rows(sample, name)


def test_unknown_query_lists_the_known_ones() -> None:
    with pytest.raises(QueryError, match=r"known queries: .*grades"):
        get_query("no-such-query")


# --- bad metadata ------------------------------------------------------------

GOOD_BODY = "SELECT ?s ?n WHERE { ?s ?p ?n }\n"
#: A body with the placeholder a parameter ``n`` binds.
N_BODY = "SELECT ?s ?n WHERE { VALUES ?n { UNDEF } ?s ?p ?n }\n"
BAD_METADATA = {
    "no-metadata": (GOOD_BODY, r"no '#\+' metadata"),
    "no-summary": ("#+ description: no summary here\n" + GOOD_BODY, "no summary"),
    "empty-summary": ("#+ summary: ''\n" + GOOD_BODY, "no summary"),
    "yaml-error": ("#+ summary: [unclosed\n" + GOOD_BODY, "not valid YAML"),
    "not-a-mapping": ("#+ - a list\n" + GOOD_BODY, "'key: value'"),
    "unknown-key": ("#+ summary: s\n#+ sumary: typo\n" + GOOD_BODY, "unknown metadata key"),
    "tags-not-a-list": ("#+ summary: s\n#+ tags: grades\n" + GOOD_BODY, "'tags'"),
    "unknown-type": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: float}\n" + N_BODY,
        "type 'float' is not one of",
    ),
    "no-type": ("#+ summary: s\n#+ parameters:\n#+   n: {}\n" + N_BODY, "type None"),
    "unknown-param-key": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: string, requird: true}\n" + N_BODY,
        "unknown key",
    ),
    "placeholder-missing": (
        "#+ summary: s\n#+ parameters:\n#+   force: {type: string}\n" + GOOD_BODY,
        r"parameter 'force' has no 'VALUES \?force \{ UNDEF \}' block",
    ),
    "placeholder-of-another-variable": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: force, variable: f}\n" + N_BODY,
        r"parameter 'n' has no 'VALUES \?f \{ UNDEF \}' block",
    ),
    "repeat-not-a-bool": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: string, repeat: often}\n" + N_BODY,
        "'repeat' must be true or false",
    ),
    "bad-variable": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: force, variable: '?n'}\n" + N_BODY,
        "'variable' must be a SPARQL variable name",
    ),
    "required-with-default": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: string, required: true, default: x}\n"
        + N_BODY,
        "cannot have a default",
    ),
    "bad-default": (
        "#+ summary: s\n#+ parameters:\n#+   n: {type: integer, default: many}\n" + N_BODY,
        "not a whole number",
    ),
    "bad-sparql": ("#+ summary: s\nSELECT ?s WHERE { ?s ?p }\n", "not valid SPARQL"),
    "not-select": ("#+ summary: s\nASK { ?s ?p ?o }\n", "must be a SELECT query"),
}


@pytest.mark.parametrize("case", sorted(BAD_METADATA))
def test_bad_metadata_is_a_query_error_naming_the_file(tmp_path: Path, case: str) -> None:
    text, message = BAD_METADATA[case]
    write_query(tmp_path, text, case)
    with pytest.raises(QueryError, match=message) as caught:
        list_queries(tmp_path)
    assert f"{case}.rq" in str(caught.value)


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    write_query(tmp_path, "#+ summary: fine\n#+ tags: [unclosed\n" + GOOD_BODY)
    with pytest.raises(QueryError, match=r"sample\.rq.*line \d"):
        list_queries(tmp_path)


def test_loader_reads_metadata_from_a_given_folder(tmp_path: Path) -> None:
    write_query(
        tmp_path,
        "#+ summary: Names\n#+ description: All names.\n#+ tags: [demo]\n"
        "#+ parameters:\n#+   n:\n#+     type: string\n#+     description: a name\n"
        "#+     default: Kent\n" + N_BODY,
    )
    (query,) = list_queries(tmp_path)
    assert (query.name, query.summary, query.description, query.tags) == (
        "sample",
        "Names",
        "All names.",
        ("demo",),
    )
    assert query.variables == ("s", "n")
    assert query.parameters[0].default == "Kent"
    assert get_query("sample", tmp_path) == query


# --- parameter binding -------------------------------------------------------

TYPED = """#+ summary: One parameter of each type
#+ parameters:
#+   name: {type: string}
#+   thing: {type: iri}
#+   count: {type: integer}
#+   assessment: {type: assessment}
#+   type: {type: finding-type}
#+   needed: {type: string, required: true}
SELECT ?name ?thing ?count ?assessment ?type ?needed WHERE {
  VALUES ?name { UNDEF } VALUES ?thing { UNDEF } VALUES ?count { UNDEF }
  VALUES ?assessment { UNDEF } VALUES ?type { UNDEF } VALUES ?needed { UNDEF }
  ?thing ?name ?count
}
"""


@pytest.fixture()
def typed(tmp_path: Path) -> CannedQuery:
    """A query with one parameter of each type, and one required parameter."""
    return load_query(write_query(tmp_path, TYPED))


def bind(query: CannedQuery, **params: str) -> dict[str, object]:
    """Bind parameters, supplying the required one."""
    return bind_parameters(query, {"needed": "yes", **params})


def test_absent_optional_parameters_stay_unbound(typed: CannedQuery) -> None:
    assert bind(typed) == {"needed": Literal("yes")}


def test_string_is_a_plain_literal(typed: CannedQuery) -> None:
    term = bind(typed, name="Kent Police")["name"]
    assert term == Literal("Kent Police")
    assert isinstance(term, Literal) and term.language is None and term.datatype is None


def test_iri_must_be_absolute(typed: CannedQuery) -> None:
    iri = "https://w3id.org/peel-kg/id/force/kent-police"
    assert bind(typed, thing=iri)["thing"] == URIRef(iri)
    for bad in ("kent-police", "https://w3id.org/a b", "<https://x/>"):
        with pytest.raises(QueryError, match="not an absolute IRI"):
            bind(typed, thing=bad)


def test_integer_is_an_xsd_integer(typed: CannedQuery) -> None:
    assert bind(typed, count="42")["count"] == Literal(42, datatype=vocab.XSD.integer)
    assert bind(typed, count="-7")["count"] == Literal(-7, datatype=vocab.XSD.integer)
    for bad in ("4.2", "many", ""):
        with pytest.raises(QueryError, match="not a whole number"):
            bind(typed, count=bad)


@pytest.mark.parametrize(
    ("spelling", "label"),
    [
        ("2025-27", "2025–27"),
        ("2025–27", "2025–27"),
        ("2025-2027", "2025–27"),
        ("2025–2027", "2025–27"),
        (" 2023 - 25 ", "2023–25"),
        ("2018/19", "2018/19"),
        ("2018-19", "2018/19"),
        ("2014", "2014"),
        ("2016", "2016"),
        ("PEEL 2017", "2017"),
        ("202325", "2023–25"),
    ],
)
def test_assessment_accepts_every_spelling(typed: CannedQuery, spelling: str, label: str) -> None:
    assert bind(typed, assessment=spelling)["assessment"] == Literal(label)


@pytest.mark.parametrize("bad", ["2024-26", "2025-2127", "twenty", "", INJECTION])
def test_assessment_rejects_unknown_ones_listing_the_known(typed: CannedQuery, bad: str) -> None:
    with pytest.raises(
        QueryError, match=r"unknown PEEL assessment .*; known assessments: 2014, 2015"
    ):
        bind(typed, assessment=bad)


def test_a_cycle_of_three_assessments_is_refused_with_a_hint(typed: CannedQuery) -> None:
    with pytest.raises(QueryError, match=r"name the assessment year instead: 2015, 2016, 2017"):
        bind(typed, assessment="2015-17")


def test_finding_type_is_a_type_code(typed: CannedQuery) -> None:
    assert bind(typed, type="area-for-improvement")["type"] == Literal("area-for-improvement")
    assert bind(typed, type="Cause of concern")["type"] == Literal("cause-of-concern")
    with pytest.raises(QueryError, match="not a finding type; use one of .*recommendation"):
        bind(typed, type="strength")


def test_unknown_parameter_is_an_error(typed: CannedQuery) -> None:
    with pytest.raises(QueryError, match="has no parameter colour; its parameters: name"):
        bind(typed, colour="red")


def test_missing_required_parameter_is_an_error(typed: CannedQuery) -> None:
    with pytest.raises(QueryError, match="needs the parameter 'needed'"):
        bind_parameters(typed, {})


def test_default_fills_an_absent_parameter(tmp_path: Path) -> None:
    query = load_query(
        write_query(
            tmp_path,
            "#+ summary: s\n#+ parameters:\n#+   n: {type: integer, default: 3}\n" + N_BODY,
        )
    )
    assert bind_parameters(query, {}) == {"n": Literal(3, datatype=vocab.XSD.integer)}
    assert bind_parameters(query, {"n": "5"}) == {"n": Literal(5, datatype=vocab.XSD.integer)}


# --- the three queries on the fixture ----------------------------------------


def test_grades_shows_every_judgment_as_labels(sample: Store) -> None:
    found = rows(sample, "grades")
    assert {
        "force": NORTHANTS,
        "assessment": "2025–27",
        "area": "Investigating crime",
        "grade": "Inadequate",
        "status": "current",
    } in found
    assert len(found) == 6
    assert [r["force"] for r in found] == sorted(r["force"] for r in found)


def test_grades_marks_a_superseded_judgment(sample: Store) -> None:
    revised = [r for r in rows(sample, "grades") if r["area"] == "Responding to the public"]
    assert [(r["grade"], r["status"]) for r in revised] == [
        ("Requires improvement", "current"),
        ("Adequate", "superseded"),
    ]


def test_grades_orders_assessments_by_start_year(sample: Store) -> None:
    found = [r["assessment"] for r in rows(sample, "grades") if r["force"] == NORTHANTS]
    assert found == ["2023–25"] * 3 + ["2025–27"] * 2


def test_grades_filters_by_assessment(sample: Store) -> None:
    found = rows(sample, "grades", assessment="2023-2025")
    assert len(found) == 3 and {r["assessment"] for r in found} == {"2023–25"}


def test_grades_filters_by_force(sample: Store) -> None:
    assert rows(sample, "grades", force="Testshire Police") == [
        {
            "force": "Testshire Police",
            "assessment": "2025–27",
            "area": "Leadership and force management",
            "grade": "Good",
            "status": "current",
        }
    ]
    assert len(rows(sample, "grades", force=NORTHANTS, assessment="2025-27")) == 2


def test_findings_lists_headlines_with_type_codes(sample: Store) -> None:
    found = rows(sample, "findings")
    assert [(r["assessment"], r["type"]) for r in found] == [
        ("2023–25", "area-for-improvement"),
        ("2025–27", "cause-of-concern"),
        ("2025–27", "recommendation"),
        ("2025–27", "area-for-improvement"),
    ]
    assert found[0]["headline"].startswith("The force needs to reassess risk")
    assert found[0]["area"] == "Responding to the public"


def test_findings_filters_by_type_and_assessment(sample: Store) -> None:
    assert [r["type"] for r in rows(sample, "findings", type="recommendation")] == [
        "recommendation"
    ]
    areas = [
        r["area"]
        for r in rows(sample, "findings", assessment="2025-27", type="area-for-improvement")
    ]
    assert areas == ["Leadership and force management"]
    assert rows(sample, "findings", assessment="2014") == []


def test_provenance_gives_file_offsets_and_quotes(sample: Store) -> None:
    found = rows(sample, "provenance")
    assert len(found) == 17
    assert [(r["file"], int(r["start"])) for r in found] == sorted(
        (r["file"], int(r["start"])) for r in found
    )
    force = found[1]
    assert (force["kind"], force["file"], force["start"], force["end"], force["quote"]) == (
        "Force",
        FILE_2023,
        "63",
        "86",
        NORTHANTS,
    )
    for row in found:
        source = paths.ROOT / row["file"]
        if source.is_file():
            text = source.read_text(encoding="utf-8")
            assert text[int(row["start"]) : int(row["end"])] == row["quote"]


def test_provenance_kind_is_the_most_specific_class(sample: Store) -> None:
    kinds = {r["fact"].rsplit("/", 1)[-1]: r["kind"] for r in rows(sample, "provenance")}
    assert kinds["recommendation-1"] == "Recommendation"
    assert kinds["cause-of-concern-1"] == "CauseOfConcern"
    assert kinds["grade-line"] == "GradeStatement"
    assert kinds["superseded-1"] == "Judgment"
    assert kinds["2023-25"] == "Inspection"


def test_provenance_offsets_are_integers(sample: Store) -> None:
    doc = json.loads(run_query(sample, "provenance", {"file": FILE_2023}, "json"))
    for binding in doc["results"]["bindings"]:
        assert binding["start"]["datatype"] == binding["end"]["datatype"] == str(vocab.XSD.integer)


def test_provenance_filters_by_file(sample: Store) -> None:
    found = rows(sample, "provenance", file=FILE_2025)
    assert len(found) == 7 and {r["file"] for r in found} == {FILE_2025}
    assert rows(sample, "provenance", file="data/nothing.txt") == []


# --- output formats ----------------------------------------------------------


def test_csv_is_standard_sparql_csv(sample: Store) -> None:
    text = run_query(sample, "grades", {"assessment": "2025-27"}, "csv")
    assert text.startswith("force,assessment,area,grade,status\r\n")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 4 and table[1][:2] == [NORTHANTS, "2025–27"]


def test_tsv_is_standard_sparql_tsv(sample: Store) -> None:
    text = run_query(sample, "grades", {"force": "Testshire Police"}, "tsv")
    assert text.splitlines()[0] == "?force\t?assessment\t?area\t?grade\t?status"


def test_json_is_standard_sparql_json(sample: Store) -> None:
    doc = json.loads(run_query(sample, "findings", {"type": "cause-of-concern"}, "json"))
    assert doc["head"]["vars"] == RESULT_VARIABLES["findings"]
    (binding,) = doc["results"]["bindings"]
    assert binding["type"] == {"type": "literal", "value": "cause-of-concern"}


@pytest.mark.parametrize("width", [60, 200])
def test_table_fits_its_width_and_counts_rows(sample: Store, width: int) -> None:
    text = run_query(sample, "grades", {"assessment": "2023-25"}, "table", width=width)
    lines = text.rstrip("\n").splitlines()
    assert lines[-1] == "(3 rows)"
    assert all(len(line) <= width for line in lines)
    assert set(lines[1]) <= {"-", " "}
    # each heading, value and the gap between columns starts where its column does
    columns = [m.start() for m in re.finditer(r"-+", lines[1])]
    assert [lines[0][c:].split()[0] for c in columns] == RESULT_VARIABLES["grades"]
    assert lines[2][columns[1] :].startswith("2023–25")
    assert "superseded" in text


def test_table_leaves_unbound_cells_empty() -> None:
    results = {
        "head": {"vars": ["a", "b"]},
        "results": {"bindings": [{"b": {"type": "literal", "value": "two\nlines"}}, {}]},
    }
    assert render_table(json.dumps(results), 40) == "a  b\n-  ---------\n   two lines\n\n(2 rows)\n"


def test_unknown_output_format_is_an_error(sample: Store) -> None:
    with pytest.raises(QueryError, match="unknown output format 'xlsx'"):
        run_query(sample, "grades", {}, "xlsx")


# --- injection ---------------------------------------------------------------


def test_assessment_injection_is_rejected(sample: Store) -> None:
    with pytest.raises(QueryError, match="unknown PEEL assessment"):
        run_query(sample, "grades", {"assessment": INJECTION}, "json")


def test_force_injection_is_refused(sample: Store) -> None:
    with pytest.raises(QueryError, match="names no force; did you mean 'Northamptonshire Police'"):
        run_query(sample, "grades", {"force": 'Northamptonshire Police" } ?s ?p ?o {'}, "json")


@pytest.mark.parametrize(("name", "param"), [("provenance", "file")])
def test_string_injection_matches_nothing_and_never_changes_the_query(
    sample: Store, monkeypatch: pytest.MonkeyPatch, name: str, param: str
) -> None:
    sent: list[str] = []
    select = sample.select

    def spy(query: str, bindings: object = None, fmt: str = "json") -> bytes:
        sent.append(query)
        return select(query, bindings, fmt)  # type: ignore[arg-type]

    monkeypatch.setattr(sample, "select", spy)
    value = 'Northamptonshire Police" } ?s ?p ?o { BIND("x" AS ?y)'
    assert rows(sample, name, **{param: value}) == []
    # the value went into the parameter's VALUES blocks as one term, and nowhere else
    query = get_query(name)
    (parameter,) = [p for p in query.parameters if p.name == param]
    block = re.compile(rf"VALUES \?{parameter.binds} \{{ (.*?) \}}\n")
    (text,) = sent
    terms = block.findall(text)
    assert terms and all(t == terms[0] != "UNDEF" for t in terms)
    assert block.sub(f"VALUES ?{parameter.binds} {{ UNDEF }}\n", text) == query.text
    # a string stays one escaped literal
    assert terms[0] == json.dumps(value)


def test_a_value_fills_every_block_of_its_variable_and_no_other(tmp_path: Path) -> None:
    query = load_query(
        write_query(
            tmp_path,
            "#+ summary: s\n#+ parameters:\n"
            "#+   force: {type: force, variable: f}\n#+   n: {type: integer}\n"
            "SELECT ?s WHERE {\n"
            "  { SELECT ?s WHERE { VALUES ?f { UNDEF } ?s ?p ?f } }\n"
            "  { SELECT ?s WHERE { values ?f {UNDEF} ?s ?q ?f } }\n"
            "  VALUES ?n { UNDEF }\n}\n",
        )
    )
    text = bound_text(query, {"force": "Kent Police"})
    kent = f"VALUES ?f {{ <{vocab.mint('force', 'Kent Police')}> }}"
    assert text.count(kent) == 2 and "VALUES ?n { UNDEF }" in text
    assert bound_text(query, {}) == query.text


#: A finding without an area, tagged with a theme and followed up by another without one.
AREALESS = """
@base <https://w3id.org/peel-kg/id/> .
@prefix peel: <https://w3id.org/peel-kg/ontology#> .
@prefix graph: <https://w3id.org/peel-kg/graph/> .
@prefix force: <https://w3id.org/peel-kg/id/force/> .
graph:arealess {
  <finding/arealess-2023> a peel:AreaForImprovement ;
      peel:headline "The force should look again at how it records custody decisions." ;
      peel:inspection <inspection/northamptonshire-police/2023-25> ;
      peel:force force:northamptonshire-police .
  <finding/arealess-2025> a peel:AreaForImprovement ;
      peel:headline "The force should still look at how it records custody decisions." ;
      peel:inspection <inspection/northamptonshire-police/2025-27> ;
      peel:force force:northamptonshire-police .
  <tag/arealess> a peel:ThemeTag ; peel:theme <theme/custody> ; peel:matchedTerm "custody" ;
      peel:tagged <finding/arealess-2023> .
  <follow-up/arealess> a peel:FollowUp ; peel:followUpStatus peel:Remains ;
      peel:force force:northamptonshire-police ; peel:linkMethod "similarity" ;
      peel:inspection <inspection/northamptonshire-police/2025-27> ; peel:score 0.5 ;
      peel:earlier <finding/arealess-2023> ; peel:later <finding/arealess-2025> .
}
"""


@pytest.fixture(scope="module")
def arealess(sample: Store) -> Store:
    """The sample graph with AREALESS's findings added."""
    data = Dataset().parse(data=AREALESS, format="trig").serialize(format="nquads")
    store = Store.from_nquads(data.encode())
    store.load(sample.oxigraph.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    return store


def test_a_finding_without_an_area_is_one_row_without_one(arealess: Store) -> None:
    """An area label is looked up only for a finding that has an area: a finding without
    one is one row with no area, not a row per area of the graph."""
    custody = rows(arealess, "theme-findings", theme="custody")
    tagged = [r for r in custody if "arealess" in r["finding"]]
    assert len(tagged) == 1 and "area" not in tagged[0]
    persisting = rows(arealess, "persisting-findings")
    kept = [r for r in persisting if r["earlier"].endswith("custody decisions.")]
    assert len(kept) == 1 and "area" not in kept[0]
    assert kept[0]["later"] == "The force should still look at how it records custody decisions."


def test_a_finding_without_a_span_or_body_is_one_row_without_them(arealess: Store) -> None:
    """Body, quote and place are looked up where the graph holds them: a finding without
    them (a graph that does not conform) is still one row with those columns empty, and
    no body is filled in for a finding with a span but none."""
    placed = {"quote", "file", "start", "end"}
    listed = rows(arealess, "findings", force=NORTHANTS)
    bare = [r for r in listed if "arealess" in r["finding"]]
    assert len(bare) == 2 and not any((placed | {"body"}) & set(r) for r in bare)
    concern = next(r for r in listed if r["type"] == "cause-of-concern")
    assert (concern["file"], concern["start"], concern["end"]) == (FILE_2025, "77847", "77921")
    assert concern["quote"] == concern["headline"] and "body" not in concern
    custody = rows(arealess, "theme-findings", theme="custody")
    (tagged,) = [r for r in custody if "arealess" in r["finding"]]
    assert not placed & set(tagged)


def test_a_repeated_parameter_matches_any_of_its_values(store: Store) -> None:
    def found(**params: str | list[str]) -> set[tuple[str, ...]]:
        doc = json.loads(run_query(store, "findings", params, "json"))
        return {tuple(v["value"] for v in b.values()) for b in doc["results"]["bindings"]}

    concerns, afis = found(type="cause-of-concern"), found(type="area-for-improvement")
    assert concerns and afis
    assert found(type=["cause-of-concern", "area-for-improvement"]) == concerns | afis
    assert found(type=["cause-of-concern", "Cause of concern"]) == concerns  # one term, once
    both = found(type="area-for-improvement", assessment=["2023-25", "2025-27"])
    assert both == found(type="area-for-improvement", assessment="2023-25") | found(
        type="area-for-improvement", assessment="2025-27"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": ["Investigating crime", "Effectiveness"]}, "'start' takes one value; 2 were"),
        ({"start": []}, "'start' is given no value"),
    ],
)
def test_a_parameter_that_may_not_repeat_takes_one_value(
    store: Store, params: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        run_query(store, "area-history", params, "json")


def test_a_force_is_named_by_any_of_its_names(sample: Store) -> None:
    by_label = rows(sample, "grades", force="Northamptonshire Police")
    assert by_label and {r["force"] for r in by_label} == {"Northamptonshire Police"}
    iri = str(vocab.mint("force", "Northamptonshire Police"))
    for name in ("northamptonshire police", "Northants Police", "Northamptonshire", iri):
        assert rows(sample, "grades", force=name) == by_label


# --- the catalogue's metadata ------------------------------------------------


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_is_described_with_tags_and_parameter_examples(path: Path) -> None:
    query = load_query(path)
    assert query.description and query.tags, "describe the query and tag it"
    for param in query.parameters:
        assert param.description, f"{param.name}: describe it"
        assert param.example is not None or param.default is not None, f"{param.name}: example"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_answers_its_examples_on_the_shipped_corpus(store: Store, path: Path) -> None:
    query = load_query(path)
    examples = {p.name: p.example for p in query.parameters if p.example is not None}
    doc = json.loads(run_query(store, query, examples, "json"))
    assert doc["head"]["vars"] == list(query.variables)
    # a consistency check finds nothing where the corpus is consistent (its golden test
    # gives it a case that it finds)
    assert doc["results"]["bindings"] or "checks" in query.tags, f"no rows for {examples}"
