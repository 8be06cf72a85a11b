"""The area schemes of the older frameworks and the crosswalk between frameworks, as data.

ontology/areas/*.ttl hold one scheme per framework; ontology/crosswalk.ttl maps
consecutive frameworks (and the two grade scales) with a direct SKOS triple plus a
documented peel:Mapping node each; shapes/crosswalk-shapes.ttl checks the two agree.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS, XSD

from kg import paths, vocab
from kg.reference import Reference, load_reference, normalise_label
from kg.validate import format_problems, load_shapes, validate
from kg.vocab import ID, mint

MATCHES = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
PAGE_2014 = paths.ROOT / "data" / "004_39e47f380a8d2144.txt"
PAGE_2016 = paths.ROOT / "data" / "002_a421d2335a84c635.txt"

#: Areas with no counterpart in the next framework (see the crosswalk's header).
NO_SUCCESSOR = {
    "2014": {"force-efficiency"},
    "2015-17": {
        "leadership",
        "workforce-model",
        "financial-position",
        "wellbeing-and-ethical-culture",
        "crime-recording",
        "engaging-with-the-public",
        "stop-and-search-and-taser",
    },
    "2018-19": {"specialist-capabilities"},
    "2021-22": {"serious-organised-crime"},
    "2023-25": {"managing-offenders", "recording-data-about-crime", "victim-service-assessment"},
}
#: Areas with no counterpart in the previous framework.
NO_PREDECESSOR = {
    "2015-17": {
        "leadership",
        "understanding-demand",
        "use-of-resources",
        "planning-for-the-future",
        "treatment-of-the-public",
        "ethical-workforce",
        "treatment-of-the-workforce",
        "crime-recording",
        "engaging-with-the-public",
        "stop-and-search-and-taser",
    },
    "2018-19": set(),
    "2021-22": {"recording-data-about-crime", "victim-service-assessment"},
    "2023-25": set(),
    "2025-27": {"managing-fraud", "custody"},
}


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def graph(ref: Reference) -> Graph:
    return ref.graph


def area(framework: str, notation: str) -> URIRef:
    return mint("area", f"peel-{framework}", notation)


def grade(scale: str, notation: str) -> URIRef:
    return mint("grade", scale, notation)


def mappings(graph: Graph) -> list[tuple[URIRef, URIRef, URIRef, URIRef]]:
    """Every mapping node as (node, from, relation, to)."""
    return [
        (
            URIRef(str(m)),
            URIRef(str(graph.value(m, vocab.mapsFrom))),
            URIRef(str(graph.value(m, vocab.mappingRelation))),
            URIRef(str(graph.value(m, vocab.mapsTo))),
        )
        for m in sorted(graph.subjects(RDF.type, vocab.Mapping), key=str)
    ]


def scheme_of(graph: Graph, concept: URIRef) -> URIRef:
    (scheme,) = graph.objects(concept, SKOS.inScheme)
    return URIRef(str(scheme))


def ordered_cycles(ref: Reference) -> list[str]:
    """Cycle notations, oldest first."""
    start = {n: int(str(ref.graph.value(c.iri, vocab.startYear))) for n, c in ref.cycles.items()}
    return sorted(start, key=start.__getitem__)


# --- the area schemes --------------------------------------------------------


def test_every_cycle_has_its_area_scheme(ref: Reference) -> None:
    assert set(ref.cycles) == {"2014", "2015-17", "2018-19", "2021-22", "2023-25", "2025-27"}
    for notation, cycle in ref.cycles.items():
        assert cycle.areas, f"{notation}: framework {cycle.framework} has no areas"
        assert (cycle.framework, RDF.type, vocab.AreaScheme) in ref.graph
        assert ref.graph.value(cycle.framework, SKOS.notation) == Literal(f"peel-{notation}")


def test_areas_follow_the_scheme_style(ref: Reference) -> None:
    g = ref.graph
    for cycle in ref.cycles.values():
        for concept in cycle.areas:
            iri = concept.iri
            assert {vocab.Area, SKOS.Concept} <= set(g.objects(iri, RDF.type)), iri
            assert iri == area(cycle.notation, concept.notation), "notation is the IRI slug"
            assert len(list(g.objects(iri, SKOS.prefLabel))) == 1, iri
            graded = list(g.objects(iri, vocab.graded))
            assert len(graded) == 1 and graded[0].datatype == XSD.boolean, iri
            pillars = list(g.objects(iri, SKOS.broader))
            top = (iri, SKOS.topConceptOf, cycle.framework) in g
            assert top != bool(pillars), f"{iri}: a pillar (top concept) or a question (broader)"
            for pillar in pillars:
                assert (pillar, SKOS.topConceptOf, cycle.framework) in g, iri
            if not concept.graded:
                assert g.value(iri, SKOS.scopeNote), f"{iri}: say why it is not graded"


def test_labels_name_one_area_per_framework(ref: Reference) -> None:
    for cycle in ref.cycles.values():
        seen: dict[str, URIRef] = {}
        for concept in cycle.areas:
            for label in concept.labels:
                assert seen.setdefault(label, concept.iri) == concept.iri, (cycle.notation, label)


def test_2014_questions_are_graded_as_on_the_pages(ref: Reference) -> None:
    """Six questions and the efficiency pillar were graded in 2014; effectiveness and
    legitimacy were not graded as pillars, and legitimacy not at all."""
    areas = {a.notation: a for a in ref.cycle("2014").areas}
    assert {n for n, a in areas.items() if a.graded} == {
        "reducing-crime",
        "investigating-offending",
        "tackling-asb",
        "efficiency",
        "force-efficiency",
        "financial-position",
        "affordable-policing",
    }
    assert not areas["effectiveness"].graded
    assert not areas["legitimacy"].graded and not areas["workforce-integrity"].graded


def test_2014_labels_are_the_page_headings_and_sentence_phrases(ref: Reference) -> None:
    text = PAGE_2014.read_text(encoding="utf-8")
    lines = {line.strip() for line in text.splitlines()}
    phrases = {normalise_label(m) for m in re.findall(r"\bat ([a-z][^.]*)\.", text)}
    cycle = ref.cycle("2014")
    effectiveness = area("2014", "effectiveness")
    questions = [a for a in cycle.areas if ref.graph.value(a.iri, SKOS.broader) == effectiveness]
    assert len(questions) == 6
    for question in questions:
        assert question.label in lines, f"{question.label!r} is not a heading of the page"
        phrase = question.label.removeprefix("How effective is the force at ").removesuffix("?")
        assert cycle.area_by_label(phrase) == question, "the phrase after 'at' is an altLabel"
        assert ref.graph.value(question.iri, SKOS.broader) == area("2014", "effectiveness")
    pillar = cycle.area_by_label("How well the force tackles crime")
    assert pillar is not None and pillar.notation == "effectiveness"
    judged = {a.notation for a in map(cycle.area_by_label, phrases) if a is not None}
    assert judged == {"reducing-crime", "investigating-offending", "tackling-asb"}


def test_2016_pillars_are_named_as_on_the_page(ref: Reference) -> None:
    lines = {line.strip() for line in PAGE_2016.read_text(encoding="utf-8").splitlines()}
    cycle = ref.cycle("2015-17")
    for pillar, adjective in [
        ("effectiveness", "effective"),
        ("efficiency", "efficient"),
        ("legitimacy", "legitimate"),
    ]:
        heading = f"How {adjective} is the force at keeping people safe and reducing crime?"
        assert heading in lines
        for label in (heading, adjective, pillar, pillar.capitalize()):
            found = cycle.area_by_label(label)
            assert found is not None and found.notation == pillar, label
            assert found.graded
    leadership = cycle.area_by_label("leadership")
    assert leadership is not None and not leadership.graded
    question = cycle.area_by_label("preventing crime and reducing anti-social behaviour")
    assert question is not None and question.notation == "preventing-crime"
    assert ref.graph.value(question.iri, SKOS.broader) == area("2015-17", "effectiveness")


# --- the crosswalk ----------------------------------------------------------


def test_reference_data_with_the_crosswalk_conforms(graph: Graph) -> None:
    assert len(mappings(graph)) > 50
    result = validate(graph)
    assert result.conforms, format_problems(result)


def test_crosswalk_shapes_screen_with_sparql_targets() -> None:
    shapes = load_shapes()
    peelsh = "https://w3id.org/peel-kg/shapes#"
    for name in ("MappingAcrossSchemesShape", "MappingStatedShape", "MappingDocumentedShape"):
        shape = URIRef(peelsh + name)
        targets = list(shapes.objects(shape, SH.target))
        assert targets and all(shapes.value(t, SH.select) for t in targets), name
    assert (URIRef(peelsh + "MappingShape"), SH.targetClass, vocab.Mapping) in shapes


def test_every_mapping_is_minted_from_its_schemes_and_concepts(graph: Graph) -> None:
    for node, source, _, target in mappings(graph):
        parts = []
        for concept in (source, target):
            parts += [
                str(graph.value(scheme_of(graph, concept), SKOS.notation)),
                str(graph.value(concept, SKOS.notation)),
            ]
        assert node == mint("mapping", *parts)


def test_every_mapping_is_a_triple_too_and_every_triple_a_mapping(graph: Graph) -> None:
    documented = {(s, r, t) for _, s, r, t in mappings(graph)}
    stated = {
        (URIRef(str(s)), URIRef(str(p)), URIRef(str(o)))
        for p in MATCHES
        for s, o in graph.subject_objects(p)
    }
    assert documented == stated
    assert all(graph.value(node, SKOS.scopeNote) for node, *_ in mappings(graph))


def test_mappings_lead_from_one_framework_to_the_next(ref: Reference, graph: Graph) -> None:
    order = ordered_cycles(ref)
    framework = {ref.cycles[n].framework: i for i, n in enumerate(order)}
    scales = {ID["scale/peel-4"]: 0, ID["scale/peel-5"]: 1}
    for node, source, _, target in mappings(graph):
        a, b = scheme_of(graph, source), scheme_of(graph, target)
        steps = framework if a in framework else scales
        assert steps[b] == steps[a] + 1, f"{node}: not from one framework or scale to the next"


@pytest.mark.parametrize(
    "pair",
    ["2014>2015-17", "2015-17>2018-19", "2018-19>2021-22", "2021-22>2023-25", "2023-25>2025-27"],
)
def test_every_area_is_mapped_on_and_back_where_it_can_be(
    ref: Reference, graph: Graph, pair: str
) -> None:
    older, newer = (ref.cycles[n] for n in pair.split(">"))
    links = [
        (s, t)
        for _, s, _, t in mappings(graph)
        if scheme_of(graph, s) == older.framework and scheme_of(graph, t) == newer.framework
    ]
    onward = {str(graph.value(s, SKOS.notation)) for s, _ in links}
    back = {str(graph.value(t, SKOS.notation)) for _, t in links}
    assert {a.notation for a in older.areas} - onward == NO_SUCCESSOR[older.notation]
    assert {a.notation for a in newer.areas} - back == NO_PREDECESSOR[newer.notation]


def test_investigating_crime_is_connected_from_2014_to_2025_27(graph: Graph) -> None:
    chain = [
        (area("2014", "investigating-offending"), SKOS.closeMatch),
        (area("2015-17", "investigating-crime"), SKOS.closeMatch),
        (area("2018-19", "investigating-crime"), SKOS.closeMatch),
        (area("2021-22", "investigating-crime"), SKOS.exactMatch),
        (area("2023-25", "investigating-crime"), SKOS.exactMatch),
    ]
    found = {(s, t): r for _, s, r, t in mappings(graph)}
    targets = [c for c, _ in chain[1:]] + [area("2025-27", "investigating-crime")]
    for (source, relation), target in zip(chain, targets, strict=True):
        assert found.get((source, target)) == relation, (source, target)


@pytest.mark.parametrize(
    ("source", "relation", "target"),
    [
        ("2023-25/protecting-vulnerable-people", "closeMatch", "2025-27/safeguarding"),
        ("2023-25/developing-workforce", "closeMatch", "2025-27/workforce"),
        ("2023-25/investigating-crime", "exactMatch", "2025-27/investigating-crime"),
        ("2014/investigating-offending", "closeMatch", "2015-17/investigating-crime"),
        ("2014/tackling-asb", "broadMatch", "2015-17/preventing-crime"),
        ("2015-17/effectiveness", "exactMatch", "2018-19/effectiveness"),
        ("2018-19/effectiveness", "narrowMatch", "2021-22/investigating-crime"),
    ],
)
def test_crosswalk_relation(graph: Graph, source: str, relation: str, target: str) -> None:
    (a_cycle, a_area), (b_cycle, b_area) = source.split("/"), target.split("/")
    frm, to = area(a_cycle, a_area), area(b_cycle, b_area)
    assert (frm, SKOS[relation], to) in graph
    node = mint("mapping", f"peel-{a_cycle}", a_area, f"peel-{b_cycle}", b_area)
    assert graph.value(node, vocab.mappingRelation) == SKOS[relation]
    assert (node, vocab.mapsFrom, frm) in graph and (node, vocab.mapsTo, to) in graph


def test_grade_scales_are_mapped_never_as_equal(graph: Graph) -> None:
    pairs = {
        (str(s).rsplit("/", 1)[-1], str(r).rsplit("#", 1)[-1], str(t).rsplit("/", 1)[-1])
        for _, s, r, t in mappings(graph)
        if (s, RDF.type, vocab.Grade) in graph
    }
    assert pairs == {
        ("outstanding", "closeMatch", "outstanding"),
        ("good", "closeMatch", "good"),
        ("good", "relatedMatch", "adequate"),
        ("requires-improvement", "closeMatch", "requires-improvement"),
        ("requires-improvement", "relatedMatch", "adequate"),
        ("inadequate", "closeMatch", "inadequate"),
    }
    for old in ("outstanding", "good", "requires-improvement", "inadequate"):
        assert any(graph.objects(grade("peel-4", old), SKOS.closeMatch)), old
    grades = {
        s for s, _ in graph.subject_objects(SKOS.exactMatch) if (s, RDF.type, vocab.Grade) in graph
    }
    assert not grades, "no grade of one scale is the same as a grade of the other"
