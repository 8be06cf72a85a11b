"""Themes: the SKOS scheme of ontology/themes.ttl, tested as data, and kg.link.themes.

The scheme is checked for form (names, definitions, terms that belong to one theme,
no vague terms); tagging is checked on small hand-written graphs (word boundaries,
case, figures, initiatives, a theme crossing areas) and on the shipped corpus
against what the reports say; the ``theme-findings`` query is run on the corpus
with its tags.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from kg import vocab
from kg.errors import QueryError
from kg.export import union
from kg.link.themes import TermIndex, load_themes, normalise, texts, theme_tags
from kg.pipeline import BuildResult
from kg.queries import run_query
from kg.reference import load_reference
from kg.store import Store

THEME = Namespace(vocab.ID["theme/"])
DOMESTIC_ABUSE = THEME["domestic-abuse"]
CHILDREN = THEME["children-and-young-people"]
MISSING = THEME["missing-people"]
USE_OF_FORCE = THEME["use-of-force"]
FINDING_2025 = "https://w3id.org/peel-kg/id/finding/northamptonshire-police/2025-27/"
SCHOOLS_AFI = URIRef(FINDING_2025 + "safeguarding/area-for-improvement-2")
MISSING_AFI = URIRef(FINDING_2025 + "safeguarding/area-for-improvement-1")
#: Terms too vague or ambiguous to tag by (ontology/themes.ttl explains why).
VAGUE = {"force", "forces", "police", "crime", "crimes", "da", "missing", "partner", "it", "data"}
#: Share of areas for improvement, causes of concern, recommendations and innovative
#: practice of the shipped corpus with at least one theme (measured: 23 of 23).
COVERAGE_FLOOR = 0.9

PREFIXES = """
@base <https://w3id.org/peel-kg/id/> .
@prefix peel: <https://w3id.org/peel-kg/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


@pytest.fixture(scope="module")
def reference() -> Graph:
    """The reference graph, holding the theme scheme."""
    return load_reference().graph


@pytest.fixture(scope="module")
def corpus(built: BuildResult) -> Graph:
    """Every fact of the shipped corpus in one graph."""
    return union(built.dataset)


@pytest.fixture(scope="module")
def corpus_tags(corpus: Graph, reference: Graph) -> Graph:
    """The theme tags of the shipped corpus."""
    return theme_tags(corpus, reference)


def tag(data: str, reference: Graph) -> Graph:
    """Tag a hand-written Turtle graph."""
    return theme_tags(Graph().parse(data=PREFIXES + data, format="turtle"), reference)


def themes_of(links: Graph, thing: URIRef) -> dict[URIRef, str]:
    """The themes of ``thing`` in ``links``, each with the term its tag gives."""
    found = {}
    for node in links.subjects(vocab.tagged, thing):
        theme = links.value(node, vocab.theme)
        assert isinstance(theme, URIRef)
        found[theme] = str(links.value(node, vocab.matchedTerm))
    assert set(found) == set(links.objects(thing, vocab.theme))
    return found


def iri(path: str) -> URIRef:
    return vocab.ID[path]


# --- the scheme ----------------------------------------------------------------------


def scheme_themes(reference: Graph) -> Iterator[URIRef]:
    yield from sorted(URIRef(str(t)) for t in reference.subjects(RDF.type, vocab.Theme))


def test_every_theme_is_a_named_defined_top_concept_of_the_scheme(reference: Graph) -> None:
    scheme = vocab.ID["theme"]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in reference
    themes = list(scheme_themes(reference))
    assert len(themes) >= 18
    for theme in themes:
        assert str(theme).startswith(str(THEME)), theme
        assert (theme, RDF.type, SKOS.Concept) in reference, theme
        assert (theme, SKOS.inScheme, scheme) in reference, theme
        assert (theme, SKOS.topConceptOf, scheme) in reference, theme
        (label,) = reference.objects(theme, SKOS.prefLabel)
        assert str(label) == str(label).lower() and vocab.slug(str(label)) == theme.rsplit("/")[-1]
        (definition,) = reference.objects(theme, SKOS.definition)
        assert len(str(definition)) > 30, theme
        assert list(reference.objects(theme, SKOS.hiddenLabel)), f"{theme} has no terms"


def test_the_brief_s_themes_are_all_there(reference: Graph) -> None:
    labels = {str(reference.value(t, SKOS.prefLabel)) for t in scheme_themes(reference)}
    assert labels >= {
        "domestic abuse",
        "missing people",
        "mental health",
        "stop and search",
        "use of force",
        "call handling",
        "attendance",
        "investigation quality",
        "detective capacity",
        "victims",
        "workforce well-being",
        "vetting and standards",
        "data and technology",
        "fraud",
        "custody",
        "antisocial behaviour",
        "children and young people",
        "partnerships",
    }


