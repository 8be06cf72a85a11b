"""The ontology and the JSON-LD context, tested as data.

``kg/vocab.py`` defines every term once; ``ontology/peel.ttl`` documents them
and ``ontology/context.jsonld`` gives them short names. These tests keep the
three in step, in both directions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef, namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg import vocab
from kg.paths import JSONLD_CONTEXT, ONTOLOGY_DIR
from kg.vocab import OA, ORG, PEEL, PREFIXES, QB

# rdflib's XSD warns when pytest probes module attributes; a plain Namespace does not.
XSD = Namespace(str(namespace.XSD))

PEEL_TTL = ONTOLOGY_DIR / "peel.ttl"
ONTOLOGY_IRI = URIRef(str(PEEL).rstrip("#"))

CLASS_TYPES = {OWL.Class, RDFS.Class}
INDIVIDUAL = {OWL.NamedIndividual}
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}


def is_peel(term: Node) -> bool:
    """True for an IRI in the peel: namespace (not the namespace itself)."""
    return isinstance(term, URIRef) and str(term).startswith(str(PEEL)) and term != URIRef(PEEL)


def short(value: object) -> str:
    """A test id: an IRI as a compact IRI with the PREFIXES, anything else as text."""
    text = str(value)
    for name, ns in PREFIXES.items():
        if isinstance(value, URIRef) and text.startswith(str(ns)):
            return f"{name}:{text.removeprefix(str(ns))}"
    return text


def vocab_terms() -> set[URIRef]:
    """Every peel: term that kg/vocab.py defines as a module attribute."""
    return {value for value in vars(vocab).values() if is_peel(value)}


VOCAB_TERMS = sorted(vocab_terms())
TTL_FILES = sorted(ONTOLOGY_DIR.rglob("*.ttl"))


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    graph.parse(PEEL_TTL, format="turtle")
    return graph


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    with JSONLD_CONTEXT.open(encoding="utf-8") as f:
        document = json.load(f)
    assert isinstance(document, dict) and isinstance(document.get("@context"), dict), (
        f"{JSONLD_CONTEXT}: expected an object with an '@context' object"
    )
    return document["@context"]


def declared(onto: Graph, kinds: set[URIRef]) -> set[URIRef]:
    """peel: terms typed in the ontology as one of ``kinds``."""
    return {s for kind in kinds for s in onto.subjects(RDF.type, kind) if is_peel(s)}


def classes_in(onto: Graph, node: Node) -> set[Node]:
    """A class expression's named classes: the class itself or an owl:unionOf's members."""
    union = onto.value(node, OWL.unionOf) if isinstance(node, BNode) else None
    if union is None:
        return {node}
    return set(Collection(onto, union))


# --- the ontology file --------------------------------------------------------


def test_vocab_defines_terms() -> None:
    # Guards the tests below against passing vacuously.
    assert vocab.Force in VOCAB_TERMS and vocab.span in VOCAB_TERMS
    assert len(VOCAB_TERMS) > 40


def test_ontology_header(onto: Graph) -> None:
    assert set(onto.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY_IRI}
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionInfo):
        assert onto.value(ONTOLOGY_IRI, prop), f"the ontology header lacks {prop}"
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")


@pytest.mark.parametrize("term", VOCAB_TERMS, ids=short)
def test_vocab_term_is_documented(onto: Graph, term: URIRef) -> None:
    kinds = set(onto.objects(term, RDF.type)) & (CLASS_TYPES | PROPERTY_TYPES | INDIVIDUAL)
    assert len(kinds) == 1, (
        f"{term} should be declared exactly once as a class, property or named individual, "
        f"got {kinds}"
    )
    labels = [lbl for lbl in onto.objects(term, RDFS.label) if str(lbl).strip()]
    comments = [c for c in onto.objects(term, RDFS.comment) if str(c).strip()]
    assert labels, f"{term} has no rdfs:label"
    assert comments, f"{term} has no rdfs:comment"


def test_every_peel_term_in_ontology_is_in_vocab(onto: Graph) -> None:
    used = {t for triple in onto for t in triple if is_peel(t)}
    drift = used - set(VOCAB_TERMS)
    assert not drift, f"peel.ttl uses terms that kg/vocab.py does not define: {sorted(drift)}"


def test_ontology_declares_no_other_vocabulary(onto: Graph) -> None:
    foreign = {
        s for s in onto.subjects() if isinstance(s, URIRef) and s != ONTOLOGY_IRI and not is_peel(s)
    }
    assert not foreign, f"peel.ttl describes terms outside peel: {sorted(foreign)}"


def test_every_property_has_one_domain_and_one_range(onto: Graph) -> None:
    properties = declared(onto, PROPERTY_TYPES)
    assert properties
    for prop in properties:
        domains = list(onto.objects(prop, RDFS.domain))
        ranges = list(onto.objects(prop, RDFS.range))
        # Several rdfs:domain statements would mean their intersection: use owl:unionOf.
        assert len(domains) == 1, f"{prop} has {len(domains)} rdfs:domain statements, want 1"
        assert len(ranges) == 1, f"{prop} has {len(ranges)} rdfs:range statements, want 1"


def test_domains_and_ranges_name_declared_classes(onto: Graph) -> None:
    classes = declared(onto, CLASS_TYPES)
    for prop in declared(onto, PROPERTY_TYPES):
        for bound in (*onto.objects(prop, RDFS.domain), *onto.objects(prop, RDFS.range)):
            members = classes_in(onto, bound)
            assert members, f"{prop}: empty class expression {bound}"
            for member in members:
                assert isinstance(member, URIRef), f"{prop}: unnamed class {member} in {bound}"
                if is_peel(member):
                    assert member in classes, f"{prop}: {member} is not declared as a class"


def test_property_kinds_match_their_ranges(onto: Graph) -> None:
    for prop in declared(onto, {OWL.ObjectProperty}):
        rng = onto.value(prop, RDFS.range)
        assert not str(rng).startswith(str(XSD)), f"object property {prop} has datatype range {rng}"
    for prop in declared(onto, {OWL.DatatypeProperty}):
        rng = onto.value(prop, RDFS.range)
        assert str(rng).startswith(str(XSD)), (
            f"datatype property {prop} has non-datatype range {rng}"
        )


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        (vocab.rank, XSD.positiveInteger),
        (vocab.startYear, XSD.gYear),
        (vocab.endYear, XSD.gYear),
        (vocab.revisionDate, XSD.gYearMonth),
        (vocab.graded, XSD.boolean),
        (vocab.thirdParty, XSD.boolean),
        (vocab.span, OA.SpecificResource),
        (vocab.bodySpan, OA.SpecificResource),
        (vocab.revisionSpan, OA.SpecificResource),
        (vocab.force, vocab.Force),
        (vocab.grade, vocab.Grade),
        (vocab.area, vocab.Area),
        (vocab.supersedes, vocab.Judgment),
        (vocab.addresses, vocab.CauseOfConcern),
    ],
    ids=short,
)
def test_property_range(onto: Graph, prop: URIRef, expected: URIRef) -> None:
    assert onto.value(prop, RDFS.range) == expected


@pytest.mark.parametrize(
    ("cls", "superclass"),
    [
        (vocab.Force, ORG.FormalOrganization),
        (vocab.Inspection, PROV.Activity),
        (vocab.Inspector, PROV.Person),
        (vocab.Inspector, FOAF.Person),
        (vocab.SourceDocument, PROV.Entity),
        (vocab.SourceDocument, FOAF.Document),
        (vocab.Area, SKOS.Concept),
        (vocab.AreaScheme, SKOS.ConceptScheme),
        (vocab.Grade, SKOS.Concept),
        (vocab.GradeScale, SKOS.ConceptScheme),
        (vocab.Judgment, PROV.Entity),
        (vocab.Finding, PROV.Entity),
        (vocab.GradeStatement, PROV.Entity),
        (vocab.Observation, QB.Observation),
        (vocab.Metric, SKOS.Concept),
        (vocab.Initiative, PROV.Entity),
        *((cls, vocab.Finding) for cls in vocab.FINDING_TYPES.values()),
        *((cls, vocab.SourceDocument) for cls in vocab.SOURCE_KINDS.values()),
    ],
    ids=short,
)
def test_superclass(onto: Graph, cls: URIRef, superclass: URIRef) -> None:
    assert (cls, RDFS.subClassOf, superclass) in onto


def test_supersedes_is_a_prov_revision(onto: Graph) -> None:
    assert (vocab.supersedes, RDFS.subPropertyOf, PROV.wasRevisionOf) in onto


@pytest.mark.parametrize("code", sorted(vocab.FINDING_TYPES))
def test_finding_class_has_its_type_code(onto: Graph, code: str) -> None:
    cls = vocab.FINDING_TYPES[code]
    assert set(onto.objects(cls, vocab.typeCode)) == {Literal(code)}


def test_only_finding_classes_have_type_codes(onto: Graph) -> None:
    assert set(onto.subjects(vocab.typeCode, None)) == set(vocab.FINDING_TYPES.values())


# --- every Turtle file under ontology/ ---------------------------------------


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: str(p.relative_to(ONTOLOGY_DIR)))
def test_turtle_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0, f"{path} holds no triples"
    # Oxigraph, the store's parser, is stricter than rdflib's.
    quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))
    assert len(quads) == len(graph)


def test_reference_files_are_found() -> None:
    names = {p.relative_to(ONTOLOGY_DIR).as_posix() for p in TTL_FILES}
    assert {"peel.ttl", "grades.ttl", "cycles.ttl"} <= names
    assert any(name.startswith("areas/") for name in names)


# --- the JSON-LD context -----------------------------------------------------


def prefix_bindings(context: dict[str, Any]) -> dict[str, str]:
    """Context entries that bind a prefix: a plain name mapped to an absolute IRI."""
    bindings = {}
    for key, value in context.items():
        if key.startswith("@"):
            continue
        iri = value if isinstance(value, str) else None
        if isinstance(value, dict) and value.get("@prefix") is True:
            iri = value.get("@id")
        if iri is not None and "://" in iri:
            bindings[key] = iri
    return bindings


def term_iri(key: str, value: Any) -> str:
    """The (unexpanded) IRI a context entry maps its term to."""
    if isinstance(value, str):
        return value
    assert isinstance(value, dict), f"context term {key!r}: expected a string or an object"
    iri = value.get("@id")
    assert isinstance(iri, str), f"context term {key!r} has no '@id'"
    return iri


def expand(compact: str, bindings: dict[str, str]) -> str:
    """Expand a compact IRI ``prefix:local`` with the context's prefixes."""
    prefix, sep, local = compact.partition(":")
    if sep and prefix in bindings and not local.startswith("//"):
        return bindings[prefix] + local
    return compact


