"""Every assessment is its own inspection: a force's 2015, 2016 and 2017 grades are three facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import RDF

from kg import vocab
from kg.errors import InputError
from kg.pipeline import BuildResult, build_dataset
from kg.queries import run_query
from kg.reference import load_reference
from kg.store import Store
from tests.reportgen import write_corpus

FORCE = "Borsetshire Constabulary"


def overview(year: int, ordinal: str, grades: tuple[str, str, str]) -> str:
    """An overview page of one of the three assessments under the 2015–17 framework."""
    effective, efficient, legitimate = grades
    return f"""Skip to content

Borsetshire {year}

Read more about Borsetshire

This is HMIC’s {ordinal} PEEL (police effectiveness, efficiency and legitimacy) assessment \
of {FORCE}. PEEL tells the public how their force is doing.

The extent to which the constabulary is effective at keeping people safe and reducing crime \
{effective}.

The extent to which the constabulary is efficient at keeping people safe and reducing crime \
{efficient}.

The extent to which the constabulary is legitimate at keeping people safe and reducing crime \
{legitimate}.

Jo Specimen, Her Majesty’s Inspector of Constabulary
"""


PAGES = {
    "b2015.txt": (overview(2015, "second", ("is good", "is good", "is good")), "2015"),
    "b2016.txt": (
        overview(2016, "third", ("requires improvement", "is good", "is outstanding")),
        "2016",
    ),
    "b2017.txt": (overview(2017, "fourth", ("is good", "is good", "is good")), "2017"),
}


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("three-years")
    docs = {name: (text, year, "hmic-web") for name, (text, year) in PAGES.items()}
    return build_dataset(write_corpus(folder, docs))


def test_three_assessments_are_three_inspections(three_years: BuildResult) -> None:
    assert three_years.conforms, three_years.validation.report_text
    assert three_years.counts()["Inspection"] == 3
    store = Store.from_dataset(three_years.dataset)
    rows = run_query(store, "inspections", {}, "csv").splitlines()[1:]
    assert [r.split(",")[1] for r in rows] == ["2015", "2016", "2017"]


def test_grades_has_one_effectiveness_row_per_assessment(three_years: BuildResult) -> None:
    store = Store.from_dataset(three_years.dataset)
    table = run_query(store, "grades", {"force": FORCE}, "csv").splitlines()
    effectiveness = [r.split(",") for r in table if ",Effectiveness," in r]
    assert [(r[1], r[3]) for r in effectiveness] == [
        ("2015", "Good"),
        ("2016", "Requires improvement"),
        ("2017", "Good"),
    ]


def test_judgment_iris_name_the_assessment(three_years: BuildResult) -> None:
    judgments = {
        s for s, _, _, _ in three_years.dataset.quads((None, RDF.type, vocab.Judgment, None))
    }
    for year in ("2015", "2016", "2017"):
        iri = vocab.mint("judgment", FORCE, year, "effectiveness")
        assert iri in judgments


def test_an_assessment_filter_picks_one_year(three_years: BuildResult) -> None:
    store = Store.from_dataset(three_years.dataset)
    rows = run_query(store, "grades", {"assessment": "2016"}, "csv").splitlines()[1:]
    assert len(rows) == 3 and all(",2016," in r for r in rows)


def test_a_page_of_another_year_than_the_manifest_says_is_refused(tmp_path: Path) -> None:
    from kg.errors import LayoutError

    text, _ = PAGES["b2016.txt"]
    manifest = write_corpus(tmp_path, {"b.txt": (text, "2017", "hmic-web")})
    with pytest.raises(LayoutError, match="titled 'Borsetshire 2016'"):
        build_dataset(manifest)


@pytest.mark.parametrize(
    ("name", "notation"),
    [
        ("2016", "2016"),
        ("PEEL 2017", "2017"),
        ("2018/19", "2018-19"),
        ("2018", "2018-19"),
        ("2023–2025", "2023-25"),
        ("202325", "2023-25"),
        ("2025-27", "2025-27"),
    ],
)
def test_assessments_are_named_in_any_spelling(name: str, notation: str) -> None:
    assert load_reference().assessment(name).notation == notation


def test_a_cycle_of_three_assessments_names_none_of_them() -> None:
    with pytest.raises(InputError, match="name the assessment year instead: 2015, 2016, 2017"):
        load_reference().assessment("2015-17")


def test_every_assessment_is_judged_under_its_cycle() -> None:
    ref = load_reference()
    cycles = {a.notation: a.cycle.notation for a in ref.assessments.values()}
    assert cycles == {
        "2014": "2014",
        "2015": "2015-17",
        "2016": "2015-17",
        "2017": "2015-17",
        "2018-19": "2018-19",
        "2021-22": "2021-22",
        "2023-25": "2023-25",
        "2025-27": "2025-27",
    }
    assert [a.ordinal for a in ref.assessments.values()][:5] == [1, 2, 3, 4, 5]
    assert ref.assessment_of_year(2019).notation == "2018-19"
    assert ref.assessment_of_year(2025) is None, "2025 ends one assessment and starts another"


PAGE_2017 = f"""Borsetshire PEEL 2017

Legitimacy

How legitimate is the force at keeping people safe and reducing crime?

To what extent does the force treat all of the people it serves with fairness and respect?

{FORCE} is good at treating all of the people it serves with fairness and respect.
"""

PAGE_2018 = f"""Borsetshire PEEL 2018

Legitimacy

How legitimately does the force treat the public and its workforce?

Last updated 27/09/2019

{FORCE} is good at treating the public and its workforce legitimately.

Questions for Legitimacy

To what extent does the force treat all of the people it serves with fairness and respect?

This question was not subject to detailed inspection in 2018/19, and our judgment from the \
2017 legitimacy inspection has been carried over.
"""


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("carried")
    docs = {
        "b2017.txt": (PAGE_2017, "2017", "hmic-web"),
        "b2018.txt": (PAGE_2018, "2018-19", "hmic-web"),
    }
    return build_dataset(write_corpus(folder, docs))


def test_a_carried_over_question_links_to_the_earlier_judgment(carried: BuildResult) -> None:
    assert carried.conforms, carried.validation.report_text
    earlier = vocab.mint("judgment", FORCE, "2017", "treatment-of-the-public")
    node = vocab.mint("carryover", FORCE, "2018-19", "treatment-of-the-public")
    quads = set(carried.dataset.quads((node, vocab.carriedFrom, None, None)))
    assert {o for _, _, o, _ in quads} == {earlier}
    judgments = {s for s, _, _, _ in carried.dataset.quads((None, RDF.type, vocab.Judgment, None))}
    assert earlier in judgments, "the earlier judgment is in the graph"
    new = vocab.mint("judgment", FORCE, "2018-19", "treatment-of-the-public")
    assert new not in judgments, "no new judgment for a question carried over"


def test_grades_shows_the_carried_over_grade(carried: BuildResult) -> None:
    store = Store.from_dataset(carried.dataset)
    rows = run_query(store, "grades", {"assessment": "2018/19"}, "csv").splitlines()[1:]
    assert "fairness and respect?,Good,carried over from 2017" in "\n".join(rows)
    assert any(r.endswith(",Legitimacy,Good,current") for r in rows)