def test_no_term_belongs_to_two_themes_or_is_written_twice(reference: Graph) -> None:
    owner: dict[str, URIRef] = {}
    for theme in scheme_themes(reference):
        for term in reference.objects(theme, SKOS.hiddenLabel):
            key = normalise(str(term)).casefold()
            assert key not in owner, f"{term!r}: {owner.get(key)} and {theme}"
            owner[key] = theme


def test_terms_are_plain_words_not_vague_and_not_patterns(reference: Graph) -> None:
    for theme in scheme_themes(reference):
        for term in map(str, reference.objects(theme, SKOS.hiddenLabel)):
            assert term == normalise(term) and term.strip(), repr(term)
            assert term.casefold() not in VAGUE, f"{theme}: {term!r} is too vague to tag by"
            assert not re.search(r"[\\^$*+{}\[\]|]", term), f"{term!r} looks like a regex"


def test_load_themes_orders_terms_longest_first(reference: Graph) -> None:
    themes = {t.iri: t for t in load_themes(reference)}
    assert set(themes) == set(scheme_themes(reference))
    terms = themes[DOMESTIC_ABUSE].terms
    assert [len(t) for t in terms] == sorted((len(t) for t in terms), reverse=True)
    assert themes[DOMESTIC_ABUSE].slug == "domestic-abuse"


# --- tagging small graphs ---------------------------------------------------------------


def test_a_finding_mentioning_domestic_abuse_gets_the_theme_and_its_tag(reference: Graph) -> None:
    links = tag(
        """<finding/f/1> a peel:AreaForImprovement ;
            peel:headline "The force should answer reports of Domestic Abuse faster" .""",
        reference,
    )
    finding = iri("finding/f/1")
    assert themes_of(links, finding) == {DOMESTIC_ABUSE: "domestic abuse"}
    node = vocab.fragment(finding, "theme-domestic-abuse")
    assert set(links.predicate_objects(node)) == {
        (RDF.type, vocab.ThemeTag),
        (vocab.tagged, finding),
        (vocab.theme, DOMESTIC_ABUSE),
        (vocab.matchedTerm, Literal("domestic abuse")),
        (PROV.wasDerivedFrom, finding),
    }
    assert links.identifier == vocab.LINKS_GRAPH


def test_the_term_reported_is_the_first_in_the_text_as_the_scheme_writes_it(
    reference: Graph,
) -> None:
    links = tag(
        """<finding/f/1> a peel:MainFinding ;
            peel:headline "Victims get help from IDVAs" ;
            peel:body "Advisers sit in the control room. Domestic abuse cases rose." .""",
        reference,
    )
    # the headline's term, never the body's: a finding is tagged by its headline
    assert themes_of(links, iri("finding/f/1"))[DOMESTIC_ABUSE] == "IDVAs"
    links = tag(
        """<finding/f/2> a peel:MainFinding ;
            peel:headline "Officers apply for a domestic abuse protection order quickly" .""",
        reference,
    )
    assert themes_of(links, iri("finding/f/2"))[DOMESTIC_ABUSE] == "domestic abuse protection order"


@pytest.mark.parametrize(
    ("headline", "tagged"),
    [
        ("The force records every use of force", True),
        ("The force records every USE OF FORCE incident", True),
        ("The force reviews use-of-force forms", True),
        ("Staff make better use of forces' shared services", False),
        ("It misuses of force the word", False),
        ("The excuse of force majeure", False),
    ],
)
def test_terms_match_on_word_boundaries_in_any_case(
    reference: Graph, headline: str, tagged: bool
) -> None:
    links = tag(f'<finding/f/1> a peel:MainFinding ; peel:headline "{headline}" .', reference)
    assert (USE_OF_FORCE in themes_of(links, iri("finding/f/1"))) == tagged


def test_curly_quotes_and_line_breaks_do_not_hide_a_term(reference: Graph) -> None:
    links = tag(
        """<finding/f/1> a peel:Recommendation ;
            peel:headline "comply with the Victims\u2019 Code when children go\\n   missing" .""",
        reference,
    )
    found = themes_of(links, iri("finding/f/1"))
    assert found[THEME["victims"]] == "Victims' Code"
    assert found[MISSING] == "go missing"