def context_terms(context: dict[str, Any]) -> dict[str, Any]:
    bindings = prefix_bindings(context)
    return {k: v for k, v in context.items() if not k.startswith("@") and k not in bindings}


def test_context_binds_exactly_the_vocab_prefixes(context: dict[str, Any]) -> None:
    expected = {name: str(ns) for name, ns in PREFIXES.items()}
    assert prefix_bindings(context) == expected


def test_context_is_json_ld_1_1(context: dict[str, Any]) -> None:
    assert context.get("@version") == 1.1
    assert "@vocab" not in context and "@base" not in context


def test_context_terms_expand_into_vocab_namespaces(context: dict[str, Any]) -> None:
    bindings = prefix_bindings(context)
    namespaces = tuple(str(ns) for ns in PREFIXES.values())
    terms = context_terms(context)
    assert len(terms) > 20
    for key, value in terms.items():
        iri = expand(term_iri(key, value), bindings)
        assert iri.startswith(namespaces), (
            f"context term {key!r} expands to {iri}, outside PREFIXES"
        )
        assert iri not in namespaces, f"context term {key!r} names a namespace, not a term"
        coerce = value.get("@type") if isinstance(value, dict) else None
        if coerce is not None and coerce not in ("@id", "@vocab"):
            assert expand(coerce, bindings).startswith(str(XSD)), f"{key!r}: odd @type {coerce}"


