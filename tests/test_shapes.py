"""The SHACL shapes in shapes/*.ttl, tested as data, and kg.validate.

Every named node shape has fixtures in tests/fixtures/shapes/:
``<Shape>.pass[-variant].ttl`` must conform, ``<Shape>.fail[-variant].ttl``
must be reported by that shape and no other, with each ``# expect: <text>``
line of the fixture found in one of its messages. Each fixture is loaded on
top of ``_base.ttl`` (sources, force, inspector, inspections) and the
reference data (ontology/grades.ttl, cycles.ttl, assessments.ttl, areas/*.ttl).

Shapes with a SPARQL-based target (sh:SPARQLTarget) screen the graph in one
query and target only the nodes that break their rule, so a conforming fixture
gives them no focus node; it must instead hold a node of the class the shape
screens (peelsh:screens). Such a shape must report the same problems as the
same shape targeting every node of that class.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg import paths
from kg.pipeline import BuildResult
from kg.store import Store
from kg.validate import ValidationResult, copy_nodes, format_problems, load_shapes, validate
from kg.vocab import mint

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+)\.(?P<kind>pass|fail)(?:-[a-z0-9-]+)?\.ttl$")
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))
FORCE = "Northamptonshire Police"
PEELSH = Namespace("https://w3id.org/peel-kg/shapes#")
PASS = [p for p in FIXTURE_FILES if ".pass" in p.name]
FAIL = [p for p in FIXTURE_FILES if ".fail" in p.name]


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """All shapes, as kg.validate loads them."""
    return load_shapes()


@pytest.fixture(scope="session")
def context() -> Graph:
    """Reference data plus the shared fixture context (_base.ttl)."""
    graph = Graph()
    ontology = paths.ONTOLOGY_DIR
    reference = [
        ontology / "grades.ttl",
        ontology / "cycles.ttl",
        ontology / "assessments.ttl",
        *ontology.glob("areas/*.ttl"),
    ]
    for file in reference:
        graph.parse(file, format="turtle")
    graph.parse(FIXTURES / "_base.ttl", format="turtle")
    return graph


def load(fixture: Path, context: Graph) -> Graph:
    """A fixture on top of the reference data and _base.ttl."""
    graph = Graph()
    for triple in context:
        graph.add(triple)
    for prefix, namespace in context.namespaces():
        graph.bind(prefix, namespace)
    return graph.parse(fixture, format="turtle")


def named_shapes(shapes: Graph) -> dict[str, URIRef]:
    """The named node shapes by local name: the shapes that need fixtures."""
    return {
        str(s).rsplit("#", 1)[-1]: s
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef)
    }


def owner(shapes: Graph, shape: Node) -> Node:
    """The node shape a result's sh:sourceShape belongs to (itself or via sh:property)."""
    return shapes.value(None, SH.property, shape) or shape


def intended(fixture: Path, shapes: Graph) -> URIRef:
    """The shape a fixture is written for, from its file name."""
    match = FIXTURE_NAME.match(fixture.name)
    assert match, f"{fixture.name}: name it <Shape>.pass[-variant].ttl or .fail[-variant].ttl"
    return named_shapes(shapes)[match["shape"]]


def sparql_targets(shapes: Graph, shape: Node) -> list[Node]:
    """The SPARQL-based targets (sh:target with sh:select) of a shape."""
    return [t for t in shapes.objects(shape, SH.target) if shapes.value(t, SH.select)]


def prefixes(shapes: Graph, node: Node) -> str:
    """PREFIX lines for the sh:declare'd prefixes a SPARQL node points to with sh:prefixes."""
    lines = []
    for ontology in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            lines.append(f"PREFIX {prefix}: <{shapes.value(declaration, SH.namespace)}>")
    return "\n".join(lines)