def test_vague_words_alone_tag_nothing(reference: Graph) -> None:
    links = tag(
        """<finding/f/1> a peel:MainFinding ;
            peel:headline "The police force is missing the point about crime" .""",
        reference,
    )
    assert themes_of(links, iri("finding/f/1")) == {}
    assert len(links) == 0


def test_a_theme_crosses_areas(reference: Graph) -> None:
    links = tag(
        """<finding/f/1> a peel:AreaForImprovement ;
            peel:area <area/peel-2025-27/responding-to-the-public> ;
            peel:headline "Call handlers should ask about domestic violence" .
        <finding/f/2> a peel:MainFinding ; peel:area <area/peel-2025-27/investigating-crime> ;
            peel:headline "The force has increased its arrest rate for domestic abuse" .""",
        reference,
    )
    assert themes_of(links, iri("finding/f/1"))[DOMESTIC_ABUSE] == "domestic violence"
    assert themes_of(links, iri("finding/f/2"))[DOMESTIC_ABUSE] == "domestic abuse"
    assert CHILDREN not in themes_of(links, iri("finding/f/2"))


def test_a_figure_is_tagged_by_its_sentence_and_measure(reference: Graph) -> None:
    links = tag(
        """<observation/s/1> a peel:Observation ;
            peel:metricText "missing child cases" ;
            peel:span <observation/s/1#span-main> .
        <observation/s/1#span-main> oa:hasSelector <observation/s/1#span-main-quote> .
        <observation/s/1#span-main-quote> oa:exact "In 12 of 15 cases, social care was told." .""",
        reference,
    )
    found = themes_of(links, iri("observation/s/1"))
    assert found[MISSING] == "missing child"
    assert found[THEME["partnerships"]] == "social care"


def test_an_initiative_is_tagged_by_its_names_description_and_mentions(reference: Graph) -> None:
    links = tag(
        """<initiative/operation-lantern> a peel:Initiative ;
            rdfs:label "Operation Lantern" ; skos:altLabel "Clare's Law" ;
            dcterms:description "Operation Lantern sends officers to custody suites at night." ;
            peel:mention <mention/s/1> .
        <mention/s/1> peel:span <mention/s/1#span-main> .
        <mention/s/1#span-main> oa:hasSelector <mention/s/1#span-main-quote> .
        <mention/s/1#span-main-quote> oa:exact "Lantern youth scheme" .""",
        reference,
    )
    found = themes_of(links, iri("initiative/operation-lantern"))
    assert found == {
        DOMESTIC_ABUSE: "Clare's Law",
        THEME["custody"]: "custody suites",
        CHILDREN: "youth",
    }


def test_other_things_are_not_tagged(reference: Graph) -> None:
    links = tag('<judgment/j/1> a peel:Judgment ; peel:headline "domestic abuse" .', reference)
    assert len(links) == 0


def test_the_index_finds_what_a_pattern_per_theme_finds(corpus: Graph, reference: Graph) -> None:
    """The word index is an optimisation of the plain method: a case-insensitive pattern
    per theme, terms longest first, on word boundaries, first match in text order."""
    themes = load_themes(reference)
    index = TermIndex(themes)
    patterns = {
        theme: re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(normalise(t)) for t in theme.terms) + r")(?!\w)",
            re.IGNORECASE,
        )
        for theme in themes
    }
    written = {theme: {normalise(t).lower(): t for t in theme.terms} for theme in themes}
    checked = 0
    for _, text in texts(corpus):
        expected = {}
        for theme, pattern in patterns.items():
            match = next((m for m in map(pattern.search, text) if m), None)
            if match:
                expected[theme] = written[theme][match.group().lower()]
        assert index.first_terms(text) == expected, text[0]
        checked += 1
    assert checked > 500


def test_the_same_graph_gives_the_same_tags(corpus: Graph, reference: Graph) -> None:
    first, second = theme_tags(corpus, reference), theme_tags(corpus, reference)
    assert sorted(first) == sorted(second)


# --- the shipped corpus -----------------------------------------------------------------


def test_the_schools_area_for_improvement_is_domestic_abuse_and_children(
    corpus: Graph, corpus_tags: Graph
) -> None:
    headline = str(corpus.value(SCHOOLS_AFI, vocab.headline))
    assert "share information with schools about pupils living with domestic abuse" in headline
    found = themes_of(corpus_tags, SCHOOLS_AFI)
    assert found[DOMESTIC_ABUSE] == "domestic abuse"
    assert found[CHILDREN] == "schools"
    # the body names the local authority, but a finding is tagged by its headline only
    assert THEME["partnerships"] not in found


