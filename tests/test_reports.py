"""Facts of the two full reports, as the built graph states them.

Every expected value below is read off the source documents by a person; the
code must find it in the text.
"""

from __future__ import annotations

import pytest

from kg.store import Store

PREFIXES = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

GRADES = (
    PREFIXES
    + """
SELECT ?cycle ?area ?grade ?superseded WHERE {
  ?j a peel:Judgment ; peel:inspection ?i ; peel:area ?a ; peel:grade ?g .
  ?i peel:assessment/skos:notation ?cycle .
  ?a skos:notation ?area . ?g skos:notation ?grade .
  BIND(EXISTS { ?other peel:supersedes ?j } AS ?superseded)
}"""
)

# PEEL 2023–25 (000): the grade word at the end of each area section.
GRADES_2023 = {
    "recording-data-about-crime": "outstanding",
    "police-powers": "good",
    "preventing-crime": "adequate",
    "responding-to-the-public": "requires-improvement",
    "investigating-crime": "requires-improvement",
    "protecting-vulnerable-people": "adequate",
    "managing-offenders": "adequate",
    "developing-workforce": "adequate",
    "leadership": "adequate",
}
# PEEL 2025–27 (001): the grade before each section, the sentence and the judgments table.
GRADES_2025 = {
    "leadership": "requires-improvement",
    "workforce": "adequate",
    "police-powers": "good",
    "preventing-crime": "adequate",
    "responding-to-the-public": "requires-improvement",
    "investigating-crime": "inadequate",
    "safeguarding": "adequate",
    "managing-fraud": "adequate",
    "custody": "adequate",
}


def _grades(store: Store, cycle: str, superseded: bool) -> dict[str, str]:
    rows = store.rows(GRADES)
    return {
        str(r["area"]): str(r["grade"])
        for r in rows
        if str(r["cycle"]) == cycle and r["superseded"].toPython() is superseded
    }


def test_current_grades_2023_25(store: Store) -> None:
    assert _grades(store, "2023-25", superseded=False) == GRADES_2023


def test_current_grades_2025_27(store: Store) -> None:
    assert _grades(store, "2025-27", superseded=False) == GRADES_2025


def test_revised_grade_keeps_the_original_as_superseded(store: Store) -> None:
    assert _grades(store, "2023-25", superseded=True) == {"responding-to-the-public": "adequate"}
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?date ?reason WHERE { ?j peel:supersedes ?old ; peel:revisionDate ?date ;
                                        peel:revisionReason ?reason }"""
    )
    assert len(rows) == 1
    assert str(rows[0]["date"]) == "2024-08"
    assert "original data supplied" in str(rows[0]["reason"])


def test_every_grade_statement_agrees_with_its_judgment(store: Store) -> None:
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?j ?form ?g ?sg WHERE { ?j peel:grade ?g ; peel:gradeStatement ?s .
                                      ?s peel:grade ?sg ; peel:statementForm ?form }"""
    )
    assert rows, "no grade statements"
    assert all(r["g"] == r["sg"] for r in rows)
    forms_2025 = {str(r["form"]) for r in rows if "/2025-27/" in str(r["j"])}
    assert forms_2025 == {"grade-line", "sentence", "table"}


def test_table_states_each_2025_grade(store: Store) -> None:
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?area ?grade WHERE { ?j peel:area/skos:notation ?area ; peel:gradeStatement ?s .
          ?s peel:statementForm "table" ; peel:grade/skos:notation ?grade }"""
    )
    assert {str(r["area"]): str(r["grade"]) for r in rows} == GRADES_2025


def test_victim_service_assessment_is_an_area_without_a_grade(store: Store) -> None:
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?graded (COUNT(?j) AS ?judgments) (COUNT(?f) AS ?findings) WHERE {
          ?i peel:coversArea ?a .
          ?a skos:notation "victim-service-assessment" ; peel:graded ?graded .
          OPTIONAL { ?j a peel:Judgment ; peel:area ?a }
          OPTIONAL { ?f peel:area ?a ; peel:headline ?h }
        } GROUP BY ?graded"""
    )
    assert len(rows) == 1
    assert rows[0]["graded"].toPython() is False
    assert int(rows[0]["judgments"]) == 0
    assert int(rows[0]["findings"]) == 5


