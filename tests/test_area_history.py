"""queries/area-history.rq and the ``area`` parameter type, through the crosswalk.

The fixture (tests/fixtures/queries/history/history.trig) holds judgments of one
force from 2014 to 2025–27, quoting the real files in data/, and of a made-up force
in 2018/19 and 2021/22; the store also holds every ontology/ file (the area
schemes and ontology/crosswalk.ttl) in graph:reference.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from kg import paths, vocab
from kg.errors import QueryError
from kg.queries import bind_parameters, get_query, run_query
from kg.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "history" / "history.trig"
NORTHANTS = "Northamptonshire Police"
TESTSHIRE = "Testshire Police"
VARIABLES = ["force", "assessment", "area", "grade", "match"]
MATCHES = {
    "self",
    "exactMatch",
    "closeMatch",
    "broadMatch",
    "narrowMatch",
    "relatedMatch",
    "broader (pillar)",
}
Q_2014 = "How effective is the force at investigating offending?"
Q_2018 = "How effective is the force at investigating crime and reducing re-offending?"

# rdflib's TriG parser and N-Quads writer use its own deprecated names.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def area(framework: str, notation: str) -> URIRef:
    return vocab.mint("area", f"peel-{framework}", notation)


@pytest.fixture(scope="module")
def history() -> Store:
    """The fixture graphs plus every ontology/ file in graph:reference."""
    dataset = Dataset()
    reference = dataset.graph(vocab.REFERENCE_GRAPH)
    for ttl in sorted(paths.ONTOLOGY_DIR.rglob("*.ttl")):
        reference.parse(ttl, format="turtle")
    dataset.parse(FIXTURE, format="trig")
    return Store.from_dataset(dataset)


def rows(store: Store, **params: str) -> list[dict[str, str]]:
    """Run area-history; its JSON results as dicts of text."""
    doc = json.loads(run_query(store, "area-history", params, "json"))
    assert doc["head"]["vars"] == VARIABLES
    found = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    assert all(r["match"] in MATCHES for r in found)
    return found


def walk(found: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    """The rows as (cycle, area, grade, match)."""
    return [(r["assessment"], r["area"], r["grade"], r["match"]) for r in found]


def test_query_declares_the_start_area_and_the_force() -> None:
    query = get_query("area-history")
    assert list(query.variables) == VARIABLES
    assert {(p.name, p.type, p.required) for p in query.parameters} == {
        ("start", "area", True),
        ("force", "force", False),
    }


def test_investigating_crime_walks_from_2014_to_2025_27(history: Store) -> None:
    found = rows(history, start="Investigating crime", force=NORTHANTS)
    assert walk(found) == [
        ("2014", Q_2014, "Requires improvement", "closeMatch"),
        ("2016", "Effectiveness", "Requires improvement", "broadMatch"),
        ("2023–25", "Investigating crime", "Requires improvement", "exactMatch"),
        ("2025–27", "Investigating crime", "Inadequate", "self"),
    ]
    assert {r["force"] for r in found} == {NORTHANTS}


def test_other_questions_of_a_pillar_stay_out(history: Store) -> None:
    areas = {r["area"] for r in rows(history, start="Investigating crime")}
    assert "Efficiency" not in areas
    assert "How effective is the force at reducing crime and preventing offending?" not in areas
    assert "Responding to the public" not in areas


def test_walking_on_from_2014(history: Store) -> None:
    found = rows(history, start="investigating offending", force=NORTHANTS)
    assert walk(found) == [
        ("2014", Q_2014, "Requires improvement", "self"),
        ("2016", "Effectiveness", "Requires improvement", "broader (pillar)"),
        ("2023–25", "Investigating crime", "Requires improvement", "closeMatch"),
        ("2025–27", "Investigating crime", "Inadequate", "closeMatch"),
    ]


def test_start_by_iri_walks_both_ways(history: Store) -> None:
    start = str(area("2023-25", "investigating-crime"))
    found = rows(history, start=start, force=NORTHANTS)
    assert [(r["assessment"], r["match"]) for r in found] == [
        ("2014", "closeMatch"),
        ("2016", "broadMatch"),
        ("2023–25", "self"),
        ("2025–27", "exactMatch"),
    ]


def test_every_force_by_force_then_cycle(history: Store) -> None:
    found = rows(history, start="Investigating crime")
    assert [r["force"] for r in found] == [NORTHANTS] * 4 + [TESTSHIRE] * 3
    assert walk(found[4:]) == [
        ("2018/19", Q_2018, "Good", "closeMatch"),
        ("2018/19", "Effectiveness", "Good", "broadMatch"),
        ("2021/22", "Investigating crime", "Adequate", "exactMatch"),
    ]


def test_force_filter(history: Store) -> None:
    found = rows(history, start="Investigating crime", force=TESTSHIRE)
    assert [r["assessment"] for r in found] == ["2018/19", "2018/19", "2021/22"]
    with pytest.raises(QueryError, match="'Nowhere Police' names no force; did you mean"):
        rows(history, start="Investigating crime", force="Nowhere Police")


def test_only_current_judgments(history: Store) -> None:
    found = rows(history, start="Responding to the public", force=NORTHANTS)
    assert walk(found) == [
        ("2016", "Effectiveness", "Requires improvement", "broadMatch"),
        ("2023–25", "Responding to the public", "Requires improvement", "exactMatch"),
        ("2025–27", "Responding to the public", "Requires improvement", "self"),
    ]


def test_a_pillar_leads_to_the_areas_that_were_its_questions(history: Store) -> None:
    found = rows(history, start="Effectiveness", force=TESTSHIRE)
    assert walk(found) == [
        ("2018/19", "Effectiveness", "Good", "self"),
        ("2021/22", "Investigating crime", "Adequate", "narrowMatch"),
    ]


# --- the area parameter type -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Investigating crime", area("2025-27", "investigating-crime")),
        ("  investigating   CRIME ", area("2025-27", "investigating-crime")),
        ("investigating offending", area("2014", "investigating-offending")),
        (Q_2014, area("2014", "investigating-offending")),
        ("Effectiveness", area("2018-19", "effectiveness")),
        ("effective", area("2018-19", "effectiveness")),
        ("Protecting vulnerable people", area("2023-25", "protecting-vulnerable-people")),
        ("Crime data integrity", area("2023-25", "recording-data-about-crime")),
        ("Developing a positive workplace", area("2023-25", "developing-workforce")),
        ("Good use of resources", area("2021-22", "good-use-of-resources")),
        (
            "How effective are the force's specialist capabilities?",
            area("2018-19", "specialist-capabilities"),
        ),
        (
            "Preventing crime and anti\u2010social behaviour",
            area("2021-22", "preventing-crime"),
        ),
        (str(area("2015-17", "leadership")), area("2015-17", "leadership")),
    ],
)
def test_area_names_the_concept_of_the_latest_cycle(text: str, expected: URIRef) -> None:
    assert bind_parameters(get_query("area-history"), {"start": text}) == {"start": expected}


def test_unknown_area_lists_close_labels() -> None:
    with pytest.raises(
        QueryError, match=r"could name several assessment areas: .*'Investigating crime"
    ):
        bind_parameters(get_query("area-history"), {"start": "investigating"})
    with pytest.raises(QueryError, match=r"parameter 'start' \(area\)"):
        bind_parameters(get_query("area-history"), {"start": "knitting"})


def test_an_iri_must_be_an_area() -> None:
    for iri in ("https://w3id.org/peel-kg/id/grade/peel-5/good", "https://example.org/area"):
        with pytest.raises(QueryError, match="not the IRI of an assessment area"):
            bind_parameters(get_query("area-history"), {"start": iri})


def test_the_start_area_is_required(history: Store) -> None:
    with pytest.raises(QueryError, match="needs the parameter 'start'"):
        run_query(history, "area-history", {"force": NORTHANTS}, "json")


def test_fixture_quotes_the_real_files() -> None:
    dataset = Dataset(default_union=True)
    dataset.parse(FIXTURE, format="trig")
    checked = 0
    for span, source in dataset.subject_objects(vocab.OA.hasSource):
        file = paths.ROOT / str(dataset.value(source, vocab.path))
        if not file.is_file():
            continue
        found = {
            p: o
            for selector in dataset.objects(span, vocab.OA.hasSelector)
            for p, o in dataset.predicate_objects(selector)
        }
        text = file.read_text(encoding="utf-8")
        start, end = int(found[vocab.OA.start]), int(found[vocab.OA.end])
        assert text[start:end] == str(found[vocab.OA.exact]), span
        checked += 1
    assert checked >= 10