def test_the_missing_people_area_for_improvement_is_missing_people(
    corpus: Graph, corpus_tags: Graph
) -> None:
    assert "reports of missing people" in str(corpus.value(MISSING_AFI, vocab.headline))
    assert themes_of(corpus_tags, MISSING_AFI)[MISSING] == "missing people"


def headline_of(corpus: Graph, text: str, cls: URIRef) -> URIRef:
    """The one finding of class ``cls`` whose headline contains ``text`` (not counting the
    earlier findings that follow-up links describe)."""
    (found,) = [
        URIRef(str(f))
        for f in corpus.subjects(RDF.type, cls)
        if str(f).startswith(vocab.ID["finding/"]) and text in str(corpus.value(f, vocab.headline))
    ]
    return found


@pytest.mark.parametrize(
    ("cls", "text", "theme", "term"),
    [
        (vocab.AreaForImprovement, "fraud policy", "fraud", "fraud"),
        (vocab.AreaForImprovement, "custody records", "custody", "custody"),
        (vocab.AreaForImprovement, "risk detainees pose", "custody", "detainees"),
        (vocab.AreaForImprovement, "published attendance times", "attendance", "attend calls"),
        (
            vocab.AreaForImprovement,
            "well-being challenges",
            "workforce-well-being",
            "well-being challenges",
        ),
        (
            vocab.AreaForImprovement,
            "day-to-day problem-solving",
            "problem-solving",
            "problem-solving",
        ),
        (
            vocab.AreaForImprovement,
            "new operating model",
            "demand-and-resources",
            "operating model",
        ),
        (vocab.CauseOfConcern, "outcomes for victims of crime", "victims", "victims"),
        (
            vocab.Recommendation,
            "Code of Practice for Victims",
            "victims",
            "Code of Practice for Victims of Crime",
        ),
        (
            vocab.Recommendation,
            "capability and capacity",
            "detective-capacity",
            "allocate investigations",
        ),
        (vocab.InnovativePractice, "repeatedly go missing", "missing-people", "go missing"),
        (
            vocab.InnovativePractice,
            "domestic abuse victims fleeing",
            "domestic-abuse",
            "domestic abuse",
        ),
        (
            vocab.InnovativePractice,
            "persistent caller officer",
            "call-handling",
            "persistent caller",
        ),
        (
            vocab.InnovativePractice,
            "imprisonment of a parent",
            "children-and-young-people",
            "children",
        ),
        (vocab.MainFinding, "arrest rate for domestic abuse", "domestic-abuse", "domestic abuse"),
        (
            vocab.MainFinding,
            "understand how to use stop and search powers",
            "stop-and-search",
            "stop and search",
        ),
        (vocab.MainFinding, "records all use of force incidents", "use-of-force", "use of force"),
        (vocab.MainFinding, "mental health experts", "mental-health", "mental health"),
        (
            vocab.MainFinding,
            "causes of antisocial behaviour",
            "antisocial-behaviour",
            "antisocial behaviour",
        ),
    ],
)
def test_corpus_findings_get_the_themes_their_reports_name(
    corpus: Graph, corpus_tags: Graph, cls: URIRef, text: str, theme: str, term: str
) -> None:
    finding = headline_of(corpus, text, cls)
    assert themes_of(corpus_tags, finding).get(THEME[theme]) == term


def test_domestic_abuse_crosses_areas_in_the_corpus(corpus: Graph, corpus_tags: Graph) -> None:
    findings = set(corpus_tags.subjects(vocab.theme, DOMESTIC_ABUSE))
    areas = {corpus.value(f, vocab.area) for f in findings} - {None}
    assert len(areas) >= 4


def test_nearly_every_area_for_improvement_and_the_like_has_a_theme(
    corpus: Graph, corpus_tags: Graph
) -> None:
    codes = ["area-for-improvement", "cause-of-concern", "recommendation", "innovative-practice"]
    findings = {f for c in codes for f in corpus.subjects(RDF.type, vocab.FINDING_TYPES[c])}
    themed = {f for f in findings if (f, vocab.theme, None) in corpus_tags}
    assert len(findings) >= 20
    assert len(themed) / len(findings) >= COVERAGE_FLOOR, sorted(findings - themed)
    main = set(corpus.subjects(RDF.type, vocab.MainFinding))
    assert len({f for f in main if (f, vocab.theme, None) in corpus_tags}) / len(main) >= 0.9


