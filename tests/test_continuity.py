"""Follow-up links: explicit back-references on fixtures written for each wording studied,
the similarity threshold on the labelled sample, and the links of the shipped corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import vocab as v
from kg.export import union
from kg.extract.facts import AreaFact, FindingFact, SourceFacts
from kg.extract.followups import read_follow_ups
from kg.link.continuity import Continuity, follow_up_graph
from kg.link.similarity import SIMILARITY_THRESHOLD, TextIndex
from kg.model import Span
from kg.pipeline import BuildResult
from kg.queries import run_query
from kg.read.blocks import split_blocks
from kg.reference import load_reference
from kg.store import Store

REF = load_reference()
LABELLED = Path(__file__).parent / "continuity" / "labelled-pairs.yaml"
FINDING = "https://w3id.org/peel-kg/id/finding/"

# --- explicit back-references: one fixture per wording (our own words) ---------------

HEADLINE = "The force needs to improve how it supervises its investigations"


def follow_ups(paragraph: str, *, kind: str = "area-for-improvement", assessment: str = "2025-27"):
    """Read ``paragraph`` as the body of one finding of ``kind`` in a 2025–27 report."""
    text = f"{HEADLINE}\n\n{paragraph}\n"
    blocks = split_blocks(text)
    head, body = blocks[0], blocks[1]
    finding = FindingFact(kind, 1, HEADLINE, head.span, paragraph, body.span)
    area = AreaFact("Investigating crime", None, Span(0, 3, text[:3]), findings=[finding])
    facts = SourceFacts(
        "Borsetshire Constabulary", Span(0, 3, text[:3]), REF.assessment(assessment)
    )
    facts.areas.append(area)
    read_follow_ups(blocks, facts, REF, "fixture.txt")
    for fu in facts.follow_ups:
        assert text[fu.evidence.start : fu.evidence.end] == fu.evidence.quote
        assert text[fu.described.start : fu.described.end] == fu.described.quote
    return facts


CASES = [
    # (paragraph, finding kind, status, earlier type, earlier assessment)
    (
        "In our last PEEL inspection, we identified that the force did not supervise its "
        "investigations closely. Based on our latest inspection findings, we have concluded "
        "this remains an area for improvement.",
        "area-for-improvement",
        "remains",
        "area-for-improvement",
        "2023–25",
    ),
    (
        "In [our previous PEEL inspection](#), we identified that supervising investigations "
        "was an [area for improvement](#). In our latest inspection, this remains the case.",
        "area-for-improvement",
        "remains",
        "area-for-improvement",
        "2023–25",
    ),
    (
        "In our last PEEL inspection, we identified areas for improvement in how the force "
        "supervised investigations. During our latest inspection, we found these areas for "
        "improvement remained.",
        "cause-of-concern",
        "escalated",
        "area-for-improvement",
        "2023–25",
    ),
    (
        "In our last PEEL inspection report, we gave the force an area for improvement about "
        "supervision. We have replaced this with a cause of concern.",
        "cause-of-concern",
        "escalated",
        "area-for-improvement",
        "2023–25",
    ),
    (
        "Since our last PEEL inspection, the force has made some progress on the area for "
        "improvement about supervision, but supervisors still lack time.",
        "area-for-improvement",
        "partly-addressed",
        "area-for-improvement",
        "2023–25",
    ),
    (
        "In our last inspection in 2021, we set the force a cause of concern about "
        "supervision. The force has addressed this cause of concern.",
        "main-finding",
        "addressed",
        "cause-of-concern",
        "2021/22",
    ),
    (
        "Supervision was identified as an area for improvement in HMIC's 2015 effectiveness "
        "report and we found little evidence of progress.",
        "main-finding",
        "remains",
        "area-for-improvement",
        "2015",
    ),
    (
        "The recommendations of our 2021 PEEL inspection about supervision have not been "
        "adequately addressed.",
        "main-finding",
        "remains",
        "recommendation",
        "2021/22",
    ),
]


@pytest.mark.parametrize(("paragraph", "kind", "status", "earlier_type", "earlier"), CASES)
def test_explicit_back_reference(
    paragraph: str, kind: str, status: str, earlier_type: str, earlier: str
) -> None:
    facts = follow_ups(paragraph, kind=kind)
    assert [(f.status, f.earlier_type, f.earlier.label) for f in facts.follow_ups] == [
        (status, earlier_type, earlier)
    ]
    fu = facts.follow_ups[0]
    assert fu.later is not None and fu.later.type == kind


def test_listed_again_names_the_finding_it_stands_under() -> None:
    facts = follow_ups("We identified this area for improvement in our last PEEL inspection.")
    (fu,) = facts.follow_ups
    assert (fu.status, fu.described_text) == ("remains", HEADLINE)
    assert fu.described == fu.later.span if fu.later else False


@pytest.mark.parametrize(
    "paragraph",
    [
        # names the earlier inspection, states no status: no follow-up
        "In our last PEEL inspection, we found the force had a limited understanding of its "
        "overtime. In our latest inspection, the force told us it spends more each month.",
        "In response to the findings of our last PEEL inspection, the force introduced exit "
        "interviews.",
        "During our last inspection, we observed the force's youth scheme. It has since "
        "become established.",
        # a status with no earlier inspection named: no follow-up
        "This remains an area for improvement.",
    ],
)
def test_no_status_no_follow_up(paragraph: str) -> None:
    assert follow_ups(paragraph).follow_ups == []


def test_this_area_for_improvement_under_another_kind_is_no_follow_up() -> None:
    facts = follow_ups(
        "We identified this area for improvement in our last PEEL inspection.", kind="main-finding"
    )
    assert facts.follow_ups == []


def test_naming_the_current_assessment_without_a_status_is_silent() -> None:
    facts = follow_ups(
        "In our 2025 PEEL inspection, we looked at how the force supervises investigations."
    )
    assert (facts.follow_ups, facts.issues) == ([], [])


def test_an_ambiguous_year_is_reported_not_guessed() -> None:
    facts = follow_ups(
        "In our 2025 PEEL inspection, we identified an area for improvement about "
        "supervision. This remains an area for improvement.",
        assessment="2025-27",
    )
    assert facts.follow_ups == []
    assert any("earlier inspection" in i.message for i in facts.issues)


# --- the shipped corpus ------------------------------------------------------------


def rows(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    import json

    doc = json.loads(run_query(store, name, params, "json"))
    return [{k: b[k]["value"] for k in b} for b in doc["results"]["bindings"]]


def test_persisting_findings_of_the_2025_27_report(store: Store, texts: dict[str, str]) -> None:
    found = rows(store, "persisting-findings", force="Northamptonshire Police")
    explicit = [r for r in found if r["method"] == "explicit" and r["laterAssessment"] == "2025–27"]
    by_status: dict[str, set[str]] = {}
    for r in explicit:
        by_status.setdefault(r["status"], set()).add(r["later"])
        assert r["earlierAssessment"] == "2023–25"
        assert texts[r["file"]][int(r["start"]) : int(r["end"])] == r["evidence"]
    assert by_status["remains"] == {
        "The force has access to good quality data and analytical support but needs to "
        "strengthen its use of this to improve decision-making",
        "Strategic governance arrangements are in place but the force must ensure stronger "
        "tactical implementation and leadership accountability",
        "The force needs to consistently record and evaluate day-to-day problem-solving and "
        "share learning",
        "The force needs to attend calls for service in line with its published attendance "
        "times and make sure it updates callers if there are delays",
    }
    assert by_status["escalated"] == {
        "The force isn't always achieving appropriate outcomes for victims of crime"
    }
    (concern,) = [r for r in explicit if r["status"] == "escalated"]
    assert "these areas for improvement remained" in concern["evidence"]


def test_earlier_findings_known_only_through_the_later_report(
    built: BuildResult, texts: dict[str, str]
) -> None:
    g = union(built.dataset)
    known = sorted(g.subjects(v.knownOnlyThrough, None))
    findings = [k for k in known if (k, v.headline, None) in g]
    # five back-references of the 2025–27 report (its 2023–25 text lost its lists) and
    # one of the 2016 page (2015 is not in the corpus)
    assert len(findings) == 6
    for f in findings:
        span = g.value(f, v.span)
        doc = g.value(span, v.OA.hasSource)
        path = str(g.value(doc, v.path))
        pos = next(
            s for s in g.objects(span, v.OA.hasSelector) if g.value(s, v.OA.start) is not None
        )
        quote = texts[path][int(g.value(pos, v.OA.start)) : int(g.value(pos, v.OA.end))]
        exact = next(
            str(g.value(s, v.OA.exact))
            for s in g.objects(span, v.OA.hasSelector)
            if g.value(s, v.OA.exact)
        )
        assert quote == exact
        assert g.value(f, v.knownOnlyThrough) == doc
        assert (f, v.theme, None) in g, "known only through a later report, and still tagged"


def test_no_finding_is_called_new_when_the_earlier_report_lost_its_lists(
    built: BuildResult,
) -> None:
    g = union(built.dataset)
    assert not list(g.subjects(v.followUpStatus, v.New))


# --- similarity ----------------------------------------------------------------------


def labelled() -> list[dict[str, object]]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["pairs"]


def test_labelled_sample_precision_and_recall_at_the_threshold(built: BuildResult) -> None:
    g = union(built.dataset)
    c = Continuity(g, REF, Graph())
    pairs = labelled()
    assert len(pairs) >= 50 and sum(bool(p["related"]) for p in pairs) >= 15
    tp = fp = fn = 0
    for p in pairs:
        a, b = (
            c.position[URIRef(FINDING + str(p["earlier"]))],
            c.position[URIRef(FINDING + str(p["later"]))],
        )
        (score,) = c.index.scores(b, [a])
        predicted = score >= SIMILARITY_THRESHOLD
        tp += predicted and bool(p["related"])
        fp += predicted and not p["related"]
        fn += (not predicted) and bool(p["related"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"similarity at {SIMILARITY_THRESHOLD}: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.8
    assert recall >= 0.5


def test_similarity_links_of_the_corpus_are_scored_pairs_of_consecutive_assessments(
    built: BuildResult,
) -> None:
    g = union(built.dataset)
    links = [s for s in g.subjects(v.linkMethod, Literal(v.SIMILARITY))]
    assert links
    for link in links:
        score = float(g.value(link, v.score))
        assert score >= SIMILARITY_THRESHOLD
        later, earlier = g.value(link, v.later), g.value(link, v.earlier)
        assert "/2025-27/" in str(later) and "/2023-25/" in str(earlier)
    pairs = {(str(g.value(s, v.earlier)), str(g.value(s, v.later))) for s in links}
    assert (
        FINDING + "northamptonshire-police/2023-25/police-powers/main-finding-1",
        FINDING + "northamptonshire-police/2025-27/police-powers/main-finding-1",
    ) in pairs


def test_an_index_of_no_words_scores_zero() -> None:
    assert TextIndex([]).scores_of("custody", []) == []
    assert TextIndex(["the", "and"]).scores(0, [1]) == [0.0]


def test_index_scores_identical_texts_one_and_unrelated_zero() -> None:
    index = TextIndex(["custody records audit", "custody records audit", "fraud training"])
    assert index.scores(0, [1, 2]) == pytest.approx([1.0, 0.0])


# --- status by types and absence, on a graph written for the test -------------------


def small_graph(earlier_type: str, later_type: str, earlier_text: str, later_text: str) -> Graph:
    g = Graph()
    force = v.mint("force", "Borsetshire Constabulary")
    g.add((force, RDF.type, v.Force))
    g.add((force, RDFS.label, Literal("Borsetshire Constabulary")))
    area = URIRef("https://w3id.org/peel-kg/id/area/peel-2025-27/investigating-crime")
    for year, kind, text in (
        ("2023-25", earlier_type, earlier_text),
        ("2025-27", later_type, later_text),
    ):
        insp = v.mint("inspection", "Borsetshire Constabulary", year)
        g.add((insp, RDF.type, v.Inspection))
        g.add((insp, v.force, force))
        g.add((insp, v.assessment, REF.assessment(year).iri))
        f = v.mint("finding", "borsetshire", year, kind)
        g.add((f, RDF.type, v.FINDING_TYPES[kind]))
        g.add((f, v.force, force))
        g.add((f, v.inspection, insp))
        g.add((f, v.area, area))
        g.add((f, v.headline, Literal(text)))
    return g


def test_similar_areas_for_improvement_remain_and_a_concern_escalates() -> None:
    text = "The force needs to audit custody records and supervise detention reviews"
    for later_type, status in (
        ("area-for-improvement", v.Remains),
        ("cause-of-concern", v.Escalated),
    ):
        out = follow_up_graph(small_graph("area-for-improvement", later_type, text, text), REF)
        (link,) = out.subjects(v.linkMethod, Literal(v.SIMILARITY))
        assert out.value(link, v.followUpStatus) == status


def test_an_unrelated_later_problem_is_new_when_the_earlier_problems_are_known() -> None:
    g = small_graph(
        "area-for-improvement",
        "area-for-improvement",
        "The force needs to audit custody records",
        "The force needs to train call handlers in fraud reporting",
    )
    out = follow_up_graph(g, REF)
    (link,) = out.subjects(v.followUpStatus, v.New)
    assert out.value(link, v.linkMethod) == Literal(v.ABSENCE)
    assert out.value(link, v.earlier) is None