def test_context_peel_terms_are_in_vocab(context: dict[str, Any]) -> None:
    bindings = prefix_bindings(context)
    for key, value in context_terms(context).items():
        iri = URIRef(expand(term_iri(key, value), bindings))
        if is_peel(iri):
            assert iri in VOCAB_TERMS, f"context term {key!r} names {iri}, not in kg/vocab.py"


def test_context_names_every_peel_property(onto: Graph, context: dict[str, Any]) -> None:
    bindings = prefix_bindings(context)
    named = {URIRef(expand(term_iri(k, v), bindings)) for k, v in context_terms(context).items()}
    missing = declared(onto, PROPERTY_TYPES) - named
    assert not missing, f"context.jsonld gives no short term to {sorted(missing)}"


def test_context_coercion_agrees_with_ontology(onto: Graph, context: dict[str, Any]) -> None:
    bindings = prefix_bindings(context)
    object_properties = declared(onto, {OWL.ObjectProperty})
    for key, value in context_terms(context).items():
        iri = URIRef(expand(term_iri(key, value), bindings))
        coerce = value.get("@type") if isinstance(value, dict) else None
        if iri in object_properties:
            assert coerce == "@id", f"context term {key!r}: object property, want '@type': '@id'"
        elif is_peel(iri) and coerce is not None:
            assert coerce != "@id", f"context term {key!r}: not an object property"
            assert URIRef(expand(coerce, bindings)) == onto.value(iri, RDFS.range), (
                f"context term {key!r} coerces to {coerce}, but the ontology range differs"
            )


