"""The related-findings graph (kg.related) and its analyses (kg.analyse): on a small
hand-made RDF graph, and on the shipped corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg import vocab
from kg.analyse import chain, clusters, find_finding, most_connected
from kg.errors import InputError
from kg.export import union
from kg.paths import ROOT
from kg.pipeline import BuildResult
from kg.related import related_graph
from tests.test_results import squeezed, table_columns

FORCE = vocab.mint("force", "Borsetshire Constabulary")
A23, A25 = vocab.mint("assessment", "2023-25"), vocab.mint("assessment", "2025-27")
I23 = vocab.mint("inspection", "borsetshire", "2023-25")
I25 = vocab.mint("inspection", "borsetshire", "2025-27")
# real areas of the reference data: the crosswalk maps the first to the second (closeMatch)
AREA23 = vocab.mint("area", "peel-2023-25", "protecting-vulnerable-people")
AREA25 = vocab.mint("area", "peel-2025-27", "safeguarding")
THEME = vocab.mint("theme", "domestic-abuse")
OP = vocab.mint("initiative", "operation-lantern")
DOC = vocab.mint("source", "later-report")
ALL = {"old-1", "old-2", "new-1", "new-2", "new-3"}


def _finding(g: Graph, name: str, cls: URIRef, insp: URIRef, area: URIRef, head: str) -> URIRef:
    node = vocab.mint("finding", "borsetshire", name)
    g.add((node, RDF.type, cls))
    g.add((node, vocab.force, FORCE))
    g.add((node, vocab.inspection, insp))
    g.add((node, vocab.area, area))
    g.add((node, vocab.headline, Literal(head)))
    _span(g, node, head, 100)
    return node


def _span(g: Graph, node: URIRef, quote: str, start: int) -> URIRef:
    span, pos, exact = (vocab.fragment(node, n) for n in ("span", "pos", "quote"))
    g.add((node, vocab.span, span))
    g.add((span, RDF.type, vocab.OA.SpecificResource))
    g.add((span, vocab.OA.hasSource, DOC))
    g.add((span, vocab.OA.hasSelector, pos))
    g.add((span, vocab.OA.hasSelector, exact))
    g.add((pos, RDF.type, vocab.OA.TextPositionSelector))
    g.add((pos, vocab.OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((pos, vocab.OA.end, Literal(start + len(quote), datatype=XSD.nonNegativeInteger)))
    g.add((exact, RDF.type, vocab.OA.TextQuoteSelector))
    g.add((exact, vocab.OA.exact, Literal(quote)))
    return span


def _follow_up(g: Graph, name: str, later: URIRef | None, earlier: URIRef | None, status: str,
               method: str, score: float | None = None) -> URIRef:  # fmt: skip
    node = vocab.mint("follow-up", name)
    g.add((node, RDF.type, vocab.FollowUp))
    if later is not None:
        g.add((node, vocab.later, later))
    if earlier is not None:
        g.add((node, vocab.earlier, earlier))
    g.add((node, vocab.followUpStatus, vocab.FOLLOW_UP_STATUSES[status]))
    g.add((node, vocab.linkMethod, Literal(method)))
    if score is not None:
        g.add((node, vocab.score, Literal(str(score), datatype=XSD.decimal)))
    if method == vocab.EXPLICIT:
        _span(g, node, "This area for improvement remains.", 500)
    return node


def _judgment(g: Graph, insp: URIRef, area: URIRef, grade: str) -> None:
    node = vocab.mint("judgment", str(insp), "protecting")
    g.add((node, RDF.type, vocab.Judgment))
    g.add((node, vocab.force, FORCE))
    g.add((node, vocab.inspection, insp))
    g.add((node, vocab.area, area))
    grade_iri = vocab.mint("grade", grade)
    g.add((node, vocab.grade, grade_iri))
    g.add((grade_iri, SKOS.prefLabel, Literal(grade)))


@pytest.fixture()
def tiny() -> Graph:
    """Two assessments of one force: findings followed up, a theme, an initiative, grades."""
    g = Graph()
    g.add((FORCE, RDF.type, vocab.Force))
    g.add((FORCE, RDFS.label, Literal("Borsetshire Constabulary")))
    for a, label, year, insp in ((A23, "2023–25", 2023, I23), (A25, "2025–27", 2025, I25)):
        g.add((a, RDF.type, vocab.Assessment))
        g.add((a, RDFS.label, Literal(label)))
        g.add((a, vocab.startYear, Literal(year)))
        g.add((insp, RDF.type, vocab.Inspection))
        g.add((insp, vocab.force, FORCE))
        g.add((insp, vocab.assessment, a))
    for area in (AREA23, AREA25):
        g.add((area, SKOS.prefLabel, Literal("Protecting vulnerable people")))
    g.add((DOC, vocab.path, Literal("data/later.txt")))
    afi = vocab.AreaForImprovement
    old1 = _finding(g, "old-1", afi, I23, AREA23, "Improve how risk to victims is assessed")
    old2 = _finding(g, "old-2", afi, I23, AREA23, "Improve supervision of investigations")
    new1 = _finding(g, "new-1", afi, I25, AREA25, "Improve how risk to victims is assessed still")
    new2 = _finding(g, "new-2", vocab.CauseOfConcern, I25, AREA25, "Supervision is failing")
    new3 = _finding(g, "new-3", vocab.InnovativePractice, I25, AREA25, "A new triage desk")
    _follow_up(g, "a", new1, old1, "remains", vocab.EXPLICIT)
    _follow_up(g, "b", new2, old2, "escalated", vocab.SIMILARITY, 0.61)
    _follow_up(g, "c", new3, None, "new", vocab.ABSENCE)
    g.add((THEME, RDF.type, vocab.Theme))
    g.add((THEME, SKOS.prefLabel, Literal("Domestic abuse")))
    for thing in (old1, new1):
        g.add((thing, vocab.theme, THEME))
    tag = vocab.mint("theme-tag", "x")
    g.add((tag, RDF.type, vocab.ThemeTag))
    g.add((tag, vocab.tagged, new1))
    g.add((tag, vocab.theme, THEME))
    g.add((OP, RDF.type, vocab.Initiative))
    g.add((OP, RDFS.label, Literal("Operation Lantern")))
    g.add((OP, SKOS.altLabel, Literal("Op Lantern")))
    mention = vocab.mint("mention", "m1")
    g.add((mention, RDF.type, vocab.Mention))
    g.add((OP, vocab.mention, mention))
    g.add((mention, vocab.finding, new3))
    _judgment(g, I23, AREA23, "Good")
    _judgment(g, I25, AREA25, "Requires improvement")
    return g


def _iri(name: str) -> str:
    return str(vocab.mint("finding", "borsetshire", name))


def test_nodes_and_edges_of_every_kind(tiny: Graph) -> None:
    g = related_graph(tiny)
    kinds = sorted(a["kind"] for _, a in g.nodes(data=True))
    assert kinds.count("finding") == 5
    assert kinds.count("judgment") == 2
    assert kinds.count("area") == 2 and kinds.count("theme") == 1
    assert kinds.count("initiative") == 1
    edges = sorted(k for *_, k in g.edges(data="kind"))
    assert edges.count("follows-up") == 2
    assert edges.count("shares-theme") == 2  # the tag repeats new-1's theme: one edge
    assert edges.count("mentions-initiative") == 1
    assert edges.count("in-area") == 7


def test_follow_up_edges_carry_status_method_and_evidence(tiny: Graph) -> None:
    g = related_graph(tiny)
    (data,) = g.get_edge_data(_iri("new-1"), _iri("old-1")).values()
    assert data["kind"] == "follows-up" and data["status"] == "remains"
    assert data["method"] == "explicit" and data["quote"] == "This area for improvement remains."
    assert (data["start"], data["source"]) == (500, "data/later.txt")
    (data,) = g.get_edge_data(_iri("new-2"), _iri("old-2")).values()
    assert (data["status"], data["method"], data["score"]) == ("escalated", "similarity", 0.61)
    assert g.nodes[_iri("new-1")]["status"] == "remains"
    assert g.nodes[_iri("new-3")]["status"] == "new"
    assert g.nodes[_iri("old-2")]["outcome"] == "escalated"
    assert "status" not in g.nodes[_iri("old-1")]


def test_finding_attributes(tiny: Graph) -> None:
    a = related_graph(tiny).nodes[_iri("new-1")]
    assert a["type"] == "area-for-improvement" and a["assessment"] == "2025–27"
    assert a["force"] == "Borsetshire Constabulary" and a["area"] == "Protecting vulnerable people"
    assert a["quote"] == a["headline"] and a["start"] == 100 and a["source"] == "data/later.txt"
    assert a["themes"] == ["Domestic abuse"]
    assert a["known_only_through"] is False
    old = related_graph(tiny).nodes[_iri("old-1")]
    assert (old["grade_then"], old["grade_now"], old["now_assessment"]) == (
        "Good",
        "Requires improvement",
        "2025–27",
    )
    # the grade now is on the area the crosswalk maps the earlier one to, named
    assert old["now_area"] == "Safeguarding children and adults at risk of harm"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": "domestic ABUSE"}, {"old-1", "new-1"}),
        ({"initiative": "op lantern"}, {"new-3"}),
        ({"assessment": "2023-2025"}, {"old-1", "old-2", "new-1", "new-2"}),
        ({"area": "Protecting  vulnerable people", "assessment": "2025–2027"}, ALL),
        ({"force": str(FORCE), "assessment": "2023/25"}, {"old-1", "old-2", "new-1", "new-2"}),
    ],
)
def test_filters_keep_matches_chains_and_neighbours(
    tiny: Graph, filters: dict[str, str], expected: set[str]
) -> None:
    g = related_graph(tiny, **filters)
    names = {n.rsplit("/", 1)[1] for n, a in g.nodes(data=True) if a["kind"] == "finding"}
    assert names == expected
    assert all(g.degree(n) > 0 for n in g)  # neighbours came along: no isolated node


def test_theme_filter_keeps_the_theme_and_areas(tiny: Graph) -> None:
    g = related_graph(tiny, theme="Domestic abuse")
    assert str(THEME) in g and str(AREA23) in g and str(AREA25) in g
    assert str(OP) not in g


@pytest.mark.parametrize(
    "filters",
    [{"theme": "burglary"}, {"initiative": "Operation Nowhere"}, {"force": "Nowhere Police"},
     {"area": "Nowhere"}, {"assessment": "2015-17"}],
)  # fmt: skip
def test_unknown_filter_values_are_input_errors(tiny: Graph, filters: dict[str, str]) -> None:
    with pytest.raises(InputError):
        related_graph(tiny, **filters)


def test_chain_is_ordered_earliest_first(tiny: Graph) -> None:
    g = related_graph(tiny)
    assert chain(g, _iri("new-1")) == [_iri("old-1"), _iri("new-1")]
    assert chain(g, _iri("old-2")) == [_iri("old-2"), _iri("new-2")]
    assert chain(g, _iri("new-3")) == [_iri("new-3")]
    with pytest.raises(InputError):
        chain(g, "https://example.org/none")


def test_find_finding_by_iri_or_headline_words(tiny: Graph) -> None:
    g = related_graph(tiny)
    assert find_finding(g, _iri("old-2")) == _iri("old-2")
    assert find_finding(g, "triage desk") == _iri("new-3")
    assert find_finding(g, "Improve how risk to victims is assessed") == _iri("old-1")
    with pytest.raises(InputError, match="2 findings match"):
        find_finding(g, "risk to victims")
    with pytest.raises(InputError):
        find_finding(g, "no such words")


def test_most_connected_ranks_problem_findings_only(tiny: Graph) -> None:
    ranked = most_connected(related_graph(tiny), 10)
    nodes = [r.node for r in ranked]
    assert _iri("new-3") not in nodes  # innovative practice is not a problem
    assert nodes[0] == _iri("new-1")  # area, theme and an earlier finding: 3 links
    assert ranked[0].degree == 3 and ranked[0].centrality >= ranked[-1].centrality
    assert len(most_connected(related_graph(tiny), 2)) == 2


def test_clusters_are_deterministic_and_partition_the_findings(tiny: Graph) -> None:
    g = related_graph(tiny)
    first, second = clusters(g), clusters(g)
    assert first == second
    findings = [n for c in first for n in c.nodes if g.nodes[n]["kind"] == "finding"]
    assert sorted(findings) == sorted(n for n, a in g.nodes(data=True) if a["kind"] == "finding")
    assert first[0].findings >= first[-1].findings


def test_shipped_corpus(built: BuildResult) -> None:
    data = union(built.dataset)
    g = related_graph(data)
    findings = [a for _, a in g.nodes(data=True) if a["kind"] == "finding"]
    typed = {f for cls in vocab.FINDING_TYPES.values() for f in data.subjects(RDF.type, cls)}
    assert len(findings) == len(typed) > 50
    assert all(a.get("quote") and a.get("source", "").startswith("data/") for a in findings)
    assert any(a["grade_then"] for a in findings)
    by_area = {(a["assessment"], a["area"]): a for a in findings if a["type"] == "main-finding"}
    crime = by_area[("2023–25", "Investigating crime")]
    assert (crime["grade_then"], crime["grade_now"]) == ("Requires improvement", "Inadequate")
    vulnerable = by_area[("2023–25", "Protecting vulnerable people")]
    assert vulnerable["now_area"] == "Safeguarding children and adults at risk of harm"
    # 2025–27 has no area the crosswalk maps 'Managing offenders and suspects' to
    assert by_area[("2023–25", "Managing offenders and suspects")]["now_unmapped"] is True
    alloy = related_graph(data, initiative="Operation Alloy")
    mentioning = [n for n, a in alloy.nodes(data=True) if a["kind"] == "finding"]
    assert mentioning and all(g.has_node(n) for n in mentioning)
    assert any(a["kind"] == "initiative" and a["label"] == "Operation Alloy"
               for _, a in alloy.nodes(data=True))  # fmt: skip
    assert most_connected(g, 3) and clusters(g)


def test_cli_related_and_viz(tiny: Graph, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    data = tmp_path / "tiny.ttl"
    tiny.serialize(data, format="turtle")
    runner = CliRunner()
    for words in (["viz"], ["related", "central"], ["related", "clusters"], ["related", "chain"]):
        assert runner.invoke(cli, [*words, "--help"]).exit_code == 0
        assert f"peel-kg {' '.join(words)}" in (ROOT / "README.md").read_text(encoding="utf-8")
    central = runner.invoke(cli, ["related", "central", "--n", "2", "--data", str(data)])
    assert central.exit_code == 0, central.output
    assert "Improve how risk to victims is assessed still" in central.output
    narrow = runner.invoke(cli, ["related", "central", "--data", str(data)], env={"COLUMNS": "60"})
    assert max(len(line) for line in narrow.output.splitlines()) <= 60
    headlines = table_columns(narrow.output)[1][-1]
    assert squeezed("Improve how risk to victims is assessed still") in squeezed(headlines)
    chained = runner.invoke(cli, ["related", "chain", "supervision", "--data", str(data)])
    assert chained.exit_code == 2 and "2 findings match" in chained.output
    chained = runner.invoke(
        cli, ["related", "chain", "Supervision is failing", "--data", str(data)]
    )
    lines = chained.output.splitlines()
    assert chained.exit_code == 0 and "2023–25" in lines[2] and "escalated" in lines[3]
    clustered = runner.invoke(
        cli, ["related", "clusters", "--theme", "domestic abuse", "--data", str(data)]
    )
    assert clustered.exit_code == 0 and "Protecting vulnerable people" in clustered.output
    out = tmp_path / "viz" / "page.html"
    made = runner.invoke(
        cli, ["viz", "--initiative", "Op Lantern", "--data", str(data), "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    assert out.exists() and out.with_suffix(".png").exists() and out.with_suffix(".svg").exists()
    bad = runner.invoke(cli, ["viz", "--theme", "burglary", "--data", str(data), "--out", str(out)])
    assert bad.exit_code == 2 and "no theme named 'burglary'" in bad.output