def focus_nodes(shapes: Graph, shape: URIRef, data: Graph) -> set[Node]:
    """The focus nodes of a shape's targets in ``data`` (no inference)."""
    nodes: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes.update(data.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    for target in sparql_targets(shapes, shape):
        query = prefixes(shapes, target) + "\n" + str(shapes.value(target, SH.select))
        nodes.update(row[0] for row in data.query(query))  # type: ignore[index]
    return nodes


def one_shape(shapes: Graph, shape: URIRef) -> Graph:
    """A shapes graph holding ``shape`` alone (with the prefix declarations)."""
    return copy_nodes(shapes, [shape, PEELSH[""]], Graph())


def results(result: ValidationResult) -> set[tuple[str, str]]:
    """The problems of a result as (focus, message) pairs."""
    return {(p.focus, p.message) for p in result.problems}


def check(fixture: str, context: Graph, shapes: Graph) -> tuple[Graph, ValidationResult]:
    """Validate one fixture by file name."""
    data = load(FIXTURES / fixture, context)
    return data, validate(data, shapes)


def test_fixture_names_name_a_shape(shapes: Graph) -> None:
    known = named_shapes(shapes)
    for fixture in FIXTURE_FILES:
        match = FIXTURE_NAME.match(fixture.name)
        assert match, f"{fixture.name}: name it <Shape>.pass[-variant].ttl or .fail[-variant].ttl"
        assert match["shape"] in known, f"{fixture.name}: no shape {match['shape']} in shapes/"


def test_every_shape_has_a_pass_and_a_fail_fixture(shapes: Graph) -> None:
    for name in named_shapes(shapes):
        assert list(FIXTURES.glob(f"{name}.pass*.ttl")), f"{name} has no conforming fixture"
        assert list(FIXTURES.glob(f"{name}.fail*.ttl")), f"{name} has no violating fixture"


def test_every_shape_is_named_and_explains_itself(shapes: Graph) -> None:
    for name, shape in named_shapes(shapes).items():
        assert shapes.value(shape, SH.name), f"{name} has no sh:name"
        constraints = [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
        assert constraints or shapes.value(shape, SH.message), f"{name} checks nothing"
        for constraint in constraints:
            assert shapes.value(constraint, SH.message), f"a constraint of {name} has no message"
            severity = shapes.value(constraint, SH.severity)
            assert severity in (SH.Violation, SH.Warning), name
            assert severity == (shapes.value(shape, SH.severity) or SH.Violation), name
        for prop in shapes.objects(shape, SH.property):
            assert shapes.value(prop, SH.name), f"a property shape of {name} has no sh:name"


@pytest.mark.parametrize("fixture", PASS, ids=lambda p: p.name)
def test_pass_fixture_conforms(fixture: Path, context: Graph, shapes: Graph) -> None:
    data = load(fixture, context)
    shape = intended(fixture, shapes)
    screened = list(shapes.objects(shape, PEELSH.screens))
    if sparql_targets(shapes, shape):
        assert screened, "a shape with a SPARQL-based target must name the class it screens"
        assert any(data.subjects(RDF.type, c) for c in screened), "nothing for its shape to screen"
    else:
        assert focus_nodes(shapes, shape, data), "no focus node for its shape"
    result = validate(data, shapes)
    assert result.conforms, format_problems(result)
    assert result.problems == []


@pytest.mark.parametrize("fixture", FAIL, ids=lambda p: p.name)
def test_fail_fixture_fails_on_its_shape(fixture: Path, context: Graph, shapes: Graph) -> None:
    """A violation fails the graph; a warning is reported and the graph still conforms."""
    shape = intended(fixture, shapes)
    result = validate(load(fixture, context), shapes)
    warning = shapes.value(shape, SH.severity) == SH.Warning
    assert result.conforms == warning
    report = result.report_graph
    sources = {owner(shapes, s) for s in report.objects(None, SH.sourceShape)}
    assert sources == {shape}, f"results from other shapes:\n{format_problems(result)}"
    assert {p.severity for p in result.problems} == {"Warning" if warning else "Violation"}
    expected = re.findall(r"^# expect: (.+)$", fixture.read_text(encoding="utf-8"), re.M)
    assert expected, f"{fixture.name} has no '# expect: <part of the message>' line"
    messages = [p.message for p in result.problems]
    for text in expected:
        assert any(text in m for m in messages), f"{text!r} not in {messages}"


def test_problem_names_focus_path_and_source_span(context: Graph, shapes: Graph) -> None:
    _, result = check("JudgmentShape.fail.ttl", context, shapes)
    (problem,) = result.problems
    assert problem.focus == str(mint("judgment", FORCE, "2023-25", "investigating-crime"))
    assert problem.path == "peel:area"
    assert problem.severity == "Violation"
    assert problem.span == (
        "data/000_82645b4a8ccb79df.txt 39852-39920: "
        "“Northamptonshire Police requires improvement at investigating crime.”"
    )


def screening_shapes() -> list[str]:
    """The named shapes with a SPARQL-based target."""
    graph = load_shapes()
    return sorted(n for n, s in named_shapes(graph).items() if sparql_targets(graph, s))


def test_the_sparql_heavy_shapes_screen_the_graph() -> None:
    assert set(screening_shapes()) >= {
        "JudgmentGradeInScaleShape",
        "JudgmentStatementsAgreeShape",
        "InadequateNeedsCauseOfConcernShape",
        "SpanQuoteLengthShape",
    }


@pytest.mark.parametrize("shape", screening_shapes())
def test_screening_target_finds_what_a_full_target_finds(
    shape: str, context: Graph, shapes: Graph
) -> None:
    """The SPARQL-based target loses no problem the constraint finds on every screened node."""
    node = named_shapes(shapes)[shape]
    screening = one_shape(shapes, node)
    full = one_shape(shapes, node)
    for target in sparql_targets(shapes, node):
        full.remove((node, SH.target, target))
        full.remove((target, None, None))
    for cls in shapes.objects(node, PEELSH.screens):
        full.add((node, SH.targetClass, cls))
    fixtures = [p for p in FIXTURE_FILES if p.name.startswith(f"{shape}.")]
    assert any(".fail" in p.name for p in fixtures)
    for fixture in fixtures:
        data = load(fixture, context)
        assert results(validate(data, screening)) == results(validate(data, full)), fixture.name


def test_problem_on_a_selector_describes_its_span(context: Graph, shapes: Graph) -> None:
    _, result = check("PositionSelectorShape.fail.ttl", context, shapes)
    (problem,) = result.problems
    assert problem.focus.endswith("/main-finding-1#span-main-position")
    assert problem.path == "oa:start"
    assert problem.span is not None
    assert problem.span.startswith("data/001_440047dec6ca2f53.txt ")
    start, end = re.search(r" (\d+)-(\d+):", problem.span).groups()  # type: ignore[union-attr]
    assert int(start) > int(end)


def test_problem_path_shows_a_sequence_path(context: Graph, shapes: Graph) -> None:
    _, result = check("SpanShape.fail-source-without-path.ttl", context, shapes)
    assert [p.path for p in result.problems] == ["oa:hasSource/peel:path"]


def test_disagreeing_grades_are_both_named(context: Graph, shapes: Graph) -> None:
    _, result = check("JudgmentStatementsAgreeShape.fail.ttl", context, shapes)
    (problem,) = result.problems
    assert "'Adequate'" in problem.message and "'Requires improvement'" in problem.message


def test_format_problems_gives_one_block_per_problem(context: Graph, shapes: Graph) -> None:
    _, result = check("SpanShape.fail-no-quote-selector.ttl", context, shapes)
    text = format_problems(result)
    blocks = text.split("\n\n")[1:]
    assert len(blocks) == len(result.problems) >= 2
    for block, problem in zip(blocks, result.problems, strict=True):
        assert problem.message in block and problem.focus in block
        assert f"path:  {problem.path}" in block and "span:" in block


def test_validate_loads_the_shapes_folder_by_default(context: Graph) -> None:
    data = load(FIXTURES / "JudgmentShape.fail.ttl", context)
    result = validate(data)
    assert not result.conforms
    assert "exactly one assessment area" in result.report_text
    assert format_problems(validate(load(FIXTURES / "JudgmentShape.pass.ttl", context))) == (
        "The graph conforms to the shapes."
    )


# --- the two engines ---------------------------------------------------------------


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.name)
def test_both_engines_give_the_same_results(fixture: Path, context: Graph, shapes: Graph) -> None:
    """pyshacl-turbo (the default) and pySHACL report the same problems on every fixture,
    and so does pyshacl-turbo given the N-Quads text, as the build gives it."""
    data = load(fixture, context)
    reference = validate(data, shapes, validator="pyshacl")
    text = data.serialize(format="nt", encoding="utf-8")  # N-Triples are N-Quads
    for result in (validate(data, shapes, validator="turbo"), validate(text, shapes)):
        assert result.conforms == reference.conforms, fixture.name
        assert results(result) == results(reference), fixture.name


def test_the_built_graph_read_back_from_a_store_conforms(built: BuildResult) -> None:
    """Oxigraph normalises literals ('7'^^xsd:nonNegativeInteger reads back as xsd:integer);
    the shapes accept what it gives back."""
    store = Store.from_nquads(built.nquads)
    result = validate(store)
    assert result.conforms, format_problems(result)
