"""The HMIC PEEL web pages of 2014 and 2016, and pages of the same layouts for another force."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from kg.pipeline import build_dataset
from kg.store import Store
from tests.reportgen import FORCE, write_corpus

P = """
PREFIX peel: <https://w3id.org/peel-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
JUDGMENTS = (
    P
    + """
SELECT ?cycle ?area ?grade ?modified (GROUP_CONCAT(?form; separator=",") AS ?forms) WHERE {
  ?j a peel:Judgment ; peel:inspection/peel:assessment/skos:notation ?cycle ;
     peel:area/skos:notation ?area ; peel:grade/skos:notation ?grade ; peel:gradeStatement ?s .
  ?s peel:statementForm ?form .
  OPTIONAL { ?j dcterms:modified ?modified }
} GROUP BY ?cycle ?area ?grade ?modified"""
)


def _judgments(store: Store, cycle: str) -> dict[str, tuple[str, str, str]]:
    rows = store.rows(JUDGMENTS, {"cycle": Literal(cycle)})
    return {
        str(r["area"]): (
            str(r["grade"]),
            str(r.get("modified", "")),
            ",".join(sorted(str(r["forms"]).split(","))),
        )
        for r in rows
    }


def test_2014_judgments_from_sentences(store: Store) -> None:
    assert _judgments(store, "2014") == {
        "reducing-crime": ("good", "2014-11-12", "sentence"),
        "investigating-offending": ("requires-improvement", "2014-11-12", "sentence"),
        "tackling-asb": ("good", "2014-11-12", "sentence"),
    }


def test_2014_ungraded_questions_are_covered_without_a_grade(store: Store) -> None:
    rows = store.rows(
        P
        + """SELECT ?area WHERE {
        ?i peel:assessment/skos:notation "2014" ; peel:coversArea ?a . ?a skos:notation ?area .
        FILTER NOT EXISTS { ?j a peel:Judgment ; peel:area ?a } }"""
    )
    assert {str(r["area"]) for r in rows} == {
        "effectiveness",
        "protecting-vulnerable",
        "serious-organised-crime",
        "strategic-policing-requirement",
    }


def test_2016_pillar_judgments_stated_up_to_three_times(store: Store) -> None:
    assert _judgments(store, "2016") == {
        # "… requires improvement in respect of its effectiveness …" and "Northamptonshire
        # Police’s effectiveness in keeping people safe and reducing crime requires improvement."
        "effectiveness": (
            "requires-improvement",
            "2017-03-02",
            "grade-line,sentence,sentence,summary-sentence",
        ),
        "efficiency": ("good", "2016-11-03", "sentence,summary-sentence"),
        "legitimacy": ("good", "2016-12-08", "sentence,summary-sentence"),
        # question grades: the HMI's observations ('… requires improvement in its approach to
        # preventing crime and reducing anti-social behaviour') and the efficiency section
        "preventing-crime": ("requires-improvement", "", "summary-sentence"),
        "use-of-resources": ("good", "2016-11-03", "sentence"),
        "planning-for-the-future": ("requires-improvement", "2016-11-03", "sentence"),
    }


def test_2016_leadership_is_reported_but_not_graded(store: Store) -> None:
    rows = store.rows(
        P
        + """SELECT ?graded ?j WHERE {
        ?i peel:assessment/skos:notation "2016" ; peel:coversArea ?a .
        ?a skos:notation "leadership" ; peel:graded ?graded .
        OPTIONAL { ?j a peel:Judgment ; peel:area ?a } }"""
    )
    assert [(r["graded"].toPython(), "j" in r) for r in rows] == [(False, False)]


def test_nothing_is_read_from_the_2019_20_key_facts_panel(
    store: Store, texts: dict[str, str]
) -> None:
    page = "data/002_a421d2335a84c635.txt"
    panel = texts[page].index("Key facts – 2019/20")
    rows = store.rows(
        P
        + """SELECT ?file ?start WHERE {
        ?s oa:hasSource/peel:path ?file ; oa:hasSelector/oa:start ?start }""",
        {"file": Literal(page)},
    )
    starts = [int(r["start"]) for r in rows]
    assert starts and max(starts) < panel


PAGE_2016 = f"""Skip to content

Borsetshire 2016

Read more about Borsetshire

The extent to which the force is effective at keeping people safe and reducing crime is ‘good’.

The extent to which the force is efficient at keeping people safe and reducing crime \
has not yet been graded.

The extent to which the force is legitimate at keeping people safe and reducing crime \
requires improvement.

Alex Example, Her Majesty’s Inspector of Constabulary

How effective is the force at keeping people safe and reducing crime?

Last updated 01/02/2017
Good

{FORCE} has been assessed as good in respect of its effectiveness at keeping people safe.

View the five questions for effectiveness

How efficient is the force at keeping people safe and reducing crime?

Last updated 05/11/2016

{FORCE} has not yet been graded in respect of its efficiency. Our report will follow.

View the three questions for efficiency

How legitimate is the force at keeping people safe and reducing crime?

Last updated 09/12/2016

{FORCE} requires improvement in respect of the legitimacy with which it keeps people safe.

View the three questions for legitimacy

Key facts – 2019/20

The extent to which the force is efficient at keeping people safe and reducing crime is good.
"""

PAGE_2014 = f"""Borsetshire PEEL 2014

How well the force tackles crime

Last updated 14/11/2014

{FORCE} is outstanding at reducing crime and preventing offending. \
The force is 'good' at investigating offending. \
It requires improvement at tackling anti-social behaviour. It is good at knitting.

How effective is the force at investigating offending?

The constabulary investigates well.
"""


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("pages")
    manifest = write_corpus(
        folder,
        {
            "b2016.txt": (PAGE_2016, "2016", "hmic-web"),
            "b2014.txt": (PAGE_2014, "2014", "hmic-web-2014"),
        },
    )
    return build_dataset(manifest)


def test_another_forces_2016_page(other) -> None:  # type: ignore[no-untyped-def]
    store = Store.from_dataset(other.dataset)
    assert _judgments(store, "2016") == {
        "effectiveness": ("good", "2017-02-01", "grade-line,sentence,summary-sentence"),
        "legitimacy": ("requires-improvement", "2016-12-09", "sentence,summary-sentence"),
    }
    rows = store.rows(P + """SELECT ?name WHERE { ?i peel:inspector/rdfs:label ?name }""")
    assert [str(r["name"]) for r in rows] == ["Alex Example"]


def test_another_forces_2014_page(other) -> None:  # type: ignore[no-untyped-def]
    store = Store.from_dataset(other.dataset)
    assert _judgments(store, "2014") == {
        "reducing-crime": ("outstanding", "2014-11-14", "sentence"),
        "investigating-offending": ("good", "2014-11-14", "sentence"),
        "tackling-asb": ("requires-improvement", "2014-11-14", "sentence"),
    }
    assert [i.message for i in other.issues if "knitting" in i.message]
    assert other.conforms, other.validation.report_text


def test_a_page_titled_for_another_cycle_is_refused(tmp_path: Path) -> None:
    from kg.errors import LayoutError

    manifest = write_corpus(tmp_path, {"b.txt": (PAGE_2014, "2016", "hmic-web")})
    with pytest.raises(LayoutError, match="titled"):
        build_dataset(manifest)
