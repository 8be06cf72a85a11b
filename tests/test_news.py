"""A news article's grades are claims attributed to it; its counts stay counts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kg.pipeline import BuildResult, build_dataset
from kg.queries import run_query
from kg.store import Store
from tests.reportgen import FORCE, write_corpus

ARTICLE = "data/003_1a42217144e4e44b.txt"
P = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def test_the_nine_grades_of_the_article_are_attributed_claims(store: Store) -> None:
    rows = store.rows(
        P
        + """
        SELECT ?area ?grade ?cycle ?file ?agent WHERE {
          ?c a peel:GradeClaim ; peel:area/skos:notation ?area ; peel:grade/skos:notation ?grade ;
             peel:inspection/peel:assessment/skos:notation ?cycle ; prov:wasDerivedFrom ?doc ;
             prov:wasAttributedTo/rdfs:label ?agent .
          ?doc a peel:NewsArticle ; peel:path ?file .
        }"""
    )
    got = {str(r["area"]): str(r["grade"]) for r in rows}
    assert got == {
        "recording-data-about-crime": "outstanding",
        "police-powers": "good",
        "preventing-crime": "adequate",
        "responding-to-the-public": "adequate",
        "protecting-vulnerable-people": "adequate",
        "managing-offenders": "adequate",
        "developing-workforce": "adequate",
        "leadership": "adequate",
        "investigating-crime": "requires-improvement",
    }
    assert {(str(r["cycle"]), str(r["file"])) for r in rows} == {("2023-25", ARTICLE)}
    assert all("news" in str(r["agent"]) for r in rows)


def test_claims_never_overwrite_the_reports_judgments(store: Store) -> None:
    rows = store.rows(
        P
        + """
        SELECT ?j WHERE { ?j a peel:Judgment ; prov:wasDerivedFrom ?doc .
                          ?doc a peel:NewsArticle }"""
    )
    assert rows == []
    grade = store.rows(
        P
        + """
        SELECT ?grade WHERE {
          ?j a peel:Judgment ; peel:area/skos:notation "responding-to-the-public" ;
             peel:inspection/peel:assessment/skos:notation "2023-25" ;
             peel:grade/skos:notation ?grade .
          FILTER NOT EXISTS { ?later peel:supersedes ?j } }"""
    )
    assert [str(r["grade"]) for r in grade] == ["requires-improvement"]


def test_source_conflicts_surfaces_the_revised_grade(store: Store) -> None:
    out = run_query(store, "source-conflicts", {}, "csv").splitlines()
    assert out[0] == "force,assessment,area,sourceA,valueA,sourceB,valueB"
    assert out[1:] == [
        "Northamptonshire Police,2023–25,Responding to the public,"
        "data/000_82645b4a8ccb79df.txt,Requires improvement,"
        "data/003_1a42217144e4e44b.txt,Adequate"
    ]


def test_earlier_cycles_are_counts_not_judgments(store: Store) -> None:
    rows = store.rows(
        P
        + """
        SELECT ?cycle ?text ?count (GROUP_CONCAT(?g; separator=",") AS ?grades) WHERE {
          ?n a peel:GradeCount ; peel:assessment/skos:notation ?cycle ; peel:gradeText ?text ;
             peel:count ?count .
          OPTIONAL { ?n peel:grade/skos:notation ?g }
        } GROUP BY ?cycle ?text ?count"""
    )
    got = {
        (
            str(r["cycle"]),
            str(r["text"]),
            int(r["count"]),
            ",".join(sorted(filter(None, str(r.get("grades", "")).split(",")))),
        )
        for r in rows
    }
    assert got == {
        ("2023-25", "outstanding or good", 2, "good,outstanding"),
        ("2023-25", "adequate", 6, "adequate"),
        ("2023-25", "requires improvement", 1, "requires-improvement"),
        ("2021-22", "adequate", 4, "adequate"),
        ("2021-22", "requires improvement", 6, "requires-improvement"),
        ("2018-19", "inadequate", 2, "inadequate"),
        ("2018-19", "adequate or better", 1, ""),  # the 2018/19 scale had no 'adequate'
    }
    judged = store.rows(
        P
        + """
        SELECT ?j WHERE { ?j a peel:Judgment ; peel:inspection/peel:assessment/skos:notation ?c .
                          VALUES ?c { "2021-22" "2018-19" } }"""
    )
    assert judged == []


def test_named_people_with_their_roles(store: Store) -> None:
    rows = store.rows(
        P
        + """
        SELECT ?name ?role WHERE {
          ?p rdfs:label ?name .
          # the roles the article gives: each source's graph holds its own wording of a role
          GRAPH <https://w3id.org/peel-kg/graph/003-1a42217144e4e44b> { ?p peel:role ?role } }"""
    )
    got = {(str(r["name"]), str(r["role"])) for r in rows}
    assert got == {
        ("Roy Wilsher", "His Majesty’s Inspector of Constabulary"),
        ("Ivan Balhatchet", "Acting Chief Constable"),
        ("Nick Adderley", "Chief Constable"),
        ("Stephen Mold", "Commissioner"),
    }


def test_the_inspectorate_s_people_are_shared_and_a_force_s_are_its_own(store: Store) -> None:
    """An HM Inspector is one person for every force; a chief constable or a commissioner
    is keyed by force and name, so two forces' people of one name stay two people."""
    from kg.vocab import mint

    rows = store.rows(
        P + "SELECT DISTINCT ?p ?name WHERE { VALUES ?t { peel:Person peel:Inspector } "
        "?p a ?t ; rdfs:label ?name }"
    )
    people = {str(r["name"]): r["p"] for r in rows}
    assert people["Roy Wilsher"] == mint("person", "Roy Wilsher")
    for name in ("Nick Adderley", "Stephen Mold", "Ivan Balhatchet"):
        assert people[name] == mint("person", "Northamptonshire Police", name)