def test_figures_and_initiatives_are_tagged(corpus: Graph, corpus_tags: Graph) -> None:
    for cls, floor in ((vocab.Observation, 0.7), (vocab.Initiative, 0.8)):
        things = set(corpus.subjects(RDF.type, cls))
        themed = {t for t in things if (t, vocab.theme, None) in corpus_tags}
        assert len(themed) / len(things) >= floor, cls
    right_care = iri("initiative/right-care-right-person")
    assert themes_of(corpus_tags, right_care)[THEME["mental-health"]] == "Right Care, Right Person"
    use_of_force_figures = [
        o
        for o in corpus.subjects(RDF.type, vocab.Observation)
        if (o, vocab.theme, USE_OF_FORCE) in corpus_tags
    ]
    assert len(use_of_force_figures) >= 5


def test_every_tag_names_a_term_of_its_theme(corpus_tags: Graph, reference: Graph) -> None:
    for node in corpus_tags.subjects(RDF.type, vocab.ThemeTag):
        theme = corpus_tags.value(node, vocab.theme)
        terms = {str(t) for t in reference.objects(theme, SKOS.hiddenLabel)}
        assert str(corpus_tags.value(node, vocab.matchedTerm)) in terms
        thing = corpus_tags.value(node, vocab.tagged)
        assert node == vocab.fragment(thing, "theme-" + str(theme).rsplit("/")[-1])


# --- the theme-findings query -----------------------------------------------------------


@pytest.fixture(scope="module")
def themed_store(built: BuildResult, corpus_tags: Graph) -> Store:
    """The built corpus in the query store, with its theme tags in the links graph."""
    import pyoxigraph as ox

    store = Store.from_dataset(built.dataset)
    quads = "".join(
        f"{s.n3()} {p.n3()} {o.n3()} <{vocab.LINKS_GRAPH}> .\n" for s, p, o in corpus_tags
    )
    store.load(quads.encode("utf-8"), ox.RdfFormat.N_QUADS)
    return store


def query_rows(store: Store, **params: str) -> list[dict[str, str]]:
    doc = json.loads(run_query(store, "theme-findings", params, "json"))
    assert doc["head"]["vars"][:7] == [
        "force",
        "assessment",
        "area",
        "type",
        "headline",
        "theme",
        "term",
    ]
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


@pytest.mark.parametrize(
    "name", ["domestic abuse", "Domestic Abuse", " domestic  abuse ", str(DOMESTIC_ABUSE)]
)
def test_theme_findings_names_a_theme_in_any_case_or_by_iri(themed_store: Store, name: str) -> None:
    results = query_rows(themed_store, theme=name)
    assert len({r["area"] for r in results}) >= 3  # a theme crosses areas
    results = [r for r in results if r["assessment"] == "2025–27"]
    assert results and {r["theme"] for r in results} == {"domestic abuse"}
    headlines = {(r["type"], r["headline"]) for r in results}
    assert {
        (
            "area-for-improvement",
            "The force needs to promptly share information with schools about pupils living with "
            "domestic abuse",
        ),
        (
            "innovative-practice",
            "The force works with a third party to provide immediate and short-term help to "
            "domestic abuse victims fleeing home",
        ),
    } <= headlines
    assert {r["assessment"] for r in results} == {"2025–27"}
    assert {r["force"] for r in results} == {"Northamptonshire Police"}


def test_theme_findings_filters_by_type_and_shows_the_term(themed_store: Store) -> None:
    results = query_rows(themed_store, theme="missing people", type="area-for-improvement")
    assert [(r["headline"], r["term"]) for r in results] == [
        (
            "The force needs to effectively record and manage all reports of missing people",
            "missing people",
        )
    ]


def test_theme_findings_by_a_term_of_the_theme(themed_store: Store) -> None:
    by_term = query_rows(themed_store, theme="IDVA")
    assert by_term == query_rows(themed_store, theme="domestic abuse")


def test_theme_findings_without_a_theme_lists_every_tag(themed_store: Store) -> None:
    results = query_rows(themed_store)
    assert len({r["theme"] for r in results}) >= 25


@pytest.mark.parametrize(
    ("bad", "hint"),
    [("abuse", "could name several themes: .*'domestic abuse'"),
     ("missing people team", "names no theme; did you mean 'missing people'")],
)  # fmt: skip
def test_an_unknown_theme_names_close_names(themed_store: Store, bad: str, hint: str) -> None:
    with pytest.raises(QueryError, match=hint):
        query_rows(themed_store, theme=bad)


def test_an_unknown_theme_iri_is_refused(themed_store: Store) -> None:
    with pytest.raises(QueryError, match="not the IRI of a theme"):
        query_rows(themed_store, theme=str(THEME["lost-property"]))