@pytest.mark.parametrize(
    ("key", "iri", "coerce"),
    [
        ("force", vocab.force, "@id"),
        ("span", vocab.span, "@id"),
        ("source", OA.hasSource, "@id"),
        ("selector", OA.hasSelector, "@id"),
        ("start", OA.start, str(XSD.nonNegativeInteger)),
        ("end", OA.end, str(XSD.nonNegativeInteger)),
        ("exact", OA.exact, None),
        ("label", RDFS.label, None),
        ("prefLabel", SKOS.prefLabel, None),
        ("derivedFrom", PROV.wasDerivedFrom, "@id"),
    ],
)
def test_context_short_terms(
    context: dict[str, Any], key: str, iri: URIRef, coerce: str | None
) -> None:
    bindings = prefix_bindings(context)
    assert key in context, f"context.jsonld lacks the term {key!r}"
    assert expand(term_iri(key, context[key]), bindings) == str(iri)
    if coerce is not None:
        assert expand(context[key].get("@type", ""), bindings) == coerce


JUDGMENT = vocab.mint("judgment", "Northamptonshire Police", "2023-25", "investigating-crime")


def span_example() -> Graph:
    """A judgment with a source span, as README.md draws it."""
    graph = Graph()
    judgment = JUDGMENT
    source = vocab.mint("source", "000_82645b4a8ccb79df")
    span = vocab.fragment(judgment, "span-main")
    position = vocab.fragment(judgment, "span-main-position")
    quote = vocab.fragment(judgment, "span-main-quote")
    graph.add((judgment, RDF.type, vocab.Judgment))
    graph.add((judgment, vocab.force, vocab.mint("force", "Northamptonshire Police")))
    graph.add((judgment, vocab.revisionDate, Literal("2024-08", datatype=XSD.gYearMonth)))
    graph.add((judgment, PROV.wasDerivedFrom, source))
    graph.add((judgment, vocab.span, span))
    graph.add((span, RDF.type, OA.SpecificResource))
    graph.add((span, OA.hasSource, source))
    graph.add((span, OA.hasSelector, position))
    graph.add((span, OA.hasSelector, quote))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(5123, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(5190, datatype=XSD.nonNegativeInteger)))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal("Investigating crime")))
    graph.add((source, vocab.thirdParty, Literal(False)))
    return graph


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_round_trips_through_rdflib(context: dict[str, Any]) -> None:
    graph = span_example()
    for path in TTL_FILES:
        graph.parse(path, format="turtle")
    text = graph.serialize(format="json-ld", context=context)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)

    nodes = {node["@id"]: node for node in json.loads(text)["@graph"]}
    judgment = nodes[str(JUDGMENT)]
    assert judgment["force"] == str(vocab.mint("force", "Northamptonshire Police"))
    assert judgment["@type"] == "Judgment"
    position = nodes[str(vocab.fragment(URIRef(judgment["@id"]), "span-main-position"))]
    assert (position["start"], position["end"]) == ("5123", "5190")