ARTICLE_VARIANT = f"""Skip to content
{FORCE} rated 'good' at investigating, says watchdog
Hide Ad
Hide Ad
Watch more of our videos
{FORCE} PEEL grades

  • Investigating crime: 'good'
  • Responding to the public – “requires improvement”
  • Managing fraud - inadequate
  • Custody - outstanding
  • Knitting circles - good

In 2023, the constabulary was rated adequate in three areas.
Police and Crime Commissioner Jo Bloggs said she was pleased.
"""


def test_an_article_with_other_wording_and_clutter(tmp_path: Path) -> None:
    manifest = write_corpus(tmp_path, {"a.txt": (ARTICLE_VARIANT, "2025-27", "news-article")})
    text = manifest.read_text(encoding="utf-8").replace(
        'kind = "inspection-report"', 'kind = "news-article"'
    )
    manifest.write_text(text, encoding="utf-8")
    result: BuildResult = build_dataset(manifest)
    store = Store.from_dataset(result.dataset)
    rows = store.rows(
        P
        + """SELECT ?area ?grade WHERE {
        ?c a peel:GradeClaim ; peel:area/skos:notation ?area ; peel:grade/skos:notation ?grade }"""
    )
    assert {(str(r["area"]), str(r["grade"])) for r in rows} == {
        ("investigating-crime", "good"),
        ("responding-to-the-public", "requires-improvement"),
        ("managing-fraud", "inadequate"),
        ("custody", "outstanding"),
    }
    assert any("Knitting circles" in i.message for i in result.issues)
    counts = store.rows(
        P
        + """SELECT ?cycle ?count WHERE {
        ?n a peel:GradeCount ; peel:assessment/skos:notation ?cycle ; peel:count ?count }"""
    )
    assert [(str(r["cycle"]), int(r["count"])) for r in counts] == [("2023-25", 3)]
    people = store.rows(P + "SELECT ?name ?role WHERE { ?p rdfs:label ?name ; peel:role ?role }")
    assert {(str(r["name"]), str(r["role"])) for r in people} == {
        ("Jo Bloggs", "Police and Crime Commissioner")
    }
    assert result.conforms, result.validation.report_text


def test_result_variables_of_the_cross_source_queries(store: Store) -> None:
    import json

    expected = {
        "source-conflicts": [
            "force",
            "assessment",
            "area",
            "sourceA",
            "valueA",
            "sourceB",
            "valueB",
        ],
        "inspections": ["force", "assessment", "inspector", "published", "updated", "sources"],
        "claims": ["force", "assessment", "area", "grade", "source", "publisher", "quote"],
    }
    for name, variables in expected.items():
        assert json.loads(run_query(store, name, {}, "json"))["head"]["vars"] == variables


def test_inspections_query_gives_inspectors_dates_and_sources(store: Store) -> None:
    out = run_query(store, "inspections", {}, "csv").splitlines()
    assert out[1:] == [
        "Northamptonshire Police,2014,,2014-11-12,2014-11-12,data/004_39e47f380a8d2144.txt",
        "Northamptonshire Police,2016,Zoë Billingham,2017-03,2017-03-02,"
        "data/002_a421d2335a84c635.txt",
        "Northamptonshire Police,2023–25,Roy Wilsher,2024-02,,"
        "data/000_82645b4a8ccb79df.txt data/003_1a42217144e4e44b.txt",
        "Northamptonshire Police,2025–27,Roy Wilsher,2026-06,,data/001_440047dec6ca2f53.txt",
    ]


def test_area_history_follows_investigating_crime_from_2014_to_2025_27(store: Store) -> None:
    out = run_query(store, "area-history", {"start": "Investigating crime"}, "csv").splitlines()
    rows = [line.split(",")[:5] for line in out[1:]]
    assert rows == [
        [
            "Northamptonshire Police",
            "2014",
            "How effective is the force at investigating offending?",
            "Requires improvement",
            "closeMatch",
        ],
        [
            "Northamptonshire Police",
            "2016",
            "Effectiveness",
            "Requires improvement",
            "broadMatch",
        ],
        [
            "Northamptonshire Police",
            "2023–25",
            "Investigating crime",
            "Requires improvement",
            "exactMatch",
        ],
        ["Northamptonshire Police", "2025–27", "Investigating crime", "Inadequate", "self"],
    ]


def test_claims_query_lists_every_grade_the_article_states(
    store: Store, texts: dict[str, str]
) -> None:
    """One row per bulleted grade of the article, quoted as written, with its publisher."""
    rows = list(csv.DictReader(io.StringIO(run_query(store, "claims", {}, "csv"))))
    bullets = re.findall(r"^ *• (.+ - (\w[\w ]*))$", texts[ARTICLE], flags=re.M)
    assert len(rows) == len(bullets) == 9
    assert {r["quote"] for r in rows} == {quote for quote, _ in bullets}
    for row in rows:
        assert row["force"] == "Northamptonshire Police" and row["assessment"] == "2023–25"
        assert row["source"] == ARTICLE
        assert row["publisher"].startswith("A local news website")
        assert row["grade"].lower() == row["quote"].rsplit(" - ", 1)[1]
    assert run_query(store, "claims", {"assessment": "2016"}, "csv").count("\n") == 1