def _findings(store: Store, cycle: str, kind: str) -> list[tuple[str, str, str]]:
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?cycle ?type ?area ?headline ?n ?deadline WHERE {
          ?f a ?cls ; peel:inspection/peel:assessment/skos:notation ?cycle ;
             peel:area/skos:notation ?area ;
             peel:headline ?headline ; peel:ordinal ?n .
          ?cls peel:typeCode ?type .
          OPTIONAL { ?f peel:deadline ?deadline }
        } ORDER BY ?area ?n""",
        {"cycle": _lit(cycle), "type": _lit(kind)},
    )
    return [(str(r["area"]), str(r["headline"]), str(r.get("deadline", ""))) for r in rows]


def _lit(value: str):  # type: ignore[no-untyped-def]
    from rdflib import Literal

    return Literal(value)


def test_areas_for_improvement_2025_27(store: Store) -> None:
    afis = _findings(store, "2025-27", "area-for-improvement")
    assert len(afis) == 14
    by_area: dict[str, int] = {}
    for area, _, _ in afis:
        by_area[area] = by_area.get(area, 0) + 1
    assert by_area == {
        "leadership": 3,
        "workforce": 1,
        "preventing-crime": 1,
        "responding-to-the-public": 3,
        "safeguarding": 2,
        "managing-fraud": 2,
        "custody": 2,
    }
    headlines = {h for _, h, _ in afis}
    assert (
        "The force needs to speed up implementation of a new operating model to improve how it "
        "manages demand"
    ) in headlines
    assert (
        "The force needs to effectively record and manage all reports of missing people"
        in headlines
    )
    assert (
        "The force should improve how it assesses, manages and records the risk detainees pose "
        "to themselves and others throughout detention and on release"
    ) in headlines


def test_cause_of_concern_and_recommendations_2025_27(store: Store) -> None:
    concerns = _findings(store, "2025-27", "cause-of-concern")
    assert concerns == [
        (
            "investigating-crime",
            "The force isn't always achieving appropriate outcomes for victims of crime",
            "",
        )
    ]
    recs = _findings(store, "2025-27", "recommendation")
    assert [h for _, h, _ in recs] == [
        "allocate investigations to teams that have appropriate capability and capacity to manage "
        "them effectively",
        "focus on tactical governance, investigation standards and outcomes for victims",
        "make sure its quality assurance processes provide greater consistency in how "
        "investigation "
        "plans, supervisory reviews and management oversight are applied",
        "consistently comply with the Code of Practice for Victims of Crime, carrying out quality "
        "victim needs assessments, recording victims' views and maintaining effective contact",
    ]
    assert {(a, d) for a, _, d in recs} == {("investigating-crime", "Within six months")}


def test_recommendations_address_the_cause_of_concern(store: Store) -> None:
    rows = store.rows(
        PREFIXES
        + """
        SELECT (COUNT(?r) AS ?n) WHERE { ?r a peel:Recommendation ; peel:addresses ?c .
                                         ?c a peel:CauseOfConcern }"""
    )
    assert int(rows[0]["n"]) == 4


def test_innovative_practice_2025_27(store: Store) -> None:
    practice = _findings(store, "2025-27", "innovative-practice")
    assert [(a, h) for a, h, _ in practice] == [
        (
            "preventing-crime",
            "The force partners with the office of the police, fire and crime "
            "commissioner to support children affected by the imprisonment of a parent, carer or "
            "sibling",
        ),
        (
            "responding-to-the-public",
            "A 'persistent caller officer' identifies repeat callers and "
            "co-ordinates actions to reduce demand",
        ),
        (
            "safeguarding",
            "The police and the office of the police, fire and crime commissioner work "
            "together to reduce the risk of harm to young people who repeatedly go missing",
        ),
        (
            "safeguarding",
            "The force works with a third party to provide immediate and short-term help "
            "to domestic abuse victims fleeing home",
        ),
    ]


@pytest.mark.parametrize(
    ("cycle", "expected"),
    [
        (
            "2023-25",
            {
                "recording-data-about-crime": 3,
                "police-powers": 7,
                "preventing-crime": 6,
                "responding-to-the-public": 5,
                "investigating-crime": 5,
                "protecting-vulnerable-people": 4,
                "managing-offenders": 5,
                "developing-workforce": 3,
                "leadership": 5,
                "victim-service-assessment": 5,
            },
        ),
        (
            "2025-27",
            {
                "leadership": 4,
                "workforce": 5,
                "police-powers": 9,
                "preventing-crime": 6,
                "responding-to-the-public": 5,
                "investigating-crime": 7,
                "safeguarding": 5,
                "managing-fraud": 2,
                "custody": 6,
            },
        ),
    ],
)
def test_main_findings_per_area(store: Store, cycle: str, expected: dict[str, int]) -> None:
    found: dict[str, int] = {}
    for area, _, _ in _findings(store, cycle, "main-finding"):
        found[area] = found.get(area, 0) + 1
    assert found == expected


def test_findings_carry_their_body_paragraphs(store: Store) -> None:
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?body WHERE { ?f a peel:CauseOfConcern ; peel:body ?body }"""
    )
    assert len(rows) == 1
    body = str(rows[0]["body"])
    assert "11.2 percent of all outcomes" in body
    assert "[" not in body, "glossary link markup must be removed from body text"


def test_inspection_metadata(store: Store) -> None:
    rows = store.rows(
        PREFIXES
        + """
        SELECT ?cycle ?inspector ?post ?issued WHERE {
          ?i a peel:Inspection ; peel:assessment/skos:notation ?cycle ; peel:inspector ?p .
          ?p rdfs:label ?inspector . OPTIONAL { ?p peel:postNominals ?post }
          OPTIONAL { ?i dcterms:issued ?issued } } ORDER BY ?cycle"""
    )
    got = [(str(r["cycle"]), str(r["inspector"]), str(r.get("issued", ""))) for r in rows]
    assert got == [
        ("2016", "Zoë Billingham", ""),
        ("2023-25", "Roy Wilsher", ""),
        ("2025-27", "Roy Wilsher", "2026-06"),
    ]
    assert {str(r.get("post", "")) for r in rows} == {"", "OBE QFSM"}


def test_the_shipped_corpus_conforms_with_two_reader_issues(built) -> None:  # type: ignore[no-untyped-def]
    # The 2025–27 report compares a figure with 'the year ending 31 September 2023', a
    # day September lacks; the news article says the force was 'adequate or better' in
    # one area in 2019, a grade the 2018/19 scale did not have: both reported, neither
    # guessed.
    assert [(i.file, i.line) for i in built.issues] == [
        ("data/001_440047dec6ca2f53.txt", 727),
        ("data/003_1a42217144e4e44b.txt", 32),
    ]
    assert "'31 September 2023' is not a date" in built.issues[0].message
    assert "adequate or better" in built.issues[1].message
    assert built.conforms, built.validation.report_text
