"""A report of the same layouts for another force is read through a manifest entry only."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import BuildResult, build_dataset
from kg.store import Store
from tests.reportgen import FORCE, REPORT_2023, REPORT_2025, write_corpus

QUERY = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?force ?cycle ?area ?grade WHERE {
  ?j a peel:Judgment ; peel:force/rdfs:label ?force ;
     peel:inspection/peel:assessment/skos:notation ?cycle ;
     peel:area/skos:notation ?area ; peel:grade/skos:notation ?grade .
}"""


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("borsetshire")
    manifest = write_corpus(
        folder,
        {
            "borsetshire-2025.txt": (REPORT_2025, "2025-27", "peel-report-2025"),
            "borsetshire-2023.txt": (REPORT_2023, "2023-25", "peel-report-2023"),
        },
    )
    return build_dataset(manifest)


def test_judgments_of_another_force(other: BuildResult) -> None:
    rows = Store.from_dataset(other.dataset).rows(QUERY)
    got = {(str(r["cycle"]), str(r["area"]), str(r["grade"])) for r in rows}
    assert {str(r["force"]) for r in rows} == {FORCE}
    assert got == {
        ("2025-27", "responding-to-the-public", "adequate"),
        ("2025-27", "managing-fraud", "inadequate"),
        ("2025-27", "custody", "good"),
        ("2023-25", "investigating-crime", "good"),
        ("2023-25", "recording-data-about-crime", "outstanding"),
    }


def test_findings_of_another_force(other: BuildResult) -> None:
    rows = Store.from_dataset(other.dataset).rows("""
        PREFIX peel: <https://w3id.org/peel-kg/ontology#>
        SELECT ?type ?headline ?deadline WHERE { ?f a ?c ; peel:headline ?headline .
          ?c peel:typeCode ?type . OPTIONAL { ?f peel:deadline ?deadline } }""")
    got = {(str(r["type"]), str(r["headline"]), str(r.get("deadline", ""))) for r in rows}
    assert (
        "area-for-improvement",
        "Call handlers should record caller vulnerability consistently",
        "",
    ) in got
    assert ("cause-of-concern", "Victims of fraud do not get a consistent service", "") in got
    recs = sorted(h for t, h, d in got if t == "recommendation" and d == "Within three months")
    assert recs == ["publish a fraud policy", "review open fraud cases", "train its call handlers"]
    assert ("main-finding", "Detainees are treated with dignity", "") in got
    assert ("main-finding", "The force records crime accurately", "") in got


def test_another_force_conforms_without_issues(other: BuildResult) -> None:
    assert other.issues == []
    assert other.conforms, other.validation.report_text


def test_back_matter_headings_are_not_areas(other: BuildResult) -> None:
    rows = Store.from_dataset(other.dataset).rows("""
        PREFIX peel: <https://w3id.org/peel-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?area WHERE { ?i peel:coversArea/skos:notation ?area }""")
    assert "victim-service-assessment" not in {str(r["area"]) for r in rows}


def test_a_disagreeing_table_is_reported_and_fails_validation(tmp_path: Path) -> None:
    wrong = REPORT_2025.replace("\tCustody\tResponding", "\tResponding to the public\tCustody")
    manifest = write_corpus(tmp_path, {"b.txt": (wrong, "2025-27", "peel-report-2025")})
    result = build_dataset(manifest)
    assert any(
        "stated differently" in i.message and "Custody" not in i.message for i in result.issues
    )
    assert not result.conforms
    assert any(
        "table" in p.message or "statement" in p.message.lower() for p in result.validation.problems
    )


def test_an_area_outside_the_framework_is_kept_under_its_own_name(tmp_path: Path) -> None:
    text = REPORT_2025.replace(
        "Managing fraud\n\nInadequate", "Tackling fraud and cyber crime\n\nInadequate"
    ).replace("\tManaging fraud", "\tTackling fraud and cyber crime")
    manifest = write_corpus(tmp_path, {"b.txt": (text, "2025-27", "peel-report-2025")})
    result = build_dataset(manifest)
    assert any("names no area" in i.message for i in result.issues)
    rows = Store.from_dataset(result.dataset).rows(QUERY)
    assert ("2025-27", "inadequate") in {(str(r["cycle"]), str(r["grade"])) for r in rows}
    assert result.conforms, result.validation.report_text
